"""The ledger work flow (issue 3): ingest is idempotent, resolution is incremental, one bad
file costs only itself. Runs on SQLite, and on PostgreSQL when SITREP_TEST_POSTGRES_URL is
set (the ``db_url`` fixture)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.ledger import ingest_paths, resolve_store
from sitrep.store import open_store
from tests.report.corpus import write_corpus

runner = CliRunner()


def _cli(*args: str):
    return runner.invoke(app, list(args))


def _clusters(store) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted(inc.mention_ids)) for inc in store.incident_records())


def test_ingesting_twice_changes_no_count(db_url, tmp_path):
    folder = write_corpus(tmp_path / "reports")
    first = _cli("ingest", str(folder), "--db", db_url, "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["ingest"]["new"] == 4 and summary["ingest"]["failed"] == 0
    with open_store(db_url) as store:
        before = store.counts()
        incidents = _clusters(store)
        series = [s.to_dict() for s in store.claim_series()]
    assert before["documents"] == 4 and before["incidents"] == 2

    again = _cli("ingest", str(folder), "--db", db_url, "--json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert (summary["ingest"]["new"], summary["ingest"]["stored"]) == (0, 4)
    assert summary["resolve"]["written"] == 0
    with open_store(db_url) as store:
        assert store.counts() == before
        assert _clusters(store) == incidents
        assert [s.to_dict() for s in store.claim_series()] == series


def test_the_summary_line(tmp_path):
    folder = write_corpus(tmp_path / "reports")
    db = str(tmp_path / "ledger.db")
    result = _cli("ingest", str(folder), "--db", db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("4 new, 0 already stored, 0 failed")
    assert lines[1].startswith("2 incidents")
    result = _cli("ingest", str(folder), "--db", db, "--quiet")
    assert result.stdout.startswith("0 new, 4 already stored, 0 failed")
    assert result.stderr == ""


def test_resolution_is_incremental(db_url, tmp_path):
    """One report first, the other three later: the same incidents as all four at once."""
    one = write_corpus(tmp_path / "first", ["asad_wire.txt"])
    rest = write_corpus(tmp_path / "later", ["asad_post.txt", "tower22.txt", "tally.txt"])
    with open_store(db_url) as store:
        ingest_paths(store, [one])
        first = resolve_store(store)
        assert (first.incidents, first.written) == (1, 1)
        (asad,) = store.incident_records()
        ingest_paths(store, [rest])
        later = resolve_store(store)
        assert later.mentions == 2 and later.incidents == 2 and later.removed == 0
        stepwise = _clusters(store)
        ids = {inc.id for inc in store.incident_records()}
        assert asad.id in ids  # the existing incident kept its id when the second report joined it

    with open_store(str(tmp_path / "all_at_once.db")) as store:
        ingest_paths(store, [one, rest])
        resolve_store(store)
        assert _clusters(store) == stepwise


def test_a_bad_file_among_good_ones(tmp_path):
    folder = write_corpus(tmp_path / "reports")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 200)
    db = str(tmp_path / "ledger.db")
    result = _cli("ingest", str(folder), "--db", db)
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith("sitrep: error: ") and "broken.txt" in errors[0]
    assert result.stdout.startswith("4 new, 0 already stored, 1 failed")
    with open_store(db) as store:
        assert store.counts()["documents"] == 4
        assert store.counts()["incidents"] == 2


def test_nothing_ingestible_is_bad_input(tmp_path):
    db = str(tmp_path / "ledger.db")
    result = _cli("ingest", str(tmp_path / "no-such-folder"), "--db", db)
    assert result.exit_code == 2
    assert result.stderr.startswith("sitrep: error: ") and result.stderr.count("\n") == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = _cli("ingest", str(empty), str(tmp_path / "missing.txt"), "--db", db, "--json")
    assert result.exit_code == 2
    summary = json.loads(result.stdout)
    assert summary["ingest"]["failed"] == 2 and len(summary["ingest"]["errors"]) == 2


def test_progress_reports_each_file(tmp_path):
    folder = write_corpus(tmp_path / "reports")
    seen = []
    with open_store(str(tmp_path / "ledger.db")) as store:
        result = ingest_paths(store, [folder, folder / "tally.txt"], on_progress=seen.append)
    assert [p.done for p in seen] == [1, 2, 3, 4] and {p.total for p in seen} == {4}
    assert {p.status for p in seen} == {"new"} and result.new == 4
    assert len(result.document_ids) == 4


def test_resolving_an_empty_store(tmp_path):
    with open_store(str(tmp_path / "ledger.db")) as store:
        result = resolve_store(store)
        assert (result.incidents, result.series) == (0, 0)


def test_read_commands_refuse_a_missing_database(tmp_path):
    for command in (
        ["incidents"],
        ["claims"],
        ["tally", "--since", "2023-10-17"],
        ["report"],
        ["export", "--format", "csv"],
    ):
        result = _cli(*command, "--db", str(tmp_path / "nothing.db"))
        assert result.exit_code == 2, command
        assert result.stderr.startswith("sitrep: error: ") and "no such database" in result.stderr
    assert not (tmp_path / "nothing.db").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["incidents", "--mode", "catapult"],
        ["incidents", "--since", "not a date"],
        ["claims", "--measure", "vibes"],
        ["report", "--format", "pdf"],
        ["export", "--format", "xml"],
    ],
)
def test_bad_options_are_one_line_errors(tmp_path, args):
    db = str(tmp_path / "ledger.db")
    open_store(db).close()
    result = _cli(*args, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.startswith("sitrep: error: ") and result.stderr.count("\n") == 1


def test_re_extraction_leaves_no_ghost_mentions(tmp_path):
    """A document re-extracted without one of its mentions: the incident that held it is
    rebuilt from the mentions still stored."""
    folder = write_corpus(tmp_path / "reports")
    with open_store(str(tmp_path / "ledger.db")) as store:
        ingest_paths(store, [folder])
        resolve_store(store)
        (asad,) = store.incident_records(mode="rocket")
        assert len(asad.mention_ids) == 2
        post = next(
            d for d in asad.document_ids if "asad-post" in (store.get_document(d).url or "")
        )
        extraction = store.extraction(post)
        extraction.incidents = []
        store.save_extraction(extraction, replace=True)

        result = resolve_store(store)
        stored = {m.id for m in store.mentions()}
        assert result.incidents == 2 and store.counts()["incidents"] == 2
        for inc in store.incident_records():
            assert set(inc.mention_ids) <= stored
            assert {fs.mention_id for sources in inc.fields.values() for fs in sources} <= stored
        (asad,) = store.incident_records(mode="rocket")
        assert len(asad.mention_ids) == 1 and post not in asad.document_ids
