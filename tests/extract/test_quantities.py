"""The quantity tagger. Every sentence here was written for these tests."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.errors import LexiconError
from sitrep.extract.quantities import Quantity, find_quantities, parse_quantity
from sitrep.model import QUALIFIERS, Range


def parsed(expr: str) -> Quantity:
    q = parse_quantity(expr)
    assert q is not None, f"not read as one quantity: {expr!r}"
    return q


def spans(text: str) -> list[str]:
    return [q.text for q in find_quantities(text)]


def assert_well_formed(text: str, found: list[Quantity]) -> None:
    last_end = 0
    for q in found:
        assert 0 <= q.start <= q.number_start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.start >= last_end, "sorted and non-overlapping"
        last_end = q.end
        assert q.qualifier in QUALIFIERS
        assert not q.value.is_empty()


# --- the public API ------------------------------------------------------------------------


def test_quantity_record_is_pinned():
    names = [f.name for f in dataclasses.fields(Quantity)]
    assert names == ["start", "end", "text", "value", "qualifier", "unit", "vague", "number_start"]
    q = parsed("at least 38")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.start = 1  # type: ignore[misc]
    assert q == Quantity(0, 11, "at least 38", Range(38, None), "at_least", None, False, 9)


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, value",
    [
        ("38", 38),
        ("1,200", 1200),
        ("100,000", 100_000),
        ("1,250,000", 1_250_000),
        ("0.5", 0.5),
        ("2.75", 2.75),
        ("1.5 million", 1_500_000),
        ("11 million", 11_000_000),  # word2number reads this as one million
        ("1.2 billion", 1_200_000_000),
        ("3 trillion", 3_000_000_000_000),
        ("40 thousand", 40_000),
        ("2.5bn", 2_500_000_000),
        ("3 dozen", 36),
    ],
)
def test_digits_and_scales(expr, value):
    q = parsed(expr)
    assert (q.value, q.qualifier, q.unit, q.vague) == (Range(value, value), "exact", None, False)


@pytest.mark.parametrize(
    "expr, value",
    [
        ("zero", 0),
        ("one", 1),
        ("seven", 7),
        ("twelve", 12),
        ("nineteen", 19),
        ("twenty", 20),
        ("twenty-one", 21),
        ("forty two", 42),
        ("seventy", 70),
        ("ninety-nine", 99),
        ("Eighteen", 18),
        ("a hundred", 100),
        ("one hundred", 100),
        ("a hundred and one", 101),
        ("two hundred and fifty", 250),
        ("nine hundred ninety-nine", 999),
        ("a dozen", 12),
        ("two dozen", 24),  # word2number reads this as two
        ("half a dozen", 6),
        ("a thousand", 1000),
        ("a thousand and two", 1002),
        ("five thousand", 5000),
        ("a million", 1_000_000),
        ("three million", 3_000_000),
        ("half a million", 500_000),
        ("two million three hundred thousand", 2_300_000),
    ],
)
def test_number_words(expr, value):
    q = parsed(expr)
    assert (q.value, q.qualifier, q.vague) == (Range(value, value), "exact", False)


@pytest.mark.parametrize(
    "expr, lo, hi",
    [
        ("dozens", 24, 99),
        ("Dozens", 24, 99),
        ("hundreds", 200, 999),
        ("thousands", 2000, 9999),
        ("tens of thousands", 20_000, 99_999),
        ("hundreds of thousands", 200_000, 999_999),
        ("millions", 2_000_000, 9_999_999),
        ("several", 3, 9),
        ("a few", 2, 4),
        ("a handful", 3, 6),
        ("a couple", 2, 2),
        ("a couple of", 2, 2),
        ("several hundred", 300, 900),
        ("a few thousand", 2000, 4000),
        ("a couple of hundred", 200, 200),
    ],
)
def test_vague_quantities(expr, lo, hi):
    q = parsed(expr)
    assert (q.value, q.qualifier, q.vague) == (Range(lo, hi), "about", True)


def test_scores_needs_of():
    assert [(q.text, q.value) for q in find_quantities("Scores of families left.")] == [
        ("Scores", Range(40, 99))
    ]
    assert find_quantities("Exam scores rose.") == []


@pytest.mark.parametrize("dash", ["—", "–", "-"])
def test_a_spaced_dash_between_a_total_and_its_part_is_punctuation(dash):
    """'Total attacks: 166 — 67 in Iraq': a falling pair parted by a spaced dash is two
    counts, not a range (and not a thing to drop, as '2023-24' is)."""
    got = [q.value for q in find_quantities(f"Total attacks: 166 {dash} 67 in Iraq.")]
    assert got == [Range(166, 166), Range(67, 67)]
    assert find_quantities("the 2023-24 season") == []


# --- qualifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, qualifier, lo, hi",
    [
        ("at least", "at_least", 38, None),
        ("no fewer than", "at_least", 38, None),
        ("more than", "more_than", 38, None),
        ("over", "more_than", 38, None),
        ("in excess of", "more_than", 38, None),
        ("nearly", "nearly", None, 38),
        ("almost", "nearly", None, 38),
        ("about", "about", 38, 38),
        ("around", "about", 38, 38),
        ("roughly", "about", 38, 38),
        ("approximately", "about", 38, 38),
        ("some", "about", 38, 38),
        ("an estimated", "about", 38, 38),
        ("up to", "up_to", None, 38),
        ("as many as", "up_to", None, 38),
        ("no more than", "up_to", None, 38),
        ("fewer than", "fewer_than", None, 38),
        ("less than", "fewer_than", None, 38),
        ("under", "fewer_than", None, 38),
    ],
)
def test_qualifiers(phrase, qualifier, lo, hi):
    text = f"Officials counted {phrase} 38 attacks."
    (q,) = find_quantities(text)
    assert q.text == f"{phrase} 38"
    assert (q.qualifier, q.value) == (qualifier, Range(lo, hi))
    assert text[q.number_start :].startswith("38 attacks")


@pytest.mark.parametrize(
    "expr, qualifier, lo, hi",
    [
        ("38 or more", "at_least", 38, None),
        ("20 or so", "about", 20, 20),
        ("40-odd", "about", 40, 40),
        ("500+", "at_least", 500, None),
        ("10 or fewer", "up_to", None, 10),
    ],
)
def test_qualifiers_after_the_number(expr, qualifier, lo, hi):
    q = parsed(expr)
    assert (q.qualifier, q.value) == (qualifier, Range(lo, hi))


def test_qualifiers_with_vague_terms_and_units():
    q = parsed("more than a dozen")
    assert (q.value, q.qualifier, q.vague) == (Range(12, None), "more_than", False)
    q = parsed("at least dozens")
    assert (q.value, q.qualifier, q.vague) == (Range(24, None), "at_least", True)
    q = parsed("more than 100,000 square kilometers")
    assert (q.value, q.qualifier, q.unit) == (Range(100_000, None), "more_than", "km2")


def test_qualifier_words_alone_are_not_quantities():
    # "some" and "under" qualify only a number right after them
    assert find_quantities("Some residents stayed under the bridge.") == []
    assert find_quantities("More than ever, the talks matter.") == []


def test_over_before_a_duration_is_not_a_bound():
    (q,) = find_quantities("Talks continued over two days.")
    assert (q.text, q.qualifier, q.unit, q.value) == ("two days", "exact", "day", Range(2, 2))


# --- ranges --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, lo, hi, unit",
    [
        ("between 8 to 50 kg", 8, 50, "kg"),
        ("between 8 and 50", 8, 50, None),
        ("8 to 50 kg", 8, 50, "kg"),
        ("8-50 kg", 8, 50, "kg"),
        ("8\u201350 kg", 8, 50, "kg"),
        ("from 8 to 50", 8, 50, None),
        ("8 kg to 50 kg", 8, 50, "kg"),
        ("two to three", 2, 3, None),
        ("one or two", 1, 2, None),
        ("20-30%", 20, 30, "percent"),
        ("40,000-50,000", 40_000, 50_000, None),
        ("between 1 and 2 million", 1_000_000, 2_000_000, None),
        ("$5-10 million", 5_000_000, 10_000_000, "usd"),
        ("dozens to hundreds", 24, 999, None),
    ],
)
def test_ranges(expr, lo, hi, unit):
    q = parsed(expr)
    assert (q.value, q.qualifier, q.unit) == (Range(lo, hi), "between", unit)


def test_and_makes_a_range_only_after_between():
    text = "The strike killed 3 and injured 5."
    assert [(q.text, q.value) for q in find_quantities(text)] == [
        ("3", Range(3, 3)),
        ("5", Range(5, 5)),
    ]


def test_a_falling_pair_is_no_range():
    found = find_quantities("The count was revised from 50 to 38.")
    assert [(q.text, q.qualifier) for q in found] == [("50", "exact"), ("38", "exact")]


def test_payload_range_in_a_sentence():
    text = "Most were hurt by rockets and drones carrying between 8 to 50 kg of explosives."
    (q,) = find_quantities(text)
    assert (q.text, q.value, q.qualifier, q.unit) == (
        "between 8 to 50 kg",
        Range(8, 50),
        "between",
        "kg",
    )
    assert text[q.number_start : q.end] == "8 to 50 kg"


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, unit, value",
    [
        ("100,000 square kilometers", "km2", 100_000),
        ("100,000 square kilometres", "km2", 100_000),
        ("100,000 km2", "km2", 100_000),
        ("100,000 sq km", "km2", 100_000),
        ("100,000 km\u00b2", "km2", 100_000),
        ("10 square miles", "km2", 25.89988110336),
        ("40 kg", "kg", 40),
        ("40kg", "kg", 40),
        ("1 kilogram", "kg", 1),
        ("40 kilograms", "kg", 40),
        ("100 pounds", "kg", 45.359237),
        ("100 lbs", "kg", 45.359237),
        ("2 tonnes", "kg", 2000),
        ("2 tons", "kg", 2000),
        ("5 km", "km", 5),
        ("3 miles", "km", 4.828032),
        ("40 percent", "percent", 40),
        ("40 per cent", "percent", 40),
        ("40%", "percent", 40),
        ("$1.2 million", "usd", 1_200_000),
        ("US$300", "usd", 300),
        ("13 days", "day", 13),
        ("a 10-day", None, None),  # "a" is not a number: nothing
        ("10-day", "day", 10),
        ("two weeks", "week", 2),
        ("six months", "month", 6),
        ("ten years", "year", 10),
        ("48 hours", "hour", 48),
        ("a couple of days", "day", 2),
    ],
)
def test_units(expr, unit, value):
    if value is None:
        assert parse_quantity(expr) is None
        return
    q = parsed(expr)
    assert q.unit == unit
    assert q.value.min == pytest.approx(value) and q.value.max == pytest.approx(value)


# --- what is not a quantity -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A one-way attack drone struck the airfield.",
        "No one was hurt in the blast.",
        "Someone fired at the patrol.",
        "The armies blamed one another.",
        "The attacks began on the 18th.",
        "It was the third strike this month.",
        "The alarm sounded at 10:30 on Monday.",
        "The convoy left at 3 p.m. local time.",
        "The base was hit at 0600 GMT.",
        "The talks opened in October 2023.",
        "The group was founded in 2014.",
        "Shelling resumed on Oct. 25 after a pause.",
        "Fighting flared on October 17-18 near the border.",
        "Fighting flared on October 17 and 18 near the border.",
        "The drone landed on 25 October.",
        "The drone landed on 25 and 26 October.",
        "Talks resumed on Jan. 28, 2024 in the capital.",
        "The outpost known as Tower 22 sits near the border.",
        "Traffic on Route 1 stopped.",
        "Task Force 51 moved north.",
        "An MQ-9 Reaper went down.",
        "F-16 jets and an Su-25 were seen.",
        "The S-300 battery and a Kh-101 missile were hit.",
        "They fired 107mm rockets and 122 mm shells.",
        "A 155-mm round fell short.",
        "Call +1 202 555 0147 for details.",
        "Call (202) 555-0147 for details.",
        "Call 555-0147 for details.",
        "The rebels date back to the 1990s.",
        "The new tally is twice the figure given last week.",
        "A soldier and an officer were detained.",
        "The budget for the 2023-24 season was cut.",
        "The war lasted from 2014 to 2017.",
        "Nearly two thirds of the town fled.",
        "He served in World War Two.",
        "See No. 5 in the annex.",
    ],
)
def test_not_quantities(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A drone struck Tower 22 and wounded 40 troops.", ["40"]),
        ("In 2023 more than 150 attacks were logged.", ["more than 150"]),
        ("On Oct. 17, 12 rockets fell.", ["12"]),
        ("In October, 7 drones were shot down.", ["7"]),
        ("A one-way drone and two rockets hit the base.", ["two"]),
        ("No one died; one soldier was hurt.", ["one"]),
        ("At 3 p.m. some 40 people gathered.", ["some 40"]),
        ("A 5,000-strong force and a 30-minute battle.", ["5,000", "30"]),
    ],
)
def test_quantities_next_to_non_quantities(text, expected):
    assert spans(text) == expected


# --- whole sentences ---------------------------------------------------------------------


def test_a_briefing_tally():
    text = (
        "Since mid-October there have been at least 38 attacks on US and coalition "
        "troops, 20 of them in Iraq and 18 in Syria; 1 service member was seriously hurt "
        "and 70 suffered minor injuries."
    )
    found = find_quantities(text)
    assert_well_formed(text, found)
    assert [(q.text, q.value, q.qualifier) for q in found] == [
        ("at least 38", Range(38, None), "at_least"),
        ("20", Range(20, 20), "exact"),
        ("18", Range(18, 18), "exact"),
        ("1", Range(1, 1), "exact"),
        ("70", Range(70, 70), "exact"),
    ]


def test_strategic_figures():
    text = (
        "At its peak the group held more than 100,000 square kilometres, ruled some "
        "8 million residents and drew tens of thousands of recruits from abroad."
    )
    found = find_quantities(text)
    assert_well_formed(text, found)
    assert [(q.text, q.value, q.qualifier, q.unit, q.vague) for q in found] == [
        ("more than 100,000 square kilometres", Range(100_000, None), "more_than", "km2", False),
        ("some 8 million", Range(8_000_000, 8_000_000), "about", None, False),
        ("tens of thousands", Range(20_000, 99_999), "about", None, True),
    ]


def test_money_and_durations():
    text = "Over the past two years the ministry spent $1.2 billion on air defence."
    assert [(q.text, q.unit, q.value) for q in find_quantities(text)] == [
        ("two years", "year", Range(2, 2)),
        ("$1.2 billion", "usd", Range(1_200_000_000, 1_200_000_000)),
    ]


def test_offsets_point_into_the_text_given():
    text = "\u201cAbout 60,\u201d he said \u2014 then, later: nearly 70 lightly hurt.\n  Up to 12."
    found = find_quantities(text)
    assert_well_formed(text, found)
    assert spans(text) == ["About 60", "nearly 70", "Up to 12"]


def test_offsets_hold_when_lower_casing_changes_length():
    text = "\u0130stanbul said 40 drones were downed."  # "İ" lower-cases to two characters
    (q,) = find_quantities(text)
    assert text[q.start : q.end] == "40"


# --- parse_quantity ------------------------------------------------------------------------


def test_parse_quantity_takes_one_whole_expression():
    q = parsed("  at least 38 ")
    assert (q.start, q.end, q.number_start) == (2, 13, 11)
    assert parse_quantity("38 attacks") is None
    assert parse_quantity("38 and 40") is None
    assert parse_quantity("the attacks") is None
    assert parse_quantity("") is None
    assert parse_quantity("October 17") is None


# --- the lexicon -------------------------------------------------------------------------


def test_user_lexicon_extends_the_shipped_one(tmp_path, monkeypatch):
    (tmp_path / "numbers.yaml").write_text(
        "provenance: {source: test, date: '2026-01-01', licence: CC0}\n"
        "entries:\n"
        "  - {kind: qualifier, phrase: a good, qualifier: more_than}\n"
        "  - {kind: vague, phrase: a score of, min: 20, max: 20}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))
    assert parsed("a good 40").value == Range(40, None)
    assert parsed("a score of").value == Range(20, 20)


def test_bad_user_lexicon_fails_with_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "numbers.yaml").write_text(
        "provenance: {source: test, date: '2026-01-01', licence: CC0}\n"
        "entries:\n"
        "  - {kind: qualifier, phrase: fully, qualifier: loads}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SITREP_LEXICON_PATH", str(tmp_path))
    with pytest.raises(LexiconError, match="qualifier must be one of"):
        find_quantities("fully 40")


# --- properties ----------------------------------------------------------------------------

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen".split()
_ONES += "fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _words(n: int, hyphen: str, conjunction: str, a_hundred: bool) -> str:
    """0..999 in English words, in one of the ways people write them."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (hyphen + _ONES[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    head = "a hundred" if hundreds == 1 and a_hundred else f"{_ONES[hundreds]} hundred"
    return head + (f" {conjunction}{_words(rest, hyphen, conjunction, a_hundred)}" if rest else "")


