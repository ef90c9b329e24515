"""Counts of nought in a running count (src/sitrep/extract/claims.py): 'no attacks since',
'there have been none since then', 'None was killed' after a tally, 'None of those injuries
was serious'; and 'no one was hurt' in one attack's telling is no claim."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 4, 3)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


def test_no_attacks_since_a_day_is_a_count_of_nought():
    text = "Officials said they had recorded no attacks on allied troops in Syria since Friday."
    claim = _claims(text)[("attacks", 0, 0)]
    assert claim.period.start == date(2024, 3, 29)


def test_no_attacks_on_one_day_is_no_tally():
    text = "Officials reported no attacks on allied troops in Syria on Monday."
    assert ("attacks", 0, 0) not in _claims(text)


def test_none_since_then_counts_what_the_tally_counted():
    text = (
        "MAJ. LEE: The last one was on March 2. So we are at about 95 attacks in total since January 9, "
        "and there have been none since then."
    )
    got = _claims(text)
    assert ("attacks", 95, 95) in got and ("attacks", 0, 0) in got


def test_none_killed_after_a_tally_is_nought_killed():
    text = "Injured: 41 US personnel since Jan. 9. None was killed."
    got = _claims(text)
    assert ("injured", 41, 41) in got
    assert got[("killed", 0, 0)].period.start == date(2024, 1, 9)


def test_none_of_the_injuries_serious_is_a_part_of_nought():
    text = (
        "41 US personnel have been injured since January 9. "
        "None of those injuries was serious, the spokesman said."
    )
    got = _claims(text)
    assert got[("injured_serious", 0, 0)].breakdown_of == got[("injured", 41, 41)].id


def test_no_one_hurt_in_one_attack_is_no_claim():
    text = (
        "A rocket struck the airfield near Erbil on Monday night. No one was hurt, officials said."
    )
    assert not sitrep.extract(text, published=date(2024, 4, 3)).claims
