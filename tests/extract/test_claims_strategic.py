"""Strategic figures (src/sitrep/extract/claims.py, lexicon/claims.yaml): the displaced, the
missing, the held, a group's strength and troops deployed, in the wordings reports use."""

from __future__ import annotations

from datetime import date

import sitrep


def claims(text: str) -> set[tuple[str, int | None, int | None]]:
    ex = sitrep.extract(text, published=date(2024, 5, 2))
    return {(c.measure, c.value.min, c.value.max) for c in ex.claims}


def test_people_forced_from_their_homes_are_displaced():
    text = "The fighting in the north has killed hundreds and forced some 3 million from their homes, aid groups say."
    assert ("displaced", 3_000_000, 3_000_000) in claims(text)


def test_people_who_remain_displaced_and_refugees_are_displaced():
    text = (
        "About 1.2 million people remain internally displaced, the agency said, "
        "and some 4 million refugees are registered abroad."
    )
    got = claims(text)
    assert ("displaced", 1_200_000, 1_200_000) in got
    assert ("displaced", 4_000_000, 4_000_000) in got
    assert not any(m == "population" for m, _, _ in got)


def test_a_part_of_a_population_displaced_and_the_whole():
    text = "Aid agencies say about 800,000 of Freedonia's roughly 1.1 million people have been displaced."
    got = claims(text)
    assert ("displaced", 800_000, 800_000) in got
    assert ("population", 1_100_000, 1_100_000) in got


def test_forced_without_homes_is_not_displacement():
    text = "Police forced 300 protesters back across the bridge, officials said."
    assert not any(m == "displaced" for m, _, _ in claims(text))


def test_people_unaccounted_for_are_missing():
    got = claims(
        "The governor said 140 students were unaccounted for after the raid on the college."
    )
    assert ("missing", 140, 140) in got


def test_a_crew_member_missing_since_a_date():
    # In a dated fact sheet; told alone in one attack's story, one missing sailor is that
    # event's figure, no standing count (tests/extract/test_claims_precision.py).
    text = (
        "Figures as of May 30.\n\n"
        "Missing: One sailor from the tanker Meridian has been missing since a boat rammed the ship on May 1."
    )
    assert ("missing", 1, 1) in claims(text)


def test_rescued_people_are_not_missing():
    text = "Rescuers pulled 12 people from the rubble, and many others are still missing."
    assert ("missing", 12, 12) not in claims(text)


def test_fighters_held_in_camps_are_detained_not_fighters():
    text = (
        "The Kurdish authorities hold some 8,000 suspected militants in prisons in the north-east."
    )
    got = claims(text)
    assert ("detained", 8_000, 8_000) in got
    assert ("fighters", 8_000, 8_000) not in got


def test_a_crew_in_custody_is_detained():
    text = "The 17 crew of the seized freighter, taken by the rebels in March, remain in rebel custody."
    assert ("detained", 17, 17) in claims(text)


def test_a_crew_not_held_is_not_detained():
    text = "The 17 crew of the freighter were rescued by a passing tanker."
    assert ("detained", 17, 17) not in claims(text)


def test_a_group_members_are_its_fighters_but_service_members_are_not():
    got = claims(
        "The rebel movement has an estimated 3,200 members, most of them in the mountains."
    )
    assert ("fighters", 3_200, 3_200) in got
    got = claims("The Navy said 400 service members were aboard the carrier.")
    assert ("fighters", 400, 400) not in got


def test_troops_a_force_still_had_are_personnel():
    text = "A regional force that still had about 9,000 troops in Freedonia at the start of the year is due to leave."
    assert ("personnel", 9_000, 9_000) in claims(text)


def test_troops_in_a_second_country_after_a_lowercase_word():
    text = (
        "The United States keeps about 600 troops in Niger and roughly 1,500 in neighbouring Chad."
    )
    got = claims(text)
    assert ("personnel", 600, 600) in got
    assert ("personnel", 1_500, 1_500) in got


def test_troops_in_a_country_are_a_deployment():
    text = "The strike raised fears for the roughly 900 US troops in Syria, who advise Kurdish-led forces."
    assert ("personnel", 900, 900) in claims(text)


def test_troops_massed_or_backing_a_group_are_personnel():
    assert ("personnel", 40_000, 40_000) in claims(
        "Officials say the army has massed about 40,000 troops near the border."
    )
    assert ("personnel", 2000, 9999) in claims(
        "The rebels, backed by thousands of foreign troops, took the city."
    )


def test_soldiers_killed_in_a_place_are_no_deployment():
    got = claims(
        "Twelve soldiers in Bakhmut were killed when a missile hit their barracks on Monday."
    )
    assert not any(m == "personnel" for m, _, _ in got)


def test_a_briefing_answer_gives_troop_numbers_with_the_forces_and_countries_asked_about():
    text = (
        "Q: How many US troops are in Iraq and Syria right now?\n\n"
        "RYDER: Roughly 2,500 in Iraq and about 900 in Syria, supporting the mission to defeat ISIS."
    )
    got = {
        (c.measure, c.value.min): c
        for c in sitrep.extract(text, published=date(2023, 10, 24)).claims
    }
    iraq, syria = got[("personnel", 2500)], got[("personnel", 900)]
    assert (iraq.region, syria.region) == (["IQ"], ["SY"])
    assert iraq.subject_id == syria.subject_id == "us_forces"


def test_people_forced_or_driven_from_their_homes_or_evacuated_are_displaced():
    for text, n in (
        (
            "More than two million people have been forced from their homes across the country, aid agencies say.",
            2_000_000,
        ),
        ("Since January, more than 250,000 people have been newly displaced around Goma.", 250_000),
        (
            "More than 14,000 people have been evacuated from towns near the frontier since May 10.",
            14_000,
        ),
    ):
        got = claims(text)
        assert ("displaced", n, None) in got and not any(m == "population" for m, _, _ in got)


def test_an_operations_summary_counts_the_neutralised_as_killed():
    text = (
        "Troops sustained operations in all theatres between 8 and 14 March. Within the period, "
        "troops neutralised 130 terrorists and arrested 200 suspects. In the North East, troops "
        "neutralised the remaining 20 terrorists and apprehended 30 suspects."
    )
    got = {
        (c.measure, c.value.min) for c in sitrep.extract(text, published=date(2024, 3, 15)).claims
    }
    assert {("killed", 130), ("detained", 200), ("killed", 20), ("detained", 30)} <= got


def test_troops_who_neutralised_attackers_in_one_dated_attack_tell_no_tally():
    text = "On Tuesday, ISWAP fighters attacked a base at Marte; troops neutralised 12 terrorists."
    got = {
        (c.measure, c.value.min) for c in sitrep.extract(text, published=date(2024, 3, 15)).claims
    }
    assert ("killed", 12) not in got


def test_counts_told_with_one_verb_for_two_numbers_and_other_wordings():
    text = (
        "On the Israeli side, 26 civilians and 22 soldiers have been killed in the north, "
        "according to Israeli figures. Some sixty thousand residents of northern towns are "
        "still displaced. Hezbollah has announced the deaths of more than 400 of its members "
        "since October."
    )
    got = {
        (c.measure, c.value.min) for c in sitrep.extract(text, published=date(2024, 9, 10)).claims
    }
    assert {("killed", 26), ("killed", 22), ("displaced", 60000), ("killed", 400)} <= got
