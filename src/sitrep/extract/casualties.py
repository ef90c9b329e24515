"""Casualty tagger: killed and injured counts, with severity, negation and context.

Numbers come from the quantity tagger; this module decides which numbers count people
killed or injured ("killing three", "70 injured lightly", "1 serious injury"), which
sentences state that nobody was hurt ("no injuries were reported"), and which harm must
not be counted: hypotheticals ("could have killed dozens") and deaths the attack did not
cause ("a contractor died of a cardiac arrest while sheltering").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep.extract.phrases import longest_first
from sitrep.extract.quantities import Quantity
from sitrep.extract.wordlists import WordIndex, alternation, class_matcher, word_classes
from sitrep.model import Range

CATEGORIES = ("killed", "injured", "serious", "minor", "tbi")
_ALL = re.compile(r"(?i:\ball\b)")


@dataclass(frozen=True, slots=True)
class CasualtyMention:
    start: int
    end: int
    text: str
    category: str  # one of CATEGORIES
    value: Range
    qualifier: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Patterns:
    after: re.Pattern
    before: re.Pattern
    singular: re.Pattern
    killed: re.Pattern
    tbi: re.Pattern
    severity_only: re.Pattern
    toll: re.Pattern
    injured_word: re.Pattern
    serious: re.Pattern
    minor: re.Pattern


@cache
def _patterns() -> _Patterns:
    w = word_classes("casualties.yaml")
    killed, injured, tbi = (alternation(w[k]) for k in ("killed", "injured", "tbi"))
    serious, minor, people = (alternation(w[k]) for k in ("serious", "minor", "people"))
    severity = rf"(?:{serious}|{minor})"
    # Words that may stand between a number and its casualty word: people nouns,
    # auxiliaries, and capitalised modifiers ("three US service members were killed").
    filler = (
        rf"(?:(?:(?i:{people}|of|them|those|whom|the|their|its|his|her|our|more|other|additional|further|were|was|"
        rf"have|has|had|been|being|are|is|reportedly|also|all|both|later|who|had|"
        rf"suffered|sustained|received|treated for|evaluated for|assessed for|being evaluated for|"
        rf"diagnosed with|with)|[A-Z][\w.'’-]*)[\s,]+)"
    )
    after = re.compile(
        rf"^[\s,]*{filler}{{0,6}}?"
        # "Two persons, one woman and one man, were killed": an appositive after the noun
        rf"(?:(?<=,\s)[a-z][^,;.:\d]{{2,40}}?,\s+{filler}{{0,3}}?)?"
        rf"(?:(?P<pre>(?i:{severity}))[\s-]+)?"
        rf"(?P<head>(?i:{killed}|{injured}|{tbi}))(?![\w-])"
        rf"(?:[\s,]+(?P<post>(?i:{severity}))(?![\w-]))?"
    )
    before = re.compile(
        r"(?P<verb>(?i:killing|killed|kill|claimed the lives of|"
        r"death toll (?:has )?(?:rose|risen|climbed|stands|stood|reached|is|was|rising)(?: to| at)?|"
        r"injuring|injured|wounding|wounded|hurting|hurt))[\s,]+$"
    )
    singular_people = (
        r"(?:person|civilian|soldier|service ?member|servicemember|sailor|marine|contractor|worker|officer|"
        r"policeman|guard|child|man|woman|resident|American|airman|crew ?member|crewman|seafarer|commander|"
        r"leader|member|fighter|militant|journalist|driver|boy|girl|teenager|student|pupil|farmer|shepherd|"
        r"paramedic|doctor|nurse|rescuer|police officer|gendarme|peacekeeper)"
    )
    # "a senior Hezbollah commander", "a 50-year-old man": up to three words before the noun
    singular_mods = r"(?:(?:[A-Z][\w.'’-]*|senior|top|local|young|elderly|former|\d+-year-old|[a-z]+-year-old)\s+){0,3}"
    singular = re.compile(
        rf"(?<![\w-])(?P<art>(?i:a|an|one))\s+{singular_mods}(?i:{singular_people})\s+"
        rf"(?:(?i:was|has been|had been|is|later)\s+)?(?:(?P<pre>(?i:{severity}))\s+)?"
        rf"(?P<head>(?i:{killed}|{injured}))(?![\w-])(?:\s+(?P<post>(?i:{severity}))(?![\w-]))?"
        rf"|(?P<verb>(?i:killing|injuring|wounding))\s+(?i:a|an|one)\s+"
        rf"{singular_mods}(?i:{singular_people})(?![\w-])"
    )
    return _Patterns(
        after=after,
        before=before,
        singular=singular,
        killed=re.compile(rf"(?i:{killed})"),
        toll=re.compile(
            r"(?i:\b(?:number|toll|count|tally)\s+of\s+(?:people\s+|those\s+|civilians\s+|victims\s+)?"
            r"(?P<cat>killed|dead|deaths|injured|wounded|hurt)\b[^.;]{0,110}?\b"
            r"(?:rose|has risen|had risen|risen|climbed|reached|stands|stood|is now|was|increased|jumped)"
            r"(?:\s+to|\s+at)?\s*)$"
        ),
        severity_only=re.compile(
            rf"^,?\s+(?:(?i:of (?:them|those|whom))\s+)?(?:(?i:was|were)\s+)?(?P<sev>(?i:{severity}))(?![\w-])(?!\s+(?i:{injured}|{killed}))"
        ),
        injured_word=re.compile(rf"(?<![\w-])(?i:{injured})(?![\w-])"),
        tbi=re.compile(rf"(?i:{tbi})"),
        serious=re.compile(rf"(?i:{serious})"),
        minor=re.compile(rf"(?i:{minor})"),
    )


def _category(p: _Patterns, head: str, severity: str | None) -> str:
    if p.tbi.fullmatch(head):
        return "tbi"
    if p.killed.fullmatch(head):
        return "killed"
    if severity and p.serious.fullmatch(severity):
        return "serious"
    if severity and p.minor.fullmatch(severity):
        return "minor"
    return "injured"


def _negated(p: _Patterns, phrase: str) -> list[str]:
    low = phrase.lower()
    if "casualt" in low:
        return ["killed", "injured"]
    if p.killed.search(low) or "fatalit" in low or " lost" in low or "died" in low:
        return ["killed"]
    return ["injured"]


def find_casualties(
    text: str, quantities: list[Quantity], sentences: list[tuple[int, int]]
) -> list[CasualtyMention]:
    """Casualty mentions in ``text``, sentence by sentence (``(start, end)`` offsets)."""
    p = _patterns()
    words = WordIndex(class_matcher("casualties.yaml"), text)
    out: list[CasualtyMention] = []
    qi = 0
    for s_start, s_end in sentences:
        while qi < len(quantities) and quantities[qi].start < s_start:
            qi += 1
        in_sentence = []
        j = qi
        while j < len(quantities) and quantities[j].end <= s_end:
            in_sentence.append(quantities[j])
            j += 1
        found: list[CasualtyMention] = []
        negations = longest_first(
            [(a, b, None) for a, b in words.spans("negation", s_start, s_end)]
        )
        for a, b, _ in negations:
            for cat in _negated(p, text[a:b]):
                found.append(
                    CasualtyMention(a, b, text[a:b], cat, Range(0, 0), "exact", negated=True)
                )
        if not words.has("hypothetical", s_start, s_end):
            found.extend(_counted(p, text, s_start, s_end, in_sentence))
        out.extend(_drop_non_attack(words, s_start, s_end, found))
    return out


def _counted(
    p: _Patterns, text: str, s_start: int, s_end: int, quantities: list[Quantity]
) -> list[CasualtyMention]:
    found: list[CasualtyMention] = []
    for q in quantities:
        if q.unit is not None:
            continue
        window = text[q.end : min(s_end, q.end + 100)]
        m = p.after.match(window)
        if m:
            severity = m.group("pre") or m.group("post")
            end = q.end + m.end()
            cat = _category(p, m.group("head"), severity)
            if cat in ("serious", "minor") and _ALL.search(window[: m.start("head")]):
                cat = "injured"  # "69, all of them minor injuries": the total, all of one kind
            found.append(
                CasualtyMention(q.start, end, text[q.start : end], cat, q.value, q.qualifier)
            )
            continue
        m = p.severity_only.match(window)
        if m and p.injured_word.search(text, s_start, q.start):
            # "... were injured, one seriously": the casualty word came before the number.
            end = q.end + m.end()
            cat = "serious" if p.serious.fullmatch(m.group("sev")) else "minor"
            found.append(
                CasualtyMention(q.start, end, text[q.start : end], cat, q.value, q.qualifier)
            )
            continue
        m = p.toll.search(text[max(s_start, q.start - 160) : q.start])
        if m:
            # "The number of people killed by Monday's bombing rose to 95"
            start = q.start - len(text[max(s_start, q.start - 160) : q.start]) + m.start()
            cat = "killed" if m.group("cat").lower() in ("killed", "dead", "deaths") else "injured"
            found.append(
                CasualtyMention(start, q.end, text[start : q.end], cat, q.value, q.qualifier)
            )
            continue
        lead = text[max(s_start, q.start - 60) : q.start]
        m = p.before.search(lead)
        if m:
            start = q.start - len(lead) + m.start()
            verb = m.group("verb").lower()
            cat = "killed" if ("kill" in verb or "death" in verb or "lives" in verb) else "injured"
            found.append(
                CasualtyMention(start, q.end, text[start : q.end], cat, q.value, q.qualifier)
            )
    taken = [(c.start, c.end) for c in found]
    for m in p.singular.finditer(text, s_start, s_end):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        if m.group("verb"):
            v = m.group("verb").lower()
            cat = "killed" if v.startswith("kill") else "injured"
        else:
            cat = _category(p, m.group("head"), m.group("pre") or m.group("post"))
        found.append(CasualtyMention(m.start(), m.end(), m.group(0), cat, Range(1, 1), "exact"))
    return found


def _drop_non_attack(
    words: WordIndex, s_start: int, s_end: int, found: list[CasualtyMention]
) -> list[CasualtyMention]:
    """Harm near a cue like "cardiac arrest" was not caused by the attack: drop it."""
    if not found:
        return found
    cues = words.spans("non_attack", s_start, s_end)
    if not cues:
        return sorted(found, key=lambda c: c.start)
    kept = []
    for c in found:
        near = any(c.start - 60 <= b and a <= c.end + 100 for a, b in cues)
        if c.negated or not near:
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)
