"""Days the incident assembler gives attacks a sentence does not date itself
(src/sitrep/extract/incidents.py): live-blog entries, attacks named again, and denials."""

from __future__ import annotations

from datetime import date

import sitrep


def incidents(text: str, published: date):
    return sitrep.extract(text, published=published).incidents


def test_a_live_blog_entry_is_dated_by_the_day_it_is_published():
    text = (
        "Live: missiles hit Dnipro\n\n"
        "09:10 - Air raid sirens sound across central Ukraine.\n\n"
        "09:55 - A missile hit an apartment block in Dnipro, killing four people, the governor says.\n\n"
        "11:30 - Rescuers are still searching the rubble."
    )
    found = incidents(text, date(2024, 4, 19))
    assert [(i.place.name, i.date.start) for i in found] == [("Dnipro", date(2024, 4, 19))]
    assert any(e.field == "date" and e.text.startswith("09:55") for e in found[0].evidence)


def test_timestamps_alone_do_not_make_a_live_blog():
    text = "At 09:55 a missile hit an apartment block in Dnipro, killing four people, the governor said."
    assert all(i.date.start is None for i in incidents(text, date(2024, 4, 19)))


def test_an_attack_named_again_takes_the_day_told_earlier():
    text = (
        "Live: US strikes in Syria\n\n"
        "00:05 - US aircraft struck militia sites in eastern Syria. The strikes were carried out late on Friday.\n\n"
        "06:30 - A war monitor says 19 fighters were killed in the strikes near Al-Mayadin.\n\n"
        "07:00 - No group has commented."
    )
    found = incidents(text, date(2024, 2, 3))
    assert {i.date.start for i in found} == {date(2024, 2, 2)}


def test_an_attack_denied_in_the_next_sentence_is_dropped():
    text = (
        "Posts on social media claimed that rockets had hit Al-Asad Air Base overnight. "
        "A US official said there was no such attack.\n\n"
        "Separately, a drone was shot down near Erbil Air Base on Saturday."
    )
    found = incidents(text, date(2024, 2, 4))
    assert [i.place.name for i in found] == ["Erbil Air Base"]


def test_overnight_into_a_day_is_the_night_before_it():
    from sitrep.extract.dates import find_dates

    text = "The drone struck the building overnight into Saturday."
    (found,) = find_dates(text, date(2024, 3, 4))
    assert (found.value.start, found.value.end) == (date(2024, 3, 1), date(2024, 3, 2))


def test_an_attack_counted_back_from_the_day_a_sentence_gives():
    text = (
        "Rescuers in Odesa finished searching the ruins of an apartment block on Monday, "
        "two days after a Russian drone tore into it, and said 12 people had been killed.\n"
        "The drone struck the building overnight into Saturday, the governor said."
    )
    found = incidents(text, date(2024, 3, 4))
    assert [(i.place.name, i.date.start) for i in found] == [("Odesa", date(2024, 3, 2))]


def test_a_statement_date_or_dateline_is_not_the_attack_day():
    text = (
        "STATEMENT\n"
        "August 10, 2024\n"
        "One-way attack drone strikes Rumalayn Landing Zone in northeastern Syria\n"
        "At about 8:30 p.m. local time on Aug. 9, a one-way attack drone struck Rumalayn Landing Zone, "
        "causing minor injuries to eight US service members."
    )
    found = incidents(text, date(2024, 8, 10))
    assert [i.date.start for i in found] == [date(2024, 8, 9)]


def test_a_live_blog_day_header_dates_the_entries_below_it():
    text = (
        "Live: strikes on Hodeidah\n\n"
        "Saturday 20 July\n\n"
        "19:10 - Israeli fighter jets have struck the port of Hodeidah, the military says.\n\n"
        "21:30 - Officials say three people were killed."
    )
    found = incidents(text, date(2024, 7, 21))
    assert {i.date.start for i in found} == {date(2024, 7, 20)}


