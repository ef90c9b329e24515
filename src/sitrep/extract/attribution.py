"""Attribution tagger: who reported it ("according to X", "X said", "said X").

The source phrase is kept as written and minimal ("a senior military official",
"Pentagon press secretary Brig. Gen. Pat Ryder"). Anaphors and pronouns ("the official
said", "he added") point back to the last source the document named.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from sitrep.extract.wordlists import alternation, word_classes

_QUOTES = "\"“”‘’'"
_QUOTE_MARK = re.compile(r"[\"“”]|[‘’'](?![^\W\d_])|(?<![^\W\d_])[‘’']")


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int  # offsets of the source phrase as written
    end: int
    text: str
    source: str  # the phrase it stands for: itself, or the earlier source an anaphor points to


@dataclass(frozen=True, slots=True)
class _Patterns:
    lead_in: re.Pattern
    verb_after: re.Pattern  # "<source> said"
    verb_before: re.Pattern  # "said <source>"
    source: re.Pattern
    anaphor: re.Pattern
    pronoun: re.Pattern
    boundary: re.Pattern
    trailing: re.Pattern


@cache
def _patterns() -> _Patterns:
    w = word_classes("attribution.yaml")
    verbs = alternation(w["speech_verb"])
    return _Patterns(
        lead_in=re.compile(
            rf"(?<![\w-])(?i:{alternation(w['lead_in'])})\s+(?P<src>[^,;:.“”\"()]{{2,120}}?)"
            r"(?=\s*(?:[,;:“”\"()]|\.(?:\s|$)|$| who | which | that | unless | except ))"
        ),
        # Case-sensitive: "States" in "United States" is not the verb "states".
        verb_after=re.compile(rf"(?<![\w-]){verbs}(?![\w-])"),
        verb_before=re.compile(
            rf"[,”\"’]\s*{verbs}\s+(?P<src>[^,;:“”\"()]{{2,120}}?)(?=\s*(?:[,;:“”\"()]|\.(?:\s|$)|$))"
        ),
        source=re.compile(rf"(?<![\w-])(?i:{alternation(w['source'])})(?![\w-])|\b[A-Z][a-z]+"),
        anaphor=re.compile(rf"^(?i:{alternation(w['anaphor'])})$"),
        pronoun=re.compile(rf"^(?i:{alternation(w['pronoun'])})$"),
        boundary=re.compile(rf"(?<![\w-])(?i:{alternation(w['boundary'])})(?![\w-])"),
        trailing=re.compile(rf"(?:[\s,]+(?i:{alternation(w['trailing_adverb'])}))+[\s,]*$"),
    )


def _source_before(
    p: _Patterns, text: str, s_start: int, verb_start: int
) -> tuple[int, int] | None:
    """The source phrase that ends right before a speech verb, or None."""
    left = text[s_start:verb_start]
    # Back to the nearest clause boundary: punctuation or a quote mark.
    # (an apostrophe inside a word, "the military's agency", is no quote mark)
    cut = max([left.rfind(c) for c in ",;:()"] + [m.start() for m in _QUOTE_MARK.finditer(left)])
    start = s_start + cut + 1
    # ...or a spaced dash ("06:30 - A war monitor says", "BAGHDAD — officials said").
    dash = max(left.rfind(d) for d in (" - ", " – ", " — "))
    if dash >= 0 and s_start + dash + 3 > start:
        start = s_start + dash + 3
    # ...or a boundary word ("and", "that", "however") nearer the verb.
    for b in p.boundary.finditer(text, start, verb_start):
        start = b.end()
    while start < verb_start and text[start].isspace():
        start += 1
    end = verb_start
    trailing = p.trailing.search(text, start, verb_start)
    if trailing:
        end = trailing.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start or len(text[start:end].split()) > 12:
        return None
    return start, end


# A transcript turn: "GEN. RYDER: ...", "MS. SINGH: ..." at the start of a line.
_SPEAKER_LABEL = re.compile(r"(?P<label>(?:[A-Z][A-Z.'’-]*\s+){0,3}[A-Z][A-Z'’-]+)\s*:\s")
_NOT_SPEAKERS = {"Q", "QUESTION", "NOTE", "UPDATE", "EDITOR'S NOTE", "CORRECTION", "TRANSCRIPT"}


def _speaker(text: str, label: str, earlier: list[Attribution]) -> str:
    """The fullest earlier source naming the speaker, else the label in title case."""
    surname = label.split()[-1].lower()
    named = [a.source for a in earlier if a.source.lower().split()[-1:] == [surname]]
    if named:
        return max(named, key=len)
    for m in re.finditer(rf"(?:[A-Z][\w.'’-]*\s+){{1,6}}{re.escape(surname.title())}\b", text):
        return m.group(0)
    return " ".join(w.capitalize() if not w.endswith(".") else w.title() for w in label.split())


def find_attributions(text: str, sentences: list[tuple[int, int]]) -> list[Attribution]:
    """Source phrases in ``text``, in order, anaphors resolved to earlier sources."""
    p = _patterns()
    raw: list[tuple[int, int]] = []
    labels: dict[tuple[int, int], str] = {}
    for s_start, s_end in sentences:
        spans: list[tuple[int, int]] = []
        if s_start == 0 or text[s_start - 1] == "\n":
            m = _SPEAKER_LABEL.match(text, s_start, s_end)
            if m and m.group("label") not in _NOT_SPEAKERS:
                raw.append(m.span("label"))
                labels[m.span("label")] = m.group("label")
        for m in p.lead_in.finditer(text, s_start, s_end):
            spans.append(m.span("src"))
        for m in p.verb_before.finditer(text, s_start, s_end):
            spans.append(m.span("src"))
        for m in p.verb_after.finditer(text, s_start, s_end):
            span = _source_before(p, text, s_start, m.start())
            if span:
                spans.append(span)
        for a, b in sorted(set(spans)):
            phrase = text[a:b]
            if _looks_like_source(p, phrase) and not any(x <= a and b <= y for x, y in raw[-3:]):
                raw.append((a, b))
    return _resolve_anaphors(p, text, raw, labels)


# A clause, not a source: "No new injuries were [reported]", "[said] it launched drones",
# "[said] a drone had been shot down", "Can you [confirm]", "[claimed] by the group".
_NOT_A_SOURCE = re.compile(
    r"(?i:^(?:it|that|this|there|by|can|could|would|will|do|does|did|is|are|was|were|no|none)\b"
    r"|\b(?:you|had|has|have|had been|was|were|been|be|is|are|will|would)\b"
    # "In 2024 we [verified]": a pronoun after a phrase of time or place names no one new
    r"|\s(?:we|they)$)"
)


def _looks_like_source(p: _Patterns, phrase: str) -> bool:
    return bool(p.source.search(phrase)) and not _NOT_A_SOURCE.search(phrase)


def _resolve_anaphors(
    p: _Patterns, text: str, spans: list[tuple[int, int]], labels: dict[tuple[int, int], str]
) -> list[Attribution]:
    out: list[Attribution] = []
    for a, b in spans:
        phrase = text[a:b]
        source = phrase
        if (a, b) in labels:
            source = _speaker(text, labels[(a, b)], out)
        elif p.anaphor.match(phrase):
            head = phrase.split()[-1].rstrip("s").lower()
            for prev in reversed(out):
                if head in prev.source.lower():
                    source = prev.source
                    break
        elif p.pronoun.match(phrase):
            if not out:
                continue
            source = out[-1].source
        out.append(Attribution(a, b, phrase, source))
    return out


def main_source(attributions: list[Attribution]) -> Attribution | None:
    """The source a report names most (the first of them on a tie), or None: who a
    statement, a briefing or a wire story's figures come from when a sentence names no one."""
    counts = Counter(a.source.lower() for a in attributions)
    if not counts:
        return None
    top = max(counts.values())
    return next(a for a in attributions if counts[a.source.lower()] == top)
