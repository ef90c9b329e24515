"""The date tagger: date expressions in news text, resolved against the publication date.

``find_dates(text, published)`` returns every date mention, sorted and non-overlapping;
``parse_date(expr, published)`` reads one whole expression (CLI filters).

Mention kinds and their values (``DateSpan(start, end, precision)``):

- ``point``     a day, week, month or year: "Oct. 17", "on Monday", "late last month",
                "in 2023". Plain prepositions stay outside a point's span ("Monday",
                "2023"); "since", "between", "over the past" ... are part of theirs.
- ``range``     two ends: "October 17-18", "between Oct. 17 and 18", "from Jan. 1 to Jan. 5".
- ``since``     "since Oct. 17": the value is the start (a day, or the span written).
- ``until``     "until Nov. 5", "through Friday": the value is the end.
- ``as_of``     "as of Jan. 20": the day the count holds for.
- ``duration``  "over the past 13 days": published - 13 days .. published.
- ``anchored``  "two days after Oct. 17" (resolved) or "10 years after the government
                invited ..." (value None: the anchor is an event, not a date).

Nothing is guessed: without a publication date, yearless and relative dates have value
None. The vocabulary lives in ``lexicon/dates.yaml``; the grammar below combines it into
one precompiled scanner, and dateparser only backs up ``parse_date`` for odd formats.
"""

from __future__ import annotations

import calendar
import dataclasses
import math
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from sitrep.lexicons import load_entries
from sitrep.model import DateSpan

__all__ = ["DateLexiconEntry", "DateMention", "find_dates", "parse_date"]

KINDS = ("point", "range", "since", "until", "duration", "as_of", "anchored")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets into the text passed in
    end: int
    text: str
    kind: str  # one of KINDS
    value: DateSpan | None  # None when it cannot be resolved


# ---------------------------------------------------------------- lexicon schema


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MonthEntry(_Entry):
    kind: Literal["month"]
    value: int = Field(ge=1, le=12)
    names: list[str]
    abbreviations: list[str] = []
    alone: bool = True  # may the full name stand without a day or year?


class WeekdayEntry(_Entry):
    kind: Literal["weekday"]
    value: int = Field(ge=0, le=6)
    names: list[str]
    abbreviations: list[str] = []


class NumberEntry(_Entry):
    kind: Literal["number"]
    value: int | None = Field(ge=1, le=99)  # None: a vague count ("several")
    words: list[str]
    tens: bool = False
    article: bool = False


class UnitEntry(_Entry):
    kind: Literal["unit"]
    unit: Literal["hour", "day", "week", "month", "year"]
    count: int = Field(default=1, ge=1)
    singular: list[str]
    plural: list[str]


class PartEntry(_Entry):
    kind: Literal["part"]
    words: list[str]
    days: tuple[int, int | None]  # a negative first day counts back from the month end
    months: tuple[int, int] | None = None


class BoundaryEntry(_Entry):
    kind: Literal["boundary"]
    words: list[str]
    at: Literal["start", "end"]


class RelativeEntry(_Entry):
    kind: Literal["relative"]
    words: list[str]
    unit: Literal["day", "week", "weekend", "month", "year"]
    offset: int
    span: Literal["whole", "to_published", "from_published"] = "whole"
    standalone: bool = True


class ModifierEntry(_Entry):
    kind: Literal["modifier"]
    words: list[str]
    rule: Literal["before", "after", "current"]
    weekday_only: bool = False


class OffsetEntry(_Entry):
    kind: Literal["offset"]
    words: list[str]
    sign: Literal[-1, 1]
    anchor: Literal["date", "published", "none"]


ROLES = (
    "since",
    "until",
    "as_of",
    "duration_lead",
    "window",
    "recent",
    "sequence",
    "context",
    "time_of_day",
    "not_month",
    "not_weekday",
)


class WordsEntry(_Entry):
    kind: Literal["words"]
    role: Literal[ROLES]  # type: ignore[valid-type]
    words: list[str]


class DateLexiconEntry(RootModel):
    """One entry of ``dates.yaml``; ``kind`` says which shape it has."""

    root: Annotated[
        MonthEntry
        | WeekdayEntry
        | NumberEntry
        | UnitEntry
        | PartEntry
        | BoundaryEntry
        | RelativeEntry
        | ModifierEntry
        | OffsetEntry
        | WordsEntry,
        Field(discriminator="kind"),
    ]


# ---------------------------------------------------------------- regex atoms

