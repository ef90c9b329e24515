"""Analyst corrections (sitrep.corrections): recorded with who, when, old, new and why;
re-applied after re-extraction and re-resolution; merges and splits that hold."""

from __future__ import annotations

import pytest

from sitrep import corrections as fixes
from sitrep.errors import InputError, NotFound
from sitrep.ledger import resolve_store
from sitrep.store import open_store


@pytest.fixture
def store(db_path):
    s = open_store(db_path)
    yield s
    s.close()


def by_place(store, name):
    return [i for i in store.incident_records() if i.place.name == name]


def tanf(store):
    (found,) = store.incident_records(country="SY")
    return found


def rebuild_from_scratch(store):
    """Re-resolution from nothing: every incident rebuilt by the resolver."""
    store.replace_incidents([])
    resolve_store(store)


def reextract_all(store):
    """Re-extraction: every document extracted afresh, its records replaced (their incident
    links go with them)."""
    from sitrep.extract import extract_document

    for doc in store.documents(limit=None):
        store.save_extraction(extract_document(doc), replace=True)
    resolve_store(store)


def test_a_correction_records_who_when_old_new_and_why(store):
    inc = tanf(store)
    c = fixes.correct(
        store, "incident", inc.id, "place.name", "At Tanf garrison", "Ana", "local spelling"
    )
    assert (
        c["record_type"] == "incident" and c["record_id"] == inc.id and c["field"] == "place.name"
    )
    assert (c["old_value"], c["new_value"], c["author"], c["reason"]) == (
        "Al-Tanf Garrison",
        "At Tanf garrison",
        "Ana",
        "local spelling",
    )
    assert c["created_at"] is not None
    row = store.get_incident(inc.id)
    assert row["place_name"] == "At Tanf garrison"
    assert fixes.corrected_fields(row) == {"place.name": c["id"]}
    assert (
        store.incident_records(country="SY")[0].fields["place"][0].value["name"]
        == "Al-Tanf Garrison"
    )
    assert fixes.apply_corrections(store) == 0


@pytest.mark.parametrize(
    ("field", "given", "stored"),
    [
        ("date.start", "2023-10-18", "2023-10-18"),
        ("date.precision", "week", "week"),
        ("place.country", "jo", "JO"),
        ("place.lat", "33.5", 33.5),
        ("attack_modes", "rocket, uas_one_way", ["rocket", "uas_one_way"]),
        ("attack_modes", ["mortar"], ["mortar"]),
        ("outcome", "intercepted", ["intercepted"]),
        ("casualties.killed", "1-3", {"min": 1, "max": 3}),
        ("casualties.injured", {"min": 4, "max": None}, {"min": 4, "max": None}),
        ("casualties.injured.max", "9", 9),
        ("payload_kg", [8, 50], {"min": 8, "max": 50}),
        ("attacker.name", "Islamic Resistance in Iraq", "Islamic Resistance in Iraq"),
        ("attacker.kind", "non_state_armed_group", "non_state_armed_group"),
        ("target.name", "", None),
    ],
)
def test_values_are_checked_and_normalised(store, field, given, stored):
    inc = tanf(store)
    c = fixes.correct(store, "incident", inc.id, field, given, "Ana", "test")
    assert c["new_value"] == stored
    record = store.incident_records(country=None)
    got = fixes.get_path(next(i for i in record if i.id == inc.id).to_dict(), field)
    assert got == stored or (field == "target.name" and got is None)


@pytest.mark.parametrize(
    ("record_type", "field", "value", "error"),
    [
        ("incident", "colour", "red", InputError),
        ("incident", "attack_modes", "laser", InputError),
        ("incident", "place.lat", "95", InputError),
        ("incident", "place.country", "Syria", InputError),
        ("incident", "casualties.killed", "5-2", InputError),
        ("incident", "date.start", "last Tuesday", InputError),
        ("incident", "merge", "x", InputError),
        ("claim", "value", 3, InputError),
    ],
)
def test_bad_corrections_are_refused_and_not_recorded(store, record_type, field, value, error):
    inc = tanf(store)
    with pytest.raises(error):
        fixes.correct(store, record_type, inc.id, field, value, "Ana", "test")
    assert store.corrections() == []


