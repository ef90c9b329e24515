"""Places below the gazetteer (src/sitrep/extract/sites.py) and what the incident assembler
does with them and with sentences that go on with an occasion told before."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sitrep
from sitrep.extract.places import find_places


def tags(text: str) -> list[tuple[str, str | None, str | None, str]]:
    return [(m.place.name, m.place.country, m.place.admin1, m.kind) for m in find_places(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Troops retook the Sahafi Hotel in Mogadishu after an overnight siege.",
            ("Sahafi Hotel", "SO", "facility"),
        ),
        (
            "A bomb went off outside Peshawar's main bus station on Friday.",
            ("Peshawar bus station", "PK", "facility"),
        ),
        (
            "The strike gutted the Azovstal children's clinic in Zaporizhzhia, officials said.",
            ("Azovstal children's clinic", "UA", "facility"),
        ),
        (
            "Gunmen on motorbikes raided the village of Dogon Kawo in Zamfara State overnight.",
            ("Dogon Kawo", "NG", "city"),
        ),
        (
            "Fighters attacked Tadamakat, a small village in the Gao region, at dawn.",
            ("Tadamakat", "ML", "city"),
        ),
        (
            "Drones struck a depot near Qasr Hawwa in Deir ez-Zor province.",
            ("Qasr Hawwa", "SY", "city"),
        ),
    ],
)
def test_sites_and_villages_are_named_and_located(text, expected):
    name, country, kind = expected
    found = {(n, c, k) for n, c, _a, k in tags(text)}
    assert (name, country, kind) in found


def test_a_named_site_takes_its_towns_coordinates_and_a_village_none():
    hotel = next(
        m
        for m in find_places("Gunmen stormed the Sahafi Hotel in Mogadishu.")
        if m.kind == "facility"
    )
    town = next(m for m in find_places("Gunmen stormed a hotel in Mogadishu.") if m.kind == "city")
    assert (hotel.place.lat, hotel.place.lon) == (town.place.lat, town.place.lon)
    village = next(
        m for m in find_places("They raided the village of Dogon Kawo in Zamfara State.")
    )
    assert village.place.lat is None and village.place.admin1 == "Zamfara State"


@pytest.mark.parametrize(
    "text",
    [
        "On Monday the market in Kyiv reopened.",  # a weekday is no name
        "The Kharkiv hypermarket was closed.",  # a known town plus a noun: the town stands
        "Officials said the hospital was full.",  # no name at all
        "Villagers said the town of the dead was silent.",  # "of the" names nothing
    ],
)
def test_no_site_without_a_name(text):
    assert all(kind != "facility" for *_rest, kind in tags(text))
    assert all(name not in ("Monday", "On Monday") for name, *_rest in tags(text))


def test_a_site_without_a_known_town_is_not_guessed():
    assert tags("Gunmen stormed the Sahafi Hotel before dawn.") == []


def test_an_attack_at_a_named_site_is_placed_there_and_told_once():
    text = (
        "Hotel siege in Mogadishu ends\n"
        "Al-Shabaab gunmen stormed the Sahafi Hotel in Mogadishu on Sunday, killing at least nine people, "
        "police said.\n"
        "Security forces ended the attack in Mogadishu after a night of fighting."
    )
    ex = sitrep.extract(text, published=date(2024, 3, 5))
    assert len(ex.incidents) == 1
    assert ex.incidents[0].place.name == "Sahafi Hotel"
    assert ex.incidents[0].date.start == date(2024, 3, 3)


def test_a_sentence_that_goes_on_with_the_same_occasion_shares_its_day():
    text = (
        "Militants hit two US sites in Syria\n"
        "A one-way drone was shot down over the Tall Baydar base in Hasakah province on Wednesday morning.\n"
        "Officials gave no further details.\n"
        "A few hours later, two rockets were fired at the Rumalyn Landing Zone, causing minor damage."
    )
    ex = sitrep.extract(text, published=date(2023, 11, 16))
    days = {i.place.name: i.date.start for i in ex.incidents}
    assert days.get("Rumalyn Landing Zone") == date(2023, 11, 15)


def test_a_site_that_only_locates_another_is_not_an_attack_of_its_own():
    text = (
        "A drone was shot down near Al-Asad Air Base on Friday. A second drone fell outside "
        "Victory Base, near Baghdad airport, the same night, without causing damage."
    )
    ex = sitrep.extract(text, published=date(2023, 10, 21))
    places = sorted(i.place.name for i in ex.incidents)
    assert places == ["Al-Asad Airbase", "Victory Base Complex"]
    assert all(i.date.start == date(2023, 10, 20) for i in ex.incidents)


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Aa Bb Cc village of, in Kyiv's Hotel hospital.\n-'")),
        max_size=120,
    )
)
def test_random_text_never_raises_and_mentions_never_overlap(text):
    found = find_places(text)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    for m in found:
        assert text[m.start : m.end] == m.text


def test_a_tally_sentence_listing_dated_attacks_on_several_sites_gives_one_each():
    text = (
        "US forces have been attacked 61 times since Oct. 17, the Pentagon said on Friday. "
        "The count includes drone and rocket attacks on Wednesday against Tall Baydar, "
        "the Rumalyn Landing Zone and Mission Support Site Euphrates, none of which wounded anyone."
    )
    ex = sitrep.extract(text, published=date(2023, 11, 17))
    assert sorted(i.place.name for i in ex.incidents) == [
        "Mission Support Site Euphrates",
        "Rumalyn Landing Zone",
        "Tall Baydar",
    ]
    assert {i.date.start for i in ex.incidents} == {date(2023, 11, 15)}
    assert ("attacks", 61) in {(c.measure, c.value.min) for c in ex.claims}


def test_strikes_in_two_countries_are_one_incident_per_country():
    text = "US aircraft struck militia depots in Iraq and Syria on Friday, the Pentagon said."
    ex = sitrep.extract(text, published=date(2024, 2, 3))
    assert sorted(i.place.country for i in ex.incidents) == ["IQ", "SY"]
    assert {i.date.start for i in ex.incidents} == {date(2024, 2, 2)}


def test_a_country_wide_lead_and_the_base_it_means_are_one_attack():
    text = (
        "Drones targeted US troops at a base in Iraq on Wednesday, officials said.\n"
        "Hours earlier, several drones had been launched at Al-Asad Air Base; two were shot down."
    )
    ex = sitrep.extract(text, published=date(2023, 10, 19))
    assert [(i.place.name, i.date.start) for i in ex.incidents] == [
        ("Al-Asad Airbase", date(2023, 10, 18))
    ]


def test_one_dated_attack_on_a_town_in_a_nationwide_barrage_is_an_incident_not_a_tally():
    text = (
        "Russian missiles hit Odesa on Tuesday night, killing at least nine people, "
        "part of a nationwide barrage, regional officials said."
    )
    ex = sitrep.extract(text, published=date(2024, 3, 20))
    assert [(i.place.name, i.casualties.killed.min) for i in ex.incidents] == [("Odesa", 9)]
    assert not [c for c in ex.claims if c.measure == "killed"]


def test_a_suicide_car_bomb_told_two_ways_is_one_bombing():
    text = (
        "Suicide car bombs hit army base in Bannu\n"
        "Militants drove two explosives-laden vehicles into the wall of the army base in Bannu on Tuesday "
        "evening, killing 18 people, officials said. The suicide bombers then tried to storm the base."
    )
    ex = sitrep.extract(text, published=date(2025, 3, 5))
    assert len(ex.incidents) == 1


def test_the_day_a_statement_was_made_or_a_deadline_is_not_the_attacks_day():
    text = (
        "Gunmen stormed a school in Kuriga, a town in Kaduna state, early on Thursday and abducted pupils. "
        "The head teacher told the state governor on Friday that 287 pupils were missing, "
        "and no group had claimed the raid by Saturday."
    )
    ex = sitrep.extract(text, published=date(2024, 3, 9))
    assert {i.date.start for i in ex.incidents} == {date(2024, 3, 7)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Drones hit Engels air base in Saratov region overnight.",
            ("Engels air base", "RU", "facility"),
        ),
        ("Gunmen attacked a cafe on Mogadishu's Lido Beach.", ("Lido Beach", "SO", "facility")),
        (
            "A rocket hit the Druze town of Majdal Shams in the Golan Heights.",
            ("Majdal Shams", "SY", "city"),
        ),
        (
            "The bomber struck a rally in Khar, the main town of the district, near Peshawar.",
            ("Khar", "PK", "city"),
        ),
    ],
)
def test_more_ways_reports_name_places_below_the_gazetteer(text, expected):
    found = {(n, c, k) for n, c, _a, k in tags(text)}
    assert expected in found


def test_a_descriptive_word_before_town_of_is_no_place_and_a_demonym_is_no_name():
    assert [
        n for n, *_ in tags("A rocket hit the Druze town of Majdal Shams in the Golan Heights.")
    ][0] == "Majdal Shams"
    assert "Yemeni port" not in [
        n for n, *_ in tags("It sank 35 miles south of the Yemeni port of Mocha.")
    ]
    assert "Faladie" in " ".join(
        n for n, *_ in tags("Gunfire in the Faladie district of Bamako.")
    ).replace("é", "e")


def test_a_place_an_attack_is_measured_from_is_not_where_it_happened():
    text = (
        "A Houthi missile struck a tanker in the Gulf of Aden on Friday, about 60 nautical miles "
        "south-east of Aden, setting it on fire."
    )
    ex = sitrep.extract(text, published=date(2024, 1, 27))
    assert [i.place.name for i in ex.incidents] == ["Gulf of Aden"]


def test_origins_time_zones_and_names_are_not_where_an_attack_happened():
    text = (
        "On Jan. 9, at about 9:15 p.m. Sanaa time, drones launched from Yemen struck a cargo ship "
        "in the southern Red Sea, causing minor damage."
    )
    ex = sitrep.extract(text, published=date(2024, 1, 10))
    assert [i.place.name for i in ex.incidents] == ["Red Sea"]
    text = "The group said it used a new long-range drone it calls 'Jaffa' in the attack on Tel Aviv on Friday."
    assert "Jaffa" not in [
        i.place.name for i in sitrep.extract(text, published=date(2024, 7, 20)).incidents
    ]


def test_jets_that_have_struck_are_an_airstrike():
    text = (
        "Israeli fighter jets have struck the port of Hodeidah on Saturday, killing three people."
    )
    ex = sitrep.extract(text, published=date(2024, 7, 20))
    assert [i.attack_modes for i in ex.incidents] == [["airstrike"]]


def test_where_speakers_are_and_where_the_wounded_were_taken_is_not_the_attack():
    text = (
        "Suicide bombers struck a wedding in the town of Gwoza in Borno State on Saturday, killing 18 people, "
        "officials in Abuja and Lagos said. Forty-two people were wounded and were taken to Maiduguri for treatment."
    )
    ex = sitrep.extract(text, published=date(2024, 7, 1))
    assert [i.place.name for i in ex.incidents] == ["Gwoza"]


def test_a_village_named_before_its_district_and_an_assault_told_over_two_sentences():
    text = (
        "In the early hours of 16 March 2024, six militants attacked an army post in Mir Ali, "
        "North Waziristan District. The militants opened fire on the post. Unable to break in, "
        "they rammed an explosive-laden vehicle into it, killing five soldiers."
    )
    ex = sitrep.extract(text, published=date(2024, 3, 16))
    assert len(ex.incidents) == 1
    (one,) = ex.incidents
    assert one.place.name == "Mir Ali" and one.place.country == "PK"
    assert {"small_arms", "vbied"} <= set(one.attack_modes)


def test_a_new_attack_marked_as_such_is_not_merged_into_the_last():
    text = (
        "Militants attacked an army post in Mir Ali, North Waziristan District, on Saturday. "
        "Separately, a roadside bomb wounded two soldiers."
    )
    ex = sitrep.extract(text, published=date(2024, 3, 17))
    assert all("ied" not in i.attack_modes for i in ex.incidents if i.place.name == "Mir Ali")


def test_a_correction_note_tells_no_new_attack():
    text = (
        "A drone wounded three US troops at Erbil Air Base on Monday, the Pentagon said.\n"
        "Correction (Dec. 26, 2023): An earlier version of this story said four service members "
        "were wounded in the Erbil attack."
    )
    ex = sitrep.extract(text, published=date(2023, 12, 26))
    assert [(i.place.name, i.date.start) for i in ex.incidents] == [
        ("Erbil Air Base", date(2023, 12, 25))
    ]


def test_guided_aerial_bombs_are_an_airstrike():
    text = (
        "Russian guided aerial bombs hit a hypermarket in Kharkiv on Saturday, killing 12 people."
    )
    ex = sitrep.extract(text, published=date(2024, 5, 26))
    assert [i.attack_modes for i in ex.incidents] == [["airstrike"]]


def test_a_group_named_for_a_country_a_launch_area_and_a_hypothetical_are_no_attack_places():
    text = (
        "A drone killed three US soldiers at Tower 22 in Jordan on Sunday. "
        "The Islamic Resistance in Iraq claimed the attack."
    )
    ex = sitrep.extract(text, published=date(2024, 1, 29))
    assert [i.place.name for i in ex.incidents] == ["Tower 22"]
    text = "Shahed drones launched from the Kursk and Primorsko-Akhtarsk areas hit Kharkiv on Sunday, wounding 12."
    ex = sitrep.extract(text, published=date(2024, 8, 26))
    assert [i.place.name for i in ex.incidents] == ["Kharkiv"]
    text = "If Israel launches a ground offensive in Rafah, one militia leader warned, the attacks could resume."
    assert sitrep.extract(text, published=date(2024, 2, 10)).incidents == []


def test_a_briefer_who_is_not_tracking_an_attack_denies_it():
    text = (
        "Q: There were reports overnight of a drone attack on Erbil. Can you confirm?\n\n"
        "GEN. RYDER: I'm not tracking any attack on Erbil in the last 24 hours."
    )
    assert sitrep.extract(text, published=date(2023, 11, 21)).incidents == []


def test_a_site_and_its_town_told_apart_in_one_report_are_one_attack():
    text = (
        "Russian guided bombs hit the Epicentr hypermarket in Kharkiv on Saturday, killing 19 people. "
        "Officials say Russian aircraft have increasingly used glide bombs against Kharkiv."
    )
    ex = sitrep.extract(text, published=date(2024, 5, 27))
    assert len(ex.incidents) == 1


def test_each_merchant_ship_hit_is_an_attack_of_its_own_at_the_sea_the_story_names():
    text = (
        "Houthi forces fired ballistic missiles at three commercial ships in the southern Red Sea on Sunday.\n"
        "The Bahamas-flagged bulk carrier Unity Explorer was struck by a missile that caused minor damage. "
        "About five hours later the Panama-flagged Number 9 was hit, and the Panama-flagged Sophie II "
        "was hit shortly afterwards."
    )
    ex = sitrep.extract(text, published=date(2023, 12, 4))
    assert sorted(i.target.name for i in ex.incidents) == [
        "Number 9",
        "Sophie II",
        "Unity Explorer",
    ]
    assert {(i.place.name, i.date.start) for i in ex.incidents} == {("Red Sea", date(2023, 12, 3))}


def test_a_ship_attacked_in_a_sea_is_placed_there_and_warships_are_no_merchant_ships():
    text = "On 21 August the Greek-flagged oil tanker Sounion was attacked in the Red Sea west of Hodeidah."
    ex = sitrep.extract(text, published=date(2024, 8, 31))
    assert [(i.place.name, i.target.name) for i in ex.incidents] == [("Red Sea", "Sounion")]
    text = "The destroyer USS Carney shot down three drones over the Red Sea on Sunday."
    ex = sitrep.extract(text, published=date(2023, 12, 4))
    assert all(i.target is None or i.target.name != "Carney" for i in ex.incidents)


def test_a_capital_that_speaks_is_a_government_and_common_words_are_no_towns():
    text = (
        "Gunmen killed 26 tourists near Pahalgam in Kashmir on Tuesday afternoon. "
        "New Delhi blamed Islamabad, and Islamabad denied any role. More than 20 people were wounded."
    )
    ex = sitrep.extract(text, published=date(2025, 4, 24))
    assert [i.place.name for i in ex.incidents] == ["Pahalgam"]


def test_the_place_a_sentence_puts_the_attack_at_wins_over_one_it_only_names():
    text = (
        "A suicide bomber rammed a car into a convoy near Besham in northern Pakistan on Tuesday, "
        "killing five Chinese engineers working on the Dasu hydropower project."
    )
    ex = sitrep.extract(text, published=date(2024, 3, 27))
    assert [i.place.name for i in ex.incidents] == ["Besham"]


def test_a_name_with_an_arabic_article_and_where_a_launcher_was_found():
    found = {
        n for n, *_ in tags("An airstrike hit the al-Tabi'in school in Gaza City on Saturday.")
    }
    assert "al-Tabi'in school" in found
    text = (
        "Rockets struck Ain al-Asad air base on Wednesday. They were fired from a truck later "
        "found near the town of al-Baghdadi."
    )
    ex = sitrep.extract(text, published=date(2021, 7, 8))
    assert len(ex.incidents) == 1


def test_deaths_no_attack_caused_a_route_and_a_based_in_are_no_incidents():
    text = "In 2015, a heatwave in Karachi killed more than 1,200 people, most of them elderly."
    assert sitrep.extract(text, published=date(2024, 6, 26)).incidents == []
    text = "About three hours after the quake on Friday, a military aircraft bombed a village in Shan state, killing seven."
    assert len(sitrep.extract(text, published=date(2025, 3, 30)).incidents) == 1
    text = (
        "The Boeing 777, flying from Amsterdam to Kuala Lumpur, was shot down on July 17, 2014, "
        "by a missile, killing all 298 people on board."
    )
    assert "Kuala Lumpur" not in [
        i.place.name for i in sitrep.extract(text, published=date(2022, 11, 17)).incidents
    ]
    text = "Violence killed 2,546 people in Pakistan in 2024, the Islamabad-based Centre for Research said on Tuesday."
    assert "Islamabad" not in [
        i.place.name for i in sitrep.extract(text, published=date(2025, 1, 2)).incidents
    ]


def test_a_town_named_like_a_country():
    found = {
        (n, c)
        for n, c, _a, _k in tags(
            "A truck bomb exploded at the base in Puerto Jordán, Arauca, Colombia."
        )
    }
    assert ("Puerto Jordán", "CO") in found and ("Jordan", "JO") not in found


def test_a_region_stem_is_not_vouched_away_by_a_big_foreign_namesake():
    assert tags("Fighting in northern Shan, Myanmar.")[0][:2] == ("northern Shan State", "MM")
    assert [(n, c) for n, c, _a, _k in tags("Rebels overran a town in Shan on Friday.")] == [
        ("Shan State", "MM")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Militants stormed a checkpoint in the Makeen area of South Waziristan.",
            ("Makeen", "PK", "admin2"),
        ),
        (
            "Warplanes bombed villages in the Barmal district of Afghanistan's Paktika province.",
            ("Barmal", "AF", "admin2"),
        ),
        (
            "An aircraft bombed a village in Naungcho township in northern Shan state.",
            ("Naungcho", "MM", "admin2"),
        ),
        (
            "The deadliest attack came on August 24 at Barsalogho in Burkina Faso.",
            ("Barsalogho", "BF", "city"),
        ),
    ],
)
def test_areas_districts_and_towns_a_report_locates(text, expected):
    assert expected in {(n, c, k) for n, c, _a, k in tags(text)}


def test_a_district_named_in_a_city_story_is_the_same_attack_and_a_controlled_detonation_none():
    text = (
        "An Israeli air strike hit a building in Beirut's southern suburbs late Tuesday, killing a commander. "
        "Lebanon's health ministry said at least five people were killed in the strike in the Haret Hreik district."
    )
    assert len(sitrep.extract(text, published=date(2024, 7, 31)).incidents) == 1
    text = "An explosion heard in the Hodan district this afternoon was a controlled detonation of a suspect device."
    assert sitrep.extract(text, published=date(2024, 8, 3)).incidents == []


def test_an_attack_at_sea_stays_at_sea_and_two_sites_in_one_town_are_one_attack():
    text = (
        "A Houthi anti-ship ballistic missile struck the bulk carrier True Confidence in the Gulf of Aden "
        "on Wednesday. The ship was hit about 50 nautical miles off Aden, and the crew abandoned it near Aden."
    )
    ex = sitrep.extract(text, published=date(2024, 3, 7))
    assert [i.place.name for i in ex.incidents] == ["Gulf of Aden"]
    text = (
        "A suicide bomber blew himself up at the Beach View restaurant in Mogadishu late Friday. "
        "The suicide bombing on Mogadishu's Lido Beach killed 32 people, police said."
    )
    assert len(sitrep.extract(text, published=date(2024, 8, 3)).incidents) == 1


def test_indian_states_and_warship_names():
    assert ("Manipur", "IN", "admin1") in {
        (n, c, k) for n, c, _a, k in tags("Violence in Manipur has killed 200 since May.")
    }
    text = "A Houthi missile was fired at the destroyer USS Carney in the Gulf of Aden on Friday; it was shot down."
    assert [i.place.name for i in sitrep.extract(text, published=date(2024, 1, 27)).incidents] == [
        "Gulf of Aden"
    ]


def test_a_military_post_at_an_unknown_place_names_that_place():
    found = tags(
        "Fighters overran an army camp at Boulkessi in Mali on Monday and attacked a position at Mondoro."
    )
    assert [(name, country) for name, country, *_ in found if name in ("Boulkessi", "Mondoro")] == [
        ("Boulkessi", "ML"),
        ("Mondoro", "ML"),
    ]


def test_at_sea_the_coast_a_ship_was_off_only_locates_it():
    found = sitrep.extract(
        "On Monday, gunmen in skiffs attacked the bulk carrier Eternity C in the Red Sea off Hodeidah, sinking it.",
        published=date(2025, 7, 10),
    ).incidents
    assert [i.place.name for i in found] == ["Red Sea"]


def test_a_warship_named_earlier_is_no_place_later():
    found = sitrep.extract(
        "The USS Carney was on patrol in the northern Red Sea on Sunday.\n\n"
        "The Carney shot down three drones launched from Yemen on Sunday evening, the Pentagon said.",
        published=date(2023, 10, 20),
    ).incidents
    assert all(i.place.name != "Carney" for i in found)
