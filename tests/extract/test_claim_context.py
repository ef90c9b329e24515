"""Claims whose measure comes from their context (src/sitrep/extract/claims.py): a total
after its parts, a part of the injured with its severity, and a briefing's answer to a
question about a running count."""

from __future__ import annotations

from datetime import date

import sitrep


def claims(text: str) -> set[tuple[str, int | None, int | None]]:
    ex = sitrep.extract(text, published=date(2024, 2, 9))
    return {(c.measure, c.value.min, c.value.max) for c in ex.claims}


def test_a_total_after_its_parts_counts_what_they_count():
    text = "Officials counted 30 attacks in Syria and 25 in Iraq since Oct. 17, for a total of 55."
    assert ("attacks", 55, 55) in claims(text)


def test_a_part_of_the_injured_says_its_severity():
    text = (
        "Since October 17, 60 US personnel have been injured in those attacks. "
        "Of them, two were seriously hurt and 40 suffered minor wounds."
    )
    got = claims(text)
    assert ("injured", 60, 60) in got
    assert ("injured_serious", 2, 2) in got


def test_an_answer_counts_what_the_question_asked():
    text = (
        "Q: Where does the count of injured troops stand now?\n\n"
        "MR. LEE: It's about 90 service members. Most have returned to duty.\n\n"
        "Q: And attacks?\n\n"
        "MR. LEE: We're at 150 since October 17."
    )
    got = claims(text)
    assert ("injured", 90, 90) in got
    assert ("attacks", 150, 150) in got


def test_a_question_about_one_attack_asks_for_its_toll_not_a_count():
    text = (
        "Q: How many were hurt in Sunday's attack?\n\n"
        "MR. LEE: Eight service members, all with minor injuries."
    )
    assert not any(m == "injured" for m, *_ in claims(text))


def test_a_number_without_a_question_before_it_counts_nothing():
    text = "MR. LEE: It's about 90 service members, and I have nothing more on that."
    assert claims(text) == set()
