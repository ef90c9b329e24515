"""Claim assembler: numbers someone asserts about a population over a period.

A sentence states a claim when a number counts a measure (attacks, killed, injured by
severity, territory, population, fighters, personnel, displaced, detained, missing) and
the sentence reads as a running total ("since Oct. 17", "so far", "in total") or a
strategic figure ("at its height, ISIS controlled more than 100,000 square kilometers").
Numbers that count one event's casualties are left to the incident assembler.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitrep.extract.claim_fields import (
    SINCE_CLAUSE,
    as_answer,
    build,
    inherit_periods,
    period_date,
    regions_carried,
    regions_from_parts,
    regions_in,
    said_on,
)
from sitrep.extract.claim_measures import (
    LABEL,
    NEUTRALISED,
    QUESTION,
    RUNNING,
    SEVERITY_MEASURE,
    asked_measure,
    column_measure,
    header_columns,
    heading_measure,
    label_country,
    label_measure,
    labelled_value,
    line_label,
    measure_ahead,
    measure_of,
)
from sitrep.extract.claim_merge import dedupe, fold_headline
from sitrep.extract.claim_parts import (
    OF_PRONOUN,
    PART_SEVERITY,
    PEOPLE_MEASURES,
    as_earlier_value,
    breakdown_parent,
    chained_back,
    chained_to,
    part_measure,
    root_of,
    tally_stands_at,
    total_of,
)
from sitrep.extract.claim_patterns import Patterns, patterns
from sitrep.extract.quantities import Quantity
from sitrep.extract.tagged import Tagged
from sitrep.model import MEASURES, Claim, Evidence, Period, Range

# standing figures (territory, population, fighters, the displaced ...): every measure
# that is not a running count of attacks or harm
_STRATEGIC = frozenset(MEASURES) - RUNNING


# "targeted three times in 24 hours": a count of attacks over a stated window
_WINDOW = re.compile(
    r"^(?:\s+[\w-]+){0,3}?\s+(?:in|within|over|during)\s+(?:the\s+)?(?:(?:past|last|previous|preceding)\s+)?"
    r"(?:\d+|two|three|four|five|six|seven|ten|24|48|72)\s+(?:hours|days|weeks)\b"
)


_ACROSS = re.compile(r"\b(?:across|throughout) (?:the )?[A-Z][\w-]+|^\W*Since\b")
_OF_THE_TOTAL = re.compile(
    r"^\W*(?i:of (?:the|those|these|all))\s+[\w,.-]+\s+(?i:attacks|strikes|incidents)\b"
)


_ONE_ATTACK = re.compile(
    r"(?i:\b(?:killed|injured|wounded|dead|hurt)\s+(?:by|in|when|after|as)\s+(?:the\s+|an?\s+|(?:[A-Z][\w-]*)'s\s+|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)'s\s+)"
    # "killed in the two attacks" sums several attacks: a tally, not one event's toll
    r"(?!(?:two|three|four|five|six|twin|both|several|multiple|separate|series|wave|\d+)\b)(?:[\w-]+\s+){0,3}?"
    r"(?:attack|bombing|blast|strike|explosion|raid|shelling|assault|massacre|siege|missile|drone|rocket|bomb|"
    r"shooting|ambush|gunfight|fire|hostage-taking|hijacking|gunman|gunmen)\b"
    # "The number of people killed when gunmen raided the town ... has climbed to 79"
    r"|\b(?:killed|injured|wounded|dead|hurt)\s+when\s+(?:[\w-]+\s+){0,3}?"
    r"(?:raided|attacked|stormed|struck|bombed|shelled|opened\s+fire|blew\s+(?:himself|herself|themselves)\s+up)\b"
    # "The strike also injured four crew members": the toll of the attack just told
    r"|^\W*(?:the|that|this)\s+(?:[\w-]+\s+)?(?:strike|attack|blast|bombing|explosion|raid)\s+(?:also\s+)?"
    r"(?:killed|injured|wounded|hurt)\b"
    # "the number of people killed when guided bombs hit a hypermarket": one event
    r"|\b(?:killed|injured|wounded|dead|hurt)\s+when\s+(?:[\w-]+\s+){1,5}?"
    r"(?:hit|struck|slammed|exploded|went off|blew up|stormed|opened fire|attacked|fired)\b)"
)


# Numbers that count nothing: "one of the deadliest attacks" picks one out of a class,
# "killed in the two attacks" points back at attacks already told.
_ONE_OF_THE = re.compile(r"(?i:\s+of\s+the\s+(?:\w+est|most\s+\w+|worst|best|first|last)\b)")
_NOT_A_COUNT = re.compile(
    r"(?i:\b(?:in|from|during|of)\s+(?:the|both|these|those)\s*\x00\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attacks|strikes|blasts|bombings|explosions|raids|assaults|incidents)\b"
    # "Of the 118, 53 took place in Iraq": the 118 points back at a total already told
    r"|^\W*of\s+the\s*\x00\s*,"
    # "About 100 of the 143 were brain injuries", "Of those 41 wounded, ...": 143 and 41 too
    r"|\b[\w,]+\s+of\s+(?:the|those|these)\s*\x00\s+(?:were|was|are|had|have|suffered)\b"
    r"|^\W*of\s+(?:the|those|these)\s*\x00\s+[a-z]+\s*,)"
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
        d.kind == "duration"
        and d.value is not None
        and d.value.end is not None
        and (d.value.end - d.value.start).days <= 1
    )


_SPAN_DAYS = 5  # a stated range this long or longer is a period that a count sums


def _is_cumulative(p: Patterns, t: Tagged, i: int) -> bool:
    sentence = t.sentence_text(i)
    s_start = t.sentences[i].start
    if any(
        d.kind in ("since", "duration", "as_of")
        # "the deadliest attack since October": the start dates a comparison, not a count
        and not (d.kind == "since" and _SUPERLATIVE.search(t.text[s_start : d.start]))
        and not _one_day(d)
        # "Between Oct. 17 and Feb. 4": a stated span of more than a few days sums its attacks
        or d.kind == "range"
        and d.value is not None
        and d.value.end is not None
        and (d.value.end - d.value.start).days >= _SPAN_DAYS
        for d in t.in_sentence("dates", i)
    ):
        return True
    s = t.sentences[i]
    hits = [
        (a, b)
        for a, b in t.words("claims.yaml").spans("cumulative", s.start, s.end)
        # "one of the deadliest attacks since the war began" compares, it does not count
        if not (
            t.text[a:b].lower().startswith("since") and _SUPERLATIVE.search(t.text[s.start : a])
        )
        # "In the past 24 hours, 37 people were killed": one day's figures
        and not _ONE_DAY_AFTER.match(t.text[b : b + 30])
    ]
    if hits or _OF_THE_TOTAL.match(sentence):
        return True
    if p.war_toll.search(sentence):
        return True  # a war's toll over its whole course
    # "killed at least 31 people across Ukraine": a country-wide count, unless the
    # sentence tells one dated attack on a town ("... in Kyiv on Friday, in a nationwide barrage").
    scope = t.words("claims.yaml").has("cumulative_scope", s.start, s.end) or _ACROSS.search(
        sentence
    )
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


def _dated_event(p: Patterns, t: Tagged, i: int) -> bool:
    filed = _dateline_end(t, i)
    day = any(
        d.kind == "point"
        and d.value is not None
        and d.value.precision == "day"
        and not said_on(p, t, d)
        and d.start >= filed
        # "Since the military seized power on 26 July 2023": the day opens a period
        and not SINCE_CLAUSE.search(t.text[t.sentences[i].start : d.start])
        for d in t.in_sentence("dates", i)
    )
    # "killed 12 people across the country on 17 September": one day's barrage, wherever it fell
    return day


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


def _zero_counts(
    p: Patterns, t: Tagged, i: int, claims: list[Claim], follows_claim: bool
) -> list[tuple]:
    """(quantity, measure, parent) for each count of nought in sentence i, and each
    running count an ordinal states."""
    s = t.sentences[i]
    text = t.text[s.start : s.end]
    out = []
    for m in _ORDINAL.finditer(text):
        n = int(m.group("n"))
        a, b = s.start + m.start("n"), s.start + m.end("n")
        out.append(
            (Quantity(a, b, t.text[a:b], Range(n, n), "exact", None, False, a), "attacks", None)
        )
    cumulative = (
        any(d.kind == "since" for d in t.in_sentence("dates", i)) or "since then" in text.lower()
    )
    for m in _NO_NOUN.finditer(text):
        if cumulative and p.attacks.match(text[m.end() :]):
            out.append((_zero(t, s.start + m.start(), s.start + m.end()), "attacks", None))
    if cumulative and claims and (m := _NONE_SINCE.search(text)):
        last = next(
            (c for c in reversed(claims) if c.measure in RUNNING and c.breakdown_of is None), None
        )
        if last is not None:
            out.append((_zero(t, s.start + m.start("z"), s.start + m.end("z")), last.measure, None))
    quiet = (
        not t.in_sentence("places", i)
        and not any(d.kind in ("point", "range") for d in t.in_sentence("dates", i))
        and not _tells_attack(t, i)
    )
    if follows_claim and quiet and (m := _NONE_HURT.search(text)):
        measure = "killed" if m.group("harm").lower() == "killed" else "injured"
        out.append((_zero(t, s.start + m.start(), s.start + m.end()), measure, None))
    if claims and quiet and (m := _NONE_OF_INJURIES.search(text)):
        severity = next((ms for ms, words in PART_SEVERITY if words.search(m.group("rest"))), None)
        parent = next(
            (c for c in reversed(claims) if c.measure == "injured" and c.breakdown_of is None), None
        )
        if severity is not None and parent is not None:
            out.append((_zero(t, s.start + m.start("z"), s.start + m.end("z")), severity, parent))
    return out


def assemble_claims(t: Tagged, doc_id: str) -> tuple[list[Claim], set[int]]:
    """Claims of the document, and the indices of the sentences that state them."""
    p = patterns()
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
        cumulative = (
            (scope is not None and _fact_item(t, i))
            or _is_cumulative(p, t, i)
            or (
                # A tally goes on across sentences ("56 have been injured. 19 of them in Iraq"),
                # and across a reporter's question in a briefing
                _gap(t, last_claim_sentence, i) <= 2
                and not any(
                    d.kind in ("point", "range") or _one_day(d) for d in t.in_sentence("dates", i)
                )
                and not t.in_sentence("places", i)
                or i - last_claim_sentence <= 2
                and _continues(p, t, i)
            )
        )
        casualty_at = {}
        for c in t.in_sentence("casualties", i):
            if not c.negated:
                casualty_at[c.start] = c
        made: list[tuple[Claim, object]] = []
        line = line_label(t, i)
        columns = header_columns(t, i, line)
        headed = heading_measure(t, i, line)
        for q in t.in_sentence("quantities", i):
            if _NOT_A_COUNT.search(
                t.text[max(s_start, q.start - 12) : q.start] + "\x00" + t.text[q.end : q.end + 40]
            ) or (q.text.lower() == "one" and _ONE_OF_THE.match(t.text[q.end : q.end + 40])):
                continue
            if q.vague and q.value.max is not None and q.value.max < 10:
                continue  # "several", "a few": no one publishes that as a tally
            casualty = next((c for c in casualty_at.values() if c.start <= q.start < c.end), None)
            measure = measure_of(p, t, i, q, casualty) or measure_ahead(p, t, i, q)
            parent = breakdown_parent(p, t, i, q, made, claims, measure)
            labelled = labelled_value(t, i, line, q)
            country = heading = None
            if labelled and measure is None and line.measure is not None:
                parent = None  # "- People killed in Israel, most of them on Oct. 7: about 1,200"
            if labelled and measure is None and parent is None:
                if line.measure is not None:
                    measure = line.measure  # "- Seafarers killed: 4"
                elif headed is not None:
                    measure, country = (
                        headed[0],
                        label_country(t, i, line),
                    )  # "* Mali: about 330,000"
                    heading = headed[1]
                elif claims and (country := label_country(t, i, line)):
                    parent = root_of(claims[-1], made, claims)  # "- Iraq: 67" under a total
                elif (
                    claims
                    and i - last_claim_sentence <= 4
                    and len(t.text[line.start : line.end].split()) <= 4
                    and _after_items(t, i, last_claim_sentence)
                ):
                    # "- civilians: 20" in the list under "- Deaths in militant attacks: 91"
                    parent = root_of(claims[-1], made, claims)
            column = column_measure(t, i, line, q, columns)
            if column is not None:
                # "Regional breakdown (killed / injured):" then "- Donetsk region: 83 / 301"
                measure, country = column, label_country(t, i, line)
                parent = next(
                    (
                        c
                        for c in reversed([*claims, *(c for c, _ in made)])
                        if c.measure == column and c.breakdown_of is None
                    ),
                    None,
                )
                labelled = True
            asked = False
            chained = tallied = None
            if measure is None and parent is None:
                chained = chained_to(t, q, made) or (
                    chained_back(t, i, q, claims)
                    if i - last_claim_sentence == 1 and not made
                    else None
                )
                measure = (
                    total_of(t, i, q, made)
                    or (chained and chained.measure)
                    or label_measure(t, i, q)
                    or (
                        tallied := None
                        if made
                        else tally_stands_at(t, i, q, claims, i - last_claim_sentence == 1)
                    )
                )
            if measure is None and parent is None:
                measure = asked_measure(t, i, q)
                asked = measure is not None
            if measure is None and parent is None:
                continue
            if (
                parent is not None
                and measure in PEOPLE_MEASURES
                and parent.measure in ("killed", "injured")
            ):
                measure = None  # "Among the dead were 685 members of the security forces"
            if measure is None:
                measure = part_measure(t, q, parent.measure)
            elif (
                parent is not None
                and measure == "injured" == parent.measure
                and OF_PRONOUN.match(
                    re.sub(
                        r"^\s+of\s+(?:the\s+)?(?:those|these)\s+(?:injured|wounded|hurt)",
                        " of those",
                        t.text[q.end : q.end + 40],
                    )
                )
            ):
                # "Dozens of those injured were diagnosed with TBI": the part's own severity
                measure = part_measure(t, q, "injured", 90)
            if parent is None and _at_one_site(t, i, q):
                continue
            if (
                casualty is not None or measure in SEVERITY_MEASURE.values()
            ) and _ONE_ATTACK.search(t.sentence_text(i)):
                continue  # "the number killed by Monday's bombing rose to 95": one attack's toll
            monthly = (
                measure == "attacks"
                and (
                    period_date(t, i) is not None
                    or (q.value.min or 0) >= 2
                    and _WINDOW.match(t.text[q.end : q.end + 60])
                )
                or (
                    # "At least 219 civilians were killed and 1,018 injured in Ukraine in July": a
                    # month's toll in a country, told with no attack, weapon or day of its own
                    measure in ("killed", "injured")
                    and period_date(t, i) is not None
                    and not _few(q)
                    and not _tells_attack(t, i)
                    and not _dated_event(p, t, i)
                    # a month's toll names its country; a year's ("In 2022, 119 police ...") need not
                    and (
                        period_date(t, i).value.precision == "year"
                        or regions_in(t, i, t.sentences[i].start, t.sentences[i].end)
                    )
                    and not t.words("incidents.yaml").has(
                        "not_an_attack", t.sentences[i].start, t.sentences[i].end
                    )
                )
            )
            # "In December alone, militants carried out 40 attacks": a count over a month.
            if (
                measure not in _STRATEGIC
                and not (
                    cumulative
                    or asked
                    or parent is not None
                    or monthly
                    or chained is not None
                    or tallied is not None
                    or (labelled and scope is not None and not _tells_attack(t, i, line.after))
                    # an operations summary: "troops neutralised 137 terrorists" over a week,
                    # told with no attack, place or day of its own
                    or (
                        measure == "killed"
                        and NEUTRALISED.search(t.text[max(s_start, q.start - 40) : q.start])
                        and not _tells_attack(t, i)
                        and not any(
                            d.kind == "point" and _one_day(d) for d in t.in_sentence("dates", i)
                        )
                    )
                )
            ):
                continue  # one event's numbers: the incident assembler's job
            if measure in _STRATEGIC and not cumulative and parent is None and _few(q):
                # "One crew member is missing", "captured one", "two were missing": a handful
                # of people in one event's telling is no standing figure.
                continue
            if (
                made
                and q.qualifier == "exact"
                and not q.vague
                and made[-1][1].qualifier in ("at_least", "more_than")
                and _SHARED.match(t.text[made[-1][1].end : q.start])
            ):
                # "at least 11,284 civilians killed and 22,594 injured": the bound covers both
                q = replace(q, qualifier=made[-1][1].qualifier, value=Range(q.value.min, None))
            claim = build(p, t, i, q, casualty, measure, parent, doc_id)
            as_answer(t, i, q, claim)
            if chained is not None:
                as_earlier_value(t, i, q, claim, chained)
            if tallied is not None and tallied == measure:
                # "Our own tally ... stands at 79": it counts the population the report's
                # last count of the same kind did
                earlier = next(
                    (
                        c
                        for c in reversed(claims)
                        if c.measure == measure and c.breakdown_of is None
                    ),
                    None,
                )
                if earlier is not None and earlier.subject:
                    claim.subject, claim.subject_id = earlier.subject, earlier.subject_id
            if (
                labelled
                and parent is None
                and any(e.field == "period" and e.start >= line.after for e in claim.evidence)
            ):
                # "- Seafarers killed: 4 (three in March, one in June)": the months date the parts
                claim.period = Period(None, None)
                claim.evidence = [e for e in claim.evidence if e.field != "period"]
            if heading is not None and claim.subject is None:
                claim.subject = heading  # "Internally displaced people" over the list
            if labelled and country:
                claim.region = [country]
            if labelled and line.subject is not None:
                a, b = line.subject
                claim.subject, claim.subject_id = t.text[a:b], None
                for actor in t.in_sentence("actors", i):
                    if a <= actor.start and actor.end <= b:
                        claim.subject_id = actor.actor_id
                claim.evidence.append(Evidence("subject", a, b, t.text[a:b]))
            made.append((claim, q))
        for q, measure, parent in _zero_counts(
            p, t, i, claims + [c for c, _ in made], i - last_claim_sentence == 1
        ):
            made.append((build(p, t, i, q, None, measure, parent, doc_id), q))
        if made:
            claims.extend(c for c, _ in made)
            running = any(c.measure in RUNNING for c, _ in made)
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
            if c.period.start is None and start is not None and c.measure in RUNNING:
                c.period = Period(start, c.period.end)
            if c.as_of == t.published and as_of is not None:
                c.as_of = as_of
    _headline_period(t, claims)
    _period_referred_to(t, claims)
    inherit_periods(claims)
    regions_from_parts(claims)
    regions_carried(t, claims)
    return fold_headline(t, dedupe(claims)), claim_sentences


_HARM = re.compile(r"(?i:kill|wound|injur|hurt|dead|die)")


_FIGURES = re.compile(r"(?i:\b(?:figures?|numbers|counts?|totals?|tally|toll|data|statistics)\b)")


# "Within the period under review, troops neutralised 137": the range told just before
_THE_PERIOD = re.compile(
    r"(?i:\b(?:the|that|this|same)\s+(?:period|week|fortnight)(?:\s+under\s+review)?\b)"
)


def _period_referred_to(t: Tagged, claims: list[Claim]) -> None:
    """A count "within the period under review" or "over the same period" runs over the
    date range the sentences just before it stated ("between 8 and 14 March")."""
    for c in claims:
        if c.period.start is not None or not c.evidence:
            continue
        i = t.sentence_of(c.evidence[0].start)
        if i is None or not _THE_PERIOD.search(t.sentence_text(i)):
            continue
        ranges = [
            d
            for d in t.dates
            if d.kind == "range"
            and d.value is not None
            and d.value.end is not None
            and t.sentences[max(0, i - 3)].start <= d.start < t.sentences[i].end
        ]
        if ranges:
            d = ranges[-1]
            c.period = Period(d.value.start, d.value.end)
            c.evidence.append(t.evidence("period", d))


def _headline_period(t: Tagged, claims: list[Claim]) -> None:
    """A tracker's headline gives the period its counts run from ("Tracker: attacks on US
    forces since Oct. 17"): the first running count with no start of its own takes it (and
    ``inherit_periods`` passes it on)."""
    first = next((c for c in claims if c.measure in RUNNING), None)
    if first is None or first.period.start is not None or not t.sentences:
        return
    s = t.sentences[0]
    newline = t.text.find("\n", s.start, s.end)
    end = s.end if newline < 0 else newline
    if any(q.start < end for q in t.in_sentence("quantities", 0)):
        return  # a headline with a number of its own is a claim of its own
    since = next(
        (d for d in t.in_sentence("dates", 0) if d.start < end and d.kind == "since" and d.value),
        None,
    )
    if since is not None:
        first.period = Period(since.value.start, first.period.end)
        first.evidence.append(t.evidence("period", since))


# a fact box's heading line: a few words, no verb of its own ("KEY FIGURES (1-31 January 2025)")
_HEADING = re.compile(
    r"^\W*(?:[A-Za-z]+\s+){0,3}(?i:figures|numbers|statistics|data|toll|tally)\b[^.\n]{0,60}$"
)


def _gap(t: Tagged, last: int, i: int) -> int:
    """Sentences from the last count to this one, a reporter's questions not counted."""
    if last < 0:
        return i - last
    return i - last - sum(1 for k in range(last + 1, i) if QUESTION.match(t.sentence_text(k)))


