"""Attribution: "according to X", "X said", "said X", anaphors (issue 2)."""

from __future__ import annotations

import pytest

from sitrep.extract.attribution import find_attributions
from sitrep.text import split_sentences


def sources(text: str) -> list[str]:
    spans = [(s.start, s.end) for s in split_sentences(text)]
    return [a.source for a in find_attributions(text, spans)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("According to a senior military official, 70 were hurt.", ["a senior military official"]),
        (
            "Three drones were launched, Pentagon press secretary Brig. Gen. Pat Ryder said.",
            ["Pentagon press secretary Brig. Gen. Pat Ryder"],
        ),
        (
            "“We saw four rockets,” said a spokesman for the coalition.",
            ["a spokesman for the coalition"],
        ),
        ("Defense officials said the base was struck twice.", ["Defense officials"]),
        # a tracker's note names where its figures come from; "unless noted" is no source
        (
            "Figures are as of Jan. 31 and come from Pentagon officials unless noted.",
            ["Pentagon officials"],
        ),
    ],
)
def test_source_phrases(text, expected):
    assert sources(text) == expected


def test_anaphor_points_back():
    text = "According to a senior military official, talks began. The official then said the count rose."
    assert sources(text) == ["a senior military official", "a senior military official"]


def test_united_states_is_not_a_speech_verb():
    assert sources("The United States and its partners formed a coalition.") == []


def test_a_live_blog_timestamp_or_dateline_dash_is_not_part_of_the_source():
    assert sources("06:30 - A war monitor says 19 fighters were killed.") == ["A war monitor"]
    assert sources("KABUL — Officials said the blast hit a school.") == ["Officials"]


def test_a_possessive_apostrophe_is_not_a_quote_mark():
    assert sources("Nobody was hurt, the British military's maritime agency UKMTO said.") == [
        "the British military's maritime agency UKMTO"
    ]


def test_a_statement_s_own_source_stands_for_sentences_that_name_none():
    from datetime import date

    import sitrep

    text = (
        "U.S. Central Command said on Sunday that its forces had come under attack twice this week.\n\n"
        "On Friday, two rockets hit Mission Support Site Conoco in Syria, causing no injuries.\n\n"
        "Since Oct. 17, US forces have been attacked 151 times in Iraq and Syria."
    )
    ex = sitrep.extract(text, published=date(2024, 2, 4))
    assert [i.attribution for i in ex.incidents] == ["U.S. Central Command"]
    assert [c.attribution for c in ex.claims] == ["U.S. Central Command"]