@settings(deadline=None)
@given(
    st.integers(0, 999), st.sampled_from(["-", " "]), st.sampled_from(["and ", ""]), st.booleans()
)
def test_words_0_to_999_parse_back(n, hyphen, conjunction, a_hundred):
    written = _words(n, hyphen, conjunction, a_hundred)
    q = parsed(written)
    assert q.value == Range(n, n), written


@settings(deadline=None)
@given(st.integers(0, 10**18), st.booleans())
def test_digits_parse_back(n, separators):
    written = f"{n:,}" if separators else str(n)
    q = parsed(written)
    assert q.value == Range(n, n) and q.qualifier == "exact"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_text_never_raises(text):
    assert_well_formed(text, find_quantities(text))
    parse_quantity(text)


_VOCABULARY = (
    "at least more than over some about up to between and to from or nearly under no one a an "
    "the one two twenty-one hundred thousand million dozen dozens tens of thousands several "
    "few couple handful half kg km square miles percent % $ days years October Oct. Tower "
    "in 2023 17 8 50 1,200 1.5 0 007 - \u2013 : / , . ( ) + p.m. mm 10:30 F-16 18th odd so more"
).split()


@settings(deadline=None)
@given(
    st.lists(st.sampled_from(_VOCABULARY), max_size=30),
    st.lists(st.sampled_from(["", " ", "  ", "\n", "-"]), min_size=30, max_size=30),
)
def test_number_like_text_stays_well_formed(tokens, gaps):
    text = "".join(t + gap for t, gap in zip(tokens, gaps, strict=False))
    found = find_quantities(text)
    assert_well_formed(text, found)
    for q in found:
        again = parse_quantity(q.text)
        # A quantity read alone reads the same, save for context that made it one.
        if again is not None:
            assert again.text == q.text


def test_a_number_after_a_place_name_counts_when_a_count_noun_follows():
    from sitrep.extract.quantities import find_quantities

    found = find_quantities("Militias have attacked US forces in Syria 78 times since 2021.")
    assert [q.value.min for q in found] == [78]
    assert find_quantities("Rockets hit Tower 22 and Camp 5 overnight.") == []
