"""Which measure a number counts (attacks, killed, injured by severity, territory,
population, fighters, personnel, displaced, detained, missing): from the words around it, a
count it introduces, a fact sheet's paragraph or list-item label, or the reporter's question
that a briefing answer replies to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.extract.claim_patterns import Patterns
from sitrep.extract.tagged import Tagged

SEVERITY_MEASURE = {
    "killed": "killed",
    "injured": "injured",
    "serious": "injured_serious",
    "minor": "injured_minor",
    "tbi": "tbi",
}
_COUNT_NOUN = {
    "killed": "killed",
    "dead": "killed",
    "deaths": "killed",
    "attacks": "attacks",
    "strikes": "attacks",
    "attack": "attacks",
    "death": "killed",
    "tbi": "tbi",
    "traumatic brain injuries": "tbi",
}


# "Attacks: 118 on US forces", "Injured: 66 US personnel": a fact sheet's paragraph label
# names what its first number counts (and a "figure of N" in that paragraph).
LABEL = re.compile(
    r"^\W*(?:(?:Total|Confirmed|Reported|Overall|Cumulative)\s+(?=[a-z]))?"  # "Total attacks: 166"
    r"(?P<label>(?i:Attacks|Strikes|Injured|Wounded|Injuries|Killed|Deaths|Dead|Death toll|Missing|"
    r"Held|Detained|Hostages|Displaced|Refugees))\s*:\s"
)
_LABEL_MEASURE = {
    "attacks": "attacks",
    "strikes": "attacks",
    "injured": "injured",
    "wounded": "injured",
    "injuries": "injured",
    "killed": "killed",
    "deaths": "killed",
    "dead": "killed",
    "death toll": "killed",
    "missing": "missing",
    "held": "detained",
    "detained": "detained",
    "hostages": "detained",
    "displaced": "displaced",
    "refugees": "displaced",
}
_FIGURE_OF = re.compile(
    r"(?i:\b(?:a|the|its)\s+(?:figure|count|total|tally|number)\s+(?:of|at|as)\s+)$"
)


# "- Merchant vessels attacked: more than 80", "- Iraq: 67": a list item whose label
# (before the colon) names what the first number after it counts, or the country it is in.
_LINE_LABEL = re.compile(r"^[ \t]*[-•*–—][ \t]+(?P<label>[A-Za-z][^:\n]{0,100}?)[ \t]*:[ \t]+")
_LINE_MEASURE = (
    ("tbi", re.compile(r"(?i:\b(?:tbi|brain injur\w*|concussions?)\b)")),
    ("injured", re.compile(r"(?i:\b(?:injured|wounded|injuries|hurt)\b)")),
    ("killed", re.compile(r"(?i:\b(?:killed|dead|deaths|death toll|fatalities)\b)")),
    ("displaced", re.compile(r"(?i:\b(?:displaced|refugees)\b)")),
    ("missing", re.compile(r"(?i:\bmissing\b)")),
    (
        "detained",
        re.compile(r"(?i:\b(?:held|detained|hostages|arrested|in custody|prisoners|detainees)\b)"),
    ),
    ("attacks", re.compile(r"(?i:\b(?:attacked|attacks|strikes|targeted)\b)")),
)
_LABEL_ADVERB = re.compile(
    r"(?i:\s+(?:internally|seriously|severely|lightly|critically|reportedly))+$"
)


@dataclass(frozen=True, slots=True)
class _LineLabel:
    start: int  # the label's offsets
    end: int
    after: int  # where the value starts, after the colon
    measure: str | None
    subject: tuple[int, int] | None  # the noun before the measure word ("Merchant vessels")


def line_label(t: Tagged, i: int) -> _LineLabel | None:
    s = t.sentences[i]
    m = _LINE_LABEL.match(t.text[s.start : s.end])
    if m is None:
        return None
    a, b = s.start + m.start("label"), s.start + m.end("label")
    label = t.text[a:b]
    for measure, words in _LINE_MEASURE:
        hit = words.search(label)
        if hit:
            noun = _LABEL_ADVERB.sub("", label[: hit.start()].rstrip())
            subject = (a, a + len(noun)) if noun and len(noun.split()) <= 4 else None
            return _LineLabel(a, b, s.start + m.end(), measure, subject)
    return _LineLabel(a, b, s.start + m.end(), None, None)


def _above_list(t: Tagged, i: int) -> str:
    """The line above the list that sentence i is an item of (a header or a heading), or
    "" when there is none within a dozen lines."""
    before = t.text[max(0, t.sentences[i].start - 800) : t.sentences[i].start].splitlines()
    return next((text for text in reversed(before[-12:]) if not _LINE_LABEL.match(text)), "")


_COLUMN_WORD = r"(?:killed|dead|deaths|fatalities|injured|wounded|injuries|hurt)"
# "Regional breakdown for July (killed / injured):": the list below gives two numbers an item
_COLUMNS = re.compile(rf"(?i:\b({_COLUMN_WORD})\s*/\s*({_COLUMN_WORD})\b)")
_COLUMN_MEASURE = {"killed": "killed", "dead": "killed", "deaths": "killed", "fatalities": "killed"}


def header_columns(t: Tagged, i: int, line: _LineLabel | None) -> tuple[str, str] | None:
    """The measures of a list's columns, from the header line above its items."""
    if line is None or line.measure is not None:
        return None
    hit = _COLUMNS.search(_above_list(t, i))
    if hit is None:
        return None
    a, b = (_COLUMN_MEASURE.get(w.lower(), "injured") for w in hit.groups())
    return (a, b) if a != b else None


