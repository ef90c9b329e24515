"""Pairwise merge scores on toy clusterings."""

from __future__ import annotations

import pytest

from sitrep.errors import InputError
from sitrep.resolve import pairwise_scores


def test_perfect_clustering():
    gold = [["a", "b", "c"], ["d"]]
    got = pairwise_scores([["c", "b", "a"], ["d"]], gold)
    assert (got["precision"], got["recall"], got["f1"]) == (1.0, 1.0, 1.0)
    assert got["true_pairs"] == got["predicted_pairs"] == got["gold_pairs"] == 3


def test_over_merging_costs_precision_and_splitting_costs_recall():
    gold = [["a", "b"], ["c", "d"]]
    merged = pairwise_scores([["a", "b", "c", "d"]], gold)
    assert merged["recall"] == 1.0 and merged["precision"] == pytest.approx(2 / 6)
    split = pairwise_scores([["a"], ["b"], ["c", "d"]], gold)
    assert split["precision"] == 1.0 and split["recall"] == 0.5
    assert split["f1"] == pytest.approx(2 / 3)


def test_keys_missing_from_one_side_are_singletons():
    got = pairwise_scores([["a", "b"]], [["a", "b", "c"]])
    assert got["precision"] == 1.0 and got["recall"] == pytest.approx(1 / 3)


def test_no_pairs_at_all_scores_one():
    got = pairwise_scores([["a"], ["b"]], [["a"], ["b"]])
    assert (got["precision"], got["recall"], got["f1"]) == (1.0, 1.0, 1.0)


def test_a_key_listed_twice_is_refused():
    with pytest.raises(InputError, match="twice"):
        pairwise_scores([["a"], ["a"]], [["a"]])
