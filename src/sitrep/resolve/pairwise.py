"""Pairwise merge quality: how many same-incident pairs a resolution got right.

A clustering is a list of clusters of mention keys. Precision is the share of predicted
same-incident pairs that the gold clustering also pairs; recall the share of gold pairs
predicted. Counted from cluster overlaps, never by listing pairs, so it is linear.
Keys missing from one side count there as singletons. With no pairs to judge, a score is
1.0 (nothing was wrongly merged, nothing was missed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sitrep.errors import InputError
from sitrep.model import IncidentMention


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _labels(clusters: list[list[str]], side: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for c, keys in enumerate(clusters):
        for k in keys:
            if k in out:
                raise InputError(f"{side} clusters list mention {k!r} twice")
            out[k] = c
    return out


def pairwise_scores(predicted: list[list[str]], gold: list[list[str]]) -> dict:
    """Pairwise precision, recall and F1 of ``predicted`` clusters against ``gold`` ones.

    Returns ``{"precision", "recall", "f1", "true_pairs", "predicted_pairs",
    "gold_pairs"}``; raises ``InputError`` when a side lists one key twice.
    """
    p_label = _labels(predicted, "predicted")
    g_label = _labels(gold, "gold")
    predicted_pairs = sum(_pairs(len(set(c))) for c in predicted)
    gold_pairs = sum(_pairs(len(set(c))) for c in gold)
    both = Counter((p_label[k], g_label[k]) for k in p_label.keys() & g_label.keys())
    true_pairs = sum(_pairs(n) for n in both.values())
    precision = true_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = true_pairs / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "gold_pairs": gold_pairs,
    }


def merge_scores(scenarios: Iterable[dict]) -> dict:
    """Resolve each scenario and score its clusters against the gold ones, pairwise.

    A scenario is ``{"id", "mentions": [...]}``, each mention the contract's incident
    object plus ``id``, ``document_id`` and ``gold`` (the label of the attack it reports;
    mentions with one label are one incident). Returns the pooled scores (pairs of every
    scenario counted together) and ``"scenarios"``: the scores of each.
    """
    from sitrep.resolve.incidents import resolve_incidents

    predicted: list[list[str]] = []
    gold: list[list[str]] = []
    per: dict[str, dict] = {}
    for sc in scenarios:
        sid = sc["id"]
        mentions = [IncidentMention.from_dict(m) for m in sc["mentions"]]
        labels: dict[str, list[str]] = {}
        for m in sc["mentions"]:
            labels.setdefault(str(m["gold"]), []).append(f"{sid}/{m['id']}")
        p = [[f"{sid}/{mid}" for mid in inc.mention_ids] for inc in resolve_incidents(mentions)]
        g = list(labels.values())
        per[sid] = pairwise_scores(p, g)
        predicted += p
        gold += g
    out = pairwise_scores(predicted, gold)
    out["scenarios"] = per
    return out