# One space run, or one line break: a date never spans a blank line. Possessive
# quantifiers keep long runs of spaces linear.
SP = r"(?:[ \t\xa0]++\n?+|\n)[ \t\xa0]*+"
COMMA_SP = rf",?{SP}"
DASH = r"[ \xa0]*+[-\u2010-\u2014][ \xa0]*+"
_NUM_END = r"(?!\w|[:.,/]\d)"  # not "10:30", "1.5", "1,000", "10/25"
DAY = rf"(?:3[01]|[12][0-9]|0?[1-9])(?:(?:st|nd|rd|th|ST|ND|RD|TH)(?!\w)|{_NUM_END})"
YEAR_DIGITS = r"(?:1[89]|2[01])[0-9]{2}"
YEAR = YEAR_DIGITS + _NUM_END
THE = r"(?:the|The|THE)(?!\w)"
OF = r"of(?!\w)"
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def _day(text: str) -> int:
    """The number of a day as written: "18th" -> 18."""
    return int(re.match(r"[0-9]+", text)[0])


def _key(word: str) -> str:
    return " ".join(word.replace(".", "").lower().split())


def _words(words, *, name: bool = False, dot: bool = False) -> str:
    """An alternation of spellings. Names keep their capital ("October", "OCTOBER");
    other words also match lower, capitalised and upper case."""
    variants = set()
    for w in words:
        forms = {w, w.upper()} if name else {w.lower(), w[:1].upper() + w[1:].lower(), w.upper()}
        variants |= {" ".join(f.split()) for f in forms if f.strip()}
    if not variants:
        return r"(?!)"
    return "(?:" + _trie(variants) + r")(?!\w)" + (r"\.?" if dot else "")


