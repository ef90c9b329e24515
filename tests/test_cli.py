"""The command line as a new user meets it: bad input gets one line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True, timeout=120
    )


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("sitrep: error: ")
    return lines[0]


@pytest.mark.parametrize(
    "name, content, needle",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n ", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        ("noise.txt", bytes([0, 159, 146, 150, 0, 1, 2]) * 50, ""),
    ],
)
def test_bad_input_is_one_line(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    proc = run("extract", str(path), "--json")
    assert proc.returncode == 2
    assert needle in one_line_error(proc)
    assert proc.stdout == ""


def test_huge_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: 20 MB without writing it
    proc = run("extract", str(path))
    assert proc.returncode == 2
    assert "limit" in one_line_error(proc)


def test_missing_path_and_bad_date(tmp_path):
    missing = run("extract", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert "nope.txt" in one_line_error(missing)
    good = tmp_path / "r.txt"
    good.write_text("Rockets struck Al-Asad Airbase on Monday, officials said.\n", encoding="utf-8")
    proc = run("extract", str(good), "--published", "not-a-date")
    assert proc.returncode == 2
    assert "--published" in one_line_error(proc)


def test_a_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.txt").write_text(
        "A drone struck Tower 22 in Jordan on Sunday, officials said.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_bytes(b"")
    proc = run("extract", str(tmp_path), "--published", "2024-01-29", "--json")
    assert proc.returncode == 1
    one_line_error(proc)
    (doc,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert doc["incidents"][0]["place"]["name"] == "Tower 22"


def test_examples_extract_as_json():
    proc = run("extract", str(ROOT / "examples"), "--json")
    assert proc.returncode == 0, proc.stderr
    docs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(docs) >= 20
    assert sum(len(d["incidents"]) for d in docs) > 20
    assert sum(len(d["claims"]) for d in docs) > 20
    for d in docs:
        assert set(d) >= {"document", "incidents", "claims", "interactions", "quotes"}


def test_eval_json_matches_the_table(tmp_path):
    proc = run("eval", str(ROOT / "gold" / "tune.jsonl"), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"incidents", "claims", "incident_fields", "claim_fields"} <= set(out)
    assert 0 <= out["claims"]["f1"] <= 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert "bad.jsonl:1" in one_line_error(run("eval", str(bad)))
