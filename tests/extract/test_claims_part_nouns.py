"""Parts of a casualty total named by who they were (src/sitrep/extract/claims.py):
'Among the dead were 685 members of the security forces', 'including 92 civilians, 54
police officers and 108 militants' count the killed, not a group's strength."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 9, 2)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


def test_among_the_dead_is_a_part_of_the_killed_total():
    text = (
        "A total of 1,900 people were killed in Pakistan in 2023, the institute said. "
        "Among the dead were 410 members of the security forces, it said."
    )
    got = _claims(text)
    total = got[("killed", 1900, 1900)]
    part = got[("killed", 410, 410)]
    assert part.breakdown_of == total.id
    assert ("fighters", 410, 410) not in got


def test_every_item_of_an_including_list_is_a_part():
    text = (
        "A total of 301 people were killed during the month, including 75 civilians, 61 police officers "
        "and 165 militants, the monitor said."
    )
    got = _claims(text)
    total = got[("killed", 301, 301)]
    for n in (75, 61, 165):
        assert got[("killed", n, n)].breakdown_of == total.id
    assert ("fighters", 165, 165) not in got


def test_a_group_strength_after_a_toll_is_no_part():
    text = (
        "A total of 301 people were killed during the month, the monitor said. "
        "The group still has about 4,000 fighters in the mountains."
    )
    got = _claims(text)
    assert ("fighters", 4000, 4000) in got
    assert ("killed", 4000, 4000) not in got


def test_a_verb_between_two_numbers_ends_the_list():
    text = (
        "Since January the attacks have killed 120 people, including 30 children, and wounded 400, "
        "the ministry said."
    )
    got = _claims(text)
    assert got[("injured", 400, 400)].breakdown_of is None


def test_an_aside_between_people_and_displaced_keeps_the_displaced():
    text = "About 1.4 million people, roughly 70 percent of the population, have been displaced since the war began."
    got = _claims(text)
    assert ("displaced", 1400000, 1400000) in got
    assert ("population", 1400000, 1400000) not in got


def test_an_aside_then_another_verb_is_no_displaced_count():
    text = "About 1.4 million people, roughly 70 percent of the population, need food aid, the UN said."
    assert ("displaced", 1400000, 1400000) not in _claims(text)
