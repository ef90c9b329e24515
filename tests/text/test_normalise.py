"""Typographic normalisation of stored text."""

from __future__ import annotations

from sitrep.model import normalise_text
from sitrep.text import normalise


def test_layout_characters_are_unified_and_quotes_kept():
    raw = "\ufeff  Two\u00a0drones\u202fhit   the\tbase.\r\n“It’s over,” he\u200b said —\u00a0again…  \r\n\r\n\r\n\r\nNext\u2028line\x07."
    assert (
        normalise(raw) == "Two drones hit the base.\n“It’s over,” he said — again…\n\nNext\nline."
    )


def test_composed_form_and_joiners_kept():
    assert normalise("cafe\u0301") == "caf\u00e9"
    persian = "می\u200cخواهم"  # the zero-width non-joiner is part of the spelling
    assert normalise(persian) == persian


def test_idempotent_and_a_fixed_point_of_the_id_normalisation():
    raw = " a \r b\u00a0\n\n\n\nc\t\u3000d \n"
    once = normalise(raw)
    assert normalise(once) == once
    assert normalise_text(once) == once
