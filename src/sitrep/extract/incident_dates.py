"""Which day an attack happened: the date its sentence gives, one counted from another
("two days after", "the day before"), one carried from the sentences before it, or a live
blog entry's day; never when something was said or the date a text was filed."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from sitrep.extract.incident_places import best_place
from sitrep.extract.tagged import Span, Tagged
from sitrep.model import DateSpan, IncidentMention

_LEXICON = "incidents.yaml"
_SAID_ON = re.compile(
    r"\b(?:said|told(?:\s+[\w'’-]+){1,3}|announced|reported|confirmed|added|stated)\s+(?:on\s+|late\s+|early\s+)?$"
)

_BY = re.compile(
    r"\bby\s+$"
)  # "no group had claimed it by Monday": a deadline, not the attack's day

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def event_date(t: Tagged, i: int):
    key = ("event_date", i)
    if key not in t.memo:
        d = _find_event_date(t, i)
        t.memo[key] = _in_that_year(t, d) if d is not None else None
    return t.memo[key]


_THAT_YEAR = re.compile(r"(?i:,?\s+(?:of\s+)?that\s+year\b)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_OWN_YEAR = re.compile(r"(?i:\b(?:this|last|next|the\s+previous|the\s+following)\s+year\b)")
_MONTH = re.compile(
    r"(?i:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=\s|$|,))"
)


def _in_that_year(t: Tagged, d):
    """ "In June that year": June of the year the text named last before it, not the June
    nearest the publication day. So too a day or month with no year of its own told right
    after an earlier year ("On January 3, 2020, ... Iran answered on January 8"; "In January
    2022 ... fought from January 20 to 30")."""
    if d.value is None or _YEAR.search(d.text):
        return d
    if _THAT_YEAR.match(t.text, d.end):
        years = _YEAR.findall(t.text, 0, d.start)
    else:
        # a calendar date right after an earlier one that names its year, in this sentence
        # or the one before in the same paragraph
        i = t.sentence_of(d.start)
        if i is None or not _MONTH.search(d.text) or _OWN_YEAR.search(t.sentence_text(i)):
            return d  # "In June this year", "In October last year": the sentence dates itself
        first = i - 1 if i > 0 and t.sentences[i - 1].paragraph == t.sentences[i].paragraph else i
        before = [
            e
            for e in t.dates
            if t.sentences[first].start <= e.start < d.start
            and e.kind in ("point", "range")
            and e.value is not None
            and _YEAR.search(e.text)
            and _MONTH.search(e.text)
            # not the start of a period ("since the Taliban took power in August 2021")
            and not re.search(
                r"(?i:\bsince\b)", t.text[t.sentences[t.sentence_of(e.start) or 0].start : e.start]
            )
        ]
        years = [str(before[-1].value.start.year)] if before else []
        if not years or int(years[-1]) >= d.value.start.year:
            return d
    if not years:
        return d
    shift = int(years[-1]) - d.value.start.year
    if shift == 0:
        return d
    try:
        start = d.value.start.replace(year=d.value.start.year + shift)
        end = d.value.end.replace(year=d.value.end.year + shift) if d.value.end else None
    except ValueError:  # 29 February
        return d
    return replace(d, value=DateSpan(start, end, d.value.precision))


_WHEN_AFTER = re.compile(r",?\s+when\s")


def _find_event_date(t: Tagged, i: int):
    """The date of the attack a sentence tells: the most precise one, and among equals
    the one nearest the attack's site ("early on Wednesday ... Monday's strike on al-Asad")."""
    site = best_place(t, i)
    anchor = site.start if site is not None else t.sentences[i].start
    best, best_key = None, None
    for d in t.in_sentence("dates", i):
        if (
            d.value is None
            or d.kind not in ("point", "range")
            and not (
                # "the deadliest since November 26, when gunmen stormed Djibo": that attack's day
                d.kind == "since" and _WHEN_AFTER.match(t.text, d.end)
            )
        ):
            continue
        lead = t.text[max(0, d.start - 40) : d.start]
        if _header_date(t, d):
            continue  # "STATEMENT / August 10, 2024 / <headline>" read as one sentence
        if _SAID_ON.search(lead):
            continue  # "officials said on Tuesday": when it was said, not when it happened
        # "Monday's bombing" names the attack's own day; "rose to 95 on Tuesday" does not.
        possessive = t.text.startswith(("'s", "’s"), d.end)
        if _BY.search(lead) and not possessive:
            continue
        key = (not possessive, _PRECISION_RANK.get(d.value.precision, 4), abs(d.start - anchor))
        if best_key is None or key < best_key:
            best, best_key = d, key
    return best


_OFFSET = re.compile(
    r"(?i:\b(?P<n>\w+|\d+)\s+(?P<unit>day|days|week|weeks)\s+(?P<dir>earlier|later|before|after|afterwards)\b)"
)

_DAY_BEFORE = re.compile(
    r"(?i:\bthe (?P<dir>day before|previous day|following day|next day|day after|same night|same day|"
    r"same evening|same morning|same afternoon)\b)"
)

_BEFORE_AN_ATTACK = re.compile(r"\s+(?:a|an|the)\s")

_DAYS_AFTER = re.compile(r"(?i:\b(?P<n>\w+)\s+(?P<unit>days?|weeks?)\s+after\s+(?:a|an|the)\s)")


def _days_counted(hit: re.Match) -> int | None:
    """The days an exact "<n> days" or "<n> weeks" (groups ``n`` and ``unit``) counts."""
    from sitrep.extract.quantities import parse_quantity

    q = parse_quantity(hit.group("n"))
    if q is None or q.value.min is None or q.value.min != q.value.max:
        return None
    return int(q.value.min) * (7 if hit.group("unit").lower().startswith("week") else 1)


def count_back(t: Tagged, m: IncidentMention, d) -> None:
    """ "Rescuers finished on Monday, two days after a drone tore into the building": the
    attack's day is counted back from the day the sentence gives."""
    i = t.sentence_of(d.start)
    if i is None:
        return
    hit = _DAYS_AFTER.search(t.text, d.end, t.sentences[i].end)
    if hit is None or m.date.start is None or m.date.precision != "day":
        return
    days = _days_counted(hit)
    if days is None:
        return
    day = m.date.start - timedelta(days=days)
    m.date = DateSpan(day, day, "day")
    m.evidence.append(t.evidence("date", Span(hit.start(), hit.end())))


def date_from_previous(t: Tagged, i: int, m: IncidentMention, last: IncidentMention) -> None:
    """ "Two days earlier, rockets ...": a date counted from the attack told just before."""
    if last.date.start is None or last.date.precision != "day":
        return
    s = t.sentences[i]
    hit = _OFFSET.search(t.text, s.start, s.end)
    days = None
    if hit:
        days = _days_counted(hit)
        if days is not None:
            if hit.group("dir").lower() in ("earlier", "before"):
                days = -days
            if _BEFORE_AN_ATTACK.match(t.text, hit.end()):
                # "16 days after a US drone strike killed ...": this sentence's attack is
                # the earlier one, counted back from the day told before
                days = -days
    else:
        hit = _DAY_BEFORE.search(t.text, s.start, s.end)
        if hit:
            rel = hit.group("dir").lower()
            days = (
                -1 if rel in ("day before", "previous day") else 0 if rel.startswith("same") else 1
            )
    if days is None:
        return
    day = last.date.start + timedelta(days=days)
    m.date = DateSpan(day, day, "day")
    m.evidence.append(t.evidence("date", Span(hit.start(), hit.end())))


_TIMESTAMP = re.compile(
    r"(?m:^[ \t]*\d{1,2}[:.]\d{2}(?:\s*(?:GMT|UTC|local(?: time)?|[A-Z]{2,4}))?\s*(?:[-–—:|]|\n))"
)


def date_from_entry(t: Tagged, i: int, m: IncidentMention) -> None:
    """A live blog's entries ("10:50 - Okhmatdyt has been hit") tell the day it is
    published unless they say otherwise: the entry's timestamp dates the attack."""
    if t.published is None:
        return
    stamps = [hit for hit in _TIMESTAMP.finditer(t.text)]
    if len(stamps) < 2:
        return
    before = [hit for hit in stamps if hit.start() <= t.sentences[i].start]
    if not before:
        return
    stamp = before[-1]
    day = next(
        (
            d
            for d in reversed(t.dates)
            if d.start < stamp.start()
            and d.kind == "point"
            and d.value is not None
            and d.value.precision == "day"
            and _header_date(t, d)
        ),
        None,
    )
    if day is not None:  # "Saturday 20 July" above the entries: the day they tell
        m.date = DateSpan(day.value.start, day.value.end, "day")
        m.evidence.append(t.evidence("date", day))
        return
    m.date = DateSpan(t.published, t.published, "day")
    m.evidence.append(
        t.evidence(
            "date",
            Span(stamp.start() + len(stamp.group()) - len(stamp.group().lstrip()), stamp.end()),
        )
    )


def same_occasion(t: Tagged, i: int) -> bool:
    """ "A few hours later", "In the evening", "In the second attack": the sentence goes on
    with the occasion told before it."""
    s = t.sentences[i]
    return t.words(_LEXICON).has("same_occasion", s.start, s.end)


_ATTACK_NOUN = re.compile(r"(?i:\b(strikes?|attacks?|raid|bombing|blast|explosion|shelling)\b)")


def date_referred_back(t: Tagged, i: int, m: IncidentMention) -> bool:
    """ "16 people were killed in the strikes": the attack told before, named again, on
    the day the nearest earlier sentence about it gives ("The strikes were carried out
    late on Friday")."""
    s = t.sentences[i]
    hit = t.words(_LEXICON).first("back_reference", s.start, s.end)
    if hit is None:
        return False
    noun = _ATTACK_NOUN.search(t.text, *hit)
    if noun is None:
        return False
    stem = noun.group(1).lower().rstrip("s")
    for j in range(i - 1, -1, -1):
        if stem not in t.sentence_text(j).lower():
            continue
        d = event_date(t, j)
        if d is not None and d.value.precision == "day":
            m.date = DateSpan(d.value.start, d.value.end, "day")
            m.evidence.append(t.evidence("date", d))
            return True
    return False


def date_from_last(
    t: Tagged, i: int, m: IncidentMention, last: IncidentMention, cls: str = "same_occasion"
) -> None:
    if last.date.start is None or last.date.precision != "day":
        return
    m.date = DateSpan(last.date.start, last.date.end, "day")
    s = t.sentences[i]
    hit = t.words(_LEXICON).first(cls, s.start, s.end)
    m.evidence.append(t.evidence("date", Span(*hit)))


def context_date(t: Tagged, i: int):
    """A date the sentence leaves implicit: the last one earlier in its paragraph, else the
    lead's, for an attack told in the first sentences ("On Monday, drones ... The attack ...")."""
    para = t.sentences[i].paragraph
    for j in range(i - 1, -1, -1):
        if t.sentences[j].paragraph != para:
            break
        d = event_date(t, j)
        if d is not None:
            return d
    if i <= 3:
        for j in range(0, min(len(t.sentences), 4)):
            d = event_date(t, j)
            if d is not None and d.value.precision == "day" and not _header_date(t, d):
                return d
    return None


_HEADER_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _header_date(t: Tagged, d) -> bool:
    """A date on a line of its own or in a dateline ("August 10, 2024", "BAGHDAD, Dec. 9",
    "Rawalpindi - 16 March 2024", a live blog's "Saturday 20 July"): when the text was
    written or which day's entries follow, not the day of an attack a sentence tells."""
    start = t.text.rfind("\n", 0, d.start) + 1
    if _DATELINE_HEAD.fullmatch(t.text, start, d.start) and _DATELINE_TAIL.match(t.text, d.end):
        return True  # "BAMAKO, Oct 2 - Suspected jihadist fighters ...": the filing day
    end = t.text.find("\n", d.end)
    line = t.text[start : len(t.text) if end < 0 else end]
    rest = line[: d.start - start] + " " + line[d.end - start :]
    words = _HEADER_WORD.findall(rest)
    return len(words) <= 4 and all(w[0].isupper() for w in words)


# A dateline's place ("BAMAKO, ", "MAIDUGURI, Nigeria, ") before its date, and the dash after.
_DATELINE_HEAD = re.compile(
    r"[ \t]*[A-Z][A-Z.'’ -]+(?:\s*\([^)\n]{1,30}\))?,\s*(?:[A-Z][\w.'’ -]{1,25},\s*)?"
)
_DATELINE_TAIL = re.compile(r"\s*(?:\([^)\n]{1,30}\)\s*)?[-—–]\s")
