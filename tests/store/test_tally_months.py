"""The tally's month totals (issue 3): counts from whole months plus the days at either
end equal the counts over incidents alone, for random stores and scopes, and the totals
equal a fresh computation after every kind of write, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.model import ActorRef, Casualties, DateSpan, Incident, Place, Range
from sitrep.store import aggregates, engine, open_store, tally_months, writes
from sitrep.store.tally_months import Split, month_end, month_runs, split_range
from tests.store.counting import expected_counts

# -- the store's view ---------------------------------------------------------------------


def stored_totals(store) -> Counter:
    with store.engine.connect() as conn:
        return Counter(map(tuple, conn.execute(tally_months.tally_months.select())))


def fresh_totals(store) -> Counter:
    """The totals computed afresh from the incidents as they are."""
    with store.engine.connect() as conn:
        return Counter(map(tuple, conn.execute(tally_months.totals_select(store.dialect))))


def counts(store, by_month: bool, **scope):
    with store.engine.connect() as conn:
        return aggregates.tally_counts(conn, **scope, by_month=by_month)


def assert_consistent(store, scopes=()) -> None:
    """The totals are what the incidents make, and each scope counts the same both ways."""
    assert stored_totals(store) == fresh_totals(store)
    for scope in scopes:
        assert counts(store, True, **scope) == counts(store, False, **scope), scope


# -- splitting a date range ---------------------------------------------------------------

WINDOW = (date(2023, 11, 20), date(2024, 3, 10))  # across a year end and a leap February


def _in_months(split: Split, day: date | None) -> bool:
    if split.months is None:
        return False
    first, last = split.months
    if day is None:
        return first is None and last is None
    month = day.replace(day=1)
    return (first is None or first <= month) and (last is None or month <= last)


def _parts_of(split: Split, day: date | None) -> int:
    """How many times a split counts an incident of this day (None: undated)."""
    n = int(_in_months(split, day))
    if day is not None:
        n += sum(lo <= day <= hi for lo, hi in split.days)
        n -= sum(lo <= day <= hi for lo, hi in split.minus)
    return n


def _days(lo: date, hi: date):
    return [lo + timedelta(n) for n in range((hi - lo).days + 1)]


bounds = st.none() | st.dates(date(2023, 10, 25), date(2024, 4, 5))


@settings(max_examples=300, deadline=None)
@given(since=bounds, until=bounds)
def test_a_split_counts_each_day_of_the_range_once(since, until):
    split = split_range(since, until)
    for day in [None, *_days(*WINDOW)]:
        if day is None:  # undated: only in a range open at both ends
            inside = since is None and until is None
        else:
            inside = (since is None or since <= day) and (until is None or day <= until)
        assert _parts_of(split, day) == int(inside), (since, until, day, split)
        if day is not None and any(lo <= day <= hi for lo, hi in split.minus):
            assert _in_months(split, day)  # only what a month added is taken away
    # at most half a month of days at each end (or two partial months, less than two)
    for lo, hi in split.days + split.minus:
        assert lo <= hi or (since, until) == (lo, hi)
        assert (hi - lo).days < 62
    assert sum((hi - lo).days + 1 for lo, hi in split.days + split.minus) <= 62


@pytest.mark.parametrize(
    ("since", "until", "want"),
    [
        (None, None, Split((None, None), ())),
        (date(2024, 1, 1), date(2024, 2, 29), Split((date(2024, 1, 1), date(2024, 2, 1)), ())),
        # 17 October: its 15 days are fewer than the 16 before it
        (
            date(2023, 10, 17),
            None,
            Split((date(2023, 11, 1), None), ((date(2023, 10, 17), date(2023, 10, 31)),)),
        ),
        # 28 February 2024: February minus the 29th
        (
            None,
            date(2024, 2, 28),
            Split((None, date(2024, 2, 1)), (), ((date(2024, 2, 29), date(2024, 2, 29)),)),
        ),
        (
            date(2024, 3, 2),
            date(2024, 3, 30),
            Split(
                (date(2024, 3, 1), date(2024, 3, 1)),
                (),
                ((date(2024, 3, 1), date(2024, 3, 1)), (date(2024, 3, 31), date(2024, 3, 31))),
            ),
        ),
        (
            date(2024, 3, 10),
            date(2024, 3, 20),
            Split(None, ((date(2024, 3, 10), date(2024, 3, 20)),)),
        ),
        (
            date(2024, 3, 2),
            date(2024, 4, 30),
            Split(
                (date(2024, 3, 1), date(2024, 4, 1)), (), ((date(2024, 3, 1), date(2024, 3, 1)),)
            ),
        ),
        # two partial months, neither worth its complement: their days
        (
            date(2024, 1, 20),
            date(2024, 2, 10),
            Split(None, ((date(2024, 1, 20), date(2024, 2, 10)),)),
        ),
        (date(2024, 3, 5), date(2024, 3, 1), Split(None, ((date(2024, 3, 5), date(2024, 3, 1)),))),
        # the calendar's ends
        (
            date(9999, 12, 2),
            None,
            Split((date(9999, 12, 1), None), (), ((date(9999, 12, 1), date(9999, 12, 1)),)),
        ),
        (date(9999, 12, 20), None, Split(None, ((date(9999, 12, 20), date.max),))),
        (None, date(1, 1, 10), Split(None, ((date.min, date(1, 1, 10)),))),
        (date.min, date.max, Split((date.min, date(9999, 12, 1)), ())),
    ],
)
def test_split_range(since, until, want):
    assert split_range(since, until) == want


def test_month_runs():
    months = [date(2024, 1, 1), date(2023, 12, 1), date(2024, 3, 1), date(2023, 11, 1)]
    assert month_runs(months) == [
        (date(2023, 11, 1), date(2024, 1, 1)),
        (date(2024, 3, 1), date(2024, 3, 1)),
    ]
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)


# -- random stores ------------------------------------------------------------------------

COUNTRIES = [None, "", "IQ", "SY", "jo"]
MODES = [[], ["rocket"], ["uas_one_way"], ["rocket", "uas_one_way"], ["mortar", "mortar"]]
TARGETS = [
    None,
    ActorRef("us_forces", "US forces", "state_military"),
    ActorRef("centcom", "CENTCOM", "state_military"),
    ActorRef("us_forces", None, None),
    ActorRef(None, "us forces", None),
    ActorRef("civilians", "civilians", "civilians"),
]
# Halves and whole numbers: their sums are exact in any order, as casualty counts are.
amounts = st.none() | st.integers(0, 40).map(lambda n: n / 2)
ranges = st.builds(Range, amounts, amounts)
days = st.none() | st.dates(*WINDOW)


@st.composite
def incidents(draw, ident: str) -> Incident:
    day = draw(days)
    return Incident(
        id=ident,
        date=DateSpan(day, day, "day" if day else None),
        place=Place("a site", draw(st.sampled_from(COUNTRIES))),
        attack_modes=list(draw(st.sampled_from(MODES))),
        target=draw(st.sampled_from(TARGETS)),
        casualties=draw(st.builds(Casualties, ranges, ranges, ranges, ranges, ranges)),
    )


def ledgers(max_size: int = 30):
    return st.lists(st.integers(0, 10**6), max_size=max_size, unique=True).flatmap(
        lambda ids: st.tuples(*(incidents(f"i{n}") for n in ids)).map(list)
    )


scopes = st.fixed_dictionaries(
    {},
    optional={
        "since": st.dates(*WINDOW),
        "until": st.dates(*WINDOW),
        "target_ids": st.lists(st.sampled_from(["us_forces", "centcom", "nobody"]), max_size=2),
        "target_names": st.lists(
            st.sampled_from(["US forces", "us forces", "CENTCOM"]), max_size=2
        ),
        "countries": st.lists(st.sampled_from(["iq", "SY", "", "JO"]), max_size=2),
        "grouped": st.booleans(),
    },
)
figures = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "since": st.dates(*WINDOW),
            "until": st.dates(*WINDOW),
            "target": st.lists(st.sampled_from(["us_forces", "centcom"]), max_size=2),
            "target_names": st.lists(st.sampled_from(["US forces", "CENTCOM"]), max_size=1),
            "country": st.lists(st.sampled_from(["IQ", "sy", ""]), max_size=2),
            "severity": st.sampled_from([None, *aggregates.SEVERITIES]),
        },
    ),
    max_size=6,
)

RANDOM = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@RANDOM
@given(records=ledgers(), scope=scopes, asked=figures)
def test_counts_from_months_equal_counts_over_incidents(store, records, scope, asked):
    store.replace_incidents(records)
    assert stored_totals(store) == fresh_totals(store)
    got = counts(store, True, **scope, figures=asked)
    assert got == counts(store, False, **scope, figures=asked)
    python_scope = {
        "since": scope.get("since"),
        "until": scope.get("until"),
        "ids": scope.get("target_ids"),
        "names": scope.get("target_names"),
        "countries": scope.get("countries"),
        "grouped": scope.get("grouped", True),
    }
    assert {k: v for k, v in got.items() if k != "figures"} == expected_counts(
        store.incident_records(), **python_scope
    )


# Month edges and days around them, over the three months of ``sample_incidents``.
EDGES = [
    None,
    *(date(2023, 10, d) for d in (1, 2, 15, 17, 30, 31)),
    *(date(2023, 11, d) for d in (1, 16, 29, 30)),
    *(date(2023, 12, d) for d in (1, 2, 28, 31)),
]


def test_every_way_of_cutting_a_range_counts_the_same(store):
    """Every pair of bounds among month edges: whole months, days added, days subtracted
    (a group only in the subtracted days must not be listed), and figures alike."""
    from tests.store.counting import sample_incidents

    store.replace_incidents(sample_incidents())
    with store.engine.connect() as conn:
        for since in EDGES:
            for until in EDGES:
                scope = {"since": since, "until": until}
                asked = [scope, {**scope, "severity": "injured", "country": ["iq"]}]
                got = aggregates.tally_counts(conn, **scope, figures=asked)
                want = aggregates.tally_counts(conn, **scope, figures=asked, by_month=False)
                assert got == want, scope


def test_what_the_subtracted_days_alone_hold_is_not_listed(store):
    """To 28 December is December minus its last three days: a mode and a country seen
    only on the 31st count nothing, and are not listed with zero."""

    def incident(ident, day, country, modes):
        return Incident(
            id=ident, date=DateSpan(day, day, "day"), place=Place("a", country), attack_modes=modes
        )

    store.replace_incidents(
        [
            incident("a", date(2023, 12, 5), "IQ", ["rocket"]),
            incident("b", date(2023, 12, 31), "SY", ["mortar"]),
        ]
    )
    got = counts(store, True, since=date(2023, 12, 1), until=date(2023, 12, 28))
    assert (got["by_mode"], got["by_country"]) == ({"rocket": 1}, {"IQ": 1})
    assert got == counts(store, False, since=date(2023, 12, 1), until=date(2023, 12, 28))


# A write, as the ledger and the corrections make them: (kind, incidents or ids).
writes_ = st.one_of(
    st.tuples(st.just("upsert"), ledgers(6)),
    st.tuples(
        st.just("delete"), st.lists(st.integers(0, 10**6).map(lambda n: f"i{n}"), max_size=6)
    ),
    st.tuples(st.just("replace"), ledgers(10)),
)
SCOPES = [
    {},
    {"since": date(2023, 12, 10)},
    {"since": date(2023, 12, 1), "until": date(2024, 2, 29), "countries": ["iq", ""]},
    {"until": date(2024, 1, 15), "target_ids": ["us_forces"], "target_names": ["us forces"]},
    {"since": date(2024, 1, 5), "until": date(2024, 1, 20), "grouped": False},
]


@RANDOM
@given(start=ledgers(), steps=st.lists(writes_, min_size=1, max_size=5), data=st.data())
def test_totals_stay_true_through_any_writes(store, start, steps, data):
    store.replace_incidents(start)
    held = [i.id for i in start]
    for kind, what in steps:
        if kind == "upsert":
            # some incidents written over (moved to other days, countries, targets), some new
            again = data.draw(st.lists(st.sampled_from(held), max_size=3)) if held else []
            what = what + [data.draw(incidents(i)) for i in dict.fromkeys(again)]
            what = list({i.id: i for i in what}.values())
            store.upsert_incidents(what)
            held += [i.id for i in what]
        elif kind == "delete":
            if held:  # some that are there, some that are not
                what = what + data.draw(st.lists(st.sampled_from(held), max_size=3))
            store.delete_incidents(what)
        else:
            store.replace_incidents(what)
            held = [i.id for i in what]
        assert_consistent(store, SCOPES)


def test_an_incident_moved_to_another_month_leaves_its_old_month(store):
    day = date(2024, 1, 31)
    inc = Incident(id="x", date=DateSpan(day, day, "day"), place=Place("a site", "IQ"))
    store.replace_incidents([inc])
    jan = {"since": date(2024, 1, 1), "until": date(2024, 1, 31)}
    assert counts(store, True, **jan)["incidents"] == 1
    moved = Incident(
        id="x", date=DateSpan(date(2024, 2, 1), None, "day"), place=Place("a site", "IQ")
    )
    store.upsert_incidents([moved])
    assert counts(store, True, **jan)["incidents"] == 0
    assert counts(store, True, since=date(2024, 2, 1), until=date(2024, 2, 29))["incidents"] == 1
    store.upsert_incidents([Incident(id="x")])  # undated now
    assert counts(store, True)["incidents"] == 1
    assert counts(store, True, since=date(2024, 2, 1), until=date(2024, 2, 29))["incidents"] == 0
    assert store.delete_incidents(["x"]) == 1
    assert stored_totals(store) == Counter()


def test_a_failed_write_leaves_the_totals_as_they_were(store):
    from sitrep.errors import StoreError

    inc = Incident(id="x", date=DateSpan(date(2024, 1, 5), None, "day"), place=Place("a", "IQ"))
    store.replace_incidents([inc])
    before = stored_totals(store)
    other = Incident(id="y", date=DateSpan(date(2024, 1, 6), None, "day"))
    with pytest.raises(StoreError):
        store.upsert_incidents([other], [("y", "no-such-mention")])
    assert stored_totals(store) == before == fresh_totals(store)


def test_concurrent_writers_of_one_month_on_postgres(pg_url):
    """Two transactions rewriting incidents of the same month: the second waits for the
    first to commit before it recomputes the month, so neither's rows are kept twice."""
    store = open_store(pg_url)
    jan = [
        Incident(
            id=f"j{n}", date=DateSpan(date(2024, 1, 1 + n), None, "day"), place=Place("a", "IQ")
        )
        for n in range(4)
    ]
    store.replace_incidents(jan)
    first = engine.write_connection(store.engine)
    conn = first.__enter__()
    writes.upsert_incidents(conn, [Incident(id="j0", date=jan[0].date, place=Place("a", "SY"))], [])
    second = threading.Thread(
        target=store.upsert_incidents,
        args=([Incident(id="j1", date=jan[1].date, place=Place("a", "JO"))],),
    )
    second.start()
    time.sleep(0.5)  # the second is now waiting on the totals' lock
    first.__exit__(None, None, None)
    second.join(30)
    assert not second.is_alive()
    assert stored_totals(store) == fresh_totals(store)
    got = counts(store, True, since=date(2024, 1, 1), until=date(2024, 1, 31))
    assert got["by_country"] == {"IQ": 2, "SY": 1, "JO": 1}
    store.close()


