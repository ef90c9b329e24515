"""A fast, offset-exact phrase matcher shared by the lexicon taggers.

How a phrase matches text:

- Both are normalised the same way, one character for one, so offsets into the
  normalised text are offsets into the original: lower-cased, and every character that
  is not a letter or a digit becomes a space. "one-way UAS", "One way UAS" and
  "one‑way UAS" all read ``one way uas``; "U.S." reads ``u s``.
- Phrases are padded with a space on each side, and so is the text, so one
  Aho-Corasick pass reports whole-word hits only ("raid" never fires inside "afraid").
- Acronym tokens of a phrase (two or more capitals, an optional plural "s": IDF, IEDs,
  OWA UAS) must appear in the text exactly as written; the rest is case-insensitive.
  So "US forces" never matches "us forces" and "IED" never matches "ied".
- Overlapping hits: the longest wins, then the leftmost.

Writing phrases: a part in parentheses is optional, so ``rocket(s)`` is "rocket" and
"rockets" and ``Kata(')ib`` is "Kata'ib" and "Kataib"; "107mm" also gives "107 mm".

Known limit: punctuation and spacing must agree in number of characters, so "U.S.
forces" does not match "U.S forces" (list both when both are common).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ahocorasick

__all__ = ["BLOCK", "Hit", "PhraseMatcher", "expand", "normalise"]


class _Block:
    def __repr__(self) -> str:
        return "BLOCK"


BLOCK = _Block()
"""Payload of a phrase that claims its span and yields nothing (an exclusion)."""

_NON_ALNUM = re.compile(r"[\W_]")
_ASCII_TABLE = str.maketrans({chr(i): " " for i in range(128) if not chr(i).isalnum()})
_TOKEN = re.compile(r"[^\W_]+")
_ACRONYM = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*s?")
_OPTIONAL = re.compile(r"\(([^()]*)\)")
_NUMBER_UNIT = re.compile(r"\b(\d+)(mm|km|kg)\b")
# Typography common in news text; spacing it first keeps most text on the ASCII fast path.
_TYPOGRAPHY = "\u2018\u2019\u201c\u201d\u2013\u2014\u2011\u2010\u00a0\u2026"


def normalise(text: str) -> str:
    """Lower-case, non-alphanumerics to spaces; always the same length as ``text``."""
    low = text.lower()
    if len(low) != len(text):  # a few characters lower to two ("İ"): keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if not low.isascii():
        for ch in _TYPOGRAPHY:
            low = low.replace(ch, " ")
    if low.isascii():  # str.translate has a fast path for ASCII-to-ASCII tables
        return low.translate(_ASCII_TABLE)
    return _NON_ALNUM.sub(" ", low)


def expand(phrase: str) -> list[str]:
    """The written forms of one lexicon phrase: optional parts, number-unit splits."""
    parts = _OPTIONAL.split(phrase)  # even indices: fixed text; odd: optional parts
    options = [(p,) if i % 2 == 0 else ("", p) for i, p in enumerate(parts)]
    forms = ["".join(choice) for choice in itertools.product(*options)]
    forms += [_NUMBER_UNIT.sub(r"\1 \2", f) for f in forms if _NUMBER_UNIT.search(f)]
    return list(dict.fromkeys(" ".join(f.split()) for f in forms if f.strip()))


def phrase_key(form: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """The normalised key of one written form, and its acronym tokens (offset, text)."""
    norm = normalise(form)
    lead = len(norm) - len(norm.lstrip())
    checks = tuple(
        (m.start() - lead, m.group())
        for m in _TOKEN.finditer(form)
        if _ACRONYM.fullmatch(m.group())
    )
    return norm.strip(), checks


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    value: Any


class PhraseMatcher:
    """Whole-word, longest-match phrase search over many phrases in one pass.

    Built from ``(written form, payload)`` pairs; one key may carry several payloads
    (the same words for two actors in different periods), and ``find`` lets the caller
    choose among them for each hit.
    """

    def __init__(self, phrases: Iterable[tuple[str, Any]]):
        # key -> [(acronym checks, trailing punctuation, payload)]
        self._writings: dict[str, list[tuple[tuple[tuple[int, str], ...], str, Any]]] = {}
        for form, payload in phrases:
            form = form.strip()
            key, checks = phrase_key(form)
            if key:
                norm = normalise(form)
                tail = form[len(norm.rstrip()) :]  # trailing punctuation, e.g. the dot of "U.S."
                self._writings.setdefault(key, []).append((checks, tail, payload))
        self._automaton = ahocorasick.Automaton()
        for key, writings in self._writings.items():
            writings.sort(key=lambda w: w[2] is not BLOCK)  # an exclusion comes first
            # Payloads that need no check are listed once, ready (the common case).
            simple = not any(checks or tail for checks, tail, _ in writings)
            plain = [p for _, _, p in writings] if simple else None
            self._automaton.add_word(f" {key} ", (len(key), writings, plain))
        if self._writings:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._writings)

    def scan(self, text: str) -> Iterator[tuple[int, int, list[Any]]]:
        """Every whole-word hit, overlapping ones included, with the payloads whose
        acronyms match the text's case."""
        if not self._writings or not text:
            return
        padded = f" {normalise(text)} "
        for last, (n, writings, plain) in self._automaton.iter(padded):
            start = last - n - 1  # ``last`` is the trailing pad; text = padded[1:-1]
            if plain is not None:
                yield start, start + n, plain
                continue
            end = start + n
            payloads = []
            for checks, tail, payload in writings:
                if all(text.startswith(acr, start + off) for off, acr in checks):
                    payloads.append(payload)
                    if tail and text.startswith(tail, end):  # "U.S." keeps its last dot
                        end = start + n + len(tail)
            if payloads:
                yield start, end, payloads

    def find(
        self,
        text: str,
        choose: Callable[[list[Any], int, int], Any] | None = None,
    ) -> list[Hit]:
        """Non-overlapping hits, sorted; longest wins. ``choose(payloads, start, end)``
        picks one payload or returns None to drop the hit before the longest-wins
        contest (so a shorter phrase inside it can still win). Exclusions (``BLOCK``)
        take part in the contest and are then left out."""
        spans = []
        for start, end, payloads in self.scan(text):
            if payloads[0] is BLOCK:
                value = BLOCK
            else:
                value = choose(payloads, start, end) if choose else payloads[0]
                if value is None:
                    continue
            spans.append((start, end, value))
        return [Hit(*span) for span in longest_first(spans) if span[2] is not BLOCK]


def longest_first(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Keep the longest of overlapping ``(start, end, value)`` spans (the leftmost on
    ties), sorted by start."""
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, Any]] = []
    for span in spans:  # fast path: spans nested in a longer one are dropped in one sweep
        if kept and span[0] < kept[-1][1]:
            if span[1] <= kept[-1][1]:
                continue
            return _longest_first_slow(spans)  # a partial overlap ("blue [moon] river")
        kept.append(span)
    return kept


def _longest_first_slow(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    taken = bytearray(max(s[1] for s in spans))
    kept = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        start, end, _ = span
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            kept.append(span)
    kept.sort(key=lambda s: s[0])
    return kept
