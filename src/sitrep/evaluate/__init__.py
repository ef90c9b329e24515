"""Measured quality: score the extractor against a gold set (docs/gold.md)."""

from sitrep.evaluate.gold import GoldDoc, load_gold
from sitrep.evaluate.score import Report, evaluate

__all__ = ["GoldDoc", "Report", "evaluate", "load_gold"]
