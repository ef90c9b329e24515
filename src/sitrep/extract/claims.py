"""Claim assembler: numbers someone asserts about a population over a period.

A sentence states a claim when a number counts a measure (attacks, killed, injured by
severity, territory, population, fighters, personnel, displaced, detained, missing) and
the sentence reads as a running total ("since Oct. 17", "so far", "in total") or a
strategic figure ("at its height, ISIS controlled more than 100,000 square kilometers").
Numbers that count one event's casualties are left to the incident assembler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from sitrep.extract.attribution import main_source
from sitrep.extract.quantities import Quantity
from sitrep.extract.tagged import Tagged
from sitrep.extract.wordlists import alternation, word_classes
from sitrep.model import Claim, Evidence, Period, Range, content_id

_SEVERITY_MEASURE = {
    "killed": "killed",
    "injured": "injured",
    "serious": "injured_serious",
    "minor": "injured_minor",
    "tbi": "tbi",
}
_COUNT_NOUN = {
    "killed": "killed", "dead": "killed", "deaths": "killed",
    "attacks": "attacks", "strikes": "attacks", "attack": "attacks", "death": "killed",
    "tbi": "tbi", "traumatic brain injuries": "tbi",
}
_STRATEGIC = {"territory_km2", "population", "fighters", "personnel", "displaced", "detained", "missing"}
_SUBJECT_KINDS_FIRST = {"state_military", "coalition", "civilians", "government"}


@dataclass(frozen=True, slots=True)
class _Patterns:
    attacks: re.Pattern
    population: re.Pattern
    population_cue: re.Pattern
    fighters: re.Pattern
    personnel: re.Pattern
    personnel_cue: re.Pattern
    displaced: re.Pattern
    detained: re.Pattern
    missing: re.Pattern
    breakdown_lead: re.Pattern
    of_them: re.Pattern
    target_prep: re.Pattern
    times: re.Pattern
    attack_verb: re.Pattern
    held_before: re.Pattern
    displaced_before: re.Pattern
    regional: re.Pattern
    speech_day: re.Pattern
    count_of: re.Pattern
    custody: re.Pattern
    held_people: re.Pattern
    uprooted: re.Pattern
    not_fighters: re.Pattern
    war_toll: re.Pattern
    targets_hit: re.Pattern


@cache
def _patterns() -> _Patterns:
    w = word_classes("claims.yaml")

    def words(name: str) -> str:
        return alternation(w[name])

    # Up to four modifier words between a number and its noun ("38 separate rocket and
    # drone attacks"), none of them a verb or a preposition that would start a new phrase.
    mods = r"(?:[\s,]+(?!(?:were|was|have|has|had|are|is|in|on|at|since|from|by|against|to|of)\b)[\w’'-]+){0,4}?"
    return _Patterns(
        attacks=re.compile(
            rf"^(?:[\s,]+(?i:of(?: (?:the|those|these|them))?))?{mods}[\s,]+(?i:{words('attacks')})(?![\w-])"
        ),
        population=re.compile(rf"^(?:[\s,]+of)?{mods}[\s,]+(?i:{words('population')})(?![\w-])"),
        population_cue=re.compile(rf"(?i:{words('population_cue')})"),
        fighters=re.compile(rf"^(?:[\s,]+of)?{mods}[\s,]+(?i:{words('fighters')})(?![\w-])"),
        personnel=re.compile(rf"^(?:[\s,]+of)?{mods}[\s,]+(?i:{words('personnel')})(?![\w-])"),
        personnel_cue=re.compile(rf"(?<![\w-])(?i:{words('personnel_cue')})(?![\w-])"),
        displaced=re.compile(
            # "1.9 million of Gaza's 2.2 million people have been displaced": the part
            # displaced out of a whole population.
            rf"^(?:[\s,]+of\s+(?:the\s+)?[A-Z][\w-]*(?:'s|’s)(?:\s+[\w.,]+){{1,3}}?\s+(?:people|residents|inhabitants))?"
            rf"(?:[\s,]+(?:of\s+)?(?:people|civilians|residents|persons|of them|more|others))?[\s,]+"
            rf"(?:(?:have|had|were|been|are|now|currently|still|internally|already|remain|remained|newly|since)\s+)*(?i:{words('displaced')})"
        ),
        detained=re.compile(
            rf"^(?:[\s,]+(?:people|suspects|militants|men))?[\s,]+(?:(?:have|had|were|been|are)\s+)*(?i:{words('detained')})"
        ),
        # "287 pupils were unaccounted for", "one crew member of the carrier has been
        # missing": a noun phrase that no verb interrupts, then the missing.
        missing=re.compile(
            r"^(?:[\s,]+(?!(?:were|was|are|is|have|has|had|remain|remained|still|been|and|but|or)\b)[\w’'-]+){0,8}?"
            rf"[\s,]+(?:(?:are|were|is|was|remain|remained|still|has|have|had|been)\s+)*(?i:{words('missing')})(?![\w-])"
        ),
        breakdown_lead=re.compile(
            r"^\W*(?i:of (?:them|those|these|which|whom)|of the \d[\d,]*|among them|including|the remaining|the other|the rest|"
            r"among the (?:dead|killed|injured|wounded)|"
            r"(?:the|those)\s+(?:dead|killed|injured|wounded)\s+(?:included|include|comprised|were))\b"
        ),
        of_them=re.compile(r"^\s+(?i:of (?:them|those|these|which|whom|the (?:attacks|strikes|incidents|injured|wounded)))\b"),
        target_prep=re.compile(r"(?i:\b(?:on|against|targeting|at|toward|towards)\s+(?:the\s+)?)$"),
        times=re.compile(rf"^[\s,]+(?i:{words('times')})(?![\w-])"),
        attack_verb=re.compile(rf"(?<![\w-])(?i:{words('attack_verb')})(?![\w-])"),
        held_before=re.compile(rf"(?i:{words('held')})\s+$"),
        displaced_before=re.compile(rf"(?i:{words('displaced_before')})\s+$"),
        # "20 of them in Iraq", "24 separate times in Iraq", "18 were in Syria"
        # "and roughly 2,500 in neighbouring Iraq": one lowercase word may stand before the country.
        regional=re.compile(
            r"^\s+(?:[A-Za-z][\w-]*\s+){0,8}?in\s+(?:the\s+)?(?:[a-z][\w-]*\s+)?"
            r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z]"
        ),
        speech_day=re.compile(r"\b(?:said|told reporters|announced|reported|released|gave|briefed)\s+(?:on\s+)?$"),
        # "the number of US personnel injured stood at 59", "the count of injured ... stood at 21"
        count_of=re.compile(
            r"(?i:\b(?:number|count|total|tally|toll)\s+of\s+)(?:[\w.'’-]+\s+){0,5}?"
            r"(?P<noun>injured|wounded|hurt|injuries|killed|dead|deaths|attacks|strikes|TBI|traumatic brain injuries)\b"
            r"(?:[\s,]+[\w.'’-]+){0,16}?[\s,]+(?i:stood at|stands at|remained at|remains at|remained|rose to|has risen to|"
            r"gave as|given as|put at|put it at|listed as|"
            r"climbed to|reached|increased to|grew to|was|is|at|to|now)\s*$"
            r"|(?i:\b(?P<noun2>injured|wounded|casualty|death|attack|injury)\s+(?:figure|toll|count|tally|total|number)"
            r"(?:\s+[\w.'’-]+){0,4}?\s+(?:stood at|stands at|remained at|rose to|has risen to|climbed to|reached|"
            r"increased to|grew to|was|is|at|to|now)\s*$)"
        ),
        custody=re.compile(rf"(?<![\w-])(?i:{words('custody')})(?![\w-])"),
        held_people=re.compile(rf"^[\s,]+(?i:{words('held_people')})(?![\w-])"),
        uprooted=re.compile(rf"(?i:{words('uprooting')})\s+$"),
        # "The insurgency, now in its 15th year, has killed more than 40,000 people"
        war_toll=re.compile(
            rf"(?<![\w-])(?i:{words('war')})(?![\w-])[^.;:]{{0,90}}?\b(?:has|have|had)\s+(?:now\s+|already\s+|so far\s+)?"
            r"(?:killed|displaced|driven|forced|uprooted|left|claimed|cost)\b"
        ),
        # "at least 6 vessels attacked", "40 health facilities have been hit since May": each
        # target attacked is an attack (not "6 militants attacked the base": a verb's object follows)
        targets_hit=re.compile(
            rf"^(?:[\s,]+[\w-]+){{0,2}}?[\s,]+(?i:{words('attacked_targets')})\s+"
            r"(?:(?:were|have been|had been|has been|was)\s+)?(?i:attacked|targeted|hit|struck|damaged in attacks)"
            r"(?=\s*(?:[.,;:)(]|$)|\s+(?:since|in|so far|this|last|during|over)\b)"
        ),
        not_fighters=re.compile(r"(?i:\b(?:service|crew|family|staff|party|board|cabinet|council|parliament)[\s-]+members?\b)"),
    )


# "Attacks: 118 on US forces", "Injured: 66 US personnel": a fact sheet's paragraph label
# names what its first number counts (and a "figure of N" in that paragraph).
_LABEL = re.compile(
    r"^\W*(?P<label>Attacks|Strikes|Injured|Wounded|Injuries|Killed|Deaths|Dead|Death toll|Missing|"
    r"Held|Detained|Hostages|Displaced|Refugees)\s*:\s"
)
_LABEL_MEASURE = {
    "attacks": "attacks", "strikes": "attacks", "injured": "injured", "wounded": "injured",
    "injuries": "injured", "killed": "killed", "deaths": "killed", "dead": "killed", "death toll": "killed",
    "missing": "missing", "held": "detained", "detained": "detained", "hostages": "detained",
    "displaced": "displaced", "refugees": "displaced",
}
_FIGURE_OF = re.compile(r"(?i:\b(?:a|the|its)\s+(?:figure|count|total|tally|number)\s+(?:of|at|as)\s+)$")


# "- Merchant vessels attacked: more than 80", "- Iraq: 67": a list item whose label
# (before the colon) names what the first number after it counts, or the country it is in.
_LINE_LABEL = re.compile(r"^[ \t]*[-•*–—][ \t]+(?P<label>[A-Za-z][^:\n]{0,100}?)[ \t]*:[ \t]+")
_LINE_MEASURE = (
    ("tbi", re.compile(r"(?i:\b(?:tbi|brain injur\w*|concussions?)\b)")),
    ("injured", re.compile(r"(?i:\b(?:injured|wounded|injuries|hurt)\b)")),
    ("killed", re.compile(r"(?i:\b(?:killed|dead|deaths|death toll|fatalities)\b)")),
    ("displaced", re.compile(r"(?i:\b(?:displaced|refugees)\b)")),
    ("missing", re.compile(r"(?i:\bmissing\b)")),
    ("detained", re.compile(r"(?i:\b(?:held|detained|hostages|arrested|in custody|prisoners|detainees)\b)")),
    ("attacks", re.compile(r"(?i:\b(?:attacked|attacks|strikes|targeted)\b)")),
)
_LABEL_ADVERB = re.compile(r"(?i:\s+(?:internally|seriously|severely|lightly|critically|reportedly))+$")


@dataclass(frozen=True, slots=True)
class _LineLabel:
    start: int  # the label's offsets
    end: int
    after: int  # where the value starts, after the colon
    measure: str | None
    subject: tuple[int, int] | None  # the noun before the measure word ("Merchant vessels")


def _line_label(t: Tagged, i: int) -> _LineLabel | None:
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


def _label_country(t: Tagged, i: int, line: _LineLabel) -> str | None:
    """The country the label names alone ("- Iraq: 67")."""
    return next(
        (
            pm.place.country for pm in t.in_sentence("places", i)
            if pm.start == line.start and pm.end == line.end and pm.kind in ("country", "admin1") and pm.place.country
        ),
        None,
    )


def _labelled_value(t: Tagged, i: int, line: _LineLabel | None, q) -> bool:
    """q is the first number after the list item's colon."""
    if line is None or q.start < line.after:
        return False
    first = next((o for o in t.in_sentence("quantities", i) if o.start >= line.after), None)
    return first is q