def test_a_missing_record_is_404(store):
    with pytest.raises(NotFound):
        fixes.correct(store, "incident", "nope", "place.name", "x")
    with pytest.raises(NotFound):
        fixes.correct(store, "mention", "nope", "place.name", "x")


@pytest.mark.parametrize("redo", [resolve_store, rebuild_from_scratch, reextract_all])
def test_corrections_survive_re_resolution_and_re_extraction(store, redo):
    inc = tanf(store)
    fixes.correct(store, "incident", inc.id, "casualties.minor", 3, "Ana", "later briefing")
    fixes.correct(store, "incident", inc.id, "casualties.minor", 4, "Bo", "later still")
    redo(store)
    fixes.apply_corrections(store)
    again = tanf(store)
    assert again.casualties.minor.min == 4  # the later correction wins
    assert set(fixes.corrected_fields(store.get_incident(again.id))) == {"casualties.minor"}
    assert fixes.apply_corrections(store) == 0


def test_a_correction_follows_its_incident_when_resolution_renames_it(store):
    inc = tanf(store)
    fixes.correct(store, "incident", inc.id, "place.name", "At Tanf", "Ana", "spelling")
    store.delete_incidents([inc.id])
    # a resolver that names the incident differently (say its id was taken)
    rebuilt = fixes._build(store, "renamed-incident", list(inc.mention_ids))
    store.upsert_incidents([rebuilt])
    assert fixes.apply_corrections(store) == 1
    assert store.get_incident("renamed-incident")["place_name"] == "At Tanf"


def test_merge_then_split_hold_across_re_resolution(store):
    asad = by_place(store, "Al-Asad Airbase")
    assert len(asad) == 2
    keep, other = asad
    fixes.merge_incidents(store, keep.id, [other.id], author="Ana", reason="one attack")
    merged = store.get_incident(keep.id)
    assert sorted(merged["mention_ids"]) == sorted(keep.mention_ids + other.mention_ids)
    assert len(by_place(store, "Al-Asad Airbase")) == 1
    store.replace_incidents([])
    resolved = resolve_store(store)  # the resolver alone keeps them apart ...
    assert resolved.corrections == 1  # ... and resolve_store puts the analyst's merge back
    assert len(by_place(store, "Al-Asad Airbase")) == 1
    assert fixes.apply_corrections(store) == 0

    c = fixes.split_incident(
        store, keep.id, other.mention_ids, author="Ana", reason="no, two nights"
    )
    assert c["new_value"]["mention_ids"] == sorted(other.mention_ids)
    assert len(by_place(store, "Al-Asad Airbase")) == 2
    assert fixes.apply_corrections(store) == 0  # the split undoes the merge, for good
    rebuild_from_scratch(store)
    fixes.apply_corrections(store)
    assert len(by_place(store, "Al-Asad Airbase")) == 2


def test_split_refuses_what_it_cannot_do(store):
    inc = tanf(store)
    with pytest.raises(InputError):
        fixes.split_incident(store, inc.id, ["not-a-mention"])
    with pytest.raises(InputError):
        fixes.split_incident(store, inc.id, inc.mention_ids)  # nothing would stay
    with pytest.raises(InputError):
        fixes.merge_incidents(store, inc.id, [inc.id])
    with pytest.raises(NotFound):
        fixes.merge_incidents(store, inc.id, ["nope"])


def test_a_mention_correction_flows_into_its_incident_and_survives_re_extraction(store):
    inc = tanf(store)
    mention = inc.mention_ids[0]
    c = fixes.correct(store, "mention", mention, "casualties.killed", 1, "Ana", "died of wounds")
    assert c["old_value"] == {"min": None, "max": None}
    assert tanf(store).casualties.killed.min == 1
    reextract_all(store)  # re-extraction, then resolve_store, which re-applies corrections
    assert tanf(store).casualties.killed.min == 1
    assert fixes.apply_corrections(store) == 0


def test_two_corrections_of_one_mention_field_settle(store):
    mention = tanf(store).mention_ids[0]
    fixes.correct(store, "mention", mention, "casualties.killed", 1, "Ana", "first report")
    fixes.correct(store, "mention", mention, "casualties.killed", 2, "Bo", "second report")
    assert tanf(store).casualties.killed.min == 2
    assert fixes.apply_corrections(store) == 0
