"""A ledger built once from the test corpus (SQLite), for the read-only report tests."""

from __future__ import annotations

import pytest

from sitrep.ledger import ingest_paths, resolve_store
from sitrep.store import open_store
from tests.report.corpus import write_corpus


@pytest.fixture(scope="package")
def ledger_db(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("ledger")
    db = str(root / "sitrep.db")
    with open_store(db) as store:
        result = ingest_paths(store, [write_corpus(root / "reports")])
        assert result.new == 4 and not result.errors, result.errors
        resolve_store(store)
    return db
