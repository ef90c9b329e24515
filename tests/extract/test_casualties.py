"""Casualties: counts with severity; negations, hypotheticals and non-attack deaths (issue 2)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sitrep
from sitrep.extract.casualties import find_casualties
from sitrep.extract.quantities import find_quantities
from sitrep.text import split_sentences


def tag(text: str) -> list[tuple[str, float | None, float | None, bool]]:
    spans = [(s.start, s.end) for s in split_sentences(text)]
    found = find_casualties(text, find_quantities(text), spans)
    for c in found:
        assert text[c.start : c.end] == c.text
    return [(c.category, c.value.min, c.value.max, c.negated) for c in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The blast killed three soldiers and wounded at least 40 others.",
            [("killed", 3, 3, False), ("injured", 40, None, False)],
        ),
        (
            "One serious injury and 70 injured lightly were reported.",
            [("serious", 1, 1, False), ("minor", 70, 70, False)],
        ),
        ("Eight service members were lightly wounded.", [("minor", 8, 8, False)]),
        ("Two sailors were critically injured.", [("serious", 2, 2, False)]),
        ("Twenty-five personnel sustained traumatic brain injuries.", [("tbi", 25, 25, False)]),
        ("Dozens of people were hurt in the shelling.", [("injured", 24, 99, False)]),
        ("A contractor was killed when the rocket landed.", [("killed", 1, 1, False)]),
        ("The death toll rose to 46 on Sunday.", [("killed", 46, 46, False)]),
    ],
)
def test_counts_and_severity(text, expected):
    assert tag(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("There were no casualties.", [("killed", 0, 0, True), ("injured", 0, 0, True)]),
        ("No injuries were reported after the drone was shot down.", [("injured", 0, 0, True)]),
        ("No one was hurt.", [("injured", 0, 0, True)]),
        ("Officials said there were no deaths.", [("killed", 0, 0, True)]),
    ],
)
def test_negations_are_zero(text, expected):
    assert tag(text) == expected


def test_hypothetical_harm_is_not_counted():
    assert (
        tag("The strike could have killed dozens of troops had the missile not been intercepted.")
        == []
    )


def test_death_not_caused_by_the_attack_is_not_counted():
    text = "A civilian contractor died of a cardiac arrest while sheltering during the alert."
    assert tag(text) == []


def test_report_with_no_false_casualty():
    text = (
        "Rockets hit Al-Asad Airbase in western Iraq on Monday, US officials said. "
        "There were no casualties and no damage to the base. "
        "A senior official said the barrage could have been catastrophic and might have killed scores of people. "
        "Separately, a contractor died of a heart attack while sheltering in a bunker during the attack."
    )
    ex = sitrep.extract(text, published=date(2023, 11, 21))
    assert len(ex.incidents) == 1
    cas = ex.incidents[0].casualties
    assert cas.killed.to_dict() == {"min": 0, "max": 0}
    assert cas.injured.to_dict() == {"min": 0, "max": 0}
    assert ex.claims == []


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("abc 0123456789.,killedwoundnoinjuries")), max_size=200)
)
def test_random_text_never_raises_and_offsets_hold(text):
    tag(text)


def test_one_person_killed_described_by_rank_or_age_or_shot_dead():
    from datetime import date as _date

    import sitrep

    for text in (
        "An Israeli air strike hit a building in Beirut on Tuesday, killing a senior Hezbollah commander.",
        "A drone slammed into an apartment building in Tel Aviv early Friday, killing a 50-year-old man.",
        "One resident was shot dead as gunmen attacked the village of Kadisau on Monday.",
    ):
        found = sitrep.extract(text, published=_date(2024, 7, 20)).incidents
        assert [(i.casualties.killed.min, i.casualties.killed.max) for i in found] == [(1, 1)], text


def test_more_ways_of_saying_no_one_was_hurt():
    from datetime import date as _date

    import sitrep

    for text in (
        "Two rockets hit Erbil air base on Monday. There were no reports of casualties.",
        "A missile struck the bulk carrier Rubymar in the Gulf of Aden on Sunday. Its crew had been evacuated unhurt.",
        "Rockets hit two bases in Syria on Monday. Neither attack caused casualties or damage, the official said.",
    ):
        found = sitrep.extract(text, published=_date(2024, 7, 20)).incidents
        assert found and all(i.casualties.injured.max == 0 for i in found), text
    assert "damage" not in found[0].outcome


def test_more_ways_to_say_no_one_was_killed():
    for text, killed, injured in (
        (
            "Rockets struck the base on Sunday. Initial reports indicate no injuries or casualties.",
            0,
            0,
        ),
        (
            "Fighters attacked the army post at Marte on 12 March. Troops repelled them and no soldier was lost.",
            0,
            None,
        ),
    ):
        found = sitrep.extract(text, published=date(2024, 3, 15)).incidents
        assert found, text
        assert found[0].casualties.killed.min == killed, text
        assert found[0].casualties.injured.min == injured, text


def test_an_appositive_between_the_number_and_the_verb():
    found = sitrep.extract(
        "On Sunday suspected militants attacked Koutruk village in Manipur, India, firing from the "
        "hills. Two persons, one woman and one man, were killed.",
        published=date(2024, 9, 2),
    ).incidents
    assert found and found[0].casualties.killed.min == 2
