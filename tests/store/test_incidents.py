"""Resolved incidents, claim series and corrections: what resolve/ and the web layer write."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.errors import NotFound, StoreError
from sitrep.model import (
    ActorRef,
    Casualties,
    ClaimSeries,
    DateSpan,
    Evidence,
    FieldSource,
    Incident,
    Place,
    Range,
    SeriesPoint,
)
from tests.store.records import sample


@pytest.fixture
def saved(store):
    ex = sample()
    store.save_extraction(ex)
    return store, [m.id for m in ex.incidents], [c.id for c in ex.claims]


def _incident(ident: str, **kw) -> dict:
    base = {
        "id": ident,
        "date_start": date(2023, 10, 23),
        "date_precision": "day",
        "place_name": "Al-Asad Airbase",
        "country": "IQ",
        "attack_modes": ["rocket"],
        "attacker_id": "irm",
        "target_id": "us_forces",
        "target_name": "US forces",
        "injured_min": 2,
        "injured_max": 2,
        "confidence": 0.9,
        "fields_json": {"injured_min": {"value": 2, "from": ["m1"], "conflicts": [1, 2]}},
    }
    return base | kw


def test_replace_and_read_incidents(saved):
    store, (m1, m2), _ = saved
    store.replace_incidents(
        [
            _incident("a"),
            _incident(
                "b",
                date_start="2023-10-24",
                country="sy",
                attack_modes=["uas_one_way"],
                attacker_id=None,
                payload_min=8,
                payload_max=50.5,
            ),
        ],
        [("a", m1), ("b", m2)],
    )
    a, b = store.incidents()
    assert a["id"] == "a" and a["mention_ids"] == [m1] and b["mention_ids"] == [m2]
    assert a["injured_min"] == 2 and type(a["injured_min"]) is int
    assert a["fields_json"] == _incident("a")["fields_json"]
    assert b["date_start"] == date(2023, 10, 24) and b["country"] == "SY"
    assert (b["payload_min"], b["payload_max"]) == (8, 50.5)
    assert b["weapons"] == [] and b["killed_min"] is None
    assert store.counts()["incidents"] == 2 and store.counts()["incident_links"] == 2
    assert store.get_incident("b")["attack_modes"] == ["uas_one_way"]
    with pytest.raises(NotFound, match="^no incident zzz$"):
        store.get_incident("zzz")


def test_incident_filters(saved):
    store, (m1, m2), _ = saved
    store.replace_incidents(
        [
            _incident("a"),
            _incident(
                "b",
                date_start=date(2023, 10, 24),
                country="SY",
                attack_modes=["uas_one_way", "rocket"],
                attacker_id=None,
            ),
        ],
        [],
    )

    def ids(**kw):
        return [i["id"] for i in store.incidents(**kw)]

    assert ids() == ["a", "b"]
    assert ids(since="2023-10-24") == ["b"] and ids(until=date(2023, 10, 23)) == ["a"]
    assert ids(country="sy") == ["b"]
    assert ids(mode="uas_one_way") == ["b"] and ids(mode="rocket") == ["a", "b"]
    assert ids(attacker="irm") == ["a"]
    assert ids(target="US Forces") == ["a", "b"]
    assert ids(limit=1, offset=1) == ["b"]


def test_replace_replaces_everything(saved):
    store, (m1, m2), _ = saved
    store.replace_incidents([_incident("a"), _incident("b")], [("a", m1), ("b", m2)])
    store.replace_incidents([_incident("c", mention_ids=[m2])], [("c", m1), ("c", m2)])
    [c] = store.incidents()
    assert c["id"] == "c" and c["mention_ids"] == [m2, m1]


def test_failed_replace_keeps_the_old_incidents(saved):
    store, (m1, m2), _ = saved
    store.replace_incidents([_incident("a")], [("a", m1)])
    with pytest.raises(StoreError, match="replacing incidents"):
        store.replace_incidents([_incident("b")], [("b", "no-such-mention")])
    assert [i["id"] for i in store.incidents()] == ["a"]
    with pytest.raises(StoreError, match="incident x: unknown field.*colour"):
        store.replace_incidents([_incident("x", colour="red")], [])
    with pytest.raises(StoreError, match="incident without an id"):
        store.replace_incidents([{"country": "IQ"}], [])
    assert [i["id"] for i in store.incidents()] == ["a"]


def test_upsert_moves_mentions_and_keeps_others(saved):
    store, (m1, m2), _ = saved
    store.replace_incidents([_incident("a"), _incident("b")], [("a", m1), ("b", m2)])
    store.upsert_incidents([_incident("b", injured_min=5), _incident("c")], [("c", m1)])
    got = {i["id"]: i for i in store.incidents()}
    assert sorted(got) == ["a", "b", "c"]
    assert got["a"]["mention_ids"] == []  # m1 moved to c
    assert got["b"]["mention_ids"] == [] and got["b"]["injured_min"] == 5
    assert got["c"]["mention_ids"] == [m1]
    assert store.delete_incidents(["a", "zzz"]) == 1
    assert store.counts()["incidents"] == 2


def test_re_extraction_drops_links_to_old_mentions(saved):
    store, (m1, m2), _ = saved
    store.replace_incidents([_incident("a")], [("a", m1), ("a", m2)])
    ex = sample()
    ex.incidents = ex.incidents[1:]
    store.save_extraction(ex, replace=True)
    assert store.get_incident("a")["mention_ids"] == []  # resolve runs again after this


def test_incident_records_round_trip(saved):
    store, (m1, m2), _ = saved
    doc_id = store.documents()[0].id
    span = Evidence("casualties", 10, 20, "injuring two")
    inc = Incident(
        id="r1",
        date=DateSpan(date(2023, 10, 23), date(2023, 10, 24), "day"),
        place=Place("Al-Asad Airbase", "IQ", "Al Anbar", 33.8, 42.44, "facility"),
        attack_modes=["rocket", "uas_one_way"],
        weapons=["rockets"],
        payload_kg=Range(8, 50),
        attacker=ActorRef("irm", "Islamic Resistance in Iraq", "non_state_armed_group"),
        target=ActorRef("us_forces", "US forces", "state_military"),
        outcome=["impact"],
        casualties=Casualties(injured=Range(2, 4), minor=Range.exact(2)),
        mention_ids=[m2, m1],  # order kept
        document_ids=[doc_id],
        fields={
            "casualties.injured": [
                FieldSource(2, m1, doc_id, [span]),
                FieldSource({"min": 4, "max": 4}, m2, doc_id),
            ]
        },
        conflicts=["casualties.injured"],
        confidence=0.7,
    )
    store.replace_incidents([inc])
    assert store.incident_records() == [inc]
    assert store.get_incident("r1")["mention_ids"] == [m2, m1]
    assert store.incident_records(mode="uas_one_way", country="iq") == [inc]
    inc.casualties.killed = Range.exact(1)
    store.upsert_incidents([inc])
    assert store.incident_records()[0].casualties.killed == Range(1, 1)


def test_a_dict_written_incident_reads_as_a_record(saved):
    store, (m1, _), _ = saved
    store.replace_incidents([_incident("a", mention_ids=[m1])])
    [rec] = store.incident_records()
    assert rec.id == "a" and rec.mention_ids == [m1] and rec.fields == {}
    assert rec.casualties.injured == Range(2, 2)


def test_claim_series(saved):
    store, _, (c1, c2) = saved
    doc_id = store.documents()[0].id
    points = [
        SeriesPoint(c2, date(2023, 10, 20), Range.exact(20), "exact", None, doc_id),
        SeriesPoint(
            c1, date(2023, 10, 25), Range(38, None), "at_least", "Pentagon", doc_id, None, 41
        ),
    ]
    s1 = ClaimSeries(
        "s1",
        "attacks",
        "us_coalition",
        "US and coalition forces",
        ["IQ", "SY"],
        date(2023, 10, 17),
        points,
    )
    s2 = ClaimSeries("s2", "injured")
    store.replace_claim_series([s1, s2])
    assert store.claim_series() == [s1, s2]
    assert store.claim_series(measure="injured") == [s2]
    assert store.claim_series(subject_id="us_coalition") == [s1]
    assert store.counts()["claim_series"] == 2
    store.replace_claim_series([s2])
    assert store.claim_series() == [s2]


def test_corrections(saved):
    store, (m1, _), _ = saved
    cid = store.add_correction(
        "mention", m1, "casualties.injured.min", 2, 3, author="analyst", reason="briefing update"
    )
    [c] = store.corrections(record_id=m1)
    assert c["id"] == cid and (c["old_value"], c["new_value"]) == (2, 3)
    assert c["created_at"].tzinfo is not None
    assert store.corrections(record_type="claim") == []
