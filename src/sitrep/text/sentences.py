"""Sentence splitting tuned for news and briefing text.

One compiled regex finds candidate ends (terminal punctuation followed by whitespace,
and newlines inside wrapped paragraphs); a cheap check decides each candidate from the
word before it (abbreviations from ``abbreviations.yaml``, initials, list numbers) and
the word after it (a lower-case word never starts a sentence; after "U.S." only a
common sentence starter does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.text.abbreviations import (
    BEFORE_NUMBER,
    MAY_END,
    NEVER_ENDS,
    Abbreviations,
    abbreviations,
)
from sitrep.text.layout import line_ends_here, paragraph_spans, strip_span, wrap_width


@dataclass(frozen=True, slots=True)
class Sentence:
    """``text[start:end]`` is the sentence, without surrounding whitespace."""

    start: int
    end: int
    paragraph: int  # index into split_paragraphs(text)


_CLOSERS = "”\"’'»)]"
_OPENERS = "\"'“‘«([¿¡"
# Punctuation (with any closing quotes or brackets) followed by whitespace, or a newline.
# The lookbehind and possessive quantifiers keep a run of dots linear, not quadratic.
_CANDIDATE = re.compile(r"\n|(?<![.!?…])[.!?…]++[" + re.escape(_CLOSERS) + r"]*+(?=\s|\Z)")
_NEXT_WORD = re.compile(r"\s*[" + re.escape(_OPENERS) + r"]*(\w*)")
_INITIAL = re.compile(r"[A-Z]\.|(?:[A-Za-z]\.){2,}")  # "S." in "Pat S. Ryder"; "N.C."
_LIST_MARK = re.compile(r"(?:\d{1,3}|[A-Za-z]|[ivx]{1,4}|[IVX]{1,4})\.")  # "1." "b." "iv."

# Words that begin sentences but rarely follow "U.S." or "p.m." inside one ("the U.S.
# military", "5 p.m. Eastern time"): closed-class English, so kept here, not as data.
STARTERS = frozenset(
    """
    The A An It Its He She They We I You His Her Their Our My Your This That These Those
    There Here In On At But And Or So Yet For Nor If As When While After Before Since
    During Despite Although Though However Meanwhile Also Earlier Later Then Now Today
    Yesterday Tomorrow Some Many Most All Both Each Every Several Such No Not None One
    Two Three Other Another Among According What Who Why How Where Which Officials
    """.split()
)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, in order, as offsets; never raises on any ``str``."""
    table = abbreviations()
    width = wrap_width(text)
    out: list[Sentence] = []
    for para, (p_start, p_end) in enumerate(paragraph_spans(text, width)):
        start = p_start
        for m in _CANDIDATE.finditer(text, p_start, p_end):
            if m.group() == "\n":
                if width is None or not line_ends_here(text, m.start(), p_start, width):
                    continue
            elif not _ends_sentence(text, m, start, p_end, table):
                continue
            _emit(text, start, m.end(), para, out)
            start = m.end()
        _emit(text, start, p_end, para, out)
    return out


def _ends_sentence(
    text: str, m: re.Match[str], start: int, p_end: int, table: Abbreviations
) -> bool:
    cluster = m.group()
    nxt = _NEXT_WORD.match(text, m.end(), p_end)
    word = nxt.group(1) if nxt else ""
    if word[:1].islower():  # "he asked?” she said" / "approx. five"
        return False
    if cluster != ".":  # ?, !, ellipsis, or a period inside closing quotes: an end
        return True
    end = m.start()
    lo = max(start, end - 41)  # longer tokens are no abbreviations; keeps the search short
    space = max(text.rfind(" ", lo, end), text.rfind("\n", lo, end), text.rfind("\t", lo, end))
    token_start = space + 1 if space >= 0 else lo
    token = text[token_start:end].lstrip(_OPENERS)
    if not token or token[-1] in _CLOSERS:
        return True
    key = token + "."
    kind = table.behaviour(key)
    if kind == NEVER_ENDS:
        return False
    if kind == BEFORE_NUMBER:
        return not word[:1].isdigit()
    if _LIST_MARK.fullmatch(key) and _at_sentence_start(text, start, token_start):
        return False  # "1. The first..." / "Q. Were there..."
    if kind == MAY_END or _INITIAL.fullmatch(key):
        return word in STARTERS
    return True


def _at_sentence_start(text: str, start: int, token_start: int) -> bool:
    return text[start:token_start].strip(" \t\n" + _OPENERS) == ""


def _emit(text: str, a: int, b: int, para: int, out: list[Sentence]) -> None:
    span = strip_span(text, a, b)
    if span:
        out.append(Sentence(span[0], span[1], para))
