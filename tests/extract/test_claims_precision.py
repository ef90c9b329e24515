"""Numbers that are one event's figures, not tallies (src/sitrep/extract/claims.py): a
handful of people missing or captured in one attack's telling."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 6, 20)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


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


def test_the_past_24_hours_are_one_day_s_figures():
    text = (
        "Cumulative toll since 8 October 2023, as of 3 October 2024:\n"
        "- Killed: 1,974\n"
        "In the past 24 hours, 37 people were killed and 151 injured."
    )
    got = _claims(text, date(2024, 10, 4))
    assert ("killed", 1974, 1974) in got
    assert ("killed", 37, 37) not in got and ("injured", 151, 151) not in got


def test_the_past_week_is_still_a_tally():
    text = (
        "In the past week, 37 people were killed in shelling across the region, the governor said."
    )
    assert ("killed", 37, 37) in _claims(text)


def test_a_nationwide_toll_on_one_day_is_no_tally():
    text = (
        "The explosion of pagers across the country on 17 September killed 12 people and wounded about 2,800, "
        "the minister said."
    )
    got = _claims(text, date(2024, 10, 4))
    assert ("killed", 12, 12) not in got and ("injured", 2800, 2800) not in got


def test_a_day_that_opens_a_period_is_no_event_day():
    text = "Since the army seized power on 26 July 2023, armed groups across the country have killed more than 250 soldiers."
    assert ("killed", 250, None) in _claims(text, date(2024, 3, 22))