_HEADING_MEASURE = (
    ("displaced", re.compile(r"(?i:\b(?:displaced|refugees|idps)\b)")),
    ("killed", re.compile(r"(?i:\b(?:killed|dead|deaths|fatalities)\b)")),
    ("injured", re.compile(r"(?i:\b(?:injured|wounded|injuries)\b)")),
    ("detained", re.compile(r"(?i:\b(?:detained|arrested|detainees|prisoners)\b)")),
    ("missing", re.compile(r"(?i:\bmissing\b)")),
    ("attacks", re.compile(r"(?i:\battacks\b)")),
)


def heading_measure(t: Tagged, i: int, line: _LineLabel | None) -> tuple[str, str] | None:
    """The measure a short heading line names for the list items under it ("Internally
    displaced people" over "* Mali: about 330,000"), and the heading (their subject)."""
    if line is None or line.measure is not None:
        return None
    text = _above_list(t, i)
    if any(ch.isdigit() for ch in text) or ":" in text or len(text.split()) > 5:
        return None
    measure = next((m for m, words in _HEADING_MEASURE if words.search(text)), None)
    return (measure, text.strip()) if measure else None


def column_measure(t: Tagged, i: int, line: _LineLabel | None, q, columns) -> str | None:
    """The column a number of a list item stands in ("- Donetsk region: 83 / 301")."""
    if columns is None or line is None or q.start < line.after:
        return None
    after = [o for o in t.in_sentence("quantities", i) if o.start >= line.after]
    k = next((n for n, o in enumerate(after) if o is q), None)
    if k is None or k > 1 or (k == 1 and "/" not in t.text[after[0].end : q.start]):
        return None
    return columns[k]


def label_country(t: Tagged, i: int, line: _LineLabel) -> str | None:
    """The country the label names alone ("- Iraq: 67")."""
    return next(
        (
            pm.place.country
            for pm in t.in_sentence("places", i)
            if pm.start == line.start
            and pm.end == line.end
            and pm.kind in ("country", "admin1")
            and pm.place.country
        ),
        None,
    )


def labelled_value(t: Tagged, i: int, line: _LineLabel | None, q) -> bool:
    """q is the first number after the list item's colon."""
    if line is None or q.start < line.after:
        return False
    first = next((o for o in t.in_sentence("quantities", i) if o.start >= line.after), None)
    return first is q


def label_measure(t: Tagged, i: int, q) -> str | None:
    """The measure a paragraph label gives a number with none of its own."""
    para = t.sentences[i].paragraph
    first = i
    while first > 0 and t.sentences[first - 1].paragraph == para:
        first -= 1
    head = t.sentences[first]
    m = LABEL.match(t.text[head.start : head.end])
    if m is None:
        # a label line of its own inside a paragraph ("Total attacks: 166 - 67 in Iraq")
        own = LABEL.match(t.sentence_text(i))
        if own is None or any(o.start < q.start for o in t.in_sentence("quantities", i)):
            return None
        return _LABEL_MEASURE[own.group("label").lower()]
    before = [o for o in t.in_sentence("quantities", first) if o.start < q.start]
    lead = t.text[max(t.sentences[i].start, q.start - 30) : q.start]
    if (i == first and not before) or _FIGURE_OF.search(lead):
        return _LABEL_MEASURE[m.group("label").lower()]
    return None


_LAUNCHED = re.compile(r"(?i:\b(?:launched|carried out|conducted|mounted|staged|made|claimed)\s+)$")
_ELIDED = re.compile(
    r"^(?:\s*[,.;:)]|\s*$|\s+(?:over|in|on|since|during|this|last|so far|between|from)\b)"
)


