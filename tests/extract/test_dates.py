"""The date tagger: what it tags, how it resolves, and what it leaves alone.

Sentences are the project's own. Unless a test says otherwise the publication date is
Wednesday 3 January 2024, so month and year boundaries are crossed often.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.errors import LexiconError
from sitrep.extract.dates import KINDS, DateMention, _grammar, find_dates, parse_date
from sitrep.model import DATE_PRECISIONS, DateSpan

PUB = date(2024, 1, 3)  # a Wednesday
D = date.fromisoformat


def only(text: str, published: date | None = PUB) -> DateMention:
    found = find_dates(text, published)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start : m.end] == m.text
    return m


def value(m: DateMention) -> tuple[str, str, str] | None:
    v = m.value
    return None if v is None else (v.start.isoformat(), v.end.isoformat(), v.precision)


# (sentence, the mention's text, kind, (start, end, precision) or None) against PUB
CASES = [
    # points: calendar dates
    (
        "Talks resumed on 25 October 2023 in Baghdad.",
        "25 October 2023",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "Talks resumed on October 25, 2023 in Baghdad.",
        "October 25, 2023",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "Talks resumed on Oct. 25, 2023, officials said.",
        "Oct. 25, 2023",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "The log entry is dated 2023-10-25.",
        "2023-10-25",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "Three soldiers died on Jan 28 2024 near the border.",
        "Jan 28 2024",
        "point",
        ("2024-01-28", "2024-01-28", "day"),
    ),
    (
        "The drone struck on Oct. 25, the army said.",
        "Oct. 25",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "The drone struck on October 25 at dawn.",
        "October 25",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "The drone struck on 25 October at dawn.",
        "25 October",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "The drone struck on Oct 25th at dawn.",
        "Oct 25th",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "The convoy left on the 2nd of January.",
        "the 2nd of January",
        "point",
        ("2024-01-02", "2024-01-02", "day"),
    ),
    (
        "Shelling was heavy on Monday, Oct. 16, witnesses said.",
        "Monday, Oct. 16",
        "point",
        ("2023-10-16", "2023-10-16", "day"),
    ),
    ("HEADLINE: BASE HIT ON OCT. 17", "OCT. 17", "point", ("2023-10-17", "2023-10-17", "day")),
    (
        "The form gives 10/25/2023 as the date.",
        "10/25/2023",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    (
        "The form gives 25/10/2023 as the date.",
        "25/10/2023",
        "point",
        ("2023-10-25", "2023-10-25", "day"),
    ),
    # points: months and years
    (
        "Fighting intensified in January 2024.",
        "January 2024",
        "point",
        ("2024-01-01", "2024-01-31", "month"),
    ),
    ("Fighting intensified in October.", "October", "point", ("2023-10-01", "2023-10-31", "month")),
    ("Fighting intensified in May.", "May", "point", ("2023-05-01", "2023-05-31", "month")),
    (
        "Fighting intensified in May 2022.",
        "May 2022",
        "point",
        ("2022-05-01", "2022-05-31", "month"),
    ),
    (
        "Fighting intensified last October.",
        "last October",
        "point",
        ("2023-10-01", "2023-10-31", "month"),
    ),
    ("The mission was set up in 2014.", "2014", "point", ("2014-01-01", "2014-12-31", "year")),
    (
        "The plan dates from the year 2019.",
        "the year 2019",
        "point",
        ("2019-01-01", "2019-12-31", "year"),
    ),
    ("The base expanded in mid-2023.", "mid-2023", "point", ("2023-05-01", "2023-08-31", "month")),
    (
        "The base expanded in late 2023.",
        "late 2023",
        "point",
        ("2023-09-01", "2023-12-31", "month"),
    ),
    (
        "The base expanded in early 2023.",
        "early 2023",
        "point",
        ("2023-01-01", "2023-04-30", "month"),
    ),
    # points: parts of a month
    ("Attacks began in mid-October.", "mid-October", "point", ("2023-10-11", "2023-10-20", "week")),
    (
        "Attacks began in early November.",
        "early November",
        "point",
        ("2023-11-01", "2023-11-10", "week"),
    ),
    (
        "Attacks began in late October 2023.",
        "late October 2023",
        "point",
        ("2023-10-21", "2023-10-31", "week"),
    ),
    (
        "The base was hit late last month.",
        "late last month",
        "point",
        ("2023-12-21", "2023-12-31", "week"),
    ),
    (
        "The base was hit early this month.",
        "early this month",
        "point",
        ("2024-01-01", "2024-01-10", "week"),
    ),
    (
        "Talks are due in the first week of February.",
        "the first week of February",
        "point",
        ("2024-02-01", "2024-02-07", "week"),
    ),
    (
        "Most strikes came in the last week of November.",
        "the last week of November",
        "point",
        ("2023-11-24", "2023-11-30", "week"),
    ),
    (
        "The deal runs to the end of 2024.",
        "the end of 2024",
        "point",
        ("2024-12-31", "2024-12-31", "day"),
    ),
    # points: relative to publication
    ("Rockets landed on Friday.", "Friday", "point", ("2023-12-29", "2023-12-29", "day")),
    ("Rockets landed Monday.", "Monday", "point", ("2024-01-01", "2024-01-01", "day")),
    ("Rockets landed on Wednesday.", "Wednesday", "point", ("2024-01-03", "2024-01-03", "day")),
    (
        "Rockets landed last Wednesday.",
        "last Wednesday",
        "point",
        ("2023-12-27", "2023-12-27", "day"),
    ),
    ("Rockets landed Monday night.", "Monday night", "point", ("2024-01-01", "2024-01-01", "day")),
    (
        "Rockets landed early Tuesday morning.",
        "early Tuesday morning",
        "point",
        ("2024-01-02", "2024-01-02", "day"),
    ),
    (
        "Rockets landed Monday at 3 p.m. local time.",
        "Monday",
        "point",
        ("2024-01-01", "2024-01-01", "day"),
    ),
    ("Talks continue next Monday.", "next Monday", "point", ("2024-01-08", "2024-01-08", "day")),
    ("The minister spoke today.", "today", "point", ("2024-01-03", "2024-01-03", "day")),
    (
        "The minister spoke this morning.",
        "this morning",
        "point",
        ("2024-01-03", "2024-01-03", "day"),
    ),
    ("The minister will speak tonight.", "tonight", "point", ("2024-01-03", "2024-01-03", "day")),
    ("The minister spoke yesterday.", "yesterday", "point", ("2024-01-02", "2024-01-02", "day")),
    (
        "The minister spoke yesterday afternoon.",
        "yesterday afternoon",
        "point",
        ("2024-01-02", "2024-01-02", "day"),
    ),
    ("Drones were downed overnight.", "overnight", "point", ("2024-01-02", "2024-01-03", "day")),
    ("Drones were downed last week.", "last week", "point", ("2023-12-25", "2023-12-31", "week")),
    ("Drones were downed this week.", "this week", "point", ("2024-01-01", "2024-01-07", "week")),
    (
        "Drones were downed over the weekend.",
        "over the weekend",
        "point",
        ("2023-12-30", "2023-12-31", "week"),
    ),
    (
        "Drones were downed earlier this month.",
        "earlier this month",
        "point",
        ("2024-01-01", "2024-01-03", "month"),
    ),
    (
        "Drones were downed last month.",
        "last month",
        "point",
        ("2023-12-01", "2023-12-31", "month"),
    ),
    (
        "Drones were downed this month.",
        "this month",
        "point",
        ("2024-01-01", "2024-01-31", "month"),
    ),
    ("Drones were downed last year.", "last year", "point", ("2023-01-01", "2023-12-31", "year")),
    (
        "Drones were downed earlier this year.",
        "earlier this year",
        "point",
        ("2024-01-01", "2024-01-03", "year"),
    ),
    (
        "The post was shelled two days ago.",
        "two days ago",
        "point",
        ("2024-01-01", "2024-01-01", "day"),
    ),
    (
        "The post was shelled two weeks ago.",
        "two weeks ago",
        "point",
        ("2023-12-18", "2023-12-24", "week"),
    ),
    # ranges
    (
        "Strikes hit the bases on October 17-18.",
        "October 17-18",
        "range",
        ("2023-10-17", "2023-10-18", "day"),
    ),
    (
        "Strikes hit the bases on Oct 17 and 18.",
        "Oct 17 and 18",
        "range",
        ("2023-10-17", "2023-10-18", "day"),
    ),
    (
        "Strikes hit the bases between Oct. 17 and Oct. 18.",
        "between Oct. 17 and Oct. 18",
        "range",
        ("2023-10-17", "2023-10-18", "day"),
    ),
    (
        "Strikes hit the bases between Oct. 17 and 18.",
        "between Oct. 17 and 18",
        "range",
        ("2023-10-17", "2023-10-18", "day"),
    ),
    (
        "Strikes hit the bases from Jan. 1 to Jan. 5.",
        "from Jan. 1 to Jan. 5",
        "range",
        ("2024-01-01", "2024-01-05", "day"),
    ),
    (
        "Strikes hit the bases on 17-18 October 2023.",
        "17-18 October 2023",
        "range",
        ("2023-10-17", "2023-10-18", "day"),
    ),
    (
        "Strikes hit the bases between 17 and 18 October.",
        "between 17 and 18 October",
        "range",
        ("2023-10-17", "2023-10-18", "day"),
    ),
    (
        "Strikes hit the bases Oct. 17-18, 2022.",
        "Oct. 17-18, 2022",
        "range",
        ("2022-10-17", "2022-10-18", "day"),
    ),
    (
        "Strikes hit the bases Dec. 30 - Jan. 2, 2024.",
        "Dec. 30 - Jan. 2, 2024",
        "range",
        ("2023-12-30", "2024-01-02", "day"),
    ),
    (
        "Strikes hit the bases Dec. 30 to Jan. 2.",
        "Dec. 30 to Jan. 2",
        "range",
        ("2023-12-30", "2024-01-02", "day"),
    ),
    (
        "The campaign ran between 2014 and 2017.",
        "between 2014 and 2017",
        "range",
        ("2014-01-01", "2017-12-31", "year"),
    ),
    (
        "Shelling went on from Monday to Wednesday.",
        "from Monday to Wednesday",
        "range",
        ("2024-01-01", "2024-01-03", "day"),
    ),
    # since / until / as of
    (
        "Personnel hurt in attacks since October 18th number 70.",
        "since October 18th",
        "since",
        ("2023-10-18", "2023-10-18", "day"),
    ),
    (
        "There have been 38 attacks since Oct. 17.",
        "since Oct. 17",
        "since",
        ("2023-10-17", "2023-10-17", "day"),
    ),
    (
        "There have been 38 attacks since mid-October.",
        "since mid-October",
        "since",
        ("2023-10-11", "2023-10-20", "week"),
    ),
    (
        "There have been 38 attacks since the start of the year.",
        "since the start of the year",
        "since",
        ("2024-01-01", "2024-01-01", "day"),
    ),
    (
        "There have been 38 attacks since 2021.",
        "since 2021",
        "since",
        ("2021-01-01", "2021-12-31", "year"),
    ),
    (
        "There have been 38 attacks since May.",
        "since May",
        "since",
        ("2023-05-01", "2023-05-31", "month"),
    ),
    (
        "The curfew lasts until Nov. 5.",
        "until Nov. 5",
        "until",
        ("2023-11-05", "2023-11-05", "day"),
    ),
    (
        "The curfew lasts through Friday.",
        "through Friday",
        "until",
        ("2023-12-29", "2023-12-29", "day"),
    ),
    (
        "The toll stood at 12 as of Jan. 20.",
        "as of Jan. 20",
        "as_of",
        ("2024-01-20", "2024-01-20", "day"),
    ),
    (
        "The toll stood at 12 as of Tuesday.",
        "as of Tuesday",
        "as_of",
        ("2024-01-02", "2024-01-02", "day"),
    ),
    # durations
    (
        "Over the past 13 days the group fired 40 rockets.",
        "Over the past 13 days",
        "duration",
        ("2023-12-21", "2024-01-03", "day"),
    ),
    (
        "Attacks doubled in the last two weeks.",
        "in the last two weeks",
        "duration",
        ("2023-12-20", "2024-01-03", "week"),
    ),
    (
        "The coalition grew over the past decade.",
        "over the past decade",
        "duration",
        ("2014-01-03", "2024-01-03", "year"),
    ),
    (
        "The threat changed over the last ten years.",
        "over the last ten years",
        "duration",
        ("2014-01-03", "2024-01-03", "year"),
    ),
    (
        "No launches were seen over the past 24 hours.",
        "over the past 24 hours",
        "duration",
        ("2024-01-02", "2024-01-03", "day"),
    ),
    ("Attacks have risen in recent weeks.", "in recent weeks", "duration", None),
    (
        "Partner forces led during the last several years.",
        "during the last several years",
        "duration",
        None,
    ),
    # anchored
    (
        "Two days after Oct. 17, a second base was hit.",
        "Two days after Oct. 17",
        "anchored",
        ("2023-10-19", "2023-10-19", "day"),
    ),
    (
        "The day after Dec. 31 was quiet.",
        "The day after Dec. 31",
        "anchored",
        ("2024-01-01", "2024-01-01", "day"),
    ),
    (
        "10 years after the government invited the coalition, ties are changing.",
        "10 years after",
        "anchored",
        None,
    ),
    ("Two days after the strike, the base reopened.", "Two days after", "anchored", None),
    (
        "Seven years after the territorial defeat, troops remain.",
        "Seven years after",
        "anchored",
        None,
    ),
    ("The talks collapsed the following day.", "the following day", "anchored", None),
]


@pytest.mark.parametrize(("sentence", "text", "kind", "expected"), CASES, ids=[c[1] for c in CASES])
def test_tags_and_resolves(sentence, text, kind, expected):
    m = only(sentence)
    assert (m.text, m.kind, value(m)) == (text, kind, expected)
    assert sentence[m.start : m.end] == text


def test_every_kind_is_covered():
    assert {c[2] for c in CASES} == set(KINDS)


def test_several_mentions_sorted_with_offsets():
    text = (
        "The official said on Tuesday that since Oct. 17 militias had attacked US forces "
        "151 times, most recently late last month, and that over the past 13 days the pace slowed."
    )
    found = find_dates(text, PUB)
    assert [(m.text, m.kind) for m in found] == [
        ("Tuesday", "point"),
        ("since Oct. 17", "since"),
        ("late last month", "point"),
        ("over the past 13 days", "duration"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert [m.start for m in found] == sorted(m.start for m in found)


# ---- publication dates near a boundary


@pytest.mark.parametrize(
    ("published", "sentence", "expected"),
    [
        (D("2024-01-03"), "It happened on Dec. 30.", ("2023-12-30", "2023-12-30", "day")),
        (D("2024-01-03"), "It is planned for Jan. 25.", ("2024-01-25", "2024-01-25", "day")),
        (D("2024-01-03"), "It happened on March 5.", ("2023-03-05", "2023-03-05", "day")),
        (D("2024-01-03"), "It happened in December.", ("2023-12-01", "2023-12-31", "month")),
        (D("2024-01-03"), "It is planned for February.", ("2024-02-01", "2024-02-29", "month")),
        (D("2024-01-03"), "It happened on Friday.", ("2023-12-29", "2023-12-29", "day")),
        (D("2024-01-03"), "It happened last week.", ("2023-12-25", "2023-12-31", "week")),
        (D("2023-03-01"), "It happened late last month.", ("2023-02-21", "2023-02-28", "week")),
        (D("2024-03-01"), "It happened late last month.", ("2024-02-21", "2024-02-29", "week")),
        (D("2024-03-01"), "It happened on Feb. 29.", ("2024-02-29", "2024-02-29", "day")),
        (D("2023-12-31"), "It is planned for Jan. 2.", ("2024-01-02", "2024-01-02", "day")),
        (D("2023-11-02"), "It happened on October 18th.", ("2023-10-18", "2023-10-18", "day")),
        (D("2024-01-01"), "It happened yesterday.", ("2023-12-31", "2023-12-31", "day")),
        (D("2024-01-01"), "It happened overnight.", ("2023-12-31", "2024-01-01", "day")),
        (D("2024-01-07"), "It happened over the weekend.", ("2024-01-06", "2024-01-07", "week")),
        (D("2024-01-01"), "It happened last month.", ("2023-12-01", "2023-12-31", "month")),
    ],
)
def test_boundaries(published, sentence, expected):
    assert value(only(sentence, published)) == expected


def test_datetime_publication_is_read_as_its_day():
    assert value(only("It happened yesterday.", datetime(2024, 1, 3, 23, 59))) == (
        "2024-01-02",
        "2024-01-02",
        "day",
    )


def test_without_publication_date_nothing_is_guessed():
    text = "On Monday, Oct. 25 and last month aside, talks on 25 October 2023 and late 2023 count."
    got = {m.text: value(m) for m in find_dates(text, None)}
    assert got["Monday, Oct. 25"] is None  # no year written
    assert got["last month"] is None
    assert got["25 October 2023"] == ("2023-10-25", "2023-10-25", "day")
    assert got["late 2023"] == ("2023-09-01", "2023-12-31", "month")


def test_impossible_or_ambiguous_dates_have_no_value():
    assert only("It happened on Feb. 30.").value is None
    assert only("The form gives 05/06/2023 as the date.").value is None  # US or European order?


# ---- what is not a date


@pytest.mark.parametrize(
    "sentence",
    [
        "Troops at Tower 22 were treated for injuries.",
        "The convoy took Route 1 north.",
        "Task Force 51 moved to the coast.",
        "The statement came at 10:30 local time.",
        "The attack began at 3 p.m. and ended an hour later than planned.",
        "Officials said 70 injured personnel returned to duty.",
        "One-way attack drones were launched.",
        "The one-way drone carried 8 to 50 kg of explosives.",
        "Between 8 and 12 fighters were detained.",
        "Theresa May said the vote may go ahead.",
        "The committee may meet again.",
        "March toward the border, the commander ordered.",
        "Jan Kowalski and April Jones said the 2023 budget was cut.",
        "The Sun reported that Wed was a typo.",
        "More than 2023 people were displaced.",
        "The plan was approved in principle.",
    ],
)
def test_not_dates(sentence):
    assert find_dates(sentence, PUB) == []


def test_ambiguous_month_needs_a_day_a_year_or_a_context_word():
    assert find_dates("Theresa May met the envoy.", PUB) == []
    assert [m.text for m in find_dates("The envoy met May on Tuesday.", PUB)] == ["Tuesday"]
    assert [m.text for m in find_dates("The envoy left until May said otherwise.", PUB)] == []
    assert [m.text for m in find_dates("The envoy left in May.", PUB)] == ["May"]
    assert [m.text for m in find_dates("The envoy left on May 5.", PUB)] == ["May 5"]


def test_two_dates_joined_by_and_stay_two():
    assert [m.text for m in find_dates("Oct. 25 and 25 October", PUB)] == ["Oct. 25", "25 October"]


# ---- parse_date


@pytest.mark.parametrize(
    ("expr", "published", "expected"),
    [
        ("2023-10-17", None, ("2023-10-17", "2023-10-17", "day")),
        ("Oct. 17", PUB, ("2023-10-17", "2023-10-17", "day")),
        ("Oct. 17", None, None),
        ("oct 17 2023", None, ("2023-10-17", "2023-10-17", "day")),
        ("last week", PUB, ("2023-12-25", "2023-12-31", "week")),
        ("last week", None, None),
        ("may 2023", None, ("2023-05-01", "2023-05-31", "month")),
        ("2023", None, ("2023-01-01", "2023-12-31", "year")),
        ("  since   mid-October ", PUB, ("2023-10-11", "2023-10-20", "week")),
        ("over the past 13 days", PUB, ("2023-12-21", "2024-01-03", "day")),
        ("17.10.2023", None, ("2023-10-17", "2023-10-17", "day")),  # dateparser's turn
        ("2023/10/17", None, ("2023-10-17", "2023-10-17", "day")),
        ("2023-10", None, ("2023-10-01", "2023-10-31", "month")),
        ("Tue, 17 Oct 2023 08:00:00 GMT", None, ("2023-10-17", "2023-10-17", "day")),
        ("05.06.2023", None, None),  # day and month order unknown
        ("Q4 2023", PUB, None),  # dateparser would invent a day
        ("3 weeks", PUB, None),
        ("10:30", PUB, None),
        ("Tower 22", None, None),
        ("70 injured", PUB, None),
        ("soon", PUB, None),
        ("", None, None),
    ],
)
def test_parse_date(expr, published, expected):
    got = parse_date(expr, published)
    assert (
        None if got is None else (got.start.isoformat(), got.end.isoformat(), got.precision)
    ) == expected


# ---- the lexicon


def test_shipped_lexicon_loads_and_user_files_extend_it(tmp_path, monkeypatch):
    assert find_dates("We met the other day.", PUB) == []
    (tmp_path / "dates.yaml").write_text(
        "provenance: {source: test, date: '2026-01-01', licence: CC0-1.0}\n"
        "entries:\n"
        "  - {kind: relative, unit: day, offset: -2, words: [the other day]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))
    assert value(only("We met the other day.")) == ("2024-01-01", "2024-01-01", "day")


def test_bad_lexicon_entry_is_a_lexicon_error(tmp_path, monkeypatch):
    (tmp_path / "dates.yaml").write_text(
        "provenance: {source: test, date: '2026-01-01', licence: CC0-1.0}\n"
        "entries:\n"
        "  - {kind: month, value: 13, names: [Undecember]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))
    with pytest.raises(LexiconError, match="entry 0"):
        find_dates("In October.", PUB)


# ---- properties

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ABBR = [
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


STYLES = {
    "iso": lambda d: d.isoformat(),
    "us": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    "us_abbr": lambda d: f"{ABBR[d.month - 1]} {d.day}, {d.year}",
    "us_plain": lambda d: f"{ABBR[d.month - 1].rstrip('.')} {d.day} {d.year}",
    "uk": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "uk_abbr": lambda d: f"{d.day} {ABBR[d.month - 1]} {d.year}",
    "weekday": lambda d: f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    "ordinal": lambda d: f"the {_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",
    "upper": lambda d: f"{MONTHS[d.month - 1].upper()} {_ordinal(d.day).upper()}, {d.year}",
    "numeric_us": lambda d: (
        f"{d.month}/{d.day}/{d.year}" if d.day > 12 or d.day == d.month else d.isoformat()
    ),
}
dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31))


@given(dates, st.sampled_from(sorted(STYLES)), st.one_of(st.none(), dates))
def test_full_dates_round_trip(d, style, published):
    written = STYLES[style](d)
    assert parse_date(written, published) == DateSpan(d, d, "day")
    sentence = f"The ceasefire was signed on {written} after long talks."
    m = only(sentence, published)
    assert (m.text, m.kind, m.value) == (written, "point", DateSpan(d, d, "day"))


@given(dates.filter(lambda d: date(1801, 1, 1) < d < date(2199, 1, 1)), st.integers(-300, 25))
def test_yearless_dates_land_within_the_window(published, offset):
    d = published + timedelta(days=offset)
    if (d.month, d.day) == (2, 29):
        return
    for written in (f"{ABBR[d.month - 1]} {d.day}", f"{d.day} {MONTHS[d.month - 1]}"):
        assert parse_date(written, published) == DateSpan(d, d, "day")


@given(dates.filter(lambda d: d > date(1800, 1, 10)), st.integers(0, 6))
def test_weekdays_are_the_latest_on_or_before_publication(published, back):
    d = published - timedelta(days=back)
    assert only(f"Shells fell on {WEEKDAYS[d.weekday()]}.", published).value == DateSpan(
        d, d, "day"
    )
    before = d - timedelta(days=7) if back == 0 else d
    assert only(f"Shells fell last {WEEKDAYS[d.weekday()]}.", published).value == DateSpan(
        before, before, "day"
    )


def _check_invariants(text: str, found: list[DateMention]) -> None:
    previous_end = 0
    for m in found:
        assert 0 <= previous_end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.kind in KINDS
        if m.value is not None:
            assert m.value.precision in DATE_PRECISIONS
            assert m.value.start <= m.value.end
        previous_end = m.end


@given(st.text(max_size=300), st.one_of(st.none(), dates))
def test_random_text_never_crashes(text, published):
    _check_invariants(text, find_dates(text, published))
    parse_date(text, published)


# Text made of the tagger's own words in random order, to reach odd combinations.
WORDS = (
    MONTHS
    + ABBR
    + WEEKDAYS
    + ["Mon.", "Tue", "MAY", "OCT.", "2023", "1999", "2023-10-25", "10/25/2023"]
    + "1 2 17 18th 31 45 13 one two ten twenty-one several a the The between from and to since until "
    "through as of over in during for past last next this early mid late mid- start end of year "
    "month week weekend days weeks years decade hours ago after before later earlier today tonight "
    "yesterday overnight morning night said be Tower Route 22 10:30 p.m. , . - ( )".split()
)
soup = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


@settings(max_examples=300)
@given(soup, st.one_of(st.none(), dates))
def test_word_soup_keeps_the_invariants(text, published):
    _check_invariants(text, find_dates(text, published))


@settings(max_examples=300)
@given(soup)
def test_trigger_gate_finds_what_a_full_scan_finds(text):
    """find_dates runs the scanner only near trigger words; that must change nothing."""
    g = _grammar()
    assert find_dates(text, PUB) == [g.mention(m, PUB) for m in g.scanner.finditer(text)]


def test_a_year_before_a_comma_and_a_count_is_still_a_year():
    from sitrep.extract.dates import find_dates

    found = find_dates("In 2022, 119 police were killed.", date(2023, 2, 2))
    assert [(d.kind, d.text) for d in found] == [("point", "2022")]
    assert all("2022" not in d.text for d in find_dates("Call 2022 119 now.", date(2023, 2, 2)))


def test_a_yearless_since_date_is_never_after_publication():
    """'since October' in a September report counts from last October."""
    found = find_dates("Hezbollah has lost 400 fighters since October, it said.", date(2024, 9, 10))
    since = [d for d in found if d.kind == "since"]
    assert since and since[0].value.start == date(2023, 10, 1)
