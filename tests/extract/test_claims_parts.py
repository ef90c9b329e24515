"""Qualifiers, parts and counters inside one sentence (src/sitrep/extract/claims.py): a
lower bound shared by two numbers, 'including more than 100 civilians' as a part, a force's
own count of those it killed, a town's population below a million, people still in
detention; hostages freed are no longer held."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 7, 1)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


def test_at_least_covers_both_numbers_of_a_pair():
    text = "Since March 2023, the monitors have verified at least 9,120 civilians killed and 15,400 injured in Sudan."
    got = _claims(text)
    assert got[("injured", 15_400, None)].qualifier == "at_least"
    assert got[("killed", 9_120, None)].qualifier == "at_least"


def test_an_exact_pair_stays_exact():
    text = "Since March 2023, the monitors have verified 9,120 civilians killed and 15,400 injured in Sudan."
    assert ("injured", 15_400, 15_400) in _claims(text)


def test_including_names_a_part_of_the_total():
    text = "Since January, more than 300 people have been killed in the border fighting, including more than 60 civilians."
    got = _claims(text)
    assert got[("killed", 60, None)].breakdown_of == got[("killed", 300, None)].id


def test_a_force_that_says_it_has_killed_gives_its_own_count():
    text = (
        "The army says it has killed more than 2,500 insurgents, a figure that cannot be verified."
    )
    assert ("killed", 2_500, None) in _claims(text)
    text = "The bombing at the depot has killed 14 people, police said on Tuesday."
    assert ("killed", 14, 14) not in _claims(text)


def test_a_town_that_had_inhabitants_states_its_population():
    text = "Kupiansk had about 27,000 inhabitants before the war, when the front reached it."
    assert ("population", 27_000, 27_000) in _claims(text)
    text = "About 27,000 inhabitants fled the fighting near Kupiansk on Monday."
    assert ("population", 27_000, 27_000) not in _claims(text)


def test_people_still_in_detention_are_held_and_freed_hostages_are_not():
    text = "The rights group says some 6,000 people remain in detention since the coup of May 2021."
    assert ("detained", 6_000, 6_000) in _claims(text)
    text = "The governor said 45 hostages had been freed and thanked the army; the group remains in custody."
    assert ("detained", 45, 45) not in _claims(text)


_MONTHLY = "Militants carried out 92 attacks across Pakistan in January, killing 131 people, the institute said. "


def test_parts_told_each_with_its_verb_are_all_parts_of_the_toll():
    got = _claims(
        _MONTHLY
        + "Of those killed, 58 were security personnel, 49 were civilians and 24 were members of peace committees."
    )
    total = got[("killed", 131, 131)]
    for n, subject in ((58, "security personnel"), (49, "civilians"), (24, "members")):
        part = got[("killed", n, n)]
        assert part.subject == subject
        assert part.period.start == date(2024, 1, 1) and part.period.end == date(2024, 1, 31)
    assert total.subject == "people"


def test_the_dead_included_lists_the_parts_of_the_last_toll():
    got = _claims(
        "Militants killed 131 people across Pakistan in January, the institute said. "
        "The dead included 58 security personnel, 49 civilians and 24 members of peace committees."
    )
    assert {("killed", 58, 58), ("killed", 49, 49), ("killed", 24, 24)} <= set(got)


def test_people_hurt_in_the_attacks_of_a_tally_are_its_injured():
    got = _claims(_MONTHLY + "Another 174 people were injured in the attacks, the report said.")
    hurt = got[("injured", 174, 174)]
    assert hurt.period.start == date(2024, 1, 1) and hurt.period.end == date(2024, 1, 31)


def test_a_months_toll_in_a_country_is_a_claim_over_that_month():
    text = (
        "At least 219 civilians were killed and 1,018 injured in Ukraine in July, the UN mission said on Friday. "
        "Of those killed, 12 were children."
    )
    got = _claims(text, published=date(2024, 8, 9))
    for key in (("killed", 219, None), ("injured", 1018, None), ("killed", 12, 12)):
        assert got[key].period.start == date(2024, 7, 1) and got[key].region == ["UA"]


def test_of_whom_names_a_part_that_shares_the_totals_countries():
    got = _claims(
        "Militants killed at least 14 people in Pakistan in May, of whom nine were civilians.",
        date(2024, 6, 11),
    )
    part = got[("killed", 9, 9)]
    assert part.breakdown_of == got[("killed", 14, None)].id and part.region == ["PK"]


def test_a_monitors_recorded_events_are_attacks():
    got = _claims(
        "Fighters were involved in 11 recorded events in Cabo Delgado province in May, the monitor said.",
        date(2024, 6, 11),
    )
    assert ("attacks", 11, 11) in got


def test_a_crash_in_a_month_is_no_toll():
    got = _claims(
        "A Marine Corps aircraft went down in a crash during an exercise in Australia in August, killing three Marines.",
        date(2023, 12, 5),
    )
    assert not any(m == "killed" for m, _, _ in got)


def test_a_headline_figure_the_body_bounds_is_one_claim():
    text = (
        "UN counts 5,601 killed in Haiti's gang violence in 2024\n"
        "At least 5,601 people were killed in gang-related violence in Haiti last year, the UN said on Tuesday."
    )
    got = _claims(text, date(2025, 1, 7))
    assert [k for k in got if k[0] == "killed"] == [("killed", 5601, None)]


def test_a_years_toll_of_police_martyred_is_a_claim_over_the_year():
    got = _claims(
        "In 2022, 119 police personnel of Khyber Pakhtunkhwa embraced martyrdom in the line of duty.",
        date(2023, 2, 2),
    )
    toll = got[("killed", 119, 119)]
    assert (toll.period.start, toll.period.end) == (date(2022, 1, 1), date(2022, 12, 31))


def test_counts_that_name_no_country_are_of_the_one_country_the_report_counts_in():
    text = (
        "Militants carried out 74 attacks across Pakistan in January, the think tank said. "
        "The attacks killed 91 people and wounded 117, the report said."
    )
    got = _claims(text, date(2025, 2, 1))
    assert got[("killed", 91, 91)].region == ["PK"] and got[("injured", 117, 117)].region == ["PK"]


def test_counts_in_a_report_about_two_countries_keep_no_country_they_do_not_name():
    text = (
        "Militias have attacked US forces 60 times in Iraq and 90 times in Syria since Oct. 17, officials said. "
        "Some 70 service members have been injured since Oct. 17."
    )
    got = _claims(text, date(2023, 12, 1))
    assert got[("injured", 70, 70)].region == []


def test_a_foreign_forces_campaign_count_is_not_bounded_by_the_one_attack_a_report_tells():
    text = (
        "Three rockets were fired at US forces at Erbil Air Base in Iraq on Tuesday, causing no damage.\n\n"
        "US and coalition forces have now been attacked at least 27 times since Oct. 17, the Pentagon said."
    )
    got = _claims(text, date(2023, 11, 2))
    assert got[("attacks", 27, None)].region == []


def test_a_share_of_a_total_named_by_its_number():
    """'About 100 of the 143 were brain injuries': 100 is a part (TBI) of the 143 already
    told, and the 143 is no second count."""
    text = (
        "Since Oct. 17, 143 US service members have been injured. "
        "About 100 of the 143 were traumatic brain injuries."
    )
    claims = sitrep.extract(text, published=date(2024, 2, 1)).claims
    got = {(c.measure, c.value.min): c for c in claims}
    assert set(got) == {("injured", 143), ("tbi", 100)}
    assert got[("tbi", 100)].breakdown_of == got[("injured", 143)].id