_FREED = re.compile(
    r"^(?:[\s,]+[\w-]+){0,3}?\s+(?:(?:have|has|had|were|was)\s+)?(?:been\s+)?(?:freed|released|rescued|set free|let go)\b"
)
_APPOSITIVE = re.compile(r"^(\s+(?:people|civilians|residents))\s*,[^,;.]{3,60}?,(?=\s)")
_HAD = re.compile(r"(?i:\b(?:has|had|have)\s+)$")
NEUTRALISED = re.compile(
    r"(?i:\b(?:neutrali[sz]ed|eliminated|liquidated)\s+(?:the\s+(?:remaining|other)\s+|another\s+)?)$"
)


_DEATHS_OF = re.compile(r"(?i:\bthe\s+deaths\s+of\s+)$")


def measure_of(p: Patterns, t: Tagged, i: int, q, casualty) -> str | None:
    """Which measure a number counts, from the words around it."""
    if q.unit == "km2":
        return "territory_km2"
    if q.unit is not None:
        return None
    if casualty is not None:
        return SEVERITY_MEASURE[casualty.category]
    counted = p.count_of.search(t.text[t.sentences[i].start : q.start])
    if counted:
        noun = (counted.group("noun") or counted.group("noun2")).lower()
        return _COUNT_NOUN.get(noun, "injured")
    s_end = t.sentences[i].end
    after = t.text[q.end : min(s_end, q.end + 80)]
    if p.attacks.match(after) or p.targets_hit.match(after):
        return "attacks"
    if (
        _LAUNCHED.search(t.text[max(t.sentences[i].start, q.start - 30) : q.start])
        and _ELIDED.match(after)
        and any(
            o is not q and p.attacks.match(t.text[o.end : min(s_end, o.end + 80)])
            for o in t.in_sentence("quantities", i)
        )
    ):
        return (
            "attacks"  # "61 attacks ..., meaning militants launched at least five over the weekend"
        )
    sentence = t.sentence_text(i)
    if p.times.match(after) and p.attack_verb.search(sentence):
        return "attacks"
    lead = t.text[max(t.sentences[i].start, q.start - 40) : q.start]
    if p.held_before.search(lead):
        return "detained"
    if _DEATHS_OF.search(lead):
        return "killed"  # "announced the deaths of more than 400 of its members"
    if NEUTRALISED.search(lead):
        return "killed"  # "troops neutralised 135 terrorists"  # "holds some 9,000 suspected fighters" counts the held
    fighters = p.fighters.match(after)
    if fighters and (q.value.min or 0) >= 100 and not p.not_fighters.search(fighters.group()):
        return "fighters"  # "six SDF fighters" is one event's toll, not a strategic figure
    if p.displaced_before.search(lead):
        return "displaced"
    if p.uprooted.search(lead) and re.match(
        r"^(?:\s+[\w-]+){0,2}?\s+(?:from|out of) (?:their|its|the) homes?\b", after
    ):
        return "displaced"  # "forced some 2 million from their homes"
    if re.search(r"\bof\s+(?:the\s+)?[A-Z][\w-]*(?:'s|’s)\s+$", lead) and p.population.match(after):
        return "population"  # "1.9 million of Gaza's 2.2 million people": the whole population
    # People displaced, held or missing before people in general ("8 million people have
    # been displaced" counts the displaced, not a population).
    # "About 1.9 million people, roughly 90 percent of the population, have been displaced"
    bare = _APPOSITIVE.sub("", after, count=1)
    if (
        p.displaced.match(after)
        or p.displaced.match(re.sub(r"^\s+(?:people|civilians)", "", after))
        or (bare != after and p.displaced.match(bare))
    ):
        return "displaced"
    if p.detained.match(after):
        return "detained"
    if p.missing.match(after):
        return "missing"
    if p.held_people.match(after) and p.custody.search(sentence) and not _FREED.match(after):
        return "detained"  # "the 25 crew of the ship remain in custody"; not "137 hostages had been freed"
    if p.population.match(after) and (
        p.population_cue.search(sentence)
        or q.value.min
        and q.value.min >= 1_000_000
        # "Chernihiv had about 285,000 inhabitants"
        or _HAD.search(lead)
        and re.match(r"^\s+(?:inhabitants|residents)\b", after)
    ):
        return "population"
    personnel = p.personnel.match(after)
    if personnel and (
        p.personnel_cue.search(sentence)
        # "the roughly 900 US troops in Syria, who ..."; not "12 soldiers in Bakhmut were killed"
        or POSTED_IN.match(after, personnel.end())
        and not _HURT_AFTER.search(after, personnel.end())
    ):
        return "personnel"
    return None


