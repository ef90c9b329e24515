"""Pairwise merge quality on the project's merge scenarios (merge_scenarios.jsonl): the
floors `sitrep eval` reports against (precision >= 0.95, recall >= 0.90).

The scenarios are written by the project in its own words, with real places and dates
from public reporting and coordinates rounded; each mention carries the label of the
attack it reports (``gold``). They were written by the engineer who wrote the rules, so
they are a tuning set, not a held-out one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.resolve import merge_scores

SCENARIOS = Path(__file__).with_name("merge_scenarios.jsonl")


@pytest.fixture(scope="module")
def scores() -> dict:
    lines = SCENARIOS.read_text(encoding="utf-8").splitlines()
    return merge_scores(json.loads(line) for line in lines if line.strip())


def test_merge_scenarios_meet_the_floors(scores):
    assert scores["precision"] >= 0.95
    assert scores["recall"] >= 0.90


@pytest.mark.parametrize(
    "scenario", ["merge-01", "merge-02", "merge-03", "merge-04", "merge-08", "merge-11"]
)
def test_clear_cut_scenarios_are_exact(scores, scenario):
    got = scores["scenarios"][scenario]
    assert (got["precision"], got["recall"]) == (1.0, 1.0)


def test_ambiguous_scenarios_never_over_merge(scores):
    # an undated mention at a busy base, a report placed in the wrong country: left alone
    for scenario in ("merge-10", "merge-14"):
        assert scores["scenarios"][scenario]["predicted_pairs"] == 0
