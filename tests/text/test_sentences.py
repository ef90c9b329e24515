"""Sentence and paragraph splitting on news and briefing text (examples written for sitrep)."""

from __future__ import annotations

import time

import pytest

from sitrep.lexicons import Provenance, lexicon_files
from sitrep.text import Sentence, split_paragraphs, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_transcript_lines_and_titles():
    text = (
        "Q: Can you confirm the strike on Tower 22? Was anyone hurt?\n"
        "BRIG. GEN. RYDER: Yes. Three soldiers were killed.\n"
        "Q: And the others?\n"
        "GEN. RYDER: We're still assessing."
    )
    assert sentences(text) == [
        "Q: Can you confirm the strike on Tower 22?",
        "Was anyone hurt?",
        "BRIG. GEN. RYDER: Yes.",
        "Three soldiers were killed.",
        "Q: And the others?",
        "GEN. RYDER: We're still assessing.",
    ]


def test_ranks_titles_and_months_do_not_end_sentences():
    text = (
        "Brig. Gen. Pat Ryder said the base was hit on Oct. 17. It was the first attack. "
        "Lt. Col. Ann Smith and Sgt. Maj. Lee Ortiz met Sen. Reed and Dr. Chen in Sept. last year. "
        "Adm. Brad Cooper, Capt. Ray Ito and Mr. Mrs. Ms. nobody else."
    )
    assert sentences(text) == [
        "Brig. Gen. Pat Ryder said the base was hit on Oct. 17.",
        "It was the first attack.",
        "Lt. Col. Ann Smith and Sgt. Maj. Lee Ortiz met Sen. Reed and Dr. Chen in Sept. last year.",
        "Adm. Brad Cooper, Capt. Ray Ito and Mr. Mrs. Ms. nobody else.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "U.S." ends a sentence only before a common sentence starter.
        (
            "Troops flew back to the U.S. The deployment ended.",
            ["Troops flew back to the U.S.", "The deployment ended."],
        ),
        (
            "The U.S. military said 1.5 million rounds were fired.",
            ["The U.S. military said 1.5 million rounds were fired."],
        ),
        (
            "Officials from U.S. Central Command and the U.N. mission met.",
            ["Officials from U.S. Central Command and the U.N. mission met."],
        ),
        ("They met in the U.K. It rained.", ["They met in the U.K.", "It rained."]),
        (
            "The attack began at 5 p.m. The base was locked down.",
            ["The attack began at 5 p.m.", "The base was locked down."],
        ),
        (
            "The attack began at 5 p.m. local time, i.e. at dusk.",
            ["The attack began at 5 p.m. local time, i.e. at dusk."],
        ),
        ("Fort Liberty, N.C. He serves there.", ["Fort Liberty, N.C.", "He serves there."]),
        (
            "TAMPA, Fla. - At approx. 6 a.m. two rockets hit.",
            ["TAMPA, Fla. - At approx. 6 a.m. two rockets hit."],
        ),
        (
            "They used rockets, mortars, etc. But nobody was hurt.",
            ["They used rockets, mortars, etc.", "But nobody was hurt."],
        ),
    ],
)
def test_abbreviations_that_may_end_a_sentence(text, expected):
    assert sentences(text) == expected


def test_numbers_initials_urls_and_emails_do_not_split():
    text = (
        "Pat S. Ryder wrote to press@example.org and posted the 1.5 million figure at "
        "https://example.org/news/a.b/c.html on Monday. Room No. 5 was hit, e.g. by shrapnel."
    )
    assert sentences(text) == [
        "Pat S. Ryder wrote to press@example.org and posted the 1.5 million figure at https://example.org/news/a.b/c.html on Monday.",
        "Room No. 5 was hit, e.g. by shrapnel.",
    ]


def test_quotes_question_marks_and_ellipses():
    text = (
        "“We will respond,” the official said. “It is not over.” He left. "
        'Another said "no comment." Then he walked out. '
        "“Were they shot down?” a reporter asked. Wait... The drones came back! Was it over? No."
    )
    assert sentences(text) == [
        "“We will respond,” the official said.",
        "“It is not over.”",
        "He left.",
        'Another said "no comment."',
        "Then he walked out.",
        "“Were they shot down?” a reporter asked.",
        "Wait...",
        "The drones came back!",
        "Was it over?",
        "No.",
    ]


def test_numbered_list_markers_stay_with_their_item():
    text = "Two points:\n\n1. The base was hit.\n\n2. Nobody was hurt."
    assert sentences(text) == ["Two points:", "1. The base was hit.", "2. Nobody was hurt."]


def test_one_paragraph_per_line_with_headline():
    text = (
        "Drones Hit Two Bases In Eastern Syria\n"
        "WASHINGTON - Two drones struck bases in Syria on Thursday, a defense official said, adding that one service member suffered minor injuries in the first attack\n"
        "The official said a second drone was shot down. Nobody was hurt in that attack, which came hours after the first one.\n"
    )
    got = split_sentences(text)
    assert [text[s.start : s.end] for s in got] == [
        "Drones Hit Two Bases In Eastern Syria",
        "WASHINGTON - Two drones struck bases in Syria on Thursday, a defense official said, adding that one service member suffered minor injuries in the first attack",
        "The official said a second drone was shot down.",
        "Nobody was hurt in that attack, which came hours after the first one.",
    ]
    assert [s.paragraph for s in got] == [0, 1, 2, 2]