def _label_measure(t: Tagged, i: int, q) -> str | None:
    """The measure a paragraph label gives a number with none of its own."""
    para = t.sentences[i].paragraph
    first = i
    while first > 0 and t.sentences[first - 1].paragraph == para:
        first -= 1
    head = t.sentences[first]
    m = _LABEL.match(t.text[head.start : head.end])
    if m is None:
        return None
    before = [o for o in t.in_sentence("quantities", first) if o.start < q.start]
    lead = t.text[max(t.sentences[i].start, q.start - 30) : q.start]
    if (i == first and not before) or _FIGURE_OF.search(lead):
        return _LABEL_MEASURE[m.group("label").lower()]
    return None


_LAUNCHED = re.compile(r"(?i:\b(?:launched|carried out|conducted|mounted|staged|made|claimed)\s+)$")
_ELIDED = re.compile(r"^(?:\s*[,.;:)]|\s*$|\s+(?:over|in|on|since|during|this|last|so far|between|from)\b)")
# "targeted three times in 24 hours": a count of attacks over a stated window
_WINDOW = re.compile(
    r"^(?:\s+[\w-]+){0,3}?\s+(?:in|within|over|during)\s+(?:the\s+)?(?:(?:past|last|previous|preceding)\s+)?"
    r"(?:\d+|two|three|four|five|six|seven|ten|24|48|72)\s+(?:hours|days|weeks)\b"
)
_FREED = re.compile(
    r"^(?:[\s,]+[\w-]+){0,3}?\s+(?:(?:have|has|had|were|was)\s+)?(?:been\s+)?(?:freed|released|rescued|set free|let go)\b"
)
_APPOSITIVE = re.compile(r"^(\s+(?:people|civilians|residents))\s*,[^,;.]{3,60}?,(?=\s)")
_HAD = re.compile(r"(?i:\b(?:has|had|have)\s+)$")
_NEUTRALISED = re.compile(r"(?i:\b(?:neutrali[sz]ed|eliminated|liquidated)\s+)$")


def _measure(p: _Patterns, t: Tagged, i: int, q, casualty) -> str | None:
    """Which measure a number counts, from the words around it."""
    if q.unit == "km2":
        return "territory_km2"
    if q.unit is not None:
        return None
    if casualty is not None:
        return _SEVERITY_MEASURE[casualty.category]
    counted = p.count_of.search(t.text[t.sentences[i].start : q.start])
    if counted:
        noun = (counted.group("noun") or counted.group("noun2")).lower()
        return _COUNT_NOUN.get(noun, "injured")
    s_end = t.sentences[i].end
    after = t.text[q.end : min(s_end, q.end + 80)]
    if p.attacks.match(after) or p.targets_hit.match(after):
        return "attacks"
    if _LAUNCHED.search(t.text[max(t.sentences[i].start, q.start - 30) : q.start]) and _ELIDED.match(after) and any(
        o is not q and p.attacks.match(t.text[o.end : min(s_end, o.end + 80)]) for o in t.in_sentence("quantities", i)
    ):
        return "attacks"  # "61 attacks ..., meaning militants launched at least five over the weekend"
    sentence = t.sentence_text(i)
    if p.times.match(after) and p.attack_verb.search(sentence):
        return "attacks"
    lead = t.text[max(t.sentences[i].start, q.start - 40) : q.start]
    if p.held_before.search(lead):
        return "detained"
    if _NEUTRALISED.search(lead):
        return "killed"  # "troops neutralised 135 terrorists"  # "holds some 9,000 suspected fighters" counts the held
    fighters = p.fighters.match(after)
    if fighters and (q.value.min or 0) >= 100 and not p.not_fighters.search(fighters.group()):
        return "fighters"  # "six SDF fighters" is one event's toll, not a strategic figure
    if p.displaced_before.search(lead):
        return "displaced"
    if p.uprooted.search(lead) and re.match(r"^(?:\s+[\w-]+){0,2}?\s+(?:from|out of) (?:their|its|the) homes?\b", after):
        return "displaced"  # "forced some 2 million from their homes"
    if re.search(r"\bof\s+(?:the\s+)?[A-Z][\w-]*(?:'s|’s)\s+$", lead) and p.population.match(after):
        return "population"  # "1.9 million of Gaza's 2.2 million people": the whole population
    # People displaced, held or missing before people in general ("8 million people have
    # been displaced" counts the displaced, not a population).
    # "About 1.9 million people, roughly 90 percent of the population, have been displaced"
    bare = _APPOSITIVE.sub("", after, count=1)
    if p.displaced.match(after) or p.displaced.match(re.sub(r"^\s+(?:people|civilians)", "", after)) or (
        bare != after and p.displaced.match(bare)
    ):
        return "displaced"
    if p.detained.match(after):
        return "detained"
    if p.missing.match(after):
        return "missing"
    if p.held_people.match(after) and p.custody.search(sentence) and not _FREED.match(after):
        return "detained"  # "the 25 crew of the ship remain in custody"; not "137 hostages had been freed"
    if p.population.match(after) and (
        p.population_cue.search(sentence) or q.value.min and q.value.min >= 1_000_000
        # "Chernihiv had about 285,000 inhabitants"
        or _HAD.search(lead) and re.match(r"^\s+(?:inhabitants|residents)\b", after)
    ):
        return "population"
    personnel = p.personnel.match(after)
    if personnel and (
        p.personnel_cue.search(sentence)
        # "the roughly 900 US troops in Syria, who ..."; not "12 soldiers in Bakhmut were killed"
        or _POSTED_IN.match(after, personnel.end()) and not _HURT_AFTER.search(after, personnel.end())
    ):
        return "personnel"
    return None


