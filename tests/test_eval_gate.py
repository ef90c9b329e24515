"""The quality gate (issue 5): the gold-set figures may not fall below their pinned floors.

Floors live in gold/floors.json, pinned to a fingerprint of each gold file. Raise them
with `python -m sitrep.evaluate.floors --raise`; lower one only with
`--lower --reason "..."` and the reason in the commit message.
"""

from __future__ import annotations

import json

import pytest

from sitrep.evaluate import floors


@pytest.mark.parametrize("split", floors.SPLITS)
def test_figures_hold_their_floors(split):
    problems = floors.check(split)
    assert problems == [], "\n".join(problems)


def test_every_split_pins_the_headline_figures():
    pinned = floors.read_floors()
    for split in ("tune", "heldout"):
        names = set(pinned[split]["floors"])
        assert {"claim_f1", "incident_f1", "incident.date", "incident.place"} <= names
    assert {"merge_precision", "merge_recall", "mention_recall"} <= set(
        pinned["scenarios"]["floors"]
    )


def test_a_broken_merge_rule_fails_the_gate(monkeypatch):
    """Resolution that never merges across reports trips the scenarios floors."""
    import sitrep.resolve.engine as resolve_engine

    monkeypatch.setattr(resolve_engine, "THRESHOLD", 2.0)
    problems = floors.check("scenarios")
    assert any("merge_recall" in p for p in problems)


def test_a_broken_rule_fails_the_gate(monkeypatch):
    """Deliberately breaking a rule (the claim assembler finds nothing) trips the gate."""
    import sitrep.extract.claim_measures as measures_module
    import sitrep.extract.claims as claims_module

    # measure_of is read in claims.py and by measure_ahead in claim_measures.py
    for module in (claims_module, measures_module):
        monkeypatch.setattr(module, "measure_of", lambda *args, **kwargs: None)
    problems = floors.check("tune")
    assert any("claim_f1" in p for p in problems)


def test_a_changed_gold_set_needs_new_floors(tmp_path, monkeypatch):
    gold = tmp_path / "gold"
    gold.mkdir()
    original = (floors.GOLD_DIR / "tune.jsonl").read_text(encoding="utf-8").splitlines()
    inline = [line for line in original if '"text":' in line][:3]  # no file paths to carry
    (gold / "tune.jsonl").write_text("\n".join(inline) + "\n", encoding="utf-8")
    (gold / "floors.json").write_text(json.dumps(floors.read_floors()), encoding="utf-8")
    monkeypatch.setattr(floors, "GOLD_DIR", gold)
    monkeypatch.setattr(floors, "FLOORS", gold / "floors.json")
    problems = floors.check("tune")
    assert any("gold set changed" in p for p in problems)


def test_lowering_needs_a_reason(capsys):
    with pytest.raises(SystemExit):
        floors.main(["--lower"])
    assert "--reason" in capsys.readouterr().err
