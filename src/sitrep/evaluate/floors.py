"""Pinned quality floors: the gate `make test` enforces (after trafilatura's eval gate).

``gold/floors.json`` holds, per split, the gold file's fingerprint and a floor for each
figure (the scenarios split: pairwise merge precision, recall and F1, and the share of
gold mentions extracted). The gate fails when a figure falls below its floor, or when the gold file changed
and its floors were not re-pinned. Floors only go up, unless lowered on purpose:

    python -m sitrep.evaluate.floors --raise            # pin current figures where higher
    python -m sitrep.evaluate.floors --lower --reason "why"   # pin current figures, even lower ones

A lowered floor needs its reason in the commit message too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

from sitrep.evaluate.gold import fingerprint, load_gold
from sitrep.evaluate.merge import evaluate_scenarios, is_scenario_file, load_scenarios
from sitrep.evaluate.score import evaluate

REPO = Path(__file__).resolve().parents[3]
GOLD_DIR = REPO / "gold"
FLOORS = GOLD_DIR / "floors.json"
# The two extraction splits, and the resolution scenarios (pairwise merge figures).
SPLITS = ("tune", "heldout", "scenarios")


def current_figures(split: str) -> tuple[str, dict[str, float]]:
    path = GOLD_DIR / f"{split}.jsonl"
    if is_scenario_file(path):
        scenarios = load_scenarios(path)
        return _scenarios_fingerprint(path, scenarios), evaluate_scenarios(scenarios).figures()
    return fingerprint(path), evaluate(load_gold(path)).figures()


def _scenarios_fingerprint(path: Path, scenarios) -> str:
    """Like ``gold.fingerprint``: the file and the texts of the reports it points to."""
    h = hashlib.sha256(path.read_bytes())
    for scenario in scenarios:
        for doc in scenario.documents:
            h.update(doc.text.encode("utf-8"))
    return h.hexdigest()[:16]


def read_floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.is_file() else {}


def check(split: str, floors: dict | None = None) -> list[str]:
    """Every way the current figures of a split break its pinned floors (empty: pass)."""
    floors = read_floors() if floors is None else floors
    pinned = floors.get(split)
    if not pinned:
        return [
            f"{split}: no floors pinned in {FLOORS.name}; run python -m sitrep.evaluate.floors --raise"
        ]
    fp, figures = current_figures(split)
    problems = []
    if pinned.get("fingerprint") != fp:
        problems.append(
            f"{split}: the gold set changed (fingerprint {fp}, floors pinned for {pinned.get('fingerprint')}); "
            "re-pin with python -m sitrep.evaluate.floors --raise (or --lower --reason ...)"
        )
    for name, floor in sorted(pinned.get("floors", {}).items()):
        got = figures.get(name)
        if got is None or got + 1e-9 < floor:
            problems.append(f"{split}: {name} = {got} is below its floor {floor}")
    return problems


def pin(lower: bool, reason: str | None) -> dict:
    floors = read_floors()
    for split in SPLITS:
        if not (GOLD_DIR / f"{split}.jsonl").is_file():
            continue
        fp, figures = current_figures(split)
        old = floors.get(split, {}).get("floors", {})
        new = {}
        for name, value in figures.items():
            value = math.floor(value * 100) / 100  # pin two decimals, rounded down
            new[name] = value if lower else max(value, old.get(name, 0.0))
            if not lower and old.get(name, 0.0) > value:
                print(
                    f"{split}: {name} = {value} is below its floor {old[name]}: kept the floor; "
                    "use --lower --reason to lower it",
                    file=sys.stderr,
                )
        entry = {"fingerprint": fp, "floors": new}
        if lower and any(new[name] < old.get(name, 0.0) for name in new):
            entry["lowered_because"] = reason  # only on a split whose floors did go down
        floors[split] = entry
    FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return floors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sitrep.evaluate.floors",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--raise",
        dest="raise_",
        action="store_true",
        help="pin current figures where they are higher",
    )
    group.add_argument(
        "--lower", action="store_true", help="pin current figures even where lower (needs --reason)"
    )
    group.add_argument("--check", action="store_true", help="only check, as the gate does")
    parser.add_argument("--reason", help="why a floor is lowered (also goes in the commit message)")
    args = parser.parse_args(argv)
    if args.lower and not args.reason:
        parser.error("--lower needs --reason")
    if args.check:
        problems = [p for s in SPLITS for p in check(s)]
        print("\n".join(problems) or "all figures at or above their floors")
        return 1 if problems else 0
    floors = pin(lower=args.lower, reason=args.reason)
    print(json.dumps(floors, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
