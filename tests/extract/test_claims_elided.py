"""Counts whose noun is left out or implied (src/sitrep/extract/claims.py): an ordinal
before 'attack ... since', 'launched at least four over the weekend' after an attacks count,
'a dozen times' after a dash, 'N times in 48 hours', 'Forty of them' opening a sentence, and
a part of the injured with its own severity."""

from __future__ import annotations

from datetime import date

import sitrep


def _claims(text: str, published: date = date(2024, 5, 8)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


def test_an_ordinal_before_attack_since_states_the_running_count():
    text = "It was the 31st militia attack on the northern bases since Feb. 2, officials said."
    got = _claims(text)
    assert got[("attacks", 31, 31)].period.start == date(2024, 2, 2)


def test_an_ordinal_without_since_is_no_count():
    text = "It was the 31st birthday of the base commander, and the mood was calm."
    assert not _claims(text)


def test_an_elided_noun_after_an_attacks_count():
    text = "Forty attacks had been logged as of Friday, meaning the militias launched at least four over the weekend."
    got = _claims(text)
    assert ("attacks", 40, 40) in got and ("attacks", 4, None) in got


def test_launched_four_drones_counts_no_attacks():
    text = "Forty attacks had been logged as of Friday. On Sunday the militias launched four drones at the base."
    assert ("attacks", 4, 4) not in _claims(text)


def test_a_dozen_after_a_dash_counts():
    text = "The bases have been attacked at least 20 times since Feb. 2 - a dozen times in Iraq and eight times in Syria."
    got = _claims(text)
    assert got[("attacks", 12, 12)].region == ["IQ"]


def test_times_in_a_window_of_hours_is_a_tally():
    text = "Allied troops in Syria were targeted four times in 48 hours, officials said on Tuesday."
    assert ("attacks", 4, 4) in _claims(text)
    text = "Allied troops in Syria were targeted on Tuesday, officials said, four hours after a warning."
    assert not _claims(text)


def test_of_them_opening_a_sentence_is_a_part_of_the_tally_before():
    text = (
        "The count of attacks on allied troops now stands at 90, an official said. "
        "Forty of them have come since the start of April."
    )
    got = _claims(text)
    part = got[("attacks", 40, 40)]
    assert part.breakdown_of == got[("attacks", 90, 90)].id
    assert part.period.start == date(2024, 4, 1)


def test_a_part_of_the_injured_with_its_own_severity():
    text = (
        "More than 80 US personnel have been hurt since Feb. 2, officials said. "
        "Dozens of those injured were diagnosed with traumatic brain injuries, the officials said."
    )
    got = _claims(text)
    assert ("tbi", 24, 99) in got and ("injured", 24, 99) not in got