_POSTED_IN = re.compile(r"\s+in\s+(?:the\s+)?[A-Z][\w-]+(?![\w-]*\s+(?:on|at|last|this)\b)")
_HURT_AFTER = re.compile(r"(?i:\b(?:killed|injured|wounded|hurt|dead|died|captured|missing)\b)")


_ACROSS = re.compile(r"\b(?:across|throughout) (?:the )?[A-Z][\w-]+|^\W*Since\b")
_OF_THE_TOTAL = re.compile(
    r"^\W*(?i:of (?:the|those|these|all))\s+[\w,.-]+\s+(?i:attacks|strikes|incidents)\b"
)


_INTRO = re.compile(r"^\s*(?::|--|—|–|,\s*(?:of which|including|with))\s*$")


_ONE_ATTACK = re.compile(
    r"(?i:\b(?:killed|injured|wounded|dead|hurt)\s+(?:by|in|when|after|as)\s+(?:the\s+|an?\s+|(?:[A-Z][\w-]*)'s\s+|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)'s\s+)"
    # "killed in the two attacks" sums several attacks: a tally, not one event's toll
    r"(?!(?:two|three|four|five|six|twin|both|several|multiple|separate|series|wave|\d+)\b)(?:[\w-]+\s+){0,3}?"
    r"(?:attack|bombing|blast|strike|explosion|raid|shelling|assault|massacre|siege|missile|drone|rocket|bomb|"
    r"shooting|ambush|gunfight|fire|hostage-taking|hijacking|gunman|gunmen)\b"
    # "The strike also injured four crew members": the toll of the attack just told
    r"|^\W*(?:the|that|this)\s+(?:[\w-]+\s+)?(?:strike|attack|blast|bombing|explosion|raid)\s+(?:also\s+)?"
    r"(?:killed|injured|wounded|hurt)\b"
    # "the number of people killed when guided bombs hit a hypermarket": one event
    r"|\b(?:killed|injured|wounded|dead|hurt)\s+when\s+(?:[\w-]+\s+){1,5}?"
    r"(?:hit|struck|slammed|exploded|went off|blew up|stormed|opened fire|attacked|fired)\b)"
)


_TOTAL_OF = re.compile(r"(?i:\b(?:a|the)\s+(?:combined\s+|overall\s+)?total\s+(?:of\s+)?)$")


_CHAIN_AFTER = re.compile(
    r"(?i:^(?:\s*[,.;:)]|\s+(?:in|on|at|by|as|it|they|that|which|the|a|an|and|before|after|earlier|last|"
    r"this|when|during|over|since|previously)\b|\s*$))"
)
_CHAIN = re.compile(r"(?i:^[^.;:]{0,60}?\b(?:up from|down from|from|to|and)\s+(?:the\s+)?$)")


_UP_FROM = re.compile(
    r"(?i:^\W*(?:that|this|it|the (?:figure|count|total|tally|number))\s+(?:is|was|'s|’s)\s+(?:up|down)\s+from\s+(?:the\s+)?)$"
)


def _chained_back(t: Tagged, i: int, q, claims: list[Claim]) -> Claim | None:
    """ "... at least 168 attacks since Oct. 17. That is up from 160 in our Jan. 30 update."
    : an earlier value of the count the sentence before told."""
    if not claims or claims[-1].breakdown_of is not None:
        return None
    if not _UP_FROM.match(t.text[t.sentences[i].start : q.start]):
        return None
    return claims[-1]


def _as_earlier_value(t: Tagged, i: int, q, claim: Claim, told: Claim) -> None:
    """An earlier value of a count: its subject and start are the count's; a day right
    after it ("up from 70 at the end of June", "160 in our Jan. 30 update") is its as-of."""
    if claim.subject is None:
        claim.subject, claim.subject_id = told.subject, told.subject_id
    if claim.period.start is None:
        claim.period = Period(told.period.start, told.period.end)
    nxt = min([o.start for o in t.in_sentence("quantities", i) if o.start > q.end] + [t.sentences[i].end])
    for d in t.in_sentence("dates", i):
        if (
            d.kind == "point" and d.value is not None and d.value.precision == "day"
            and q.end <= d.start < min(nxt, q.end + 40)
        ):
            claim.as_of = d.value.start
            claim.evidence.append(t.evidence("as_of", d))
            break


def _chained(t: Tagged, q, made) -> Claim | None:
    """A number in a run of one count's values: "rose to 52, from the 54 it gave",
    "up from 103", "from 12 in the morning to 18 by midday": the count just told."""
    if not made:
        return None
    last_claim, last_q = made[-1]
    if last_claim.breakdown_of is not None:
        return None
    if not _CHAIN.match(t.text[last_q.end : q.start]) or not _CHAIN_AFTER.match(t.text[q.end : q.end + 20]):
        return None  # "recruits from over 110 countries" counts countries
    return last_claim


def _total_of(t: Tagged, i: int, q, made) -> str | None:
    """ "41 attacks in Syria and 37 in Iraq, for a total of 78": the measure just counted."""
    if not made or not _TOTAL_OF.search(t.text[max(t.sentences[i].start, q.start - 30) : q.start]):
        return None
    return made[-1][0].measure


_PART_SEVERITY = (  # words after a part of the injured that say how badly
    ("injured_serious", re.compile(r"(?i:\b(?:serious|critical|grave|severe)(?:ly)?\b)")),
    ("injured_minor", re.compile(r"(?i:\bminor\b)")),
    ("tbi", re.compile(r"(?i:\b(?:tbi|brain injur\w*|concussions?)\b)")),
)


def _part_measure(t: Tagged, q, total: str, reach: int = 50) -> str:
    """A part of the injured counts a severity when its words say so ("one remains in
    serious condition"); any other part counts what its total counts."""
    if total != "injured":
        return total
    end = next((s.end for s in t.sentences if s.start <= q.start < s.end), q.end)
    after = t.text[q.end : min(end, q.end + reach)]
    return next((measure for measure, words in _PART_SEVERITY if words.search(after)), total)


_QUESTION = re.compile(r"^\W*(?:Q|QUESTION|Question)\s*[:.]")
_ASKED = (  # what a reporter's question asks the number of; the narrowest first
    ("tbi", re.compile(r"(?i:\b(?:tbi|brain injur\w*))")),
    ("injured", re.compile(r"(?i:\b(?:injur\w*|wounded|hurt)\b)")),
    ("killed", re.compile(r"(?i:\b(?:killed|deaths|dead|fatalities)\b)")),
    ("attacks", re.compile(r"(?i:\battacks\b)")),
    # "How many US troops are in Iraq and Syria?"
    ("personnel", re.compile(r"(?i:\bhow many\s+(?:[\w.]+\s+){0,2}?(?:troops|forces|service\s*members|personnel)\b)")),
)
_ONE_OCCASION = re.compile(
    r"(?i:\b(?:the|this|that|last night's|today's|yesterday's|[a-z]+day's)\s+(?:\w+\s+)?(?:attack|strike|incident)\b(?!s))"
)
_ANSWER_TAIL = re.compile(
    r"^(?:\s+(?:(?:US|U\.S\.|American)\s+)?(?:service\s*members|servicemembers|troops|personnel|people|"
    r"soldiers|sailors|Marines|attacks|in total|in all|so far|to date|now))?\s*(?:[.,;:!?]|$|since\b|as of\b)"
)


