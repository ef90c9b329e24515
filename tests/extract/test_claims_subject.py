"""A claim's subject is the noun its number counts (src/sitrep/extract/claims.py): '412
people were killed' counts people, not the attacker named nearby; 'attacks on aid convoys'
counts what was attacked; a group's strength keeps the group."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 6, 20)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


def test_the_noun_after_the_number_is_the_subject_not_the_attacker():
    text = "Since January, Boko Haram attacks have killed at least 412 villagers in Borno state, officials said."
    assert _claims(text)[("killed", 412, None)].subject == "villagers"


def test_the_object_of_attacks_on_is_the_subject():
    text = "The Houthis have carried out 61 attacks on merchant ships in the Red Sea since Nov. 19."
    assert _claims(text)[("attacks", 61, 61)].subject == "merchant ships"


def test_targets_counted_are_the_subject():
    text = "More than 40 aid convoys have been attacked since March, the UN said."
    assert _claims(text)[("attacks", 40, None)].subject == "aid convoys"


def test_members_of_the_security_forces_keep_their_whole_name():
    text = "A total of 301 people were killed during the month, including 61 members of the security forces."
    got = _claims(text)
    assert got[("killed", 301, 301)].subject == "people"
    assert got[("killed", 61, 61)].subject == "members of the security forces"


def test_a_bare_count_of_fighters_keeps_the_group():
    text = "Al-Shabaab has about 7,000 fighters, according to the army."
    assert _claims(text)[("fighters", 7000, 7000)].subject_id == "al_shabaab"


def test_no_noun_after_the_number_keeps_the_actor():
    text = "At least 70 US personnel have been injured since Oct. 17, the Pentagon said."
    assert _claims(text)[("injured", 70, None)].subject_id == "us_forces"
