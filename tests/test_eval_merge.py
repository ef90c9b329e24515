"""Resolution across reports, measured: the scenario evaluator (sitrep.evaluate.merge) and
`sitrep eval` on a scenarios file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitrep.errors import GoldError
from sitrep.evaluate.merge import (
    MergeReport,
    Scenario,
    ScenarioDoc,
    evaluate_scenarios,
    is_scenario_file,
    load_scenarios,
    score_scenario,
)
from sitrep.model import Casualties, DateSpan, IncidentMention, Place, Range

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "gold" / "scenarios.jsonl"

T22 = {"name": "Tower 22", "country": "JO", "precision": "facility"}
TANF = {"name": "Al-Tanf Garrison", "country": "SY", "precision": "facility"}
D28 = {"start": "2024-01-28", "end": "2024-01-28", "precision": "day"}
D30 = {"start": "2024-01-30", "end": "2024-01-30", "precision": "day"}


def _scenario() -> Scenario:
    """Two reports of the Tower 22 attack; a third tells it again and a drone at Al-Tanf."""
    docs = [
        ScenarioDoc(
            "a", "Drone kills three US soldiers at Tower 22 in Jordan on Sunday.", date(2024, 1, 28)
        ),
        ScenarioDoc(
            "b",
            "The Tower 22 drone attack of Sunday injured 34, the Pentagon said.",
            date(2024, 1, 29),
        ),
        ScenarioDoc(
            "c",
            "A drone was shot down near Al-Tanf on Tuesday, two days after Tower 22.",
            date(2024, 1, 31),
        ),
    ]
    gold = [
        {
            "event": "T22",
            "document": "a",
            "date": D28,
            "place": T22,
            "attack_modes": ["uas_one_way"],
        },
        {
            "event": "T22",
            "document": "b",
            "date": D28,
            "place": T22,
            "attack_modes": ["uas_one_way"],
        },
        {
            "event": "TANF",
            "document": "c",
            "date": D30,
            "place": TANF,
            "attack_modes": ["uas_one_way"],
        },
        {
            "event": "T22",
            "document": "c",
            "date": D28,
            "place": T22,
            "attack_modes": ["uas_one_way"],
        },
    ]
    return Scenario("tiny", docs, gold, "tiny")


def _mention(
    doc: str, pos: int, day: int, place: dict, killed: int | None = None
) -> IncidentMention:
    lat, lon = (33.32, 38.71) if place is T22 else (33.5, 38.62)
    return IncidentMention(
        date=DateSpan(date(2024, 1, day), date(2024, 1, day), "day"),
        place=Place(
            name=place["name"], country=place["country"], lat=lat, lon=lon, precision="facility"
        ),
        attack_modes=["uas_one_way"],
        casualties=Casualties(killed=Range(killed, killed)) if killed is not None else Casualties(),
        id=f"{doc}-{pos}",
        document_id=f"doc-{doc}",
    )


def _fake_extract(doc: ScenarioDoc):
    """Extraction as it should be, without running the extractor."""
    mentions = {
        "a": [_mention("a", 0, 28, T22, killed=3)],
        "b": [_mention("b", 0, 28, T22)],
        "c": [_mention("c", 0, 30, TANF), _mention("c", 1, 28, T22, killed=3)],
    }[doc.id]
    return SimpleNamespace(incidents=mentions)


def _figures(result) -> dict:
    return MergeReport(scenarios=[result]).figures()


def test_right_resolution_scores_one():
    result = score_scenario(_scenario(), _fake_extract)
    assert (result.true_pairs, result.predicted_pairs, result.gold_pairs) == (3, 3, 3)
    assert _figures(result) == {
        "merge_precision": 1.0,
        "merge_recall": 1.0,
        "merge_f1": 1.0,
        "mention_recall": 1.0,
    }
    assert (result.gold_incidents, result.resolved_incidents) == (2, 2)
    assert not (result.missed or result.merged or result.split)


def test_wrong_clusterings_score_lower():
    # everything merged: 6 predicted pairs, 3 of them right; every gold pair found
    merged = score_scenario(_scenario(), _fake_extract, resolve=lambda ms: [[m.id for m in ms]])
    f = _figures(merged)
    assert (f["merge_precision"], f["merge_recall"]) == (0.5, 1.0)
    assert f["merge_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert merged.merged and merged.merged[0]["events"] == ["T22", "TANF"]

    # the third report's Tower 22 mention split off: 1 pair predicted, right; 1 of 3 found
    split = score_scenario(
        _scenario(), _fake_extract, resolve=lambda ms: [["a-0", "b-0"], ["c-0"], ["c-1"]]
    )
    f = _figures(split)
    assert (f["merge_precision"], f["merge_recall"]) == (1.0, pytest.approx(1 / 3, abs=1e-4))
    assert [s["event"] for s in split.split] == ["T22"]
    assert split.resolved_incidents == 3


def test_a_missing_mention_lowers_mention_recall_only():
    def extract(doc):
        ex = _fake_extract(doc)
        if doc.id == "c":
            ex.incidents = ex.incidents[:1]  # the Tower 22 recall in report c is not extracted
        return ex

    result = score_scenario(_scenario(), extract)
    f = _figures(result)
    assert f["mention_recall"] == 0.75
    assert (f["merge_precision"], f["merge_recall"]) == (
        1.0,
        1.0,
    )  # over the 3 paired mentions: 1 gold pair
    assert [(m["event"], m["document"]) for m in result.missed] == [("T22", "c")]


def test_pairs_pool_over_scenarios():
    good = score_scenario(_scenario(), _fake_extract)
    bad = score_scenario(_scenario(), _fake_extract, resolve=lambda ms: [[m.id for m in ms]])
    report = MergeReport(scenarios=[good, bad])
    # pooled: 3 + 3 right of 3 + 6 predicted, 3 + 3 gold
    assert report.figures()["merge_precision"] == pytest.approx(6 / 9, abs=1e-4)
    assert report.figures()["merge_recall"] == 1.0
    assert report.to_dict()["incidents"] == {"gold": 4, "resolved": 3, "resolved_paired": 3}


def test_real_extraction_on_plain_reports(tmp_path):
    line = {
        "id": "plain",
        "documents": [
            {
                "id": "a",
                "published": "2024-01-28",
                "text": "Drone hits Tower 22\nA one-way attack drone struck Tower 22 in Jordan on Sunday, killing three US soldiers.",
            },
            {
                "id": "b",
                "published": "2024-01-29",
                "text": "Tower 22 toll\nSunday's one-way drone attack on Tower 22 in Jordan killed three US soldiers, officials said on Monday.",
            },
            {
                "id": "c",
                "published": "2024-01-30",
                "text": "Drone downed at Al-Tanf\nA one-way attack drone was shot down over the Al-Tanf Garrison in Syria on Tuesday, officials said.",
            },
        ],
        "incidents": [
            {
                "event": "E1",
                "document": "a",
                "date": D28,
                "place": T22,
                "attack_modes": ["uas_one_way"],
            },
            {
                "event": "E1",
                "document": "b",
                "date": D28,
                "place": T22,
                "attack_modes": ["uas_one_way"],
            },
            {
                "event": "E2",
                "document": "c",
                "date": D30,
                "place": TANF,
                "attack_modes": ["uas_one_way"],
            },
        ],
    }
    path = tmp_path / "scenarios.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = evaluate_scenarios(load_scenarios(path))
    assert report.figures() == {
        "merge_precision": 1.0,
        "merge_recall": 1.0,
        "merge_f1": 1.0,
        "mention_recall": 1.0,
    }
    assert report.to_dict()["incidents"]["gold"] == 2


# ---- the file and the command --------------------------------------------------------------


def test_project_scenarios_load():
    scenarios = load_scenarios(SCENARIOS)
    assert len(scenarios) >= 12
    for sc in scenarios:
        assert 3 <= len(sc.documents) <= 6
        docs = {d.id for d in sc.documents}
        assert {g["document"] for g in sc.incidents} == docs  # every report tells something
        assert len({g["event"] for g in sc.incidents}) >= 2  # not everything should merge
        pairs = [(g["event"], g["document"]) for g in sc.incidents]
        assert len(pairs) == len(set(pairs))  # one record per (event, document)
    assert is_scenario_file(SCENARIOS)
    assert not is_scenario_file(ROOT / "gold" / "tune.jsonl")


@pytest.mark.parametrize(
    "line, needle",
    [
        ("{not json", "not JSON"),
        ('{"documents": []}', "'id'"),
        ('{"id": "x", "documents": []}', "non-empty list"),
        (
            '{"id": "x", "documents": [{"id": "a", "published": "2024-13-01", "text": "t"}]}',
            "not YYYY-MM-DD",
        ),
        (
            '{"id": "x", "documents": [{"id": "a", "text": "t"}], "incidents": [{"event": "E1", "document": "b"}]}',
            "'b'",
        ),
        (
            '{"id": "x", "documents": [{"id": "a", "text": "t"}], "incidents": [{"document": "a"}]}',
            "'event'",
        ),
    ],
)
def test_bad_scenario_lines_name_file_and_line(tmp_path, line, needle):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "ok", "documents": [{"id": "a", "text": "fine"}]}\n' + line + "\n", encoding="utf-8"
    )
    with pytest.raises(GoldError) as err:
        load_scenarios(path)
    assert f"{path}:2:" in str(err.value) and needle in str(err.value)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitrep.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def test_cli_eval_scenarios_json():
    proc = _run("eval", str(SCENARIOS), "--json", "--show-misses")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    figures = out["figures"]
    assert set(figures) == {"merge_precision", "merge_recall", "merge_f1", "mention_recall"}
    assert all(0.0 <= v <= 1.0 for v in figures.values())
    assert len(out["scenarios"]) >= 12
    assert out["incidents"]["gold"] == sum(s["gold_incidents"] for s in out["scenarios"])
    assert isinstance(out["diffs"], list)


def test_cli_eval_scenarios_text():
    proc = _run("eval", str(SCENARIOS), "--show-misses")
    assert proc.returncode == 0, proc.stderr
    assert "pairwise precision" in proc.stdout and "scenario-01" in proc.stdout


def test_cli_bad_scenarios_line_is_one_line_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "x", "documents": [{"id": "a", "text": "t"}], "incidents": [{"event": "E1", "document": "zz"}]}\n',
        encoding="utf-8",
    )
    proc = _run("eval", str(path))
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("sitrep: error: ") and "zz" in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""