def _asked_measure(t: Tagged, i: int, q) -> str | None:
    """In a briefing transcript, a bare number answering a reporter's question about a
    running count ("Q: And the number injured? A: It's still roughly 70 service members.")
    counts what the question asked about."""
    span = _question_before(t, i)
    if span is None:
        return None
    question = t.text[span[0] : span[1]]
    if _ONE_OCCASION.search(question):
        return None  # "how many were hurt in Sunday's attack?" asks for one event's toll
    measure = next((measure for measure, words in _ASKED if words.search(question)), None)
    tail = t.text[q.end : q.end + 40]
    if _ANSWER_TAIL.match(tail) or measure == "personnel" and _POSTED_IN.match(tail):
        return measure  # "Roughly 2,500 in Iraq and about 900 in Syria"
    return None


def _question_before(t: Tagged, i: int) -> tuple[int, int] | None:
    """The span of the reporter's question that sentence i's paragraph answers, or None."""
    para = t.sentences[i].paragraph
    j = i - 1
    while j >= 0 and t.sentences[j].paragraph == para:
        j -= 1
    if j < 0 or _QUESTION.match(t.sentence_text(i)):
        return None
    asked = t.sentences[j].paragraph
    first = j
    while first > 0 and t.sentences[first - 1].paragraph == asked:
        first -= 1
    if not _QUESTION.match(t.sentence_text(first)):
        return None
    return t.sentences[first].start, t.sentences[j].end


def _as_answer(t: Tagged, i: int, q, claim: Claim) -> None:
    """A troop count answering "how many US troops are in Iraq and Syria?": the forces the
    question names are the subject, and each number's own country its region."""
    span = _question_before(t, i) if claim.measure == "personnel" else None
    if span is None:
        return
    forces = [
        a for a in t.actors
        if span[0] <= a.start < span[1] and a.kind in ("state_military", "coalition") and not a.generic
    ]
    if forces:
        claim.subject, claim.subject_id = forces[0].text, forces[0].actor_id
        claim.evidence = [e for e in claim.evidence if e.field != "subject"]
        claim.evidence.append(t.evidence("subject", forces[0]))
    if _POSTED_IN.match(t.text[q.end : q.end + 40]):
        nxt = [o.start for o in t.in_sentence("quantities", i) if o.start > q.end]
        claim.region = sorted({r.place.country for r in _regions(t, i, q.end, min([t.sentences[i].end, *nxt]))})


def _measure_ahead(p: _Patterns, t: Tagged, i: int, q) -> str | None:
    """A total whose parts follow ("stands at 74: 36 attacks in Iraq and 38 in Syria")."""
    qs = t.in_sentence("quantities", i)
    for nxt in qs:
        if nxt.start > q.end:
            if nxt.start - q.end <= 16 and _INTRO.match(t.text[q.end : nxt.start]):
                return _measure(p, t, i, nxt, None)
            return None
    return None


# Numbers that count nothing: "one of the deadliest attacks" picks one out of a class,
# "killed in the two attacks" points back at attacks already told.
_ONE_OF_THE = re.compile(r"(?i:\s+of\s+the\s+(?:\w+est|most\s+\w+|worst|best|first|last)\b)")
_NOT_A_COUNT = re.compile(
    r"(?i:\b(?:in|from|during|of)\s+(?:the|both|these|those)\s*\x00\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attacks|strikes|blasts|bombings|explosions|raids|assaults|incidents)\b"
    # "Of the 118, 53 took place in Iraq": the 118 points back at a total already told
    r"|^\W*of\s+the\s*\x00\s*,)"
)
_SUPERLATIVE = re.compile(
    r"(?i:\b(?:deadliest|worst|largest|biggest|bloodiest|heaviest|highest|most\s+\w+|first)\b[^.;]{0,70}$)"
)


def _few(q) -> bool:
    """A number below ten (its upper end, else its lower)."""
    top = q.value.max if q.value.max is not None else q.value.min
    return top is not None and top < 10


_ONE_DAY_AFTER = re.compile(r"(?i:^\s+(?:24|twenty-four)\s+hours\b|^\s+(?:day|night)\b)")

def _one_day(d) -> bool:
    """ "In the past 24 hours": a window of a day or less, whose figures are one day's."""
    return (
        d.kind == "duration" and d.value is not None and d.value.end is not None
        and (d.value.end - d.value.start).days <= 1
    )


_SPAN_DAYS = 5  # a stated range this long or longer is a period that a count sums


def _is_cumulative(p: _Patterns, t: Tagged, i: int) -> bool:
    sentence = t.sentence_text(i)
    s_start = t.sentences[i].start
    if any(
        d.kind in ("since", "duration", "as_of")
        # "the deadliest attack since October": the start dates a comparison, not a count
        and not (d.kind == "since" and _SUPERLATIVE.search(t.text[s_start : d.start]))
        and not _one_day(d)
        # "Between Oct. 17 and Feb. 4": a stated span of more than a few days sums its attacks
        or d.kind == "range" and d.value is not None and d.value.end is not None
        and (d.value.end - d.value.start).days >= _SPAN_DAYS
        for d in t.in_sentence("dates", i)
    ):
        return True
    s = t.sentences[i]
    hits = [
        (a, b) for a, b in t.words("claims.yaml").spans("cumulative", s.start, s.end)
        # "one of the deadliest attacks since the war began" compares, it does not count
        if not (t.text[a:b].lower().startswith("since") and _SUPERLATIVE.search(t.text[s.start : a]))
        # "In the past 24 hours, 37 people were killed": one day's figures
        and not _ONE_DAY_AFTER.match(t.text[b : b + 30])
    ]
    if hits or _OF_THE_TOTAL.match(sentence):
        return True
    if p.war_toll.search(sentence):
        return True  # a war's toll over its whole course
    # "killed at least 31 people across Ukraine": a country-wide count, unless the
    # sentence tells one dated attack on a town ("... in Kyiv on Friday, in a nationwide barrage").
    scope = t.words("claims.yaml").has("cumulative_scope", s.start, s.end) or _ACROSS.search(sentence)
    return bool(scope) and not _dated_event(p, t, i)


# "KYIV, Dec. 29 - " or "QUETTA, Pakistan (Agency) - ": where and when the report was
# filed, not where and when the attack was.
_DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]+(?:,\s*[^\n—–]{0,40}?)?\s*(?:\([^)\n]*\)\s*)?(?:-|—|–)\s")


def _dateline_end(t: Tagged, i: int) -> int:
    s = t.sentences[i]
    if i > 0 and t.sentences[i - 1].paragraph == s.paragraph:
        return s.start
    m = _DATELINE.match(t.text[s.start : s.end])
    return s.start + m.end() if m else s.start


def _dated_event(p: _Patterns, t: Tagged, i: int) -> bool:
    filed = _dateline_end(t, i)
    day = any(
        d.kind == "point" and d.value is not None and d.value.precision == "day" and not _said_on(p, t, d)
        and d.start >= filed
        # "Since the military seized power on 26 July 2023": the day opens a period
        and not _SINCE_CLAUSE.search(t.text[t.sentences[i].start : d.start])
        for d in t.in_sentence("dates", i)
    )
    # "killed 12 people across the country on 17 September": one day's barrage, wherever it fell
    return day


_SINCE_CLAUSE = re.compile(r"(?i:\bsince\b[^,;.]*$)")


def _period_date(t: Tagged, i: int):
    """A month or year that a count covers ("in December", "in 2023")."""
    for d in t.in_sentence("dates", i):
        if d.kind == "point" and d.value is not None and d.value.precision in ("month", "year"):
            return d
    return None


def _subject(p: _Patterns, t: Tagged, i: int, q, measure: str):
    """The actor mention whose population the number counts, or None."""
    # The speaker ("the Pentagon said") is not the population counted.
    speakers = [(a.start, a.end) for a in t.in_sentence("attributions", i)]
    candidates = [
        a for a in t.in_sentence("actors", i) if not any(s <= a.start < e for s, e in speakers)
    ]
    if measure != "territory_km2" and measure != "population":
        # Governments speak and hold territory; the people counted are forces or civilians.
        candidates = [a for a in candidates if a.kind not in ("government", "organisation")]
    actors = [a for a in candidates if not a.generic]
    if not actors:
        actors = candidates
    if not actors:
        return None
    if measure in ("territory_km2", "population", "fighters"):
        before = [a for a in actors if a.end <= q.start]
        return before[-1] if before else actors[0]
    if measure == "attacks":
        s_start = t.sentences[i].start
        for a in actors:
            if a.start > q.start and p.target_prep.search(t.text[s_start : a.start]):
                return a
    # The nearest people-like actor to the number.
    ranked = sorted(
        actors,
        key=lambda a: (
            a.kind not in _SUBJECT_KINDS_FIRST,
            min(abs(a.start - q.end), abs(q.start - a.end)),
        ),
    )
    return ranked[0]