def _trie(strings) -> str:
    """The strings as a prefix tree ("Sep(?:t(?:ember)?)?"): the regex engine checks one
    letter per branch instead of every spelling in turn. A space matches SP."""
    root: dict = {}
    for string in strings:
        node = root
        for ch in string:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [
            (SP if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longest spelling first

    return emit(root)


def _strip_groups(pattern: str) -> str:
    return _GROUP_NAME.sub("(?:", pattern)


def _alternation(forms: list[tuple[str, str]]) -> str:
    """Named alternatives whose inner groups are dropped: ``lastgroup`` names the form."""
    return "|".join(f"(?P<{name}>{_strip_groups(p)})" for name, p in forms)


@dataclass(slots=True)
class _Cal:
    """A calendar date as written; any field may be missing ("Oct. 17" has no year)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_UNIT_PRECISION = {"hour": "day", "day": "day", "week": "week", "month": "month", "year": "year"}


def _coarser(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if _RANK[a] >= _RANK[b] else b


# ---------------------------------------------------------------- calendar arithmetic


def _month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return date(y, m + 1, min(d.day, _month_end(y, m + 1)))


def _month_span(y: int, m: int) -> DateSpan:
    return DateSpan(date(y, m, 1), date(y, m, _month_end(y, m)), "month")


def _year_span(y: int) -> DateSpan:
    return DateSpan(date(y, 1, 1), date(y, 12, 31), "year")


def _week_span(d: date) -> DateSpan:
    monday = d - timedelta(days=d.weekday())
    return DateSpan(monday, monday + timedelta(days=6), "week")


def _shift(d: date, n: int, unit: UnitEntry, sign: int) -> date:
    n *= unit.count
    if unit.unit == "hour":
        return d + timedelta(days=sign * math.ceil(n / 24))
    if unit.unit in ("day", "week"):
        return d + timedelta(days=sign * n * (7 if unit.unit == "week" else 1))
    return _add_months(d, sign * n * (12 if unit.unit == "year" else 1))


def _year_for_day(month: int, day: int, published: date) -> int | None:
    """The year that puts a yearless day in (published + 1 month - 1 year, published + 1 month]."""
    hi = _add_months(published, 1)
    lo = _add_months(hi, -12)
    for y in (published.year + 1, published.year, published.year - 1):
        try:
            if lo < date(y, month, day) <= hi:
                return y
        except ValueError:
            continue
    if (month, day) == (2, 29):  # no Feb 29 in the window: the latest one before it
        return max(
            y
            for y in range(hi.year - 8, hi.year + 1)
            if calendar.isleap(y) and date(y, 2, 29) <= hi
        )
    return None


def _year_for_month(month: int, published: date) -> int:
    """The year that puts a yearless month within 10 months before to 1 month after."""
    here = published.year * 12 + published.month - 1
    for y in (published.year + 1, published.year, published.year - 1):
        if here - 10 <= y * 12 + month - 1 <= here + 1:
            return y
    raise AssertionError("unreachable: the window holds every month once")


def _yearless_after(x, value: DateSpan | None, published: date | None) -> bool:
    """A date written without its year that resolved after the publication day."""
    return (
        isinstance(x, _Cal)
        and x.year is None
        and value is not None
        and value.start is not None
        and published is not None
        and value.start > published
    )


def _resolve(c: _Cal | DateSpan | None, published: date | None) -> DateSpan | None:
    if c is None or isinstance(c, DateSpan):
        return c
    if c.month is None:
        return _year_span(c.year) if c.year is not None and c.day is None else None
    y = c.year
    if y is None:
        if published is None:
            return None  # never guess a year
        y = (
            _year_for_day(c.month, c.day, published)
            if c.day
            else _year_for_month(c.month, published)
        )
        if y is None:
            return None
    if c.day is None:
        return _month_span(y, c.month)
    try:
        d = date(y, c.month, c.day)
    except ValueError:
        return None
    return DateSpan(d, d, "day")


# ---------------------------------------------------------------- the grammar


class _Grammar:
    """The lexicon compiled into regexes, and the rules that read what they match."""

    def __init__(self, entries: list[DateLexiconEntry]):
        by_kind: dict[str, list] = {}
        for e in entries:
            by_kind.setdefault(e.root.kind, []).append(e.root)
        months: list[MonthEntry] = by_kind.get("month", [])
        weekdays: list[WeekdayEntry] = by_kind.get("weekday", [])
        numbers: list[NumberEntry] = by_kind.get("number", [])
        units: list[UnitEntry] = by_kind.get("unit", [])
        relatives: list[RelativeEntry] = by_kind.get("relative", [])
        modifiers: list[ModifierEntry] = by_kind.get("modifier", [])
        offsets: list[OffsetEntry] = by_kind.get("offset", [])
        roles: dict[str, list[str]] = {r: [] for r in ROLES}
        for e in by_kind.get("words", []):
            roles[e.role] += e.words

        # Lookup tables: normalised spelling -> meaning.
        self.months = {_key(w): e.value for e in months for w in e.names + e.abbreviations}
        self.weekdays = {_key(w): e.value for e in weekdays for w in e.names + e.abbreviations}
        self.numbers = {_key(w): e.value for e in numbers for w in e.words}
        self.tens = {_key(w): e.value for e in numbers if e.tens for w in e.words}
        self.units = {_key(w): (e, False) for e in units for w in e.singular}
        self.units |= {_key(w): (e, True) for e in units for w in e.plural}
        self.parts = {_key(w): e for e in by_kind.get("part", []) for w in e.words}
        self.boundaries = {_key(w): e.at for e in by_kind.get("boundary", []) for w in e.words}
        self.relatives = {_key(w): e for e in relatives for w in e.words}
        self.modifiers = {_key(w): e.rule for e in modifiers for w in e.words}
        self.offsets = {_key(w): e for e in offsets for w in e.words}
        self.lead_kind = {_key(w): r for r in ("since", "until", "as_of") for w in roles[r]}

        # Atoms.
        month_names = [w for e in months for w in e.names]
        month_abbrs = [w for e in months for w in e.abbreviations]
        weekday_names = [w for e in weekdays for w in e.names]
        weekday_abbrs = [w for e in weekdays for w in e.abbreviations]
        month_name = _words(month_names, name=True)
        month_any = f"(?:{month_name}|{_words(month_abbrs, name=True, dot=True)})"
        month_alone = _words([w for e in months if e.alone for w in e.names], name=True)
        month_ambiguous = _words([w for e in months if not e.alone for w in e.names], name=True)
        not_month = rf"(?!{SP}{_words(roles['not_month'])})"
        weekday = _words(weekday_names, name=True)
        weekday_any = f"(?:{weekday}|{_words(weekday_abbrs, name=True, dot=True)})"
        ones = [
            w
            for e in numbers
            if e.value and e.value < 10 and not e.article
            for w in e.words
            if " " not in w
        ]
        tens = _words([w for e in numbers if e.tens for w in e.words])
        num = rf"(?:{tens}(?:[-\u2010]|{SP}){_words(ones)}|{_words(list(self.numbers))}|[0-9]{{1,3}}{_NUM_END})"
        unit = _words(list(self.units))
        unit_plural = _words([w for e in units for w in e.plural])
        part = _words(list(self.parts))
        boundary = _words(list(self.boundaries))
        rel = _words([w for e in relatives if e.standalone for w in e.words])
        rel_my = _words(
            [
                w
                for e in relatives
                if e.span == "whole" and e.unit in ("month", "year")
                for w in e.words
            ]
        )
        rel_wmy = _words(
            [
                w
                for e in relatives
                if e.span == "whole" and e.unit in ("week", "month", "year")
                for w in e.words
            ]
        )
        mod_weekday = _words([w for e in modifiers for w in e.words])
        mod_month = _words([w for e in modifiers if not e.weekday_only for w in e.words])
        off_date = _words([w for e in offsets if e.anchor == "date" for w in e.words])
        off_none = _words([w for e in offsets if e.anchor == "none" for w in e.words])
        off_published = _words([w for e in offsets if e.anchor == "published" for w in e.words])
        lead = _words(roles["since"] + roles["until"] + roles["as_of"])
        role = {r: _words(roles[r]) for r in ROLES}
        # "2022 119" is no year, but "In 2022, 119 police were killed" starts with one
        no_number_after = r"(?!\.?" + SP + r"[0-9]|[-\u2010-\u2014/][0-9])"
        day_year = rf"(?P<d>{DAY})(?:{COMMA_SP}(?P<y>{YEAR}))?"
        self.day_year = re.compile(day_year)
        # "Oct. 17-18" ends on a bare day, but "Oct. 25 and 25 October" is two dates.
        bare_day = rf"{_strip_groups(day_year)}(?!{SP}(?:{OF}{SP})?{month_any})"

        # Point forms, most specific first (an alternation takes the first that fits).
        wd_prefix = rf"(?:{weekday_any},?{SP})?"  # "Monday, Oct. 16"
        target_month = rf"(?P<mon>{month_any})(?:{COMMA_SP}(?:{OF}{SP})?(?P<y>{YEAR}))?"
        common = [
            (
                "iso",
                rf"(?P<y>{YEAR_DIGITS})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9])",
            ),
            ("numeric", rf"(?P<a>[0-9]{{1,2}})/(?P<b>[0-9]{{1,2}})/(?P<y>{YEAR})"),
            (
                "mdy",
                rf"{wd_prefix}(?P<mon>{month_any}){SP}(?P<d>{DAY})(?:{COMMA_SP}(?P<y>{YEAR}))?",
            ),
            (
                "dmy",
                rf"{wd_prefix}(?:{THE}{SP})?(?P<d>{DAY}){SP}(?:{OF}{SP})?(?P<mon>{month_any})(?:{COMMA_SP}(?P<y>{YEAR}))?",
            ),
            ("month_year", rf"(?P<mon>{month_any}){COMMA_SP}(?:{OF}{SP})?(?P<y>{YEAR})"),
            (
                "part",
                rf"(?:{THE}{SP})?(?P<part>{part})(?:[-\u2010]|{SP}(?:{OF}{SP})?)(?:{target_month}|(?P<year>{YEAR})|(?P<rel>{rel_my}))",
            ),
            (
                "boundary",
                rf"(?:{THE}{SP})?(?:very{SP})?(?P<bd>{boundary}){SP}{OF}{SP}(?:{target_month}|(?P<year>{YEAR})|(?P<rel>{rel_wmy}))",
            ),
            ("the_year", rf"{THE}{SP}year{SP}(?P<year>{YEAR})"),
            ("ago", rf"(?P<n>{num}){SP}(?P<unit>{unit}){SP}(?P<off>{off_published})"),
            # "overnight into Saturday": the night that ends on that day
            ("night_into", rf"overnight{SP}(?:into|to){SP}(?P<wd>{weekday})"),
            ("relative", rf"(?P<rel>{rel})(?:{SP}(?P<tod>{role['time_of_day']}))?"),
            (
                "weekday",
                rf"(?:(?P<mod>{mod_weekday}){SP})?(?P<wd>{weekday})(?:{SP}(?P<tod>{role['time_of_day']}))?"
                rf"(?!{SP}{_words(roles['not_weekday'])})",  # "Sunday mass", "Friday prayers"
            ),
            ("month_mod", rf"(?P<mod>{mod_month}){SP}(?P<mon>{month_name}){not_month}"),
        ]
        # In running text a bare year or an ambiguous month name needs a context word
        # ("in 2023", "in May"); after since/between/... (licensed) it does not.
        strict = common + [
            ("month_alone", rf"(?P<mon>{month_alone})"),
            (
                "context",
                rf"(?P<ctx>{role['context']}){SP}(?:(?P<mon>{month_ambiguous}){not_month}|(?P<year>{YEAR})){no_number_after}",
            ),
        ]
        licensed = common + [
            ("month_free", rf"(?P<mon>{month_name}){not_month}"),
            ("year", rf"(?P<year>{YEAR}){no_number_after}"),
        ]
        self.licensed = re.compile(_alternation(licensed))
        lp = _strip_groups(self.licensed.pattern)
        cal = _strip_groups(_alternation([f for f in common if f[0] in ("iso", "mdy", "dmy")]))
        dmy = _strip_groups(dict(common)["dmy"])
        to = rf"(?:{DASH}|{SP}(?:to|through|thru|until|till)(?!\w){SP})"
        join = rf"(?:{DASH}|{SP}(?:and|to|through|thru|until|till)(?!\w){SP})"

        top = [
            (
                "range_between",
                rf"(?:between|from|Between|From|BETWEEN|FROM)(?!\w){SP}(?:(?P<a>{lp}){join}(?P<b>{lp}|{bare_day})|(?P<a2>{DAY}){join}(?P<b2>{dmy}))",
            ),
            (
                "range_cal",
                rf"(?P<a>{cal})(?:{to}(?P<b>{cal}|{bare_day})|{SP}and{SP}(?P<b2>{bare_day}))",
            ),
            (
                "range_dmy",
                rf"(?P<d1>{DAY})(?:{DASH}|{SP}(?:and|to){SP})(?P<d2>{DAY}){SP}(?:{OF}{SP})?(?P<mon>{month_any})(?:{COMMA_SP}(?P<y>{YEAR}))?",
            ),
            ("lead", rf"(?P<lead>{lead}){SP}(?P<x>{lp})"),
            (
                "anchored",
                rf"(?:(?P<n>{num}){SP}(?P<unit>{unit})|(?P<unitp>{unit_plural})){SP}(?:(?P<off>{off_date})(?:{SP}(?P<x>{lp}))?|(?P<offn>{off_none})(?!{SP}than(?!\w)))",
            ),
            ("anchored_seq", rf"{THE}{SP}{role['sequence']}{SP}{unit}(?!{SP}{OF})"),
            (
                "duration",
                rf"(?:(?P<lead>{role['duration_lead']}){SP})?(?:{THE}{SP})?(?P<win>{role['window']}){SP}(?P<n>{num}){SP}(?P<unit>{unit})",
            ),
            (
                "duration_one",
                rf"(?:(?P<lead>{role['duration_lead']}){SP})?{THE}{SP}(?P<win>{role['window']}){SP}(?P<unit>{unit})(?!{SP}{OF})",
            ),
            (
                "duration_recent",
                rf"(?P<lead>{role['duration_lead']}){SP}{role['recent']}{SP}(?P<unit>{unit_plural})",
            ),
        ]
        points = {
            name: re.compile(p)
            for name, p in common + strict[len(common) :] + licensed[len(common) :]
        }
        self.parsers = points | {name: re.compile(p) for name, p in top}
        # A mention starts at a word start, not inside a number ("1.5", "10/25").
        start = r"(?<!\w)(?!(?<=[0-9][.,:/-])[0-9])"
        self.scanner = re.compile(
            start + "(?:" + _alternation(top + [("p_" + n, p) for n, p in strict]) + ")"
        )

        # Speed: trying the scanner at every word costs ~5 us a word. Every mention holds
        # a trigger word (a month, weekday, unit, the last word of a relative phrase, or
        # a year) at most LOOKBACK characters from its start, and begins with a starter
        # word, so find_dates tries the scanner only at starters just before triggers.
        names = _words(month_names + month_abbrs + weekday_names + weekday_abbrs, name=True)
        last_words = [w.split()[-1] for w in self.relatives]
        self.trigger = re.compile(
            rf"(?<!\w)(?:{names}|{_words(list(self.units))}|{_words(last_words)}|{YEAR_DIGITS})(?!\w)"
        )
        phrases = [
            *self.numbers,
            *self.units,
            *self.parts,
            *self.boundaries,
            *self.relatives,
            *self.modifiers,
        ]
        phrases += ["the", "between", "from", "very"]
        phrases += [
            w
            for r in ("since", "until", "as_of", "duration_lead", "window", "context")
            for w in roles[r]
        ]
        first_words = [w.split()[0] for w in phrases]
        self.starter = re.compile(rf"(?<!\w)(?:{names}|{_words(first_words)}|[0-9])")
        # parse_date puts a typed expression in the case the scanner expects ("oct 17").
        self.names = set(self.months) | set(self.weekdays)

    # ------------------------------------------------------------ reading matches

    def mention(self, m: re.Match, published: date | None) -> DateMention:
        form = m.lastgroup
        text = m.group(form)
        kind, value, trim = self.read(form, text, published)
        start = m.start() + trim
        return DateMention(start, m.end(), text[trim:], kind, value)

    def read(
        self, form: str, text: str, published: date | None
    ) -> tuple[str, DateSpan | None, int]:
        """(kind, value, characters to trim from the left) of one scanned form."""
        if form.startswith("p_"):
            g = self.parsers[form[2:]].fullmatch(text)
            trim = 0
            if form == "p_context":  # "in 2023": the mention is "2023"
                trim = g.start("mon") if g["mon"] else g.start("year")
            return "point", _resolve(self.point(form[2:], g, published), published), trim
        g = self.parsers[form].fullmatch(text)
        if form.startswith("range"):
            return "range", self.range(form, g, published), 0
        if form == "lead":
            x = self.licensed_point(g.group("x"), published)
            kind, value = self.lead_kind[_key(g.group("lead"))], _resolve(x, published)
            if kind == "since" and _yearless_after(x, value, published):
                # "since October" in a September report is last October: a start is past
                value = _resolve(dataclasses.replace(x, year=value.start.year - 1), published)
            return kind, value, 0
        if form == "anchored":
            return "anchored", self.anchored(g, published), 0
        if form == "anchored_seq":
            return "anchored", None, 0
        return "duration", self.duration(form, g, published), 0

    def licensed_point(self, text: str, published: date | None) -> _Cal | DateSpan | None:
        m = self.licensed.fullmatch(text)
        return self.point(m.lastgroup, self.parsers[m.lastgroup].fullmatch(text), published)

    def point(self, form: str, g: re.Match, published: date | None) -> _Cal | DateSpan | None:
        """A point as written (``_Cal``), or already resolved when it is relative."""
        get = g.groupdict().get
        year = int(get("y") or get("year") or 0) or None
        if form == "iso":
            return _Cal(year, int(g["m"]), int(g["d"]))
        if form == "numeric":
            a, b = int(g["a"]), int(g["b"])
            if a > 12 >= b:  # only the day can exceed 12; equal halves read the same
                a, b = b, a
            elif a != b and b <= 12:
                return None  # 05/06/2024: US or European order? Unknown, so not guessed.
            return _Cal(year, a, b)
        if form in ("mdy", "dmy"):
            return _Cal(year, self.months[_key(g["mon"])], _day(g["d"]))
        if form in ("month_year", "month_alone", "month_free") or (form == "context" and g["mon"]):
            return _Cal(year, self.months[_key(g["mon"])])
        if form in ("year", "the_year", "context"):
            return _Cal(year)
        if form in ("part", "boundary"):
            return self.part(g, year, published)
        if form == "ago":
            return self.ago(g, published)
        if published is None:
            return None  # everything below counts from the publication date
        if form == "relative":
            return self.relative(self.relatives[_key(g["rel"])], published)
        if form == "weekday":
            return self.weekday(self.weekdays[_key(g["wd"])], get("mod"), published)
        if form == "night_into":
            end = self.weekday(self.weekdays[_key(g["wd"])], None, published)
            return DateSpan(end.start - timedelta(days=1), end.end, "day")
        if form == "month_mod":
            return self.month_mod(self.months[_key(g["mon"])], g["mod"], published)
        raise AssertionError(f"unknown date form {form}")

    def part(self, g: re.Match, year: int | None, published: date | None) -> DateSpan | None:
        """Part ("mid-October", "late last month") or boundary ("the end of 2023") of a period."""
        if g["mon"]:
            span = _resolve(_Cal(year, self.months[_key(g["mon"])]), published)
        elif g["rel"]:
            span = self.relative(self.relatives[_key(g["rel"])], published) if published else None
        else:
            span = _year_span(year)
        if span is None:
            return None
        if g.groupdict().get("bd"):
            at = span.start if self.boundaries[_key(g["bd"])] == "start" else span.end
            return DateSpan(at, at, "day")
        p = self.parts[_key(g["part"])]
        s = span.start
        if span.precision == "year":
            if p.months is None:
                return None  # "the first week of 2024": not a part of a year
            first, last = p.months
            return DateSpan(
                date(s.year, first, 1), date(s.year, last, _month_end(s.year, last)), "month"
            )
        end = _month_end(s.year, s.month)
        first, last = p.days
        first = first if first > 0 else end + first + 1  # counted back from the month end
        return DateSpan(
            s.replace(day=min(first, end)), s.replace(day=min(last or end, end)), "week"
        )

    def relative(self, e: RelativeEntry, published: date) -> DateSpan:
        if e.unit == "day":
            start = end = published + timedelta(days=e.offset)
            precision = "day"
        elif e.unit in ("week", "weekend"):
            if e.unit == "week":
                start = published - timedelta(days=published.weekday() - 7 * e.offset)
                end = start + timedelta(days=6)
            else:  # the latest Saturday on or before publication, and its Sunday
                start = published - timedelta(days=(published.weekday() - 5) % 7 - 7 * e.offset)
                end = start + timedelta(days=1)
            precision = "week"
        elif e.unit == "month":
            start = _add_months(published.replace(day=1), e.offset)
            end = start.replace(day=_month_end(start.year, start.month))
            precision = "month"
        else:
            start, end = (
                date(published.year + e.offset, 1, 1),
                date(published.year + e.offset, 12, 31),
            )
            precision = "year"
        if e.span == "to_published":
            end = published
        elif e.span == "from_published":
            start = published
        return DateSpan(start, end, precision)

    def weekday(self, wd: int, mod: str | None, published: date) -> DateSpan:
        rule = self.modifiers[_key(mod)] if mod else "current"
        back = (published.weekday() - wd) % 7
        if rule == "before":
            d = published - timedelta(days=back or 7)
        elif rule == "after":
            d = published + timedelta(days=(wd - published.weekday()) % 7 or 7)
        else:
            d = published - timedelta(days=back)  # the latest on or before publication
        return DateSpan(d, d, "day")

    def month_mod(self, month: int, mod: str, published: date) -> DateSpan:
        rule = self.modifiers[_key(mod)]
        y = published.year
        if rule == "before" and month >= published.month:
            y -= 1
        elif rule == "after" and month <= published.month:
            y += 1
        return _month_span(y, month)

    def count(self, text: str | None, plural: bool) -> int | None:
        """The number a count word means; None when it is vague ("several days")."""
        if text is None:
            return None if plural else 1
        k = _key(text)
        if k.isdigit():
            n = int(k)
        elif k in self.numbers:
            n = self.numbers[k]
        else:  # "twenty-one", "twenty one"
            tens, _, ones = k.replace("\u2010", "-").replace("-", " ").partition(" ")
            n = self.tens[tens] + self.numbers[ones]
        return None if n is None or (plural and n == 1 and not k.isdigit()) else n

    def ago(self, g: re.Match, published: date | None) -> DateSpan | None:
        unit, plural = self.units[_key(g["unit"])]
        n = self.count(g["n"], plural)
        if published is None or n is None:
            return None
        d = _shift(published, n, unit, self.offsets[_key(g["off"])].sign)
        precision = _UNIT_PRECISION[unit.unit]
        if precision == "week":
            return _week_span(d)
        if precision == "month":
            return _month_span(d.year, d.month)
        if precision == "year":
            return _year_span(d.year)
        return DateSpan(d, d, "day")

    def anchored(self, g: re.Match, published: date | None) -> DateSpan | None:
        if not g["x"]:
            return None  # counted from an event ("after the government invited ..."), not a date
        unit, plural = self.units[_key(g["unit"] or g["unitp"])]
        n = self.count(g["n"], plural) if g["unit"] else None
        anchor = _resolve(self.licensed_point(g["x"], published), published)
        if anchor is None or n is None:
            return None
        sign = self.offsets[_key(g["off"])].sign
        return DateSpan(
            _shift(anchor.start, n, unit, sign), _shift(anchor.end, n, unit, sign), anchor.precision
        )

    def duration(self, form: str, g: re.Match, published: date | None) -> DateSpan | None:
        if form == "duration_recent" or published is None:
            return None
        unit, plural = self.units[_key(g["unit"])]
        n = self.count(g.groupdict().get("n"), plural)
        if n is None:
            return None
        return DateSpan(_shift(published, n, unit, -1), published, _UNIT_PRECISION[unit.unit])

    def range(self, form: str, g: re.Match, published: date | None) -> DateSpan | None:
        get = g.groupdict().get
        if form == "range_dmy":
            year = int(g["y"]) if g["y"] else None
            month = self.months[_key(g["mon"])]
            a = _Cal(year, month, _day(g["d1"]))
            b = _Cal(year, month, _day(g["d2"]))
        elif get("a2"):  # "between 17 and 18 October"
            b = self.licensed_point(g["b2"], published)
            a = _Cal(b.year, b.month, _day(g["a2"]))
        else:
            a = self.licensed_point(g["a"], published)
            b_text = get("b") or get("b2")
            bare = self.day_year.fullmatch(b_text)
            if bare:  # "Oct. 17-18, 2023": the second end takes the first's month
                if not isinstance(a, _Cal) or a.day is None:
                    return None
                year = int(bare["y"]) if bare["y"] else None
                b = _Cal(year, a.month, _day(bare["d"]))
            else:
                b = self.licensed_point(b_text, published)
        if isinstance(a, _Cal) and isinstance(b, _Cal):
            _share_year(a, b, published)
        sa, sb = _resolve(a, published), _resolve(b, published)
        if sa is None or sb is None or sa.start > sb.end:
            return None
        return DateSpan(sa.start, sb.end, _coarser(sa.precision, sb.precision))


def _share_year(a: _Cal, b: _Cal, published: date | None) -> None:
    """Ends of a range written with one year ("Dec. 30 - Jan. 2, 2024") share it."""
    if a.month is None or b.month is None:
        return
    later = (b.month, b.day or 0) < (a.month, a.day or 0)  # the range crosses a new year
    if a.year is None and b.year is not None:
        a.year = b.year - 1 if later else b.year
    elif b.year is None and a.year is not None:
        b.year = a.year + 1 if later else a.year
    elif a.year is None and b.year is None and published is not None:
        start = _resolve(a, published)
        if start is not None:
            a.year = start.start.year
            b.year = a.year + 1 if later else a.year


@cache
def _grammar_for(_search_path: str) -> _Grammar:
    return _Grammar(load_entries("dates.yaml", DateLexiconEntry))


def _grammar() -> _Grammar:
    return _grammar_for(os.environ.get("SITREP_LEXICON_PATH", ""))


def _as_date(published: date | None) -> date | None:
    return published.date() if isinstance(published, datetime) else published


# ---------------------------------------------------------------- public API


# The farthest a mention's first trigger word lies from its start, in characters: the
# longest lead-ins ("between the very beginning of last month") take about 40.
LOOKBACK = 80


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date mention in ``text``, sorted by start and non-overlapping.

    The same mentions as ``scanner.finditer(text)`` (leftmost first, then longest form),
    but the scanner only runs at starter words up to LOOKBACK characters before a trigger.
    """
    g = _grammar()
    published = _as_date(published)
    out: list[DateMention] = []
    done = 0  # everything before this offset is decided
    for t in g.trigger.finditer(text):
        if t.start() < done:
            continue
        for s in g.starter.finditer(text, max(done, t.start() - LOOKBACK), t.end()):
            if s.start() < done:
                continue
            m = g.scanner.match(text, s.start())
            if m is not None:
                out.append(g.mention(m, published))
                done = m.end()
                if done > t.start():
                    break
        done = max(done, t.start() + 1)
    return out


def parse_date(expr: str, published: date | None = None) -> DateSpan | None:
    """One whole date expression ("2023-10-17", "Oct. 17", "last week"), or None.

    Since/until/as-of expressions give the date they name; a duration gives its span.
    Formats the grammar does not know ("17.10.2023") go to dateparser.
    """
    g = _grammar()
    published = _as_date(published)
    text = " ".join(expr.split())
    cased = re.sub(
        r"[^\W\d_]+", lambda w: w[0].capitalize() if _key(w[0]) in g.names else w[0].lower(), text
    )
    m = g.scanner.fullmatch(cased)
    if m is not None:
        return g.read(m.lastgroup, cased, published)[1]
    m = g.licensed.fullmatch(cased)  # a bare year or month name is a date here
    if m is not None:
        return _resolve(
            g.point(m.lastgroup, g.parsers[m.lastgroup].fullmatch(cased), published), published
        )
    return _dateparser_fallback(text, published)


_NUMERIC = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-][0-9]{2,4}")


def _dateparser_fallback(text: str, published: date | None) -> DateSpan | None:
    """Odd absolute formats ("17.10.2023", "Tue, 17 Oct 2023 08:00:00 GMT") only."""
    numbers = {int(n) for n in re.findall(r"[0-9]+", text) if len(n) <= 4}
    if not any(n >= 1000 for n in numbers):
        return None  # no year written: relative or partial, which the grammar owns
    numeric = _NUMERIC.fullmatch(text)
    if numeric and numeric[1] != numeric[2] and max(int(numeric[1]), int(numeric[2])) <= 12:
        return None  # 05.06.2023: day and month order unknown, so not guessed
    from dateparser.date import DateDataParser  # imported late: heavy, and rarely needed

    base = (
        datetime(published.year, published.month, published.day)
        if published
        else datetime(2000, 1, 1)
    )
    parser = DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": base,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None:
        return None
    d, period = data.date_obj.date(), data.period
    # dateparser fills what is missing from the base date ("Q4 2023" -> Oct. 3): keep
    # only readings whose year, and day when it gives one, are written in the text.
    if d.year not in numbers or (period in ("day", "time") and d.day not in numbers):
        return None
    if period == "year":
        return _year_span(d.year)
    if period == "month":
        return _month_span(d.year, d.month)
    if period in ("day", "time"):
        return DateSpan(d, d, "day")
    return None  # a week or quarter reading: not one this tagger trusts
