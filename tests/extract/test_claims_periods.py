"""Counts over a stated period (src/sitrep/extract/claims.py): a date range of more than a
few days, a monitor's verified month, the month a 'when' clause names; numbers in brackets
count; a killed and an injured count in one country are two totals, not a part."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 6, 12)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


def test_a_count_between_two_dates_weeks_apart_is_a_tally():
    text = "Between March 2 and May 20, armed groups attacked the convoys roughly 60 times, the agency said."
    got = _claims(text)
    claim = got[("attacks", 60, 60)]
    assert claim.period.start == date(2024, 3, 2) and claim.period.end == date(2024, 5, 20)


def test_a_count_over_two_days_is_one_episode():
    text = "Between June 3 and June 4, gunmen killed 11 villagers in Tanout, officials said."
    assert ("killed", 11, 11) not in _claims(text)


def test_a_monitor_verified_month_is_a_tally_and_its_parts():
    text = (
        "In May 2024, the mission verified that at least 120 civilians were killed and at least 540 "
        "injured in Sudan. Of those killed, 19 were children."
    )
    got = _claims(text)
    killed, injured = got[("killed", 120, None)], got[("injured", 540, None)]
    assert killed.period.start == date(2024, 5, 1)
    assert injured.breakdown_of is None and injured.region == ["SD"]
    assert got[("killed", 19, 19)].breakdown_of == killed.id


def test_the_month_a_when_clause_names_dates_its_count():
    text = "Casualties in May were lower than in April, when the mission recorded 150 civilians killed."
    got = _claims(text)
    assert got[("killed", 150, 150)].period.start == date(2024, 4, 1)


def test_neutralised_counts_the_killed_over_the_week():
    text = "Between 1 and 7 June 2024, troops neutralised 64 insurgents and arrested 80 suspects."
    got = _claims(text)
    assert ("killed", 64, 64) in got and ("detained", 80, 80) in got


def test_numbers_in_brackets_count():
    text = "Between January 1 and April 30, the office documented 900 civilian casualties (310 killed and 590 injured)."
    got = _claims(text)
    assert ("killed", 310, 310) in got and ("injured", 590, 590) in got


def test_since_an_event_on_a_day_counts_from_that_day_and_a_bound_covers_deaths_and_injuries():
    import sitrep

    text = (
        "Since Russia's full-scale invasion on 24 February 2022, the mission has verified at least "
        "11,520 civilian deaths and 23,640 injuries as of 31 July."
    )
    got = {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=date(2024, 8, 9)).claims
    }
    for key in (("killed", 11_520, None), ("injured", 23_640, None)):
        assert got[key].period.start == date(2022, 2, 24)
        assert got[key].region != ["RU"]


def test_a_tracker_headline_gives_its_counts_their_start():
    text = (
        "Tracker: strikes on allied bases in Iraq and Syria since Oct. 17\n"
        "Figures are as of Jan. 31.\n"
        "Total attacks: 120 — 70 in Iraq and 50 in Syria."
    )
    got = _claims(text, date(2024, 2, 1))
    assert got[("attacks", 120, 120)].period.start == date(2023, 10, 17)
    assert got[("attacks", 70, 70)].period.start == date(2023, 10, 17)


def test_the_period_under_review_is_the_range_told_just_before():
    text = (
        "Troops kept up operations in all theatres between 8 and 14 March 2024. "
        "Within the period under review, troops neutralised 137 terrorists."
    )
    got = _claims(text, date(2024, 3, 15))
    claim = got[("killed", 137, 137)]
    assert claim.period.start == date(2024, 3, 8) and claim.period.end == date(2024, 3, 14)


def test_a_count_up_to_and_including_a_day_is_as_of_that_day():
    text = (
        "The ministry said the toll of the aggression since 8 October 2023 has risen to 3,558 "
        "martyrs and 15,123 wounded, in a cumulative count up to and including 19 November 2024."
    )
    got = _claims(text, date(2024, 11, 20))
    assert got[("killed", 3558, 3558)].as_of == date(2024, 11, 19)
    assert got[("injured", 15123, 15123)].as_of == date(2024, 11, 19)
