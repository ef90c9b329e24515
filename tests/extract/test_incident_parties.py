"""Who an attack hit when the report names no target: the people its casualty figures
count (src/sitrep/extract/incidents.py, _default_target)."""

from __future__ import annotations

from datetime import date

import sitrep


def target_of(text: str):
    found = sitrep.extract(text, published=date(2024, 5, 6)).incidents
    assert len(found) == 1
    return found[0].target


def test_people_killed_make_civilians_the_target_even_with_no_attacker_named():
    text = "A missile hit a crowded cafe in the centre of Kharkiv on Sunday evening, killing at least nine people."
    target = target_of(text)
    assert target is not None and target.id == "civilians"


def test_the_noun_after_the_figure_decides():
    text = "A roadside bomb struck a convoy near Jamrud on Sunday, killing six soldiers, officials said."
    target = target_of(text)
    assert target is None or target.id != "civilians"


def test_people_among_them_soldiers_are_not_civilians():
    text = "A suicide bomber struck a checkpoint in Bannu on Sunday, killing seven people, including four policemen."
    target = target_of(text)
    assert target is None or target.id != "civilians"


def test_a_civilian_site_hit_makes_civilians_the_target():
    text = "A Russian drone tore into a nine-storey apartment block in Odesa on Saturday, officials said."
    target = target_of(text)
    assert target is not None and target.id == "civilians"


def test_a_site_near_soldiers_or_the_hospital_the_wounded_reached_is_no_civilian_target():
    for text in (
        "Gunmen attacked the gendarmerie school in Bamako on Tuesday, officials said.",
        "Gunmen stormed a television studio in Guayaquil on Tuesday; two staff were taken to hospital.",
    ):
        target = target_of(text)
        assert target is None or target.id != "civilians", text


def test_a_named_target_is_kept():
    text = "Rockets hit Erbil Air Base on Sunday, injuring three people, a US official said."
    target = target_of(text)
    assert target is not None and target.id != "civilians"


def attackers(text: str):
    return [
        i.attacker.id if i.attacker else None
        for i in sitrep.extract(text, published=date(2024, 5, 6)).incidents
    ]


def test_a_state_as_the_subject_of_an_attack_verb_is_its_forces():
    assert attackers("Russia fired 38 missiles at Kyiv on Sunday morning, the air force said.") == [
        "russia_forces"
    ]


def test_a_nationality_before_a_named_weapon_is_the_attacker():
    text = "A Russian Iskander missile hit a shopping centre in Kramatorsk on Sunday, killing four people."
    assert attackers(text) == ["russia_forces"]


def test_the_group_a_state_backs_is_not_the_state():
    text = "Militants backed by Iran fired rockets at Al-Asad Airbase on Sunday evening, officials said."
    assert "iran" not in attackers(text)


def test_one_side_named_once_is_the_attacker_of_every_attack_the_report_tells():
    text = (
        "Russian missiles hit Kharkiv on Sunday morning, killing three people, the governor said.\n\n"
        "In Dnipro, a drone struck an office building on Sunday evening, wounding two people."
    )
    assert attackers(text) == ["russia_forces", "russia_forces"]


def test_with_two_sides_named_an_unattributed_attack_stays_open():
    text = (
        "Russian missiles hit Kharkiv on Sunday morning, killing three people, the governor said.\n\n"
        "Ukrainian drones struck an oil depot in Bryansk on Sunday, officials there said.\n\n"
        "In Dnipro, a drone struck an office building on Sunday evening, wounding two people."
    )
    found = attackers(text)
    assert found[:2] == ["russia_forces", "ukraine_forces"] and found[2] is None


def test_an_army_strike_is_by_the_forces_of_the_country_it_fell_in():
    text = "In December, an army drone strike killed 85 villagers at a festival in Kaduna, officials said."
    found = sitrep.extract(text, published=date(2024, 1, 10)).incidents
    assert [(i.attacker.id if i.attacker else None, i.attack_modes) for i in found] == [
        ("nigeria_forces", ["uas_armed"])
    ]


def test_the_speaker_is_not_the_attacker():
    text = "CENTCOM said Houthi forces fired two anti-ship missiles at the tanker in the Gulf of Aden on Sunday."
    assert "centcom" not in attackers(text)


def test_a_speaker_that_says_it_struck_is_the_attacker():
    text = "US Central Command said it struck a drone launch site near Hodeidah on Sunday."
    assert attackers(text) == ["centcom"]


def test_forces_that_were_attacked_are_the_target():
    found = sitrep.extract(
        "U.S. and coalition forces at Al-Asad Air Base were attacked with two rockets on Sunday.",
        published=date(2024, 5, 6),
    ).incidents
    assert [(i.attacker, i.target.id if i.target else None) for i in found] == [(None, "us_forces")]


def test_a_ship_named_with_its_prefix_is_the_target():
    found = sitrep.extract(
        "Houthi forces fired a missile at M/V MSC Sky II in the Gulf of Aden on Monday, causing damage.",
        published=date(2024, 3, 8),
    ).incidents
    assert [(i.target.name, i.target.kind) for i in found] == [("MSC Sky II", "civilians")]


def test_fire_rubble_and_sinking_are_damage():
    for text in (
        "A missile hit a shopping centre in Kharkiv on Sunday, starting a fire, the governor said.",
        "A drone boat struck the bulk carrier Tutor in the Red Sea on Sunday; the ship sank days later.",
    ):
        found = sitrep.extract(text, published=date(2024, 6, 20)).incidents
        assert found and "damage" in found[0].outcome, text


def attacker_of(text: str):
    found = sitrep.extract(text, published=date(2024, 1, 15)).incidents
    assert len(found) == 1
    return found[0].attacker


def test_who_launched_the_weapons_attacked_and_who_shot_them_down_defended():
    text = (
        "The US Navy destroyer USS Carney shot down three cruise missiles and several drones "
        "launched by Houthi forces in Yemen on Thursday."
    )
    attacker = attacker_of(text)
    assert attacker is not None and attacker.id == "houthis"


def test_soldiers_killed_when_a_drone_struck_are_its_target_not_its_attacker():
    text = (
        "Three US Army soldiers were killed and at least 34 other service members were injured "
        "when a one-way attack drone struck a small US outpost in northeastern Jordan on Sunday."
    )
    found = sitrep.extract(text, published=date(2024, 1, 29)).incidents
    assert len(found) == 1
    assert found[0].attacker is None or found[0].attacker.id != "us_forces"
    assert found[0].target is not None and found[0].target.id == "us_forces"


def test_the_enemy_of_a_ukrainian_statement_is_russia():
    text = (
        "On the night of 26 August the enemy carried out a massive combined strike on Ukraine. "
        "Missiles hit energy facilities in Kyiv."
    )
    found = sitrep.extract(text, published=date(2024, 8, 26)).incidents
    assert found and all(m.attacker is not None and m.attacker.id == "russia_forces" for m in found)
