"""Bulleted fact lists (src/sitrep/extract/claims.py): an item's label before the colon
names what its first number counts ('- Aid convoys attacked: 41'), or the country a part
of the total above is in ('- Mali: 12'); a heading or preamble dates the items."""

from __future__ import annotations

from datetime import date

import sitrep

LIST = (
    "CORRIDOR SECURITY - WEEKLY SHEET\n"
    "Updated 12 May 2024 (numbers as of 10 May)\n\n"
    "RUNNING TOTALS SINCE 2 FEBRUARY 2024\n"
    "- Aid convoys attacked: more than 41 (up from 35 at the end of April)\n"
    "- Trucks burned: 9 (Kidal, Gao)\n"
    "- Drivers killed: 6 (two near Gao in March, four near Kidal in April)\n"
    "- Staff held by armed groups: 3\n"
)


def _claims(text: str, published: date = date(2024, 5, 12)):
    return {
        (c.measure, c.value.min, c.value.max): c
        for c in sitrep.extract(text, published=published).claims
    }


def test_an_item_label_names_the_measure_and_the_heading_dates_it():
    got = _claims(LIST)
    attacks = got[("attacks", 41, None)]
    assert attacks.subject == "Aid convoys"
    assert attacks.period.start == date(2024, 2, 2)
    assert attacks.as_of == date(2024, 5, 10)
    killed = got[("killed", 6, 6)]
    assert killed.subject == "Drivers"
    # the months in brackets date the parts, not the count
    assert killed.period.start == date(2024, 2, 2)
    assert ("detained", 3, 3) in got


def test_a_label_with_no_measure_word_counts_nothing():
    got = _claims(LIST)
    assert not any(v == (9, 9) for (_, *v) in got)
    # "four near Kidal in April" is no part of its own
    assert ("killed", 4, 4) not in got


def test_country_items_break_down_the_total_above():
    text = (
        "Figures current to 2024-05-10.\n\n"
        "Armed groups have carried out at least 57 attacks on peacekeepers since Jan. 1, officials say.\n\n"
        "BY COUNTRY\n"
        "- Mali: 40\n"
        "- Niger: 17\n"
    )
    got = _claims(text)
    total = got[("attacks", 57, None)]
    assert total.as_of == date(2024, 5, 10)
    mali = got[("attacks", 40, 40)]
    assert mali.breakdown_of == total.id and mali.region == ["ML"]
    assert got[("attacks", 17, 17)].region == ["NE"]


def test_a_list_item_without_a_dated_heading_is_no_tally():
    text = "What happened on Tuesday\n- Market in Gao: 4 killed when a bomb went off\n"
    assert not sitrep.extract(text, published=date(2024, 5, 12)).claims


def test_targets_attacked_count_attacks_but_attackers_do_not():
    text = "In April alone, at least 9 aid convoys were attacked, the agency said."
    assert ("attacks", 9, None) in _claims(text)
    text = "In April, 9 gunmen attacked an aid convoy near Gao, the agency said."
    assert ("attacks", 9, 9) not in _claims(text)


def test_an_earlier_value_in_brackets_or_the_next_sentence_is_dated_by_its_day():
    got = _claims(LIST)
    earlier = got[("attacks", 35, 35)]
    assert earlier.as_of == date(2024, 4, 30) and earlier.subject == "Aid convoys"
    text = (
        "Militias have carried out at least 75 attacks on peacekeepers since Jan. 9, officials said. "
        "That is up from 61 in our April 2 update."
    )
    got = _claims(text)
    assert got[("attacks", 61, 61)].as_of == date(2024, 4, 2)
    assert got[("attacks", 61, 61)].period.start == date(2024, 1, 9)


def test_that_is_up_from_without_a_tally_before_is_no_claim():
    text = "The price of bread rose sharply in May. That is up from 61 in April."
    assert not _claims(text)


def test_a_list_under_a_two_column_header_gives_each_number_its_column():
    text = (
        "At least 200 civilians were killed and 900 injured across the country in July, the mission said.\n"
        "Regional breakdown for July (killed / injured):\n"
        "- Donetsk region: 80 / 300\n"
        "- Kharkiv region: 40 / 220\n"
    )
    claims = sitrep.extract(text, published=date(2024, 8, 9)).claims
    got = {(c.measure, c.value.min): c for c in claims}
    assert ("killed", 80) in got and ("injured", 300) in got
    assert ("killed", 40) in got and ("injured", 220) in got
    assert got[("killed", 80)].breakdown_of == got[("killed", 200)].id
    assert got[("injured", 300)].breakdown_of == got[("injured", 900)].id
    assert ("injured", 80) not in got


def test_a_fact_box_heading_dates_its_items_and_items_under_a_total_are_its_parts():
    text = (
        "Militant attacks rose in January, the institute said.\n"
        "KEY FIGURES (1-31 January 2025)\n"
        "- Militant attacks: 70\n"
        "  - Balochistan: 24\n"
        "  - Punjab and Sindh: 4\n"
        "- Deaths in militant attacks: 90\n"
        "  - security personnel: 35\n"
        "  - civilians: 20\n"
    )
    claims = sitrep.extract(text, published=date(2025, 2, 1)).claims
    got = {(c.measure, c.value.min): c for c in claims}
    assert got[("attacks", 70)].period.start == date(2025, 1, 1)
    assert got[("attacks", 4)].breakdown_of == got[("attacks", 70)].id
    assert got[("killed", 35)].breakdown_of == got[("killed", 90)].id
    assert got[("killed", 20)].breakdown_of == got[("killed", 90)].id


def test_a_heading_names_the_measure_of_the_items_below_it():
    text = (
        "Key figures compiled from UN updates, with displacement figures as of 31 October 2024.\n"
        "Internally displaced people\n"
        "* Burkina Faso: more than two million\n"
        "* Mali: about 330,000\n"
        "Education\n"
        "* Schools closed because of insecurity: more than 8,000\n"
    )
    claims = sitrep.extract(text, published=date(2024, 12, 2)).claims
    got = {(c.measure, c.value.min): c for c in claims}
    assert got[("displaced", 330000)].region == ["ML"]
    assert got[("displaced", 2000000)].region == ["BF"]
    assert got[("displaced", 330000)].as_of == date(2024, 10, 31)
    assert not any(c.value.min == 8000 for c in claims)
