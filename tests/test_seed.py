"""The report the project started from: the answer sitrep must give (issue 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_eecfeadf03d1135e.txt"
if not SEED.is_file():  # a checkout with shared/ beside it, or inside it
    SEED = Path(__file__).resolve().parents[1] / "shared" / "seed" / "000_eecfeadf03d1135e.txt"

pytestmark = pytest.mark.skipif(
    not SEED.is_file(), reason="../shared/seed is not beside this checkout"
)


@pytest.fixture(scope="module")
def result() -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitrep.cli",
            "extract",
            str(SEED),
            "--published",
            "2024-01-25",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _claims(result: dict, measure: str) -> list[dict]:
    return [c for c in result["claims"] if c["measure"] == measure]


def _cited(result: dict, record: dict) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert record["evidence"], record
    for ev in record["evidence"]:
        assert (
            ev["text"] == text.replace("\r\n", "\n")[ev["start"] : ev["end"]] or ev["text"] in text
        )


def test_injured_by_severity_since_october_18(result):
    (serious,) = _claims(result, "injured_serious")
    (minor,) = _claims(result, "injured_minor")
    for claim, n in ((serious, 1), (minor, 70)):
        assert claim["value"] == {"min": n, "max": n}
        assert claim["period"]["start"] == "2023-10-18"
        assert "personnel" in claim["subject"].lower()
        assert set(claim["attack_modes"]) == {"rocket", "mortar", "indirect_fire", "uas_one_way"}
        assert claim["payload_kg"] == {"min": 8, "max": 50}
        assert claim["attribution"] == "a senior military official"
        _cited(result, claim)


def test_isis_at_its_height(result):
    (territory,) = _claims(result, "territory_km2")
    (population,) = _claims(result, "population")
    assert territory["value"]["min"] == 100_000 and territory["qualifier"] in (
        "more_than",
        "at_least",
    )
    assert population["value"]["min"] == 11_000_000 and population["qualifier"] in (
        "more_than",
        "at_least",
    )
    for claim in (territory, population):
        assert claim["subject"] == "ISIS"
        assert claim["attribution"] == "a senior military official"
        _cited(result, claim)


def test_nothing_invented(result):
    assert result["incidents"] == []
    measures = sorted(c["measure"] for c in result["claims"])
    assert measures == [
        "fighters",
        "injured_minor",
        "injured_serious",
        "population",
        "territory_km2",
    ]
    assert result["document"]["published"] == "2024-01-25"


def test_python_api_gives_the_same_records():
    import sitrep

    ex = sitrep.extract(SEED.read_text(encoding="utf-8"), published=date(2024, 1, 25))
    assert {c.measure for c in ex.claims} >= {
        "injured_serious",
        "injured_minor",
        "territory_km2",
        "population",
    }
