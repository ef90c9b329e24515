"""Claims become series: ordering, merged repeats, decrease and correction flags,
breakdowns. The sentences are the project's own, about the invented world of world.py."""

from __future__ import annotations

from datetime import date

from sitrep.model import Claim, Evidence, Period, Range
from sitrep.resolve import build_series

START = date(2031, 2, 1)


def claim(cid, doc, value, as_of, *, measure="attacks", text="", region=(), **kw) -> Claim:
    low, high = value if isinstance(value, tuple) else (value, value)
    kw.setdefault("subject", "Varnian army")
    kw.setdefault("period", Period(START, None))
    return Claim(
        measure=measure,
        value=Range(low, high),
        region=list(region),
        as_of=as_of,
        evidence=[Evidence("value", 0, len(text), text)] if text else [],
        id=cid,
        document_id=doc,
        **kw,
    )


def test_points_ordered_by_as_of_then_document():
    claims = [
        claim("c3", "d3", 30, date(2031, 3, 20)),
        claim("c1", "d1", 12, date(2031, 3, 1)),
        claim("c2b", "d2b", 21, date(2031, 3, 10)),
        claim("c2a", "d2a", 20, date(2031, 3, 10)),
    ]
    [series] = build_series(claims)
    assert [p.claim_id for p in series.points] == ["c1", "c2a", "c2b", "c3"]
    assert series.measure == "attacks" and series.period_start == START
    assert series.subject == "Varnian army" and series.subject_id is None
    assert [p.revision for p in series.points] == [None, None, None, None]


def test_a_falling_count_is_a_decrease():
    claims = [claim("a", "d1", 40, date(2031, 3, 1)), claim("b", "d2", 36, date(2031, 3, 5))]
    [series] = build_series(claims)
    assert [p.revision for p in series.points] == [None, "decrease"]


def test_a_figure_a_source_calls_a_correction_is_flagged():
    claims = [
        claim("a", "d1", 20, date(2031, 3, 1)),
        claim(
            "b",
            "d2",
            41,
            date(2031, 3, 5),
            text="41 attacks, twice the figure previously disclosed",
        ),
        claim("c", "d3", 38, date(2031, 3, 9), attribution="a revised count from the ministry"),
        claim("d", "d4", 45, date(2031, 3, 12), text="45 attacks so far"),
    ]
    [series] = build_series(claims)
    assert [p.revision for p in series.points] == [None, "correction", "correction", None]


def test_the_same_value_from_several_documents_is_one_point():
    claims = [
        claim("a", "d1", 25, date(2031, 3, 1)),
        claim("b", "d2", 25, date(2031, 3, 1)),
        claim("c", "d3", 24, date(2031, 3, 1)),
        claim("e", "d4", 25, date(2031, 3, 1)),
    ]
    [series] = build_series(claims)
    assert [(p.claim_id, p.other_claim_ids) for p in series.points] == [
        ("a", ["b", "e"]),
        ("c", []),
    ]


def test_breakdowns_form_their_own_series_by_region():
    total = claim("t", "d1", 38, date(2031, 3, 1), region=("XA", "XB"))
    varnia = claim(
        "v", "d1", 20, None, region=("XA",), subject=None, period=Period(), breakdown_of="t"
    )
    ostmark = claim(
        "o", "d1", 18, None, region=("XB",), subject=None, period=Period(), breakdown_of="t"
    )
    later = claim("v2", "d2", 23, date(2031, 3, 8), region=("XA",))
    series = {tuple(s.region): s for s in build_series([total, varnia, ostmark, later])}
    assert set(series) == {("XA", "XB"), ("XA",), ("XB",)}
    assert [p.claim_id for p in series[("XA",)].points] == ["v", "v2"]
    # a breakdown takes its parent's subject, period and as-of
    assert series[("XA",)].subject == "Varnian army"
    assert series[("XA",)].period_start == START
    assert series[("XA",)].points[0].as_of == date(2031, 3, 1)


def test_a_breakdown_by_mode_is_keyed_by_its_modes():
    total = claim(
        "t", "d1", 60, date(2031, 3, 1), measure="injured", attack_modes=["rocket", "uas_one_way"]
    )
    drones = claim(
        "u", "d1", 35, None, measure="injured", breakdown_of="t", attack_modes=["uas_one_way"]
    )
    got = build_series([total, drones])
    assert len(got) == 2
    assert {len(s.points) for s in got} == {1}


def test_series_keys_use_subject_ids_and_measures():
    a = claim("a", "d1", 5, date(2031, 3, 1), subject="the Varnian army", subject_id="varnian_army")
    b = claim("b", "d2", 6, date(2031, 3, 2), subject="Varnian troops", subject_id="varnian_army")
    c = claim("c", "d3", 2, date(2031, 3, 2), measure="killed")
    d = claim("d", "d4", 7, date(2031, 3, 3), subject="The Varnian Army")  # no id: its words
    got = build_series([a, b, c, d])
    by = {(s.measure, s.subject_id or s.subject): [p.claim_id for p in s.points] for s in got}
    assert by == {
        ("attacks", "varnian_army"): ["a", "b"],
        ("killed", "Varnian army"): ["c"],
        ("attacks", "The Varnian Army"): ["d"],
    }


def test_a_different_start_date_is_a_different_series():
    a = claim("a", "d1", 5, date(2031, 3, 1))
    b = claim("b", "d2", 9, date(2031, 3, 2), period=Period(date(2031, 1, 1), None))
    assert len(build_series([a, b])) == 2


def test_undated_points_come_last_and_open_ranges_compare_by_their_floor():
    claims = [
        claim("x", "d9", (50, None), None, qualifier="at_least"),
        claim("a", "d1", (40, None), date(2031, 3, 1), qualifier="more_than"),
        claim("b", "d2", (None, 38), date(2031, 3, 2), qualifier="up_to"),
    ]
    [series] = build_series(claims)
    assert [p.claim_id for p in series.points] == ["a", "b", "x"]
    assert [p.revision for p in series.points] == [None, "decrease", None]
    assert series.points[0].qualifier == "more_than"
