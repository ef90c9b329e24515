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


def test_a_named_target_is_kept():
    text = "Rockets hit Erbil Air Base on Sunday, injuring three people, a US official said."
    target = target_of(text)
    assert target is not None and target.id != "civilians"