@dataclass(frozen=True, slots=True)
class _Counted:
    start: int
    end: int
    text: str
    actor_id: str | None


_PEOPLE_HEAD = (
    r"people|persons|civilians|children|women|men|residents|villagers|inhabitants|pupils|students|schoolchildren|"
    r"girls|boys|soldiers|troops|personnel|service ?members|servicemembers|members(?: and supporters)?|fighters|"
    r"militants|terrorists|insurgents|rebels|jihadists|combatants|recruits|suspects|attackers|gunmen|"
    r"police(?:men| officers)?|policemen|officers|(?:health |aid |humanitarian |medical )?workers|journalists|"
    r"seafarers|sailors|crew(?: members)?|crewmen|hostages|captives|prisoners|detainees|refugees|migrants|"
    r"passengers|Marines|forces|Americans|Palestinians|Israelis|Ukrainians|Lebanese|Syrians|Iraqis|Afghans|"
    r"Sudanese|Pakistanis|Nigerians|Somalis|Yemenis|victims|patients|staff|pilgrims|worshippers|fishermen|farmers"
)
_TARGET_HEAD = (
    r"vessels|ships|shipping|tankers|boats|bases|positions|facilities|hospitals|schools|clinics|convoys|sites|"
    r"villages|towns|ambulances|centres|centers|infrastructure|forces|troops|personnel|service ?members"
)
_NOT_MOD = (
    r"were|was|are|is|have|has|had|been|in|on|at|since|from|by|against|to|of|and|or|who|which|that|"
    r"killed|injured|wounded|hurt|died|dead|attacked|targeted|more|than"
)
# "254 people", "92 civilians", "685 members of the security forces", "more than 70 merchant
# vessels": the noun a number counts, with up to three words before it.
_COUNTED_PEOPLE = re.compile(
    # "Of those killed, 58 were security personnel": a part named after its verb
    rf"^(?:\s+(?:were|was))?\s+(?P<np>(?:(?!(?:{_NOT_MOD})\b)[\w’'-]+\s+){{0,3}}?(?:{_PEOPLE_HEAD})"
    r"(?:\s+of\s+the\s+(?:[\w-]+\s+)?(?:forces|army|police|military))?)(?![\w-])"
)
_COUNTED_TARGETS = re.compile(
    rf"^\s+(?P<np>(?:(?!(?:{_NOT_MOD})\b)[\w’'-]+\s+){{0,3}}?(?:{_TARGET_HEAD}))(?![\w-])"
)
_NP_STOP = (
    r"in|inside|since|by|from|at|across|over|during|between|so|this|last|that|which|who|were|was|have|has|had|"
    r"are|is|with|as|according|after|before|near|off|around|throughout|while|including|until|through|to|than|"
    r"on|for|when|where|but|or|the past|each|every|per"
)
# "attacks on US and coalition forces in Iraq", "attacks on ambulances and health centres":
# what the attacks were on.
_ATTACKED_NP = re.compile(
    rf"^\s+(?:on|against|targeting)\s+(?P<np>(?:(?!(?:{_NP_STOP})\b)[\w.’'-]+\s*?){{1,6}}?)"
    rf"(?=\s*(?:[,.;:()—–]|$)|\s+(?:{_NP_STOP})\b|\s+\d)"
)


def _counted(p: _Patterns, t: Tagged, i: int, q, measure: str) -> _Counted | None:
    """The noun the number counts ("254 people were killed": people; "180 attacks on
    ambulances and health centres": what was attacked), or None."""
    if measure in ("territory_km2", "population"):
        return None
    s_end = t.sentences[i].end
    after = t.text[q.end : min(s_end, q.end + 100)]
    found = None
    if measure == "attacks":
        m = _COUNTED_TARGETS.match(after)
        if m is None and (a := p.attacks.match(after)):
            m = _ATTACKED_NP.match(after[a.end() :])
            if m is not None:
                a0 = q.end + a.end() + m.start("np")
                found = (a0, a0 + len(m.group("np").rstrip(" .")))
        if m is not None and found is None:
            found = (q.end + m.start("np"), q.end + m.end("np"))
    else:
        m = _COUNTED_PEOPLE.match(after)
        if m is not None and measure == "fighters" and " " not in m.group("np"):
            m = None  # "has about 6,000 fighters": the group they fight for is the subject
        if m is not None:
            found = (q.end + m.start("np"), q.end + m.end("np"))
    if found is None:
        return None
    a, b = found
    actor = next(
        (x.actor_id for x in t.in_sentence("actors", i) if a <= x.start and x.end <= b and not x.generic), None
    )
    return _Counted(a, b, t.text[a:b], actor)


def _keeper(t: Tagged, i: int, q):
    """A government or organisation named before the number, that keeps the count."""
    for a in t.in_sentence("actors", i):
        if a.start < q.start and a.kind in ("government", "organisation") and not a.generic:
            return a
    return None


def _attribution(t: Tagged, i: int):
    """The source of sentence i: its own, else the closest earlier one in its paragraph,
    else the one the report names most."""
    own = t.in_sentence("attributions", i)
    if own:
        return own[0]
    para = t.sentences[i].paragraph
    for j in range(i - 1, -1, -1):
        if t.sentences[j].paragraph != para:
            break
        found = t.in_sentence("attributions", j)
        if found:
            return found[-1]
    return main_source(t.attributions)


_LOCATIVE = re.compile(
    r"\b(?:in|across|inside|within|throughout|into)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?)*$"
)


def _regions(t: Tagged, i: int, start: int, end: int) -> list:
    """Countries the count covers: places named as locations ("in Iraq and Syria")
    between ``start`` and ``end``, not demonyms or names of governments."""
    out = []
    s_start = t.sentences[i].start
    for pm in t.in_sentence("places", i):
        lead = t.text[max(s_start, pm.start - 60) : pm.start]
        if not _LOCATIVE.search(lead):
            continue
        if (
            start <= pm.start < end
            and pm.kind in ("country", "admin1", "region")
            and pm.place.country
        ):
            out.append(pm)
    return out


# Counts of nought in a running count: "they have counted no attacks since Sunday",
# "there have been none since then", "None was killed", "None of those injuries would be
# characterized as serious".
_SHARED = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:killed|dead|deaths|injured|wounded|hurt|injuries)\s+and\s+$"
)
_NO_NOUN = re.compile(r"(?i:\bno\b)(?=\s)")
_NONE_HURT = re.compile(
    r"(?i:\b(?:none|no one|nobody)(?:\s+of\s+(?:them|those|these))?\s+(?:was|were|has been|have been|had been)\s+"
    r"(?P<harm>killed|hurt|injured|wounded)\b)"
)
_NONE_SINCE = re.compile(r"(?i:\bthere\s+(?:have|has|had)\s+been\s+(?P<z>none)\s+since\b)")
_NONE_OF_INJURIES = re.compile(
    r"(?i:\b(?P<z>none)\s+of\s+(?:those|these|the|their)\s+(?:injuries|injured|wounded|cases)\b"
    r"(?P<rest>[^.;]{0,60}))"
)


def _zero(t: Tagged, start: int, end: int) -> Quantity:
    return Quantity(start, end, t.text[start:end], Range(0, 0), "exact", None, False, start)


# "This was the 26th attack on shipping since Nov. 19": the running count an ordinal states.
_ORDINAL = re.compile(
    r"(?i:\bthe\s+(?P<n>\d{1,4})(?:st|nd|rd|th)\s+(?:[\w'’-]+\s+){0,4}?(?:attack|strike|assault|incident)\b)"
    r"(?=[^.;]*\bsince\b)"
)