def _after_items(t: Tagged, i: int, last: int) -> bool:
    """Every sentence from the last count's to this one is an item of one list."""
    return last >= 0 and all(line_label(t, k) is not None for k in range(last, i + 1))


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
        elif (
            d.kind == "range"
            and start is None
            and d.value.end is not None
            and _HEADING.match(t.sentence_text(i))
        ):
            start = d.value.start  # "KEY FIGURES (1-31 January 2025)": the figures' period
        elif d.kind == "as_of" and as_of is None:
            as_of = d.value.end or d.value.start
        elif (
            # "All figures current to 2024-02-05", "figures up to date to June 30"
            d.kind == "point"
            and as_of is None
            and d.value.precision == "day"
            and _CURRENT_TO.search(t.text[max(t.sentences[i].start, d.start - 30) : d.start])
        ):
            as_of = d.value.end or d.value.start
    if start is None and as_of is None:
        return None
    return start, as_of


_CURRENT_TO = re.compile(
    r"(?i:\b(?:current|correct|accurate|up to date|valid)\s+(?:to|as of|through|until|at)\s+)$"
)


def _fact_item(t: Tagged, i: int) -> bool:
    """Sentence i is in an item of a fact sheet: a labelled paragraph ("Attacks: ...")."""
    para = t.sentences[i].paragraph
    first = i
    while first > 0 and t.sentences[first - 1].paragraph == para:
        first -= 1
    head = t.text[t.sentences[first].start : t.sentences[first].end]
    own = t.sentence_text(i)  # or a label line of its own
    return bool(LABEL.match(head) or LABEL.match(own) and "\n" not in own.strip())