# -- the ledger's own writes: resolution, corrections, merges and splits -------------------


def _check_ledger(store) -> None:
    from sitrep.report.tally import compute_tally, tally

    assert_consistent(
        store,
        [
            {"since": date(2023, 10, 17)},
            {"since": date(2023, 10, 24), "until": date(2023, 12, 31)},
            {"since": date(2023, 10, 1), "until": date(2023, 10, 31), "countries": ["iq"]},
            {},
        ],
    )
    for since in (date(2023, 10, 17), date(2023, 10, 1)):
        want = compute_tally(store.incident_records(), store.claim_series(), since=since)
        assert tally(store, since=since).incidents == want.incidents
        assert [o.counted for o in tally(store, since=since).official] == [
            o.counted for o in want.official
        ]


def test_the_ledger_keeps_the_totals_through_every_write(db_url, tmp_path):
    from sitrep import corrections as fixes
    from sitrep.extract import extract_document
    from sitrep.ledger import ingest_paths, resolve_store
    from tests.report.corpus import write_corpus

    one = write_corpus(tmp_path / "first", ["asad_wire.txt", "tally.txt"])
    rest = write_corpus(tmp_path / "later", ["asad_post.txt", "tower22.txt"])
    with open_store(db_url) as store:
        ingest_paths(store, [one])
        resolve_store(store)  # the first resolution writes every incident at once
        _check_ledger(store)
        ingest_paths(store, [rest])
        resolve_store(store)  # incremental: the new mentions join, a new incident is written
        assert store.counts()["incidents"] == 2
        _check_ledger(store)

        asad, tower = sorted(store.incident_records(), key=lambda i: i.date.start)
        fixes.correct(
            store, "incident", tower.id, "date.start", "2023-12-03", "ana", "a later night"
        )
        fixes.correct(store, "incident", asad.id, "place.country", "sy", "ana")
        fixes.correct(store, "incident", asad.id, "casualties.minor", "3-5", "ana")
        _check_ledger(store)
        dec = counts(store, True, since=date(2023, 12, 1), until=date(2023, 12, 31))
        assert dec["incidents"] == 1

        fixes.merge_incidents(store, asad.id, [tower.id], author="ana", reason="one attack")
        assert store.counts()["incidents"] == 1
        _check_ledger(store)
        (merged,) = store.incident_records()
        moved = [m for m in merged.mention_ids if m in tower.mention_ids]
        fixes.split_incident(store, merged.id, moved, author="ana", reason="two attacks")
        assert store.counts()["incidents"] == 2
        _check_ledger(store)

        # re-extraction: the document's mentions are replaced, its incident rebuilt
        doc = next(d for d in store.documents(limit=None) if "Tower 22" in d.text)
        store.save_extraction(extract_document(doc), replace=True)
        resolve_store(store)
        _check_ledger(store)

        # re-resolution from nothing, corrections put back after it
        store.replace_incidents([])
        assert stored_totals(store) == Counter()
        resolve_store(store)
        assert store.counts()["incidents"] == 2
        _check_ledger(store)