def _zero_counts(p: _Patterns, t: Tagged, i: int, claims: list[Claim], follows_claim: bool) -> list[tuple]:
    """(quantity, measure, parent) for each count of nought in sentence i, and each
    running count an ordinal states."""
    s = t.sentences[i]
    text = t.text[s.start : s.end]
    out = []
    for m in _ORDINAL.finditer(text):
        n = int(m.group("n"))
        a, b = s.start + m.start("n"), s.start + m.end("n")
        out.append((Quantity(a, b, t.text[a:b], Range(n, n), "exact", None, False, a), "attacks", None))
    cumulative = any(d.kind == "since" for d in t.in_sentence("dates", i)) or "since then" in text.lower()
    for m in _NO_NOUN.finditer(text):
        if cumulative and p.attacks.match(text[m.end() :]):
            out.append((_zero(t, s.start + m.start(), s.start + m.end()), "attacks", None))
    if cumulative and claims and (m := _NONE_SINCE.search(text)):
        last = next((c for c in reversed(claims) if c.measure in _RUNNING and c.breakdown_of is None), None)
        if last is not None:
            out.append((_zero(t, s.start + m.start("z"), s.start + m.end("z")), last.measure, None))
    quiet = not t.in_sentence("places", i) and not any(
        d.kind in ("point", "range") for d in t.in_sentence("dates", i)
    ) and not _tells_attack(t, i)
    if follows_claim and quiet and (m := _NONE_HURT.search(text)):
        measure = "killed" if m.group("harm").lower() == "killed" else "injured"
        out.append((_zero(t, s.start + m.start(), s.start + m.end()), measure, None))
    if claims and quiet and (m := _NONE_OF_INJURIES.search(text)):
        severity = next((ms for ms, words in _PART_SEVERITY if words.search(m.group("rest"))), None)
        parent = next((c for c in reversed(claims) if c.measure == "injured" and c.breakdown_of is None), None)
        if severity is not None and parent is not None:
            out.append((_zero(t, s.start + m.start("z"), s.start + m.end("z")), severity, parent))
    return out


def assemble_claims(t: Tagged, doc_id: str) -> tuple[list[Claim], set[int]]:
    """Claims of the document, and the indices of the sentences that state them."""
    p = _patterns()
    claims: list[Claim] = []
    claim_sentences: set[int] = set()
    last_claim_sentence = -10
    scope = None
    for i in range(len(t.sentences)):
        s_start = t.sentences[i].start
        if scope is not None and not claims and (found := _scope(t, i)) is not None:
            # "Figures as of Aug. 30" then "Campaign totals since Nov. 19": one scope
            scope = (scope[0] or found[0], scope[1] or found[1])
            continue
        if scope is None and (found := _scope(t, i)) is not None:
            if not claims:
                scope, scope_from = found, 0  # dates the figures that follow
                continue
            if i - last_claim_sentence <= 1:
                # "The figure covers service members hurt since Oct. 17": dates the one just told
                last = claims[-1]
                if last.period.start is None and found[0] is not None:
                    last.period = Period(found[0], last.period.end)
                continue
        cumulative = (scope is not None and _fact_item(t, i)) or _is_cumulative(p, t, i) or (
            # A tally goes on across sentences ("56 have been injured. 19 of them in Iraq").
            i - last_claim_sentence <= 2
            and not any(d.kind in ("point", "range") or _one_day(d) for d in t.in_sentence("dates", i))
            and not t.in_sentence("places", i)
            or i - last_claim_sentence <= 2
            and _continues(p, t, i)
        )
        casualty_at = {}
        for c in t.in_sentence("casualties", i):
            if not c.negated:
                casualty_at[c.start] = c
        made: list[tuple[Claim, object]] = []
        line = _line_label(t, i)
        for q in t.in_sentence("quantities", i):
            if _NOT_A_COUNT.search(t.text[max(s_start, q.start - 12) : q.start] + "\x00" + t.text[q.end : q.end + 40]) or (
                q.text.lower() == "one" and _ONE_OF_THE.match(t.text[q.end : q.end + 40])
            ):
                continue
            if q.vague and q.value.max is not None and q.value.max < 10:
                continue  # "several", "a few": no one publishes that as a tally
            casualty = next((c for c in casualty_at.values() if c.start <= q.start < c.end), None)
            measure = _measure(p, t, i, q, casualty) or _measure_ahead(p, t, i, q)
            parent = _breakdown_parent(p, t, i, q, made, claims, measure)
            labelled = _labelled_value(t, i, line, q)
            country = None
            if labelled and measure is None and line.measure is not None:
                parent = None  # "- People killed in Israel, most of them on Oct. 7: about 1,200"
            if labelled and measure is None and parent is None:
                if line.measure is not None:
                    measure = line.measure  # "- Seafarers killed: 4"
                elif claims and (country := _label_country(t, i, line)):
                    parent = _root(claims[-1], made, claims)  # "- Iraq: 67" under a total
            asked = False
            chained = None
            if measure is None and parent is None:
                chained = _chained(t, q, made) or (
                    _chained_back(t, i, q, claims) if i - last_claim_sentence == 1 and not made else None
                )
                measure = _total_of(t, i, q, made) or (chained and chained.measure) or _label_measure(t, i, q)
            if measure is None and parent is None:
                measure = _asked_measure(t, i, q)
                asked = measure is not None
            if measure is None and parent is None:
                continue
            if parent is not None and measure in _PEOPLE_MEASURES and parent.measure in ("killed", "injured"):
                measure = None  # "Among the dead were 685 members of the security forces"
            if measure is None:
                measure = _part_measure(t, q, parent.measure)
            elif parent is not None and measure == "injured" == parent.measure and _OF_PRONOUN.match(
                re.sub(r"^\s+of\s+(?:the\s+)?(?:those|these)\s+(?:injured|wounded|hurt)", " of those", t.text[q.end : q.end + 40])
            ):
                # "Dozens of those injured were diagnosed with TBI": the part's own severity
                measure = _part_measure(t, q, "injured", 90)
            if parent is None and _at_one_site(t, i, q):
                continue
            if (casualty is not None or measure in _SEVERITY_MEASURE.values()) and _ONE_ATTACK.search(t.sentence_text(i)):
                continue  # "the number killed by Monday's bombing rose to 95": one attack's toll
            monthly = measure == "attacks" and (
                _period_date(t, i) is not None or (q.value.min or 0) >= 2 and _WINDOW.match(t.text[q.end : q.end + 60])
            ) or (
                # "At least 219 civilians were killed and 1,018 injured in Ukraine in July": a
                # month's toll in a country, told with no attack, weapon or day of its own
                measure in ("killed", "injured") and _period_date(t, i) is not None and not _few(q)
                and not _tells_attack(t, i) and not _dated_event(p, t, i)
                # a month's toll names its country; a year's ("In 2022, 119 police ...") need not
                and (_period_date(t, i).value.precision == "year" or _regions(t, i, t.sentences[i].start, t.sentences[i].end))
                and not t.words("incidents.yaml").has("not_an_attack", t.sentences[i].start, t.sentences[i].end)
            )
            # "In December alone, militants carried out 40 attacks": a count over a month.
            if measure not in _STRATEGIC and not (
                cumulative or asked or parent is not None or monthly or chained is not None
                or (labelled and scope is not None and not _tells_attack(t, i, line.after))
            ):
                continue  # one event's numbers: the incident assembler's job
            if measure in _STRATEGIC and not cumulative and parent is None and _few(q):
                # "One crew member is missing", "captured one", "two were missing": a handful
                # of people in one event's telling is no standing figure.
                continue
            if made and q.qualifier == "exact" and not q.vague and made[-1][1].qualifier in ("at_least", "more_than") and _SHARED.match(
                t.text[made[-1][1].end : q.start]
            ):
                # "at least 11,284 civilians killed and 22,594 injured": the bound covers both
                q = replace(q, qualifier=made[-1][1].qualifier, value=Range(q.value.min, None))
            claim = _build(p, t, i, q, casualty, measure, parent, doc_id)
            _as_answer(t, i, q, claim)
            if chained is not None:
                _as_earlier_value(t, i, q, claim, chained)
            if labelled and parent is None and any(e.field == "period" and e.start >= line.after for e in claim.evidence):
                # "- Seafarers killed: 4 (three in March, one in June)": the months date the parts
                claim.period = Period(None, None)
                claim.evidence = [e for e in claim.evidence if e.field != "period"]
            if labelled and parent is not None and country:
                claim.region = [country]
            if labelled and line.subject is not None:
                a, b = line.subject
                claim.subject, claim.subject_id = t.text[a:b], None
                for actor in t.in_sentence("actors", i):
                    if a <= actor.start and actor.end <= b:
                        claim.subject_id = actor.actor_id
                claim.evidence.append(Evidence("subject", a, b, t.text[a:b]))
            made.append((claim, q))
        for q, measure, parent in _zero_counts(p, t, i, claims + [c for c, _ in made], i - last_claim_sentence == 1):
            made.append((_build(p, t, i, q, None, measure, parent, doc_id), q))
        if made:
            claims.extend(c for c, _ in made)
            running = any(c.measure in _RUNNING for c, _ in made)
            if running or not _tells_attack(t, i):
                # A strategic figure ("dozens are still missing") in a sentence that tells
                # an attack leaves the attack to the incident assembler.
                claim_sentences.add(i)
            if running:
                # Only a running count goes on into the next sentences.
                last_claim_sentence = i
    if scope is not None:
        start, as_of = scope
        for c in claims[scope_from:]:
            if c.period.start is None and start is not None and c.measure in _RUNNING:
                c.period = Period(start, c.period.end)
            if c.as_of == t.published and as_of is not None:
                c.as_of = as_of
    _inherit_periods(claims)
    _regions_from_parts(claims)
    _regions_carried(t, claims)
    return _fold_headline(t, _dedupe(claims)), claim_sentences


