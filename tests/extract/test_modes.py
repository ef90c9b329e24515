"""The attack-mode tagger, its lexicon, and the shared phrase matcher."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sitrep
from sitrep.errors import LexiconError
from sitrep.extract.actors import find_actors
from sitrep.extract.modes import (
    ACLED_SUB_EVENTS,
    GTD_WEAPON_TYPES,
    ModeEntry,
    ModeMention,
    acled_sub_event,
    find_modes,
    gtd_weapon,
)
from sitrep.extract.phrases import BLOCK, PhraseMatcher, expand, normalise
from sitrep.lexicons import load_entries
from sitrep.model import ATTACK_MODES


def modes(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.mode) for m in find_modes(text)]


# --- the report that started the project ---------------------------------------------
def test_a_list_of_four_modes():
    text = (
        "Most of the injuries were concussions from rocket, mortar, indirect fire, "
        "one-way UAS attacks carrying 8 to 50 kg of explosives."
    )
    found = find_modes(text)
    assert [m.mode for m in found] == ["rocket", "mortar", "indirect_fire", "uas_one_way"]
    assert [m.weapon for m in found] == ["rocket", "mortar", "indirect fire", "one-way uas"]
    assert all(m.attack for m in found)


def test_rocket_propelled_grenade_is_not_a_rocket():
    assert modes("A rocket-propelled grenade hit the truck.") == [
        ("rocket-propelled grenade", "rpg_atgm")
    ]
    assert modes("Fighters fired RPGs and a rocket propelled grenade.") == [
        ("RPGs", "rpg_atgm"),
        ("rocket propelled grenade", "rpg_atgm"),
    ]


# --- realistic sentences -------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Three Katyusha rockets landed inside the embassy compound overnight.",
            [("Katyusha rockets", "rocket")],
        ),
        (
            "The garrison was hit by two 107mm rockets and later by 107-mm rockets again.",
            [("107mm rockets", "rocket"), ("107-mm rockets", "rocket")],
        ),
        ("Guards heard mortar rounds fall short of the perimeter.", [("mortar rounds", "mortar")]),
        # drones that drop bombs are armed drones, not one-way drones beside an IED
        (
            "Militants fired from the hills, using drones to drop bombs on houses.",
            [("drones to drop bombs", "uas_armed")],
        ),
        (
            "Another drone dropped explosives on the village.",
            [("drone dropped explosives", "uas_armed")],
        ),
        (
            "Heavy shelling and artillery fire continued along the front line.",
            [("Heavy shelling", "artillery"), ("artillery fire", "artillery")],
        ),
        ("An IDF attack struck the airfield; no one was hurt.", [("IDF attack", "indirect_fire")]),
        (
            "A one-way attack drone crashed into the barracks.",
            [("one-way attack drone", "uas_one_way")],
        ),
        (
            "Officials counted OWA UAS, kamikaze drones and a loitering munition.",
            [
                ("OWA UAS", "uas_one_way"),
                ("kamikaze drones", "uas_one_way"),
                ("loitering munition", "uas_one_way"),
            ],
        ),
        (
            "Russia launched dozens of Shahed drones and two Kh-101 cruise missiles at the city.",
            [
                ("Shahed drones", "uas_one_way"),
                ("Kh-101", "cruise_missile"),
                ("cruise missiles", "cruise_missile"),
            ],
        ),
        ("A drone attack on the base caused minor damage.", [("drone attack", "uas_one_way")]),
        (
            "A US drone strike killed a commander; an MQ-9 strike followed days later.",
            [("drone strike", "uas_armed"), ("MQ-9 strike", "uas_armed")],
        ),
        (
            "The city was targeted with a short-range ballistic missile and an Iskander.",
            [
                ("short-range ballistic missile", "ballistic_missile"),
                ("Iskander", "ballistic_missile"),
            ],
        ),
        (
            "A Kalibr was shot down; a missile hit a warehouse.",
            [("Kalibr", "cruise_missile"), ("missile", "missile")],
        ),
        (
            "A roadside bomb and an improvised explosive device were found along the route.",
            [("roadside bomb", "ied"), ("improvised explosive device", "ied")],
        ),
        (
            "A car bomb, a VBIED and a truck bomb went off in one week.",
            [("car bomb", "vbied"), ("VBIED", "vbied"), ("truck bomb", "vbied")],
        ),
        (
            "A suicide bomber wearing a suicide vest carried out the suicide attack.",
            [
                ("suicide bomber", "suicide_bombing"),
                ("suicide vest", "suicide_bombing"),
                ("suicide attack", "suicide_bombing"),
            ],
        ),
        (
            "Gunmen opened fire on the bus, and small-arms fire was heard for an hour.",
            [
                ("Gunmen", "small_arms"),
                ("opened fire", "small_arms"),
                ("small-arms fire", "small_arms"),
            ],
        ),
        (
            "An anti-tank guided missile, an ATGM, hit the vehicle.",
            [("anti-tank guided missile", "rpg_atgm"), ("ATGM", "rpg_atgm")],
        ),
        (
            "Warplanes bombed the depot after an air strike and an airstrike the day before.",
            [
                ("Warplanes bombed", "airstrike"),
                ("air strike", "airstrike"),
                ("airstrike", "airstrike"),
            ],
        ),
        (
            "Militants stormed the post in a raid; another convoy was ambushed.",
            [
                ("stormed", "ground_assault"),
                ("raid", "ground_assault"),
                ("ambushed", "ground_assault"),
            ],
        ),
        ("An air raid hit the market.", [("air raid", "airstrike")]),
        ("A hand grenade was thrown at the gate.", [("hand grenade", "other")]),
    ],
)
def test_realistic_sentences(text, expected):
    assert modes(text) == expected


def test_weapon_words_as_written_lower_cased():
    (m,) = find_modes("Two Katyusha Rockets fell.")
    assert m == ModeMention(4, 20, "Katyusha Rockets", "rocket", "katyusha rockets", True)
    assert [m.weapon for m in find_modes("rocket attacks and a suicide attack")] == [
        "rocket",
        "suicide attack",
    ]


def test_hyphen_and_space_variants():
    for text in [
        "one-way attack drone",
        "one way attack drone",
        "One-Way Attack Drones",
        "one‑way attack drone",
        "one\nway attack drone",
    ]:
        assert [m.mode for m in find_modes(text)] == ["uas_one_way"], text
    assert modes("an air-strike") == [("air-strike", "airstrike")]


def test_acronyms_are_case_sensitive():
    assert modes("the ied and the rpg and the uas") == []
    assert modes("IEDs and RPGs") == [("IEDs", "ied"), ("RPGs", "rpg_atgm")]


def test_whole_words_only():
    assert modes("He was afraid, she tried; the bombers' bombshell.") == []


def test_excluded_phrases_name_no_weapon():
    assert modes("The guided-missile destroyer sailed on.") == []
    assert modes("Rocket science aside, the shooting down of drones matters.") == [
        ("drones", "uas_one_way")
    ]


# --- attack or weapon only -----------------------------------------------------------
@pytest.mark.parametrize(
    "text, attack",
    [
        ("Two rockets struck the base.", True),
        ("A surveillance drone circled overhead.", False),
        ("Police seized a cache of 107mm rockets.", False),
        ("Tehran supplied Moscow with Shahed drones.", False),
        ("The drone factory was expanded.", False),
        ("The country test-fired a ballistic missile.", False),
        ("Troops found a rocket launcher.", False),
        ("Police seized weapons; rockets later hit the base.", True),
    ],
)
def test_attack_flag(text, attack):
    found = find_modes(text)
    assert found and found[-1].attack is attack


# --- IDF: one reading per occurrence -------------------------------------------------
IDF_SENTENCES = [
    "The IDF said its jets struck a launch site in southern Lebanon.",
    "IDF troops entered the camp.",
    "IDF attacks in Gaza killed dozens, the health ministry said.",
    "Personnel were injured by rocket, mortar, IDF, and one-way UAS attacks.",
    "The base took rockets and IDF overnight.",
    "A brief IDF attack on Al-Asad Airbase caused no injuries.",
    "The garrison reported IDF/UAS activity.",
    "Hamas fired rockets, and IDF responded within minutes.",
]


@pytest.mark.parametrize("text", IDF_SENTENCES)
def test_each_idf_is_either_actor_or_indirect_fire(text):
    start = text.index("IDF")
    as_actor = any(m.actor_id == "idf" and m.start == start for m in find_actors(text))
    as_mode = any(m.mode == "indirect_fire" and m.start == start for m in find_modes(text))
    assert as_actor != as_mode


def test_indirect_fire_readings():
    assert modes("rockets and IDF overnight") == [("rockets", "rocket"), ("IDF", "indirect_fire")]
    assert modes("The IDF said") == []


# --- the taxonomy is complete --------------------------------------------------------
EXAMPLES = {
    "rocket": "Two rockets hit the base.",
    "mortar": "A mortar round landed short.",
    "artillery": "Artillery fire was heard.",
    "indirect_fire": "The post came under indirect fire.",
    "uas_one_way": "A kamikaze drone struck.",
    "uas_armed": "A drone strike killed two.",
    "ballistic_missile": "A ballistic missile was fired.",
    "cruise_missile": "A cruise missile was fired.",
    "missile": "A missile was fired.",
    "ied": "An IED exploded.",
    "vbied": "A car bomb exploded.",
    "suicide_bombing": "A suicide bomber struck.",
    "small_arms": "Gunfire erupted.",
    "rpg_atgm": "An RPG hit the truck.",
    "airstrike": "An airstrike hit the depot.",
    "ground_assault": "Militants stormed the post.",
    "other": "A grenade was thrown.",
}


def test_examples_cover_the_taxonomy():
    assert set(EXAMPLES) == set(ATTACK_MODES)


@pytest.mark.parametrize("code", ATTACK_MODES)
def test_every_code_is_reachable(code):
    assert [m.mode for m in find_modes(EXAMPLES[code])] == [code]


@pytest.mark.parametrize("code", ATTACK_MODES)
def test_every_code_maps_to_acled_and_gtd(code):
    assert acled_sub_event(code) in ACLED_SUB_EVENTS
    assert gtd_weapon(code) in GTD_WEAPON_TYPES


def test_mappings_that_analysts_rely_on():
    assert acled_sub_event("uas_one_way") == "Air/drone strike"
    assert acled_sub_event("rocket") == "Shelling/artillery/missile attack"
    assert acled_sub_event("ied") == "Remote explosive/landmine/IED"
    assert acled_sub_event("suicide_bombing") == "Suicide bomb"
    assert gtd_weapon("small_arms") == "Firearms"
    assert gtd_weapon("vbied") == "Explosives"


def test_unknown_code_raises():
    with pytest.raises(ValueError, match="unknown attack mode"):
        acled_sub_event("catapult")
    with pytest.raises(ValueError, match="unknown attack mode"):
        gtd_weapon("catapult")


def test_every_term_tags_its_own_code():
    for entry in load_entries("attack_modes.yaml", ModeEntry):
        for phrase in entry.terms + entry.not_attack:
            for form in expand(phrase):
                if form.startswith("IDF"):
                    form = f"rockets, {form}"  # IDF is indirect fire only in a weapons list
                found = find_modes(form)
                assert found and found[-1].mode == entry.code, form
                assert found[-1].end == len(form), form
                assert found[-1].attack is (phrase in entry.terms), form


# --- lexicon files: user extensions and schema errors --------------------------------
HEADER = 'provenance: {source: test, date: "2026-01-01", licence: CC0}\nentries:\n'


def user_lexicon(tmp_path, monkeypatch, body: str) -> None:
    (tmp_path / "attack_modes.yaml").write_text(HEADER + body, encoding="utf-8")
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))


def test_user_file_adds_terms(tmp_path, monkeypatch):
    user_lexicon(tmp_path, monkeypatch, "  - {code: other, terms: [trebuchet(s)]}\n")
    assert modes("Two trebuchets and a mortar") == [("trebuchets", "other"), ("mortar", "mortar")]


@pytest.mark.parametrize(
    "body, message",
    [
        ("  - {code: catapult, terms: [x]}\n", "unknown attack mode"),
        ("  - {code: rocket, acled: Rocketry}\n", "unknown ACLED sub-event type"),
        ("  - {code: rocket, gtd: Rocks}\n", "unknown GTD weapon type"),
        ("  - {code: rocket, acled: Attack}\n", "two acled mappings"),
        ("  - {code: rocket, terms: [car bomb]}\n", "listed twice"),
        ("  - {code: rocket, word: [x]}\n", "word"),
        ("  - [not, a, mapping]\n", "entry 0"),
    ],
)
def test_schema_errors_are_one_line(tmp_path, monkeypatch, body, message):
    user_lexicon(tmp_path, monkeypatch, body)
    with pytest.raises(LexiconError) as err:
        find_modes("anything")
    assert message in str(err.value)
    assert "\n" not in str(err.value) and "attack_modes.yaml" in str(err.value)


def test_missing_provenance_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "attack_modes.yaml").write_text("entries: []\n", encoding="utf-8")
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))
    with pytest.raises(LexiconError, match="provenance"):
        find_modes("anything")


# --- the shared phrase matcher, in a tiny invented world -----------------------------
def test_normalise_keeps_length():
    for text in ["İstanbul’s one‑way — UAS", "ﬁre", "ß", "a\u0301b", "\x00\n\t"]:
        assert len(normalise(text)) == len(text)
    assert normalise("One-Way U.S.") == "one way u s "


def test_expand():
    assert expand("rocket(s)") == ["rocket", "rockets"]
    assert expand("Kata(')ib") == ["Kataib", "Kata'ib"]
    assert expand("107mm rocket(s)") == [
        "107mm rocket",
        "107mm rockets",
        "107 mm rocket",
        "107 mm rockets",
    ]


def test_matcher_longest_wins_and_blocks():
    matcher = PhraseMatcher(
        [
            ("blue", "colour"),
            ("blue moon", "event"),
            ("moon river", "song"),
            ("once in a blue moon", BLOCK),
            ("ZX", "acronym"),
        ]
    )
    hits = matcher.find("a blue moon river, once in a blue moon; zx ZX")
    # "moon river" (10 characters) beats "blue moon" (9), leaving "blue" free
    assert [(h.start, h.end, h.value) for h in hits] == [
        (2, 6, "colour"),
        (7, 17, "song"),
        (43, 45, "acronym"),
    ]
    hits = matcher.find("a blue moon, then a moon")
    assert [(h.start, h.end, h.value) for h in hits] == [(2, 11, "event")]
    assert matcher.find("") == []


def test_matcher_choose_drops_before_the_contest():
    matcher = PhraseMatcher([("blue", "colour"), ("blue moon", "event")])
    hits = matcher.find(
        "blue moon", lambda payloads, s, e: None if "event" in payloads else payloads[0]
    )
    assert [(h.start, h.end, h.value) for h in hits] == [(0, 4, "colour")]


def test_matcher_keeps_a_trailing_dot():
    matcher = PhraseMatcher([("Q.R.", "q")])
    assert [(h.start, h.end) for h in matcher.find("the Q.R. said")] == [(4, 8)]
    assert [(h.start, h.end) for h in matcher.find("the Q.R said")] == [(4, 7)]


# --- properties ----------------------------------------------------------------------
WORDS = [
    "rocket",
    "rockets",
    "-",
    "propelled",
    "grenade",
    "IDF",
    ",",
    "and",
    "mortar",
    "one",
    "way",
    "UAS",
    "attacks",
    "drone",
    "strike",
    "car",
    "bomb",
    "suicide",
    "İ",
    "’",
    "\n",
    "Gaza",
    "seized",
    "factory",
    "air",
    "raid",
    "guided",
    "missile",
    "destroyer",
    "ﬁ",
]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_never_raises(text):
    check_mentions(text, find_modes(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from([" ", "", "-", ", "]))
def test_dense_text_gives_valid_mentions(words, sep):
    text = sep.join(words)
    check_mentions(text, find_modes(text))


def check_mentions(text: str, mentions: list[ModeMention]) -> None:
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.mode in ATTACK_MODES
        assert m.weapon == m.weapon.lower() and m.weapon
        assert re.sub(r"\s+", " ", m.text.lower()).startswith(m.weapon)
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start


def test_a_drone_that_fires_is_an_armed_drone():
    for text in (
        "On Sunday a US MQ-9 Reaper struck a launch site near Kirkuk, killing five fighters.",
        "A drone fired two missiles at a car in Baghdad on Wednesday, killing a commander.",
    ):
        found = sitrep.extract(text, published=date(2023, 12, 4)).incidents
        assert found and "uas_armed" in found[0].attack_modes, text
