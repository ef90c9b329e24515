"""How `sitrep eval` pairs gold incidents with extracted ones (docs/gold.md, matching rules)."""

from __future__ import annotations

from datetime import date

from sitrep.evaluate.gold import GoldDoc
from sitrep.evaluate.score import Report, score_document
from sitrep.model import DateSpan, Document, Extraction, IncidentMention, Place

GOLD = {
    "date": {"start": "2024-07-08", "end": "2024-07-08", "precision": "day"},
    "place": {"name": "Kryvyi Rih", "country": "UA", "precision": "city"},
}


def _pairs(gold_modes: list[str], got_modes: list[str]) -> tuple[int, int]:
    doc = GoldDoc("t", "text", date(2024, 7, 8), incidents=[{**GOLD, "attack_modes": gold_modes}])
    got = IncidentMention(
        date=DateSpan(date(2024, 7, 8), None, "day"),
        place=Place("Kryvyy Rih", "UA", None, 47.9, 33.39, "city"),
        attack_modes=got_modes,
    )
    report = Report()
    score_document(doc, Extraction(Document("t", "text"), incidents=[got]), report)
    counts = report.incidents
    return counts.tp, counts.fp


def test_one_attack_told_at_two_levels_of_detail_pairs_and_scores_its_modes_apart():
    assert _pairs(["missile"], ["cruise_missile"]) == (1, 0)
    assert _pairs(["uas_armed"], ["uas_one_way"]) == (1, 0)


def test_modes_of_different_families_do_not_pair():
    assert _pairs(["rocket"], ["uas_one_way"]) == (0, 1)


def test_two_transliterations_of_one_place_name_agree():
    from sitrep.evaluate.score import _place_eq

    assert _place_eq({"name": "Makiivka", "country": "UA"}, {"name": "Makiyivka", "country": "UA"})
    assert not _place_eq({"name": "Kherson", "country": "UA"}, {"name": "Kharkiv", "country": "UA"})
    assert not _place_eq(
        {"name": "Makiivka", "country": "UA"}, {"name": "Makiyivka", "country": "RU"}
    )