_HARM = re.compile(r"(?i:kill|wound|injur|hurt|dead|die)")


_FIGURES = re.compile(r"(?i:\b(?:figures?|numbers|counts?|totals?|tally|toll|data|statistics)\b)")


def _scope(t: Tagged, i: int):
    """A sentence that dates the figures that follow and gives none itself ("The figures
    below are as of Jan. 4 and cover the period since Oct. 17", "Figures as of June 30"):
    (period start, as-of date), else None."""
    if t.in_sentence("quantities", i) or not _FIGURES.search(t.sentence_text(i)):
        return None
    start = as_of = None
    for d in t.in_sentence("dates", i):
        if d.value is None:
            continue
        if d.kind == "since" and start is None:
            start = d.value.start
        elif d.kind == "as_of" and as_of is None:
            as_of = d.value.end or d.value.start
        elif (
            # "All figures current to 2024-02-05", "figures up to date to June 30"
            d.kind == "point" and as_of is None and d.value.precision == "day"
            and _CURRENT_TO.search(t.text[max(t.sentences[i].start, d.start - 30) : d.start])
        ):
            as_of = d.value.end or d.value.start
    if start is None and as_of is None:
        return None
    return start, as_of


_CURRENT_TO = re.compile(r"(?i:\b(?:current|correct|accurate|up to date|valid)\s+(?:to|as of|through|until|at)\s+)$")


def _fact_item(t: Tagged, i: int) -> bool:
    """Sentence i is in an item of a fact sheet: a labelled paragraph ("Attacks: ...")."""
    para = t.sentences[i].paragraph
    first = i
    while first > 0 and t.sentences[first - 1].paragraph == para:
        first -= 1
    head = t.text[t.sentences[first].start : t.sentences[first].end]
    return bool(_LABEL.match(head))


def _tells_attack(t: Tagged, i: int, start: int | None = None) -> bool:
    """The sentence tells an attack (after ``start``, a list item's colon): a weapon, or
    an attack verb that is not a word of harm."""
    s = t.sentences[i]
    start = s.start if start is None else start
    if any(m.attack and m.start >= start for m in t.in_sentence("modes", i)):
        return True
    hit = t.words("incidents.yaml").first("attack_verb", start, s.end)
    return hit is not None and not _HARM.search(t.text[hit[0] : hit[1]])


def _regions_carried(t: Tagged, claims: list[Claim]) -> None:
    """A report's counts that name no country are of the one country its counts named
    ("militants carried out 74 attacks across Pakistan ... The attacks killed 91 people"),
    else of the one country all its places are in."""
    named = {tuple(c.region) for c in claims if c.region}
    if not named:  # not "Russia's invasion": a possessive names a party, not where
        named = {
            (pm.place.country,) for pm in t.places
            if pm.place.country and not t.text.startswith(("'s", "’s"), pm.end)
        }
    if len(named) != 1 or len(next(iter(named))) != 1:
        return
    for c in claims:
        if not c.region:
            c.region = list(next(iter(named)))


def _regions_from_parts(claims: list[Claim]) -> None:
    """A total that names no country covers the countries of its parts."""
    parts: dict[str, set[str]] = {}
    for c in claims:
        if c.breakdown_of:
            parts.setdefault(c.breakdown_of, set()).update(c.region)
    for c in claims:
        if not c.region and parts.get(c.id):
            c.region = sorted(parts[c.id])


def _fold_headline(t: Tagged, claims: list[Claim]) -> list[Claim]:
    """A figure in the headline that the body states again is one claim: the body's."""
    if not t.sentences or "\n" not in t.text[t.sentences[0].end : t.sentences[0].end + 2]:
        return claims
    head_end = t.sentences[0].end
    out = []
    for c in claims:
        if c.evidence and c.evidence[0].start < head_end:
            body = next(
                # "UN counts 5,601 killed" over "at least 5,601 people were killed": one figure
                (b for b in claims if b is not c and b.measure == c.measure
                 and (b.value == c.value or c.value.min is not None and b.value.min == c.value.min)
                 and b.evidence and b.evidence[0].start >= head_end),
                None,
            )
            if body is not None:
                body.evidence.extend(c.evidence)
                continue
        out.append(c)
    return out


def _continues(p: _Patterns, t: Tagged, i: int) -> bool:
    """A sentence that breaks down the figure before it ("19 of them in Iraq")."""
    s = t.sentences[i]
    return bool(p.breakdown_lead.match(t.text[s.start : s.end])) or any(
        p.of_them.match(t.text[q.end : q.end + 20]) for q in t.in_sentence("quantities", i)
    )


_RUNNING = {"attacks", "killed", "injured", "injured_serious", "injured_minor", "tbi"}


def _inherit_periods(claims: list[Claim]) -> None:
    """A running count with no start of its own counts from the start the report last
    gave, and to its end when that period was closed ("in January": the month)."""
    last = None
    for c in claims:
        if c.measure not in _RUNNING:
            continue
        if c.period.start is not None:
            last = c.period
        elif last is not None:
            c.period = Period(last.start, c.period.end or last.end)


def _breakdown_parent(p: _Patterns, t: Tagged, i: int, q, made, claims: list[Claim], measure: str | None = None):
    """The claim a number breaks down ("20 of them in Iraq"), or None."""
    s_start = t.sentences[i].start
    after = t.text[q.end : min(t.sentences[i].end, q.end + 40)]
    lead = t.text[s_start : q.start]
    regional = bool(p.regional.match(after))
    if (
        made and made[-1][0].breakdown_of is not None and measure in (None, *_PEOPLE_MEASURES)
        and _LIST_NEXT.match(t.text[made[-1][1].end : q.start])
    ):
        return _root(made[-1][0], made, claims)
    if made and _INCLUDING.search(t.text[max(s_start, q.start - 16) : q.start]):
        return _root(made[0][0], made, claims)  # "more than 500 killed ..., including more than 100 civilians"
    if made and (p.of_them.match(after) or regional):
        root = _root(made[0][0], made, claims)
        if not p.of_them.match(after) and measure is not None and measure != root.measure and not (
            root.measure == "injured" and measure in ("injured_serious", "injured_minor", "tbi")
        ):
            # "at least 184 killed and at least 856 injured in Ukraine": a count of its own
            return None
        return root
    if (
        not made
        and claims
        and (
            p.breakdown_lead.match(lead) or (regional and p.of_them.match(after))
            # "Fifty of them have come since the start of November"
            or (_OF_PRONOUN.match(after) and not lead.strip(" \t\"'“‘-—–"))
        )
    ):
        named = _OF_THOSE.match(lead)
        if named:
            # "Of those killed, 27 were children": the last total of the killed
            word = (named.group(1) or named.group(2)).lower()
            wanted = "killed" if word in ("killed", "dead") else "injured"
            for c in reversed(claims):
                if c.measure == wanted and c.breakdown_of is None:
                    return c
        return _root(claims[-1], made, claims)
    if claims and _SHARE_OF.search(lead):
        # "The majority of those, about 130, were traumatic brain injuries": a share of
        # the last total of people hurt.
        totals = [c for c in claims if c.breakdown_of is None and c.measure in ("injured", "killed")]
        if totals:
            return totals[-1]
    return None


