"""The gold set itself (issue 5): its splits keep their promised shape and vocabulary.

The eval scores whatever the gold says, so a gold record with a misspelt mode or a
breakdown pointing nowhere would silently score nothing: these checks catch that.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from sitrep import model
from sitrep.evaluate.floors import GOLD_DIR
from sitrep.evaluate.gold import load_gold

SPLITS = ("tune", "heldout")
CASUALTY_KEYS = {"killed", "injured", "serious", "minor", "tbi"}


@pytest.fixture(scope="module")
def docs():
    return {split: load_gold(GOLD_DIR / f"{split}.jsonl") for split in SPLITS}


def test_heldout_is_at_least_a_third_of_the_gold_documents(docs):
    held, tune = len(docs["heldout"]), len(docs["tune"])
    assert 3 * held >= held + tune, f"held-out {held} of {held + tune} documents"


def test_document_ids_are_unique_across_splits(docs):
    ids = [d.id for split in SPLITS for d in docs[split]]
    assert len(ids) == len(set(ids))
    assert all(d.id.startswith("heldout-") for d in docs["heldout"])


def _range_ok(r) -> bool:
    return (
        isinstance(r, dict)
        and set(r) <= {"min", "max"}
        and all(v is None or isinstance(v, int) for v in r.values())
    )


def _problems(doc) -> list[str]:
    out = []
    for k, inc in enumerate(doc.incidents):
        where = f"{doc.id} incident {k}"
        span = inc.get("date") or {}
        for key in ("start", "end"):
            if span.get(key):
                date.fromisoformat(span[key])
        if span.get("precision") not in (None, *model.DATE_PRECISIONS):
            out.append(f"{where}: date precision {span.get('precision')!r}")
        place = inc.get("place") or {}
        if place.get("precision") not in (None, *model.PLACE_PRECISIONS):
            out.append(f"{where}: place precision {place.get('precision')!r}")
        if place.get("country") and not re.fullmatch("[A-Z]{2}", place["country"]):
            out.append(f"{where}: country {place['country']!r}")
        out += [
            f"{where}: mode {m!r}"
            for m in inc.get("attack_modes", [])
            if m not in model.ATTACK_MODES
        ]
        out += [
            f"{where}: outcome {o!r}" for o in inc.get("outcome") or [] if o not in model.OUTCOMES
        ]
        for key, value in (inc.get("casualties") or {}).items():
            if key not in CASUALTY_KEYS or not _range_ok(value):
                out.append(f"{where}: casualties {key}={value!r}")
    for k, claim in enumerate(doc.claims):
        where = f"{doc.id} claim {k}"
        if claim.get("measure") not in model.MEASURES:
            out.append(f"{where}: measure {claim.get('measure')!r}")
        if not _range_ok(claim.get("value")):
            out.append(f"{where}: value {claim.get('value')!r}")
        if claim.get("qualifier", "exact") not in model.QUALIFIERS:
            out.append(f"{where}: qualifier {claim.get('qualifier')!r}")
        parent = claim.get("breakdown_of")
        if parent is not None and not (0 <= parent < len(doc.claims) and parent != k):
            out.append(f"{where}: breakdown_of {parent!r}")
        for key in ("as_of",):
            if claim.get(key):
                date.fromisoformat(claim[key])
    return out


@pytest.mark.parametrize("split", SPLITS)
def test_gold_records_use_the_contract_vocabulary(docs, split):
    problems = [p for doc in docs[split] for p in _problems(doc)]
    assert problems == [], "\n".join(problems[:20])
