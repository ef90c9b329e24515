"""What makes a number a running total (src/sitrep/extract/claims.py): a war's toll over
its course, a toll summed over several attacks, a count since an event; and what does not:
a superlative's 'since', 'one of the worst', one attack's toll."""

from __future__ import annotations

from datetime import date

import sitrep


def extract(text: str, published: date = date(2024, 6, 6)):
    return sitrep.extract(text, published=published)


def claims(
    text: str, published: date = date(2024, 6, 6)
) -> set[tuple[str, int | None, int | None]]:
    return {(c.measure, c.value.min, c.value.max) for c in extract(text, published).claims}


def test_a_war_that_has_killed_counts_over_its_course():
    text = (
        "Gunmen attacked a market in the north on Tuesday, killing nine people. The insurgency in the "
        "region, now in its tenth year, has killed more than 25,000 people, according to the UN."
    )
    got = claims(text)
    assert ("killed", 25_000, None) in got
    assert ("killed", 9, 9) not in got


def test_the_day_a_war_began_starts_its_count():
    text = "The civil war, which began on March 3, 2022, has killed more than 8,000 people, a monitoring group says."
    (claim,) = [c for c in extract(text).claims if c.measure == "killed"]
    assert claim.period.start == date(2022, 3, 3)


def test_an_attack_that_has_killed_is_not_a_war_toll():
    text = "The bombing at the bus station has killed 14 people, police said on Tuesday."
    assert ("killed", 14, 14) not in claims(text)


def test_killed_since_the_coup_is_a_running_count():
    text = "Rights groups say soldiers have killed more than 2,000 protesters since the coup."
    assert ("killed", 2_000, None) in claims(text)


def test_a_toll_in_two_attacks_sums_them():
    text = (
        "A hospital official said at least 40 people were killed in the two attacks and 90 wounded."
    )
    got = claims(text)
    assert ("killed", 40, None) in got
    assert ("injured", 90, 90) in got
    assert ("attacks", 2, 2) not in got


def test_a_toll_in_one_attack_is_not_a_claim():
    text = "A hospital official said at least 40 people were killed in the attack and 90 wounded."
    assert not claims(text)


def test_one_of_the_deadliest_is_not_a_count_and_its_since_does_not_make_a_tally():
    text = (
        "Militiamen stormed the village on Wednesday, killing more than 60 people, in one of the "
        "deadliest attacks since the war began."
    )
    got = claims(text)
    assert ("attacks", 1, 1) not in got
    assert ("killed", 60, None) not in got


def test_killed_when_a_missile_hit_is_one_event():
    text = "The number of people killed when a missile hit the railway station on Friday has risen to 31, the governor said."
    assert ("killed", 31, 31) not in claims(text)


def test_a_dateline_town_does_not_make_a_country_wide_toll_local():
    text = (
        "ODESA, March 4 - Drone and missile strikes have killed at least 22 people across the country "
        "this winter, officials said."
    )
    assert ("killed", 22, None) in claims(text, date(2024, 3, 4))


def test_one_day_s_barrage_across_the_country_is_no_tally():
    # A day's nationwide toll is the sum of that day's attacks, not a running count (the
    # newer gold, tune-416/504/519/534; tune-054/221 still code one, and lose it).
    text = (
        "ODESA, March 4 - Drones and missiles struck targets across Ukraine overnight into Monday, "
        "killing at least 22 people across the country, officials said."
    )
    assert ("killed", 22, None) not in claims(text, date(2024, 3, 4))


def test_a_toll_in_a_named_town_on_a_day_stays_local():
    text = "Drones struck Odesa on Monday, killing at least 22 people, in a nationwide barrage, officials said."
    assert ("killed", 22, None) not in claims(text, date(2024, 3, 4))


def test_a_briefing_answer_goes_on_with_the_count_across_the_question():
    text = (
        "SPOKESWOMAN: In 2024 we verified 2,088 civilians killed and 9,138 injured in Ukraine. "
        "That is roughly 30 per cent more than in 2023.\n"
        "Q: How many of them were children?\n"
        "SPOKESWOMAN: One hundred and forty-five children were killed and 638 were injured over the year."
    )
    claims = sitrep.extract(text, published=date(2025, 1, 10)).claims
    got = {(c.measure, c.value.min): c for c in claims}
    assert ("killed", 145) in got and ("injured", 638) in got
    assert all(c.attribution != "In 2024 we" for c in claims)