_INCLUDING = re.compile(r"(?i:\b(?:including|among them|of whom|of which)\s+)$")
_OF_PRONOUN = re.compile(r"^\s+(?i:of (?:them|those|these))\b")
_OF_THOSE = re.compile(
    r"(?i:^\W*(?:(?:of (?:those|the)|among the)\s+(killed|dead|injured|wounded)\b"
    r"|(?:the|those)\s+(killed|dead|injured|wounded)\s+(?:included|include|comprised|were)\b))"
)
# "including 92 civilians, 54 members of the security forces and 108 militants": the next
# item of a list of parts (a noun phrase with no verb, then a comma or "and")
_LIST_NEXT = re.compile(
    r"^(?:\s+(?!(?:were|was|are|is|have|has|had|been|killed|injured|wounded|hurt|died|dead|since|in|on|at|from)\b)"
    r"[\w'’-]+){1,7}\s*(?:,\s*(?:and\s+)?|\s+and\s+)$"
    # "58 were security personnel, 49 were civilians and 24 were ...": items with their verb
    r"|^\s+(?:were|was)(?:\s+(?!(?:killed|injured|wounded|hurt|in|on|at|from|since)\b)[\w'’-]+){1,7}\s*(?:,\s*(?:and\s+)?|\s+and\s+)$"
)
_PEOPLE_MEASURES = ("fighters", "personnel", "population")
_SHARE_OF = re.compile(r"(?i:\b(?:the majority|most|half|some|all|many|a third|a quarter) of (?:those|them|these|the injured|the wounded)\b)")


def _at_one_site(t: Tagged, i: int, q) -> bool:
    """"the 40-plus injured at Tower 22": one attack's toll inside a tally sentence."""
    for pm in t.in_sentence("places", i):
        if pm.kind == "facility" and 0 <= pm.start - q.end <= 30:
            if re.search(r"\b(?:at|in|on)\s+(?:the\s+)?$", t.text[q.end : pm.start]):
                return True
    return False


def _root(claim: Claim, made, claims: list[Claim]) -> Claim:
    """The total a part belongs to: a part's parent, not the part itself."""
    if claim.breakdown_of is None:
        return claim
    for other in [c for c, _ in made] + claims:
        if other.id == claim.breakdown_of:
            return other
    return claim


def _build(
    p: _Patterns, t: Tagged, i: int, q, casualty, measure: str, parent, doc_id: str
) -> Claim:
    s = t.sentences[i]
    value_span = casualty if casualty is not None else q
    evidence = [t.evidence("value", value_span)]
    subject = _counted(p, t, i, q, measure) or _subject(p, t, i, q, measure)
    if parent is not None:
        # A part's region is the one right after its number, before the next number.
        nxt = [o.start for o in t.in_sentence("quantities", i) if o.start > q.end]
        regions = _regions(t, i, q.end, min([s.end, q.end + 60, *nxt]))
    else:
        regions = _regions(t, i, s.start, s.end)
    claim = Claim(
        measure=measure,
        value=Range(q.value.min, q.value.max),
        qualifier=q.qualifier,
        region=sorted({r.place.country for r in regions}),
        as_of=t.published,
    )
    if subject is not None:
        claim.subject, claim.subject_id = subject.text, subject.actor_id
        evidence.append(t.evidence("subject", subject))
    elif parent is not None:
        claim.subject, claim.subject_id = parent.subject, parent.subject_id
    if parent is not None and not claim.region:
        claim.region = list(parent.region)  # "of whom nine were civilians": the total's countries
    months = [
        d for d in t.in_sentence("dates", i)
        if d.kind == "point" and d.value is not None and d.value.precision in ("month", "year")
    ]
    # "lower than in July, when HRMMU recorded 219 killed": the month nearest before the number
    month = next((d for d in reversed(months) if d.start < q.start), months[0] if months else None)
    for d in t.in_sentence("dates", i):
        if d.value is None:
            continue
        if d.kind in ("since", "duration") and claim.period.start is None:
            claim.period = Period(d.value.start, None)
            evidence.append(t.evidence("period", d))
        elif (
            d.kind == "point" and d.value.precision in ("month", "year") and claim.period.start is None
            and d is month
        ):
            claim.period = Period(d.value.start, d.value.end)
            evidence.append(t.evidence("period", d))
        elif (
            d.kind == "point" and d.value.precision == "day" and claim.period.start is None
            and (
                _BEGAN.search(t.text[max(s.start, d.start - 30) : d.start])
                # "Since Russia's full-scale invasion on 24 February 2022, the mission has ..."
                or _SINCE_CLAUSE.search(t.text[max(s.start, d.start - 60) : d.start]) and d.start < q.start
            )
        ):
            # "The war, which began on April 15, 2023, has killed ...": counted from its start
            claim.period = Period(d.value.start, None)
            evidence.append(t.evidence("period", d))
        elif d.kind == "range" and claim.period.start is None and d.start < q.start:
            # "Between Oct. 17 and Nov. 30, militants carried out 74 attacks"
            claim.period = Period(d.value.start, d.value.end)
            claim.as_of = d.value.end
            evidence.append(t.evidence("period", d))
        elif d.kind == "point" and d.value.precision == "day" and _said_on(p, t, d):
            claim.as_of = d.value.start  # "..., the Pentagon said on Tuesday"
            evidence.append(t.evidence("as_of", d))
        elif d.kind == "as_of":
            claim.as_of = d.value.end or d.value.start
            evidence.append(t.evidence("as_of", d))
    if parent is not None:
        claim.breakdown_of = parent.id
        if claim.period.start is None:
            claim.period = Period(parent.period.start, parent.period.end)
    evidence.extend(t.evidence("region", r) for r in regions)
    modes = [m for m in t.in_sentence("modes", i)]
    claim.attack_modes = list(dict.fromkeys(m.mode for m in modes))
    evidence.extend(t.evidence("attack_modes", m) for m in modes)
    for other in t.in_sentence("quantities", i):
        if other.unit == "kg":
            claim.payload_kg = Range(other.value.min, other.value.max)
            evidence.append(t.evidence("payload_kg", other))
            break
    source = _attribution(t, i)
    if source is not None:
        claim.attribution = source.source
        evidence.append(t.evidence("attribution", source))
    else:
        keeper = _keeper(t, i, q)
        if keeper is not None:
            # "The Pentagon on Thursday lowered its count ... to 52": the body that keeps
            # the count is its source.
            claim.attribution = keeper.text
            evidence.append(t.evidence("attribution", keeper))
    claim.evidence = evidence
    claim.document_id = doc_id
    claim.id = content_id(doc_id, "claim", measure, claim.value.min, claim.value.max, q.start)
    return claim


_BEGAN = re.compile(r"(?i:\b(?:began|begun|started|erupted|broke out|launched)\s+(?:on\s+)?)$")


def _said_on(p: _Patterns, t: Tagged, d) -> bool:
    """A day that dates the statement itself ("said on Tuesday", "On Tuesday, X said")."""
    before = t.text[max(0, d.start - 25) : d.start]
    return bool(p.speech_day.search(before))


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim told twice in a report (headline and body) is kept once."""
    seen: dict[tuple, Claim] = {}
    replaced: dict[str, str] = {}
    out: list[Claim] = []
    for c in claims:
        if c.breakdown_of in replaced:
            c.breakdown_of = replaced[c.breakdown_of]
        key = (c.measure, c.value.min, c.value.max, c.subject_id, c.period.start, tuple(c.region))
        first = seen.get(key)
        if first is None:
            seen[key] = c
            out.append(c)
            continue
        replaced[c.id] = first.id
        if len({e.field for e in c.evidence}) > len({e.field for e in first.evidence}):
            # The fuller telling (usually the body's sentence, not a subheading) speaks for both.
            first.subject, first.subject_id = c.subject, c.subject_id
            first.attribution = c.attribution or first.attribution
            first.attack_modes = c.attack_modes or first.attack_modes
            first.payload_kg = c.payload_kg if not c.payload_kg.is_empty() else first.payload_kg
            first.evidence = c.evidence + first.evidence
            continue
        first.evidence.extend(Evidence(e.field, e.start, e.end, e.text) for e in c.evidence)
        first.attribution = first.attribution or c.attribution
        first.attack_modes = first.attack_modes or c.attack_modes
    return out