def test_an_attack_some_days_before_the_one_told_is_counted_back():
    text = (
        "Ballistic missiles struck Al-Asad Air Base on Saturday evening, wounding several US personnel. "
        "The barrage came 16 days after a US drone strike in eastern Baghdad killed a militia commander."
    )
    found = {i.place.name: i.date.start for i in incidents(text, date(2024, 1, 21))}
    assert found.get("Baghdad") == date(2024, 1, 4)


def test_a_datelines_day_is_when_the_story_was_filed_not_the_attack():
    text = (
        "BAMAKO, Oct 2 - Fighters stormed an army camp at Boulkessi on Monday, killing 25 soldiers, "
        "the government said late on Tuesday."
    )
    assert [i.date.start for i in incidents(text, date(2019, 10, 2))] == [date(2019, 9, 30)]
    text = "MAIDUGURI, Nigeria, June 30 - Suicide bombers struck a wedding in Gwoza on Saturday, killing 18 people."
    assert [i.date.start for i in incidents(text, date(2024, 6, 30))] == [date(2024, 6, 29)]


def test_an_attack_told_as_happening_elsewhere_stays_its_own():
    text = (
        "Taliban fighters attacked the city of Kunduz before dawn on Saturday, killing ten policemen.\n\n"
        "Elsewhere in Kunduz province, a roadside bomb hit a police pickup on Saturday afternoon, "
        "killing three policemen."
    )
    found = incidents(text, date(2019, 9, 1))
    assert [(i.place.name, i.casualties.killed.min) for i in found] == [
        ("Kunduz", 10),
        ("Kunduz Province", 3),
    ]


def test_a_day_name_before_mass_or_prayers_names_the_service_not_the_day():
    text = "In February, gunmen opened fire on worshippers during Sunday mass at a church in Essakane, killing 15 people."
    assert [(i.date.start, i.date.precision) for i in incidents(text, date(2024, 6, 13))] == [
        (date(2024, 2, 1), "month")
    ]


def test_since_a_day_when_an_attack_happened_dates_that_attack():
    text = "The raid is among the deadliest since November 26, when hundreds of gunmen stormed the town of Djibo."
    assert [(i.place.name, i.date.start) for i in incidents(text, date(2024, 6, 13))] == [
        ("Djibo", date(2023, 11, 26))
    ]


def test_a_month_that_year_is_in_the_year_the_text_named_last():
    text = (
        "The campaign's toll first became clear on March 6, 2024, when a missile hit the True Confidence.\n\n"
        "In June that year, an explosive-laden drone boat rammed the bulk carrier Tutor in the Red Sea, killing a crewman."
    )
    found = incidents(text, date(2025, 7, 20))
    tutor = [i for i in found if i.place.name == "Red Sea"]
    assert [(i.date.start, i.date.precision, i.attack_modes) for i in tutor] == [
        (date(2024, 6, 1), "month", ["other"])
    ]


def test_a_day_told_right_after_a_dated_one_is_in_its_year():
    text = (
        "On January 3, 2020, a US drone strike near Baghdad airport killed Qassem Soleimani. "
        "Iran answered on January 8 by firing ballistic missiles at Al-Asad Airbase."
    )
    found = incidents(text, date(2024, 1, 10))
    assert [i.date.start for i in found] == [date(2020, 1, 3), date(2020, 1, 8)]


def test_a_sentence_that_dates_itself_keeps_its_own_year():
    text = (
        "The group has grown since the coup in February 2021. "
        "In June this year, fighters overran an army post at Mansila, killing 100 soldiers."
    )
    assert [i.date.start for i in incidents(text, date(2024, 8, 27))] == [date(2024, 6, 1)]


def test_an_accident_story_tells_no_attack():
    text = (
        "The death toll from a methane explosion at a coal mine in eastern Iran rose to 51 on Monday.\n\n"
        "The blast tore through two sections of the mine near the town of Tabas late on Saturday. "
        "Twenty people were injured and taken to hospitals in Tabas and Mashhad."
    )
    assert incidents(text, date(2024, 9, 23)) == []
