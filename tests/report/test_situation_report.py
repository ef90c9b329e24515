"""The situation report: the seed's headline, who said what when, sources, inert HTML."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.ledger import ingest_paths, resolve_store
from sitrep.model import Range
from sitrep.report.sitrep_report import build_report, md, render_html, render_markdown, value_text
from sitrep.store import open_store
from tests.report.corpus import seed_path

runner = CliRunner()


def _report(db: str, *args: str) -> str:
    result = runner.invoke(app, ["report", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_corpus_report(ledger_db):
    text = _report(ledger_db)
    # no casualty claim in the corpus: the headline counts the ledger's incidents
    assert "injured in 1 attack counted in the ledger" in text and "2 injured (2 minor)" in text
    assert "## Official tallies: who said what, when" in text
    assert "| 7 November 2023 | at least 40 | the Pentagon |" in text
    assert "## Incidents (2)" in text
    # each incident lists its sources with the sentence that reports it
    assert "(https://example.org/sitrep-tests/asad-wire)" in text
    assert "(https://example.org/sitrep-tests/asad-post)" in text
    assert "\u201cMilitants fired rockets at Al-Asad Air Base in Iraq on Monday" in text


def test_report_since_and_output_file(ledger_db, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(
        app,
        ["report", "--db", ledger_db, "--since", "2023-10-24", "--format", "html", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Incidents (1)" in html and "Tower 22" in html


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> str:
    seed = seed_path()
    if seed is None:
        pytest.skip("../shared/seed is not beside this checkout")
    root = tmp_path_factory.mktemp("seed")
    folder = root / "reports"
    folder.mkdir()
    shutil.copy(seed, folder / seed.name)
    meta = {"path": seed.name, "published": "2024-01-25", "url": "https://example.org/seed"}
    (folder / "manifest.jsonl").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    db = str(root / "sitrep.db")
    with open_store(db) as store:
        assert ingest_paths(store, [folder]).new == 1
        resolve_store(store)
    return db


def test_seed_headline(seed_db):
    with open_store(seed_db) as store:
        report = build_report(store)
    h = report.headline
    assert h.basis == "claims"
    assert "1 serious" in h.text and "70 minor" in h.text
    assert h.text == (
        "US personnel injured in attacks since 18 October 2023: 1 serious, 70 minor, mostly from "
        "rocket, mortar, indirect fire and one-way attack drone attacks with 8 to 50 kg of explosives"
    )
    assert h.as_of == date(2024, 1, 25) and h.attribution == "a senior military official"
    (source,) = h.sources
    assert "1 serious" in source.quote and "70" in source.quote  # the sentence that says it
    text = _report(seed_db)
    assert "1 serious" in text and "70 minor" in text
    assert "according to a senior military official" in text


def _hostile_ledger(tmp_path) -> str:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "a.txt").write_text(
        'Rockets <script>alert("title")</script> hit Al-Asad\n'
        "The Islamic Resistance in Iraq fired two rockets at US forces at Al-Asad Air Base on "
        'Monday <script>alert("body")</script>, a US official said. Two service members suffered '
        "minor injuries.\n",
        encoding="utf-8",
    )
    meta = {
        "path": "a.txt",
        "published": "2023-10-24",
        "url": "javascript:alert(1)",
        "outlet": "<img src=x onerror=alert(1)>",
    }
    (folder / "manifest.jsonl").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    db = str(tmp_path / "sitrep.db")
    with open_store(db) as store:
        assert ingest_paths(store, [folder]).new == 1
        resolve_store(store)
    return db


def test_html_report_renders_document_text_inert(tmp_path):
    db = _hostile_ledger(tmp_path)
    html = _report(db, "--format", "html")
    assert "<script" not in html.lower()
    assert "javascript:" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html  # the title, shown as text
    assert "&lt;script&gt;alert(&#34;body&#34;)&lt;/script&gt;" in html  # the quoted sentence


def test_markdown_report_escapes_document_text(tmp_path):
    db = _hostile_ledger(tmp_path)
    text = _report(db)
    assert "<script>" not in text and "](javascript:" not in text
    assert r"\<script\>" in text


def test_rendering_with_a_title():
    from sitrep.report.sitrep_report import Headline, SituationReport

    report = SituationReport(
        title="<b>Weekly</b>",
        generated=date(2024, 2, 1),
        since=None,
        headline=Headline("No casualties reported in the ledger", "none"),
        tally=None,
        series=[],
        other_figures=[],
        incidents=[],
    )
    assert "<title>&lt;b&gt;Weekly&lt;/b&gt;</title>" in render_html(report)
    assert render_markdown(report).startswith(r"# \<b\>Weekly\</b\>")


def test_wording():
    from sitrep.report.sitrep_report import _reader_case

    assert _reader_case("US Personnel") == "US personnel"
    assert _reader_case("American Service Members") == "American service members"
    assert _reader_case("US and coalition forces") == "US and coalition forces"
    assert value_text(Range(38, None), "at_least") == "at least 38"
    assert value_text(Range(8, 50), "between") == "8 to 50"
    assert value_text(Range(70, 70), "exact") == "70"
    assert value_text(Range(None, 50), "up_to") == "up to 50"
    assert md("a|b [c](d) *e*") == r"a\|b \[c\](d) \*e\*"