POSTED_IN = re.compile(r"\s+in\s+(?:the\s+)?[A-Z][\w-]+(?![\w-]*\s+(?:on|at|last|this)\b)")
_HURT_AFTER = re.compile(r"(?i:\b(?:killed|injured|wounded|hurt|dead|died|captured|missing)\b)")


_INTRO = re.compile(r"^\s*(?::|--|—|–|,\s*(?:of which|including|with))\s*$")


# a reporter's question in a briefing transcript
QUESTION = re.compile(r"^\W*(?:Q|QUESTION|Question|REPORTER)\s*[:.]")
_ASKED = (  # what a reporter's question asks the number of; the narrowest first
    ("tbi", re.compile(r"(?i:\b(?:tbi|brain injur\w*))")),
    ("injured", re.compile(r"(?i:\b(?:injur\w*|wounded|hurt)\b)")),
    ("killed", re.compile(r"(?i:\b(?:killed|deaths|dead|fatalities)\b)")),
    ("attacks", re.compile(r"(?i:\battacks\b)")),
    # "How many US troops are in Iraq and Syria?"
    (
        "personnel",
        re.compile(
            r"(?i:\bhow many\s+(?:[\w.]+\s+){0,2}?(?:troops|forces|service\s*members|personnel)\b)"
        ),
    ),
)
_ONE_OCCASION = re.compile(
    r"(?i:\b(?:the|this|that|last night's|today's|yesterday's|[a-z]+day's)\s+(?:\w+\s+)?(?:attack|strike|incident)\b(?!s))"
)
_ANSWER_TAIL = re.compile(
    r"^(?:\s+(?:(?:US|U\.S\.|American)\s+)?(?:service\s*members|servicemembers|troops|personnel|people|"
    r"soldiers|sailors|Marines|attacks|in total|in all|so far|to date|now))?\s*(?:[.,;:!?]|$|since\b|as of\b)"
)


def asked_measure(t: Tagged, i: int, q) -> str | None:
    """In a briefing transcript, a bare number answering a reporter's question about a
    running count ("Q: And the number injured? A: It's still roughly 70 service members.")
    counts what the question asked about."""
    span = question_before(t, i)
    if span is None:
        return None
    question = t.text[span[0] : span[1]]
    if _ONE_OCCASION.search(question):
        return None  # "how many were hurt in Sunday's attack?" asks for one event's toll
    measure = next((measure for measure, words in _ASKED if words.search(question)), None)
    tail = t.text[q.end : q.end + 40]
    if _ANSWER_TAIL.match(tail) or measure == "personnel" and POSTED_IN.match(tail):
        return measure  # "Roughly 2,500 in Iraq and about 900 in Syria"
    return None


def question_before(t: Tagged, i: int) -> tuple[int, int] | None:
    """The span of the reporter's question that sentence i's paragraph answers, or None."""
    para = t.sentences[i].paragraph
    j = i - 1
    while j >= 0 and t.sentences[j].paragraph == para:
        j -= 1
    if j < 0 or QUESTION.match(t.sentence_text(i)):
        return None
    asked = t.sentences[j].paragraph
    first = j
    while first > 0 and t.sentences[first - 1].paragraph == asked:
        first -= 1
    if not QUESTION.match(t.sentence_text(first)):
        return None
    return t.sentences[first].start, t.sentences[j].end


def measure_ahead(p: Patterns, t: Tagged, i: int, q) -> str | None:
    """A total whose parts follow ("stands at 74: 36 attacks in Iraq and 38 in Syria")."""
    qs = t.in_sentence("quantities", i)
    for nxt in qs:
        if nxt.start > q.end:
            if nxt.start - q.end <= 16 and _INTRO.match(t.text[q.end : nxt.start]):
                return measure_of(p, t, i, nxt, None)
            if _PAIRED.match(t.text[q.end : nxt.start]):
                # "26 civilians and 22 soldiers have been killed": one verb for both
                told = next(
                    (c for c in t.in_sentence("casualties", i) if c.start <= nxt.start < c.end),
                    None,
                )
                if told is not None and not told.negated and told.category in ("killed", "injured"):
                    return SEVERITY_MEASURE[told.category]
            return None
    return None


_PAIRED = re.compile(r"^\s+(?:[A-Za-z][\w-]*\s+){1,3}and\s+$")


RUNNING = {"attacks", "killed", "injured", "injured_serious", "injured_minor", "tbi"}
