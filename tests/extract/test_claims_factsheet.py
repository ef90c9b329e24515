"""Fact sheets and runs of values (src/sitrep/extract/claims.py): a paragraph label names
the measure, a preamble dates the figures below, 'up from N' is an earlier value of the
same count, 'Of the N,' points back at a total; 'several' is no tally."""

from __future__ import annotations

from datetime import date

import sitrep

FACT_SHEET = (
    "Strikes on the northern bases: where the count stands\n\n"
    "The numbers below are the ministry's, as of Monday, March 4, and cover the period since Jan. 9.\n\n"
    "Attacks: 84 on allied troops, up from 77 on Feb. 26. Of the 84, 50 hit bases in Iraq and 34 in Syria.\n\n"
    "Injured: 41 allied personnel. Of the 41, about a dozen had concussions.\n\n"
    "Outlook: officials expect the pace to slow."
)


def test_a_paragraph_label_names_what_its_number_counts():
    ex = sitrep.extract(FACT_SHEET, published=date(2024, 3, 5))
    got = {(c.measure, c.value.min, c.value.max): c for c in ex.claims}
    assert ("attacks", 84, 84) in got
    assert ("injured", 41, 41) in got
    assert ("attacks", 50, 50) in got and ("attacks", 34, 34) in got
    # the preamble dates the figures that follow
    assert got[("attacks", 84, 84)].period.start == date(2024, 1, 9)
    assert got[("attacks", 84, 84)].as_of == date(2024, 3, 4)
    # "up from 77" is an earlier value of the same count
    assert ("attacks", 77, 77) in got
    # "Of the 84," points back at the total: no second claim of 84
    assert sum(1 for c in ex.claims if c.measure == "attacks" and c.value.min == 84) == 1


def test_a_total_label_and_its_dash_parted_breakdown():
    text = (
        "Tracker: strikes on allied bases\n"
        "Figures are as of Jan. 31 and come from ministry officials unless noted.\n"
        "Total attacks: 120 — 70 in Iraq, 49 in Syria and one in Jordan."
    )
    claims = sitrep.extract(text, published=date(2024, 2, 1)).claims
    got = {c.value.min: c for c in claims if c.measure == "attacks"}
    assert set(got) == {120, 70, 49, 1}
    assert got[70].breakdown_of == got[120].id and got[70].region == ["IQ"]
    assert got[120].attribution == "ministry officials"


def test_a_label_that_is_no_measure_gives_none():
    text = "Outlook: 12 more battalions may deploy next year, officials said."
    assert not sitrep.extract(text, published=date(2024, 3, 5)).claims


def test_a_revised_count_and_the_one_it_replaced():
    text = "The ministry on Friday raised its count of attacks on the convoy route since early January to 31, from the 27 it gave on Monday."
    got = {
        (c.measure, c.value.min) for c in sitrep.extract(text, published=date(2024, 3, 8)).claims
    }
    assert ("attacks", 31) in got and ("attacks", 27) in got


def test_a_number_after_from_that_counts_something_else_is_no_value_of_the_count():
    text = (
        "The group drew more than 30,000 foreign recruits from over 80 countries, UN experts say."
    )
    got = {
        (c.measure, c.value.min) for c in sitrep.extract(text, published=date(2024, 3, 8)).claims
    }
    assert ("fighters", 30_000) in got
    assert ("fighters", 80) not in got


def test_several_is_no_tally():
    text = "The outpost has been shelled several times since January, residents say."
    assert not sitrep.extract(text, published=date(2024, 3, 8)).claims


def test_a_month_toll_is_a_tally_but_the_strike_toll_is_not():
    text = "March was the worst month this year: 96 civilians were killed during the month, monitors said."
    got = {
        (c.measure, c.value.min) for c in sitrep.extract(text, published=date(2024, 4, 8)).claims
    }
    assert ("killed", 96) in got
    text = "Deaths: The strike also killed four crew members of the freighter."
    assert not sitrep.extract(text, published=date(2024, 4, 8)).claims


def test_a_tally_that_stands_at_a_number_counts_what_its_words_say():
    text = (
        "The ministry counted 74 attacks on allied forces since Oct. 17: 36 in Iraq and 38 in Syria. "
        "Our own tally, which adds attacks claimed online, stands at 79 - 37 in Iraq and 42 in Syria."
    )
    got = {c.value.min: c for c in sitrep.extract(text, published=date(2023, 12, 4)).claims}
    assert got[79].measure == "attacks" and got[79].breakdown_of is None
    assert got[37].breakdown_of == got[79].id and got[42].breakdown_of == got[79].id


def test_a_single_attack_toll_that_rose_is_no_tally():
    text = "The death toll from Saturday's missile strike on the market rose to 25, officials said."
    assert not sitrep.extract(text, published=date(2024, 3, 4)).claims


def test_a_count_that_is_a_number_after_a_count_of_attacks_counts_attacks():
    text = (
        "The article said the militias had attacked allied forces about 100 times since Oct. 17. "
        "The ministry's count is at least 170: 68 in Iraq, 101 in Syria and one in Jordan."
    )
    got = {c.value.min: c for c in sitrep.extract(text, published=date(2024, 2, 9)).claims}
    assert got[170].measure == "attacks" and got[170].qualifier == "at_least"
    assert got[68].breakdown_of == got[170].id


def test_the_toll_of_people_killed_when_gunmen_raided_a_town_is_no_tally():
    text = (
        "The number of people killed when gunmen raided the town of Seytenga at the weekend has "
        "climbed to 79, a government spokesman said on Tuesday."
    )
    assert not sitrep.extract(text, published=date(2022, 6, 14)).claims
