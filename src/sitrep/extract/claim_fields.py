"""The fields of a claim once its number and measure are known: what it counts (subject),
where (region), who says so (attribution), its period and as-of date; and the regions and
periods a report's claims share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.extract.actors import actor_by_id
from sitrep.extract.attribution import main_source
from sitrep.extract.claim_measures import POSTED_IN, RUNNING, question_before
from sitrep.extract.claim_patterns import Patterns
from sitrep.extract.tagged import Tagged
from sitrep.model import Claim, Period, Range, content_id

_SUBJECT_KINDS_FIRST = {"state_military", "coalition", "civilians", "government"}


def as_answer(t: Tagged, i: int, q, claim: Claim) -> None:
    """A troop count answering "how many US troops are in Iraq and Syria?": the forces the
    question names are the subject, and each number's own country its region."""
    span = question_before(t, i) if claim.measure == "personnel" else None
    if span is None:
        return
    forces = [
        a
        for a in t.actors
        if span[0] <= a.start < span[1]
        and a.kind in ("state_military", "coalition")
        and not a.generic
    ]
    if forces:
        claim.subject, claim.subject_id = forces[0].text, forces[0].actor_id
        claim.evidence = [e for e in claim.evidence if e.field != "subject"]
        claim.evidence.append(t.evidence("subject", forces[0]))
    if POSTED_IN.match(t.text[q.end : q.end + 40]):
        nxt = [o.start for o in t.in_sentence("quantities", i) if o.start > q.end]
        claim.region = sorted(
            {r.place.country for r in regions_in(t, i, q.end, min([t.sentences[i].end, *nxt]))}
        )


SINCE_CLAUSE = re.compile(r"(?i:\bsince\b[^,;.]*$)")


def period_date(t: Tagged, i: int):
    """A month or year that a count covers ("in December", "in 2023")."""
    for d in t.in_sentence("dates", i):
        if d.kind == "point" and d.value is not None and d.value.precision in ("month", "year"):
            return d
    return None


def _subject(p: Patterns, t: Tagged, i: int, q, measure: str):
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


def _counted(p: Patterns, t: Tagged, i: int, q, measure: str) -> _Counted | None:
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
        (
            x.actor_id
            for x in t.in_sentence("actors", i)
            if a <= x.start and x.end <= b and not x.generic
        ),
        None,
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


def regions_in(t: Tagged, i: int, start: int, end: int) -> list:
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


def regions_carried(t: Tagged, claims: list[Claim]) -> None:
    """A report's counts that name no country are of the one country its counts named
    ("militants carried out 74 attacks across Pakistan ... The attacks killed 91 people"),
    else of the one country all its places are in."""
    named = {tuple(c.region) for c in claims if c.region}
    from_places = not named
    if from_places:  # not "Russia's invasion": a possessive names a party, not where
        named = {
            (pm.place.country,)
            for pm in t.places
            if pm.place.country and not t.text.startswith(("'s", "’s"), pm.end)
        }
    if len(named) != 1 or len(next(iter(named))) != 1:
        return
    (country,) = next(iter(named))
    for c in claims:
        if not c.region and not (from_places and _abroad(c, country)):
            c.region = [country]


def _abroad(claim: Claim, country: str) -> bool:
    """A count of a force far from home ("US forces have been attacked 27 times") is not
    bounded by the one country a report about one of those attacks happens to name."""
    actor = actor_by_id(claim.subject_id) if claim.subject_id else None
    return actor is not None and actor.country is not None and actor.country != country


def regions_from_parts(claims: list[Claim]) -> None:
    """A total that names no country covers the countries of its parts."""
    parts: dict[str, set[str]] = {}
    for c in claims:
        if c.breakdown_of:
            parts.setdefault(c.breakdown_of, set()).update(c.region)
    for c in claims:
        if not c.region and parts.get(c.id):
            c.region = sorted(parts[c.id])


def inherit_periods(claims: list[Claim]) -> None:
    """A running count with no start of its own counts from the start the report last
    gave, and to its end when that period was closed ("in January": the month)."""
    last = None
    for c in claims:
        if c.measure not in RUNNING:
            continue
        if c.period.start is not None:
            last = c.period
        elif last is not None:
            c.period = Period(last.start, c.period.end or last.end)


def build(p: Patterns, t: Tagged, i: int, q, casualty, measure: str, parent, doc_id: str) -> Claim:
    s = t.sentences[i]
    value_span = casualty if casualty is not None else q
    evidence = [t.evidence("value", value_span)]
    subject = _counted(p, t, i, q, measure) or _subject(p, t, i, q, measure)
    if parent is not None:
        # A part's region is the one right after its number, before the next number.
        nxt = [o.start for o in t.in_sentence("quantities", i) if o.start > q.end]
        regions = regions_in(t, i, q.end, min([s.end, q.end + 60, *nxt]))
    else:
        regions = regions_in(t, i, s.start, s.end)
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
        d
        for d in t.in_sentence("dates", i)
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
            d.kind == "point"
            and d.value.precision in ("month", "year")
            and claim.period.start is None
            and d is month
        ):
            claim.period = Period(d.value.start, d.value.end)
            evidence.append(t.evidence("period", d))
        elif (
            d.kind == "point"
            and d.value.precision == "day"
            and claim.period.start is None
            and (
                _BEGAN.search(t.text[max(s.start, d.start - 30) : d.start])
                # "Since Russia's full-scale invasion on 24 February 2022, the mission has ..."
                or SINCE_CLAUSE.search(t.text[max(s.start, d.start - 60) : d.start])
                and d.start < q.start
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
        elif d.kind == "point" and d.value.precision == "day" and said_on(p, t, d):
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


def said_on(p: Patterns, t: Tagged, d) -> bool:
    """A day that dates the statement itself ("said on Tuesday", "On Tuesday, X said")."""
    before = t.text[max(0, d.start - 25) : d.start]
    return bool(p.speech_day.search(before))
