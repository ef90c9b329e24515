"""The actor tagger and its lexicon (src/sitrep/extract/actors.py, lexicon/actors.yaml)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.errors import LexiconError
from sitrep.extract.actors import (
    Actor,
    ActorMention,
    _lexicon,
    actor_by_id,
    find_actors,
    resolve_actor,
)
from sitrep.model import ACTOR_KINDS

ROOT = Path(__file__).resolve().parents[2]


def tagged(text: str, on: date | None = None) -> list[tuple[str, str]]:
    return [(m.text, m.actor_id) for m in find_actors(text, on)]


# --- the lexicon honours docs/gold.md ------------------------------------------------
def gold_table() -> list[tuple[str, str]]:
    section = (ROOT / "docs" / "gold.md").read_text(encoding="utf-8").split("## Actor ids")[1]
    return re.findall(r"^\| `([a-z_]+)` \|[^|]*\| (\w+) \|$", section, flags=re.M)


def test_gold_table_is_read():
    assert len(gold_table()) >= 20


@pytest.mark.parametrize("actor_id, kind", gold_table())
def test_every_gold_id_exists_with_its_kind(actor_id, kind):
    actor = actor_by_id(actor_id)
    assert actor is not None, actor_id
    assert actor.kind == kind


def test_lexicon_is_well_formed():
    actors = _lexicon().actors
    assert len(actors) >= 50
    for actor in actors.values():
        assert isinstance(actor, Actor)
        assert actor.kind in ACTOR_KINDS
        assert actor.country is None or re.fullmatch(r"[A-Z]{2}", actor.country)
        assert actor.parent is None or actor.parent in actors
        assert actor.aliases, actor.id


def test_every_alias_tags_its_own_actor():
    for actor in _lexicon().actors.values():
        for alias in actor.aliases:
            found = find_actors(alias)
            assert [(m.start, m.end, m.actor_id) for m in found] == [(0, len(alias), actor.id)], (
                alias
            )


def test_actor_by_id():
    qassam = actor_by_id("qassam_brigades")
    assert qassam is not None and qassam.parent == "hamas"
    dod = actor_by_id("us_dod")
    assert dod is not None and dod.kind == "government" and dod.parent == "us_government"
    assert actor_by_id("no_such_actor") is None


# --- realistic sentences -------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The Pentagon said US personnel suffered minor injuries when Iran-backed "
            "militias targeted the base.",
            [
                ("Pentagon", "us_dod"),
                ("US personnel", "us_forces"),
                ("Iran-backed militias", "iran_backed_militias"),
            ],
        ),
        (
            "Since mid-October, U.S. and coalition forces have come under fire more "
            "than 60 times, a CENTCOM spokesman told reporters.",
            [("U.S. and coalition forces", "us_forces"), ("CENTCOM", "centcom")],
        ),
        (
            "American troops and Iraqi Security Forces patrolled the road together "
            "while the coalition provided air cover.",
            [
                ("American troops", "us_forces"),
                ("Iraqi Security Forces", "isf"),
                ("coalition", "coalition"),
            ],
        ),
        (
            "A statement from the Islamic Resistance in Iraq said its fighters had "
            "struck the garrison, and Kataib Hezbollah later announced a pause.",
            [
                ("Islamic Resistance in Iraq", "islamic_resistance_iraq"),
                ("fighters", "generic_militants"),
                ("Kataib Hezbollah", "kataib_hezbollah"),
            ],
        ),
        (
            "Iran-backed Kata'ib Sayyid al-Shuhada and Asa'ib Ahl al-Haq both belong "
            "to the Popular Mobilisation Forces, the PMF.",
            [
                ("Kata'ib Sayyid al-Shuhada", "kataib_sayyid_al_shuhada"),
                ("Asa'ib Ahl al-Haq", "asaib_ahl_al_haq"),
                ("Popular Mobilisation Forces", "pmf"),
                ("PMF", "pmf"),
            ],
        ),
        (
            "Moscow's forces pressed toward the town as Ukrainian troops withdrew; "
            "Russian troops were later seen at the bridge.",
            [
                ("Moscow's forces", "russia_forces"),
                ("Ukrainian troops", "ukraine_forces"),
                ("Russian troops", "russia_forces"),
            ],
        ),
        (
            "The Qassam Brigades, Hamas's armed wing, and Palestinian Islamic Jihad "
            "fired at Israeli soldiers.",
            [
                ("Qassam Brigades", "qassam_brigades"),
                ("Hamas's armed wing", "qassam_brigades"),
                ("Palestinian Islamic Jihad", "pij"),
                ("Israeli soldiers", "idf"),
            ],
        ),
        (
            "The Pakistani Taliban, or TTP, denied involvement; the army blamed the BLA "
            "for the attack on Pakistani security forces.",
            [
                ("Pakistani Taliban", "ttp"),
                ("TTP", "ttp"),
                ("BLA", "bla"),
                ("Pakistani security forces", "pakistan_forces"),
            ],
        ),
        (
            "ISWAP and Boko Haram fighters clashed with Nigerian troops near the lake.",
            [
                ("ISWAP", "iswap"),
                ("Boko Haram fighters", "boko_haram"),
                ("Nigerian troops", "nigeria_forces"),
            ],
        ),
        (
            "Al-Shabaab claimed the ambush on the Somali National Army and ATMIS troops.",
            [
                ("Al-Shabaab", "al_shabaab"),
                ("Somali National Army", "somalia_forces"),
                ("ATMIS troops", "au_mission_somalia"),
            ],
        ),
        (
            "Analysts link JNIM to al-Qaeda, while ISIS-K competes with the Taliban "
            "and Wagner operates in the Sahel.",
            [
                ("JNIM", "jnim"),
                ("al-Qaeda", "al_qaeda"),
                ("ISIS-K", "isis_k"),
                ("Taliban", "taliban"),
                ("Wagner", "wagner"),
            ],
        ),
        (
            "The White House said the Houthis, also called Ansar Allah, fired on "
            "shipping; AQAP made no comment.",
            [
                ("White House", "white_house"),
                ("Houthis", "houthis"),
                ("Ansar Allah", "houthis"),
                ("AQAP", "aqap"),
            ],
        ),
        (
            "Unknown assailants shot two passers-by; unidentified gunmen fled and "
            "civilians took cover.",
            [
                ("Unknown assailants", "unidentified"),
                ("passers-by", "civilians"),
                ("unidentified gunmen", "unidentified"),
                ("civilians", "civilians"),
            ],
        ),
    ],
)
def test_realistic_sentences(text, expected):
    assert tagged(text) == expected


def test_mentions_carry_the_actor():
    (m,) = find_actors("Hezbollah fired at the border.")
    assert m == ActorMention(
        0, 9, "Hezbollah", "hezbollah", "Hezbollah", "non_state_armed_group", "LB", False
    )


def test_us_forces_aliases():
    for phrase in [
        "US forces",
        "U.S. troops",
        "American service members",
        "US servicemembers",
        "U.S. personnel",
        "American soldiers",
        "US sailors",
        "U.S. Marines",
        "US and coalition forces",
    ]:
        assert tagged(f"Officials said {phrase} were unhurt.") == [(phrase, "us_forces")]


def test_acronyms_are_case_sensitive():
    assert tagged("let us forces be with you") == [("forces", "generic_forces")]
    assert tagged("the pmf and the isf") == []
    assert tagged("the PMF and the ISF") == [("PMF", "pmf"), ("ISF", "isf")]
    assert tagged("al qaeda and AL-QAEDA") == [("al qaeda", "al_qaeda"), ("AL-QAEDA", "al_qaeda")]


def test_whole_words_only():
    assert tagged("Hamasville and PMFs and KHAN") == []


def test_iran_backed_before_a_named_group_is_not_iran():
    assert tagged("Iran-backed Houthi rebels") == [("Houthi rebels", "houthis")]
    assert tagged("Iran denied it") == [("Iran", "iran")]


def test_a_nationality_before_a_weapon_names_the_attacker():
    assert tagged("Russian missiles struck Kyiv; a US drone strike hit a car.") == [
        ("Russian missiles", "russia_forces"),
        ("US drone strike", "us_forces"),
    ]
    assert tagged("Israeli strikes and Iranian drones") == [
        ("Israeli strikes", "idf"),
        ("Iranian drones", "iran"),
    ]
    assert tagged("a wave of anti-US attacks") == []


def test_excluded_phrases_name_no_actor():
    assert tagged("The Washington Post reported it.") == []
    assert tagged("The parties joined forces.") == []


# --- names valid over time -----------------------------------------------------------
def test_alias_valid_from_is_not_matched_earlier():
    text = "The Islamic Resistance in Iraq claimed the attack."
    assert tagged(text, on=date(2024, 1, 28)) == [
        ("Islamic Resistance in Iraq", "islamic_resistance_iraq")
    ]
    assert tagged(text, on=date(2022, 6, 1)) == []
    assert tagged(text) == [("Islamic Resistance in Iraq", "islamic_resistance_iraq")]


def test_renamed_actor_keeps_its_old_name():
    assert tagged("Nusra Front fighters", on=date(2020, 1, 1))[0][1] == "hts"
    assert tagged("HTS", on=date(2016, 1, 1)) == []
    assert tagged("HTS", on=date(2018, 1, 1)) == [("HTS", "hts")]
    assert tagged("ATMIS", on=date(2021, 1, 1)) == []
    assert tagged("AMISOM", on=date(2021, 1, 1)) == [("AMISOM", "au_mission_somalia")]


def test_alias_with_two_validity_windows():
    text = "the Department of War"
    assert tagged(text, on=date(1940, 1, 1)) == [("Department of War", "us_dod")]
    assert tagged(text, on=date(1990, 1, 1)) == []
    assert tagged(text, on=date(2025, 10, 1)) == [("Department of War", "us_dod")]


def test_an_invalid_long_alias_lets_a_shorter_one_win():
    # "Islamic State of Iraq and Syria" did not exist in 2010; "Islamic State of Iraq" did.
    assert tagged("the Islamic State of Iraq and Syria", on=date(2010, 1, 1)) == [
        ("Islamic State of Iraq", "isis")
    ]


# --- "IDF": the Israeli military or indirect fire ------------------------------------
@pytest.mark.parametrize(
    "text, is_actor",
    [
        ("The IDF said its jets struck a launch site in southern Lebanon.", True),
        ("IDF troops entered the camp.", True),
        ("An IDF spokesman declined to comment.", True),
        ("IDF attacks in Gaza killed dozens, the health ministry said.", True),
        ("Hamas fired rockets, and IDF responded within minutes.", True),
        ("Personnel were injured by rocket, mortar, IDF, and one-way UAS attacks.", False),
        ("The base took rockets and IDF overnight.", False),
        ("A brief IDF attack on Al-Asad Airbase caused no injuries.", False),
        ("The garrison reported IDF/UAS activity.", False),
        ("IDF rounds landed near the airfield in Erbil.", False),
    ],
)
def test_idf_is_an_actor_unless_indirect_fire(text, is_actor):
    ids = [m.actor_id for m in find_actors(text)]
    assert ("idf" in ids) is is_actor


# --- generic words -------------------------------------------------------------------
@pytest.mark.parametrize(
    "word", ["troops", "service members", "personnel", "forces", "soldiers", "police"]
)
def test_generic_words_need_context(word):
    (m,) = find_actors(f"Several {word} were evacuated after the blast.")
    assert m.generic is True and m.actor_id == "generic_forces" and m.country is None
    assert m.text == word


def test_nationality_makes_a_generic_word_specific():
    (m,) = find_actors("Several American personnel were evacuated.")
    assert m.generic is False and m.actor_id == "us_forces" and m.country == "US"


def test_generic_militants():
    (m,) = find_actors("Militants attacked the checkpoint.")
    assert (m.actor_id, m.kind, m.generic) == ("generic_militants", "non_state_armed_group", True)


# --- resolve_actor on free phrases ---------------------------------------------------
@pytest.mark.parametrize(
    "phrase, actor_id",
    [
        ("US and coalition forces", "us_forces"),
        ("American troops", "us_forces"),
        ("the Pentagon", "us_dod"),
        ("U.S. Service Members", "us_forces"),
        ("US personel", "us_forces"),  # a typo: ratio >= 90
        ("Iraqi Security Force", "isf"),
        ("Pentagon press secretary Maj. Gen. Pat Ryder", "us_dod"),
        ("Ukrainian civilians", "civilians"),
        ("the coalition", "coalition"),
        ("troops", "generic_forces"),
        ("unknown assailants", "unidentified"),
    ],
)
def test_resolve_actor(phrase, actor_id):
    actor = resolve_actor(phrase)
    assert actor is not None and actor.id == actor_id


def test_resolve_actor_finds_nothing():
    assert resolve_actor("") is None
    assert resolve_actor("the weather in spring") is None


def test_resolve_actor_honours_dates():
    assert resolve_actor("Islamic Resistance in Iraq", on=date(2024, 2, 1)).id == (
        "islamic_resistance_iraq"
    )
    assert resolve_actor("Islamic Resistance in Iraq", on=date(2021, 2, 1)) is None


# --- lexicon files: user extensions and schema errors --------------------------------
HEADER = 'provenance: {source: test, date: "2026-01-01", licence: CC0}\nentries:\n'


def user_lexicon(tmp_path, monkeypatch, body: str) -> None:
    (tmp_path / "actors.yaml").write_text(HEADER + body, encoding="utf-8")
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))


def test_user_file_adds_actors_and_aliases(tmp_path, monkeypatch):
    user_lexicon(
        tmp_path,
        monkeypatch,
        "  - {id: ruritania_forces, name: Ruritanian army, kind: state_military,"
        " country: RU, aliases: [Ruritanian army]}\n"
        "  - {id: us_forces, aliases: [Uncle Sam's soldiers]}\n",
    )
    assert tagged("The Ruritanian army met Uncle Sam's soldiers.") == [
        ("Ruritanian army", "ruritania_forces"),
        ("Uncle Sam's soldiers", "us_forces"),
    ]
    assert actor_by_id("us_forces").kind == "state_military"  # the shipped fields stay


@pytest.mark.parametrize(
    "body, message",
    [
        ("  - {id: x, name: X, kind: warlord}\n", "unknown actor kind"),
        ("  - {id: Bad-Id, name: X, kind: civilians}\n", "id"),
        ("  - {id: x, name: X, kind: civilians, colour: red}\n", "colour"),
        ("  - {id: x, name: X, kind: civilians, parent: nobody}\n", "unknown parent"),
        ("  - {id: x, kind: civilians}\n", "needs a name and a kind"),
        (
            "  - {id: x, name: X, kind: civilians, aliases: "
            "[{name: Y, valid_from: 2024-01-01, valid_to: 2023-01-01}]}\n",
            "valid_from is after valid_to",
        ),
        ("  - {id: x, name: X, kind: civilians, aliases: [Hezbollah]}\n", "names both"),
        ("  - {id: x, name: X, kind: civilians, exclude: [Hamas]}\n", "is excluded"),
    ],
)
def test_schema_errors_are_one_line(tmp_path, monkeypatch, body, message):
    user_lexicon(tmp_path, monkeypatch, body)
    with pytest.raises(LexiconError) as err:
        find_actors("anything")
    assert message in str(err.value)
    assert "\n" not in str(err.value) and "actors.yaml" in str(err.value)


# --- properties ----------------------------------------------------------------------
WORDS = [
    "US",
    "U.S.",
    "forces",
    "troops",
    "IDF",
    "rockets",
    "and",
    ",",
    "the",
    "Iran-backed",
    "militias",
    "Hamas",
    "İstanbul",
    "ISIS-K",
    "K",
    "coalition",
    "Pentagon",
    "Moscow's",
    "’s",
    "—",
    "\n",
    "Kataib",
    "Hezbollah",
    "attacks",
    "Israeli",
    "Gaza",
    "Islamic",
    "State",
    "of",
    "Iraq",
    "Resistance",
    "in",
    "al-Qaeda",
    "ﬁ",
    "ß",
]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.dates()))
def test_random_text_never_raises(text, on):
    check_mentions(text, find_actors(text, on))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from([" ", "", "-"]))
def test_dense_text_gives_valid_mentions(words, sep):
    text = sep.join(words)
    check_mentions(text, find_actors(text))


def check_mentions(text: str, mentions: list[ActorMention]) -> None:
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.kind in ACTOR_KINDS
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start


def test_actors_of_more_theatres():
    found = [
        (a.text, a.actor_id)
        for a in find_actors(
            "ELN guerrillas, the Jalisco New Generation Cartel, Jaish-e-Mohammed, The Resistance Front, "
            "Viv Ansanm and the Indian Army",
            on=date(2025, 5, 1),
        )
    ]
    assert [i for _, i in found] == ["eln", "cjng", "jem", "trf", "viv_ansanm", "india_forces"]


def test_a_group_named_as_a_descriptor_is_not_the_actor():
    found = [
        a.actor_id
        for a in find_actors("Fighters of the al-Qaeda-linked group JNIM attacked the base.")
    ]
    assert "al_qaeda" not in found and "jnim" in found


def test_an_aircraft_only_the_us_flies_names_us_forces():
    found = find_actors("An AC-130 gunship fired on the launch vehicle within minutes.")
    assert [a.actor_id for a in found] == ["us_forces"]