def _tells_attack(t: Tagged, i: int, start: int | None = None) -> bool:
    """The sentence tells an attack (after ``start``, a list item's colon): a weapon, or
    an attack verb that is not a word of harm."""
    s = t.sentences[i]
    start = s.start if start is None else start
    if any(m.attack and m.start >= start for m in t.in_sentence("modes", i)):
        return True
    hit = t.words("incidents.yaml").first("attack_verb", start, s.end)
    return hit is not None and not _HARM.search(t.text[hit[0] : hit[1]])


def _continues(p: Patterns, t: Tagged, i: int) -> bool:
    """A sentence that breaks down the figure before it ("19 of them in Iraq")."""
    s = t.sentences[i]
    return bool(p.breakdown_lead.match(t.text[s.start : s.end])) or any(
        p.of_them.match(t.text[q.end : q.end + 20]) for q in t.in_sentence("quantities", i)
    )


def _at_one_site(t: Tagged, i: int, q) -> bool:
    """ "the 40-plus injured at Tower 22": one attack's toll inside a tally sentence."""
    for pm in t.in_sentence("places", i):
        if pm.kind == "facility" and 0 <= pm.start - q.end <= 30:
            if re.search(r"\b(?:at|in|on)\s+(?:the\s+)?$", t.text[q.end : pm.start]):
                return True
    return False
