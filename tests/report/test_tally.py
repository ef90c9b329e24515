"""Tallies: counted incidents beside the official claims, on the corpus and on records."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.model import (
    ActorRef,
    Casualties,
    ClaimSeries,
    DateSpan,
    Incident,
    Place,
    Range,
    SeriesPoint,
)
from sitrep.report.tally import (
    actor_scope,
    annotate_series,
    casualty_sums,
    compute_tally,
    count_in_scope,
    latest_point,
)

runner = CliRunner()


def _json(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _lines(*args: str) -> list[dict]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# -- on the corpus ----------------------------------------------------------------------


def test_tally_of_the_corpus(ledger_db):
    t = _json("tally", "--since", "2023-10-17", "--db", ledger_db, "--json")
    assert t["incidents"] == 2  # the two Al-Asad reports are one attack
    assert t["by_mode"] == {"rocket": 1, "uas_one_way": 1}
    assert t["by_country"] == {"IQ": 1, "JO": 1}
    assert t["casualties"]["injured"]["min"] == 2
    assert t["casualties"]["minor"] == {"min": 2, "max": 2, "incidents": 1, "unbounded": 0}
    assert t["casualties"]["killed"]["min"] == 0
    (official,) = t["official"]
    assert official["measure"] == "attacks" and official["period_start"] == "2023-10-17"
    assert official["value"] == {"min": 40, "max": None} and official["qualifier"] == "at_least"
    assert official["as_of"] == "2023-11-07" and official["attribution"] == "the Pentagon"
    assert (official["claimed"], official["counted"], official["difference"]) == (40, 2, 38)
    assert official["document"]["url"] == "https://example.org/sitrep-tests/tally"


def test_tally_filters(ledger_db):
    iraq = _json("tally", "--since", "2023-10-17", "--country", "iq", "--db", ledger_db, "--json")
    assert iraq["incidents"] == 1 and iraq["by_mode"] == {"rocket": 1}
    # the official series covers every country, and is counted in its own scope
    assert [o["counted"] for o in iraq["official"]] == [2]
    us = _json(
        "tally", "--since", "2023-10-17", "--target", "US forces", "--db", ledger_db, "--json"
    )
    assert us["incidents"] == 2 and len(us["official"]) == 1
    nobody = _json(
        "tally", "--since", "2023-10-17", "--target", "civilians", "--db", ledger_db, "--json"
    )
    assert nobody["incidents"] == 0 and nobody["official"] == []
    early = _json(
        "tally", "--since", "2023-10-17", "--until", "2023-10-25", "--db", ledger_db, "--json"
    )
    assert early["incidents"] == 1 and early["official"] == []  # no figure given by then
    later = _json("tally", "--since", "2023-10-24", "--db", ledger_db, "--json")
    assert later["incidents"] == 1 and later["official"] == []  # the series starts before


def test_tally_table(ledger_db):
    result = runner.invoke(
        app, ["tally", "--since", "2023-10-17", "--db", ledger_db], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "one-way attack drone" in result.stdout and "at least 40" in result.stdout


def test_claim_series_with_ledger_counts(ledger_db):
    (series,) = _lines("claims", "--series", "--measure", "attacks", "--db", ledger_db, "--json")
    assert series["subject_id"] == "us_forces"
    (point,) = series["points"]
    assert point["value"]["min"] == 40 and point["as_of"] == "2023-11-07"
    assert point["attribution"] == "the Pentagon" and point["incidents_counted"] == 2
    assert point["document"]["title"] == "Pentagon counts at least 40 attacks on US forces"
    assert _lines("claims", "--series", "--measure", "injured", "--db", ledger_db, "--json") == []
    assert _lines("claims", "--series", "--since", "2023-11-01", "--db", ledger_db, "--json") == []
    table = runner.invoke(app, ["claims", "--series", "--db", ledger_db], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "the Pentagon" in table.stdout


def test_claims(ledger_db):
    (claim,) = _lines("claims", "--db", ledger_db, "--json")
    assert claim["measure"] == "attacks" and claim["subject"] == "US and coalition forces"
    assert _lines("claims", "--subject", "us_forces", "--db", ledger_db, "--json") == [claim]
    assert _lines("claims", "--subject", "ISIS", "--db", ledger_db, "--json") == []


def test_incidents(ledger_db):
    both = _lines("incidents", "--db", ledger_db, "--json")
    assert [i["date"]["start"] for i in both] == ["2023-10-23", "2023-10-26"]
    (rocket,) = _lines("incidents", "--mode", "rocket", "--db", ledger_db, "--json")
    assert rocket["place"]["country"] == "IQ" and len(rocket["document_ids"]) == 2
    (drone,) = _lines("incidents", "--country", "JO", "--db", ledger_db, "--json")
    assert drone["attack_modes"] == ["uas_one_way"]
    assert _lines("incidents", "--limit", "1", "--db", ledger_db, "--json") == both[:1]
    assert _lines("incidents", "--since", "2023-10-24", "--db", ledger_db, "--json") == [drone]
    assert len(_lines("incidents", "--target", "us_forces", "--db", ledger_db, "--json")) == 2
    table = runner.invoke(app, ["incidents", "--db", ledger_db], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "Tower 22" in table.stdout


# -- on records -------------------------------------------------------------------------

US = ActorRef("us_forces", "US troops", "state_military")
DOD = "us_dod"


def _incident(ident, day, country="IQ", target=US, modes=("rocket",), **casualties) -> Incident:
    return Incident(
        id=ident,
        date=DateSpan(day, day, "day"),
        place=Place("somewhere", country),
        attack_modes=list(modes),
        target=target,
        casualties=Casualties(**casualties),
    )


LEDGER = [
    _incident("a", date(2023, 10, 18), injured=Range(2, 2), minor=Range(2, 2)),
    _incident(
        "b",
        date(2023, 10, 20),
        "SY",
        modes=("uas_one_way", "rocket"),
        serious=Range(1, 1),
        minor=Range(3, None),
    ),
    _incident("c", date(2023, 10, 25), "SY", killed=Range(1, 3)),
    _incident(
        "d",
        date(2023, 10, 25),
        target=ActorRef(None, "aid workers", "civilians"),
        killed=Range(5, 5),
    ),
]


def test_count_in_scope():
    scope = actor_scope("us_forces")
    assert count_in_scope("attacks", LEDGER) == 4
    assert count_in_scope("attacks", LEDGER, actor=scope) == 3
    assert (
        count_in_scope("attacks", LEDGER, actor=actor_scope(DOD)) == 3
    )  # us_forces is part of the DoD
    assert count_in_scope("attacks", LEDGER, actor=scope, region=["sy"]) == 2
    assert count_in_scope("attacks", LEDGER, start=date(2023, 10, 20), end=date(2023, 10, 25)) == 3
    assert count_in_scope("killed", LEDGER, actor=scope) == 1
    assert count_in_scope("injured", LEDGER) == 6  # b gives no total: serious + minor
    assert count_in_scope("injured_minor", LEDGER) == 5
    assert count_in_scope("territory_km2", LEDGER) is None
    assert count_in_scope("attacks", LEDGER, actor=actor_scope("aid workers")) == 1


def test_casualty_sums():
    sums = casualty_sums(LEDGER)
    assert sums["killed"] == {"min": 6, "max": 8, "incidents": 2, "unbounded": 0}
    assert sums["minor"] == {"min": 5, "max": 5, "incidents": 2, "unbounded": 1}
    assert sums["injured"]["min"] == 6 and sums["injured"]["unbounded"] == 1


def _series(measure, *points, region=(), start=date(2023, 10, 17)) -> ClaimSeries:
    return ClaimSeries(
        id=f"s-{measure}",
        measure=measure,
        subject_id="us_forces",
        subject="US forces",
        region=list(region),
        period_start=start,
        points=[
            SeriesPoint(f"c{i}", as_of, Range(v, v), "exact", revision=rev)
            for i, (as_of, v, rev) in enumerate(points)
        ],
    )


def test_annotate_series_counts_each_point():
    attacks = _series(
        "attacks", (date(2023, 10, 19), 5, None), (date(2023, 10, 25), 9, None), (None, 9, None)
    )
    killed = _series("killed", (date(2023, 10, 30), 1, None))
    other = _series("territory_km2", (date(2023, 10, 30), 10, None))
    annotate_series([attacks, killed, other], LEDGER)
    assert [p.incidents_counted for p in attacks.points] == [1, 3, 3]
    assert killed.points[0].incidents_counted == 1
    assert other.points[0].incidents_counted is None


def test_latest_point():
    s = _series(
        "attacks",
        (date(2023, 11, 1), 20, None),
        (date(2023, 11, 6), 38, None),
        (date(2023, 11, 6), 18, "decrease"),
    )
    assert latest_point(s).value.min == 38  # the larger figure of the same day
    assert latest_point(s, until=date(2023, 11, 2)).value.min == 20
    assert latest_point(s, until=date(2023, 10, 1)) is None
    s.points.append(
        SeriesPoint("c9", date(2023, 11, 6), Range(30, 30), "exact", revision="correction")
    )
    assert latest_point(s).value.min == 30  # a stated correction wins


def test_compute_tally_difference():
    s = _series("attacks", (date(2023, 10, 25), 10, None), region=["SY"])
    t = compute_tally(LEDGER, [s], since=date(2023, 10, 17), target="US forces")
    assert t.incidents == 3 and t.by_mode == {"rocket": 3, "uas_one_way": 1}
    (o,) = t.official
    assert (o.claimed, o.counted, o.difference) == (10, 2, 8)
    assert compute_tally(LEDGER, [s], since=date(2023, 10, 17), country="IQ").official == []