def test_hard_wrapped_text_joins_lines_until_a_blank_line():
    text = (
        "WASHINGTON -- Two drones struck a garrison in eastern Syria on\n"
        "Thursday, a defense official said, adding that Brig. Gen. Pat Ryder\n"
        "would brief reporters later in the day. The official said the attack\n"
        "was the 16th since Oct. 17\n"
        "\n"
        "Officials said the damage was minor and that no one was hurt in the\n"
        "attack on the garrison\n"
    )
    got = split_sentences(text)
    assert [text[s.start : s.end].replace("\n", " ") for s in got] == [
        "WASHINGTON -- Two drones struck a garrison in eastern Syria on Thursday, a defense official said, adding that Brig. Gen. Pat Ryder would brief reporters later in the day.",
        "The official said the attack was the 16th since Oct. 17",
        "Officials said the damage was minor and that no one was hurt in the attack on the garrison",
    ]
    assert [s.paragraph for s in got] == [0, 0, 1]


def test_wrapped_transcript_turns_start_new_sentences():
    text = (
        "Q: How many attacks have there been on US and coalition forces since\n"
        "the middle of October, and how many people were hurt in them\n"
        "MR. KIRBY: I would point you to the Pentagon for the exact figures\n"
        "and the latest breakdown by country and by type of weapon used\n"
    )
    assert [s.replace("\n", " ") for s in sentences(text)] == [
        "Q: How many attacks have there been on US and coalition forces since the middle of October, and how many people were hurt in them",
        "MR. KIRBY: I would point you to the Pentagon for the exact figures and the latest breakdown by country and by type of weapon used",
    ]


def test_a_paragraph_break_always_ends_a_sentence():
    text = "The attack on Al-Asad Air Base\n\n  \nbegan after midnight, officials said"
    got = split_sentences(text)
    assert [text[s.start : s.end] for s in got] == [
        "The attack on Al-Asad Air Base",
        "began after midnight, officials said",
    ]
    assert [s.paragraph for s in got] == [0, 1]


def test_offsets_point_into_the_text_and_are_stripped():
    text = "  \r\n  First one.   Second one?\r\n\r\n“Third.”  \n"
    got = split_sentences(text)
    assert got == [Sentence(6, 16, 0), Sentence(19, 30, 0), Sentence(34, 42, 1)]
    for s in got:
        assert text[s.start : s.end] == text[s.start : s.end].strip()


def test_split_paragraphs_by_blank_lines_in_wrapped_text():
    text = "\n\nFirst paragraph,\nstill the first,\nand the first.\n\n\n  Second.  \n"
    assert [text[a:b] for a, b in split_paragraphs(text)] == [
        "First paragraph,\nstill the first,\nand the first.",
        "Second.",
    ]


def test_split_paragraphs_by_lines_when_lines_are_paragraphs():
    long_line = "A paragraph that runs on for well over a hundred characters, as news paragraphs in plain text files do."
    text = f"Headline\n{long_line}\n{long_line}\n\nLast."
    assert [text[a:b] for a, b in split_paragraphs(text)] == [
        "Headline",
        long_line,
        long_line,
        "Last.",
    ]


def test_empty_and_blank_text():
    assert split_paragraphs("") == []
    assert split_paragraphs(" \n\t ") == []
    assert split_sentences("") == []
    assert split_sentences(" \n \n\t") == []


def test_abbreviations_file_has_provenance_and_the_required_entries():
    import yaml

    data = yaml.safe_load(lexicon_files("abbreviations.yaml")[0].read_text(encoding="utf-8"))
    Provenance.model_validate(data["provenance"])
    words = {w for entry in data["entries"] for w in entry["words"]}
    required = (
        "Oct. Jan. Sept. Gen. Brig. Lt. Col. Maj. Sgt. Adm. Capt. Sen. Rep. Gov. Dr. Mr. Mrs. "
        "Ms. St. No. U.S. U.N. U.K. e.g. i.e. a.m. p.m. approx. Jr."
    ).split()
    assert set(required) <= words


def test_users_extend_the_abbreviations(tmp_path, monkeypatch):
    text = "The Plt. Sgt. Ryan Dole led them. Then they left."
    assert sentences(text)[0] == "The Plt."
    (tmp_path / "abbreviations.yaml").write_text(
        "provenance: {source: test, date: '2026-11-25', licence: CC0}\n"
        "entries:\n  - {behaviour: never_ends, words: [Plt.]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))
    assert sentences(text) == ["The Plt. Sgt. Ryan Dole led them.", "Then they left."]


@pytest.mark.parametrize(
    "text",
    [
        "." * 200_000,
        " " * 200_000 + "x",
        "\n \n" * 70_000,
        "<!--" * 50_000,
        "…" * 200_000,
        ("." * 999 + "x") * 200,
    ],
    ids=["dots", "spaces", "blank-lines", "comment-openers", "ellipses", "dot-runs"],
)
def test_pathological_runs_take_linear_time(text):
    started = time.perf_counter()
    split_sentences(text)
    assert time.perf_counter() - started < 2.0  # a quadratic scan would take minutes
