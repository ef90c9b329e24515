"""Numbers that are one event's figures, not tallies (src/sitrep/extract/claims.py): a
handful of people missing or captured in one attack's telling."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 6, 20)):
    return {(c.measure, c.value.min, c.value.max): c for c in sitrep.extract(text, published=published).claims}


def test_a_handful_missing_after_one_attack_is_no_claim():
    text = (
        "A drone boat rammed the bulk carrier in the Red Sea on Wednesday. "
        "Two sailors are missing and the ship is taking on water, the operator said."
    )
    assert not [k for k in _claims(text) if k[0] == "missing"]


def test_one_attacker_captured_is_no_detained_claim():
    text = "Gunmen stormed a hotel in Mogadishu on Friday. Soldiers killed four of the attackers and captured one."
    assert not [k for k in _claims(text) if k[0] == "detained"]


def test_many_missing_is_still_a_claim():
    text = "Some 300 villagers are still missing after the raid, the governor said."
    assert ("missing", 300, 300) in _claims(text)


def test_few_missing_in_a_dated_fact_sheet_is_a_claim():
    text = (
        "Figures as of June 30.\n\n"
        "Missing: One crew member of the cargo ship Aster has been missing since a drone boat hit it on June 12."
    )
    assert ("missing", 1, 1) in _claims(text)
