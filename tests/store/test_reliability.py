"""Failures leave nothing behind and come out as one line."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa

from sitrep.errors import StoreError
from sitrep.store import open_store, writes
from tests.store.records import sample


def _one_line(err: BaseException) -> str:
    msg = str(err)
    assert "\n" not in msg and "[SQL" not in msg and "sqlalche.me" not in msg, msg
    return msg


def test_constraint_failure_mid_way_rolls_back(store):
    first = sample(1)
    store.save_extraction(first)
    before = store.counts()
    second = sample(2)
    second.claims[1].id = first.claims[0].id  # taken: fails after the document and mentions
    with pytest.raises(StoreError) as err:
        store.save_extraction(second)
    msg = _one_line(err.value)
    assert msg.startswith(f"{store.url}: saving document {second.document.id}: ")
    assert store.counts() == before
    assert not store.has_document(second.document.id)
    assert store.mentions(doc_id=second.document.id) == []


def test_database_error_mid_way_rolls_back(store, monkeypatch):
    real = writes._insert

    def failing(conn, table, values):
        if table.name == "evidence":  # the last table written
            raise sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error"))
        real(conn, table, values)

    monkeypatch.setattr(writes, "_insert", failing)
    with pytest.raises(StoreError, match="saving document .*: disk I/O error$"):
        store.save_extraction(sample())
    monkeypatch.undo()
    assert set(store.counts().values()) == {0}


def test_any_exception_rolls_back(store, monkeypatch):
    def boom(conn, table, values):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(writes, "_insert", boom)
    with pytest.raises(RuntimeError):
        store.save_extraction(sample())
    monkeypatch.undo()
    assert store.counts()["documents"] == 0
    assert store.save_extraction(sample()) is True  # a retry resumes cleanly


def test_batch_is_all_or_nothing(store):
    good, bad = sample(1), sample(2)
    bad.quotes[0].evidence[0].start = None  # NOT NULL
    with pytest.raises(StoreError):
        store.save_extractions([good, bad])
    assert store.counts()["documents"] == 0


def test_concurrent_saves_of_one_document(store):
    results, errors = [], []

    def save():
        try:
            results.append(store.save_extraction(sample()))
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert store.counts()["mentions"] == 2


def test_concurrent_first_opens_migrate_once(db_url):
    stores, errors = [], []

    def open_one():
        try:
            stores.append(open_store(db_url))
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert errors == [] and len(stores) == 3


# -- opening ----------------------------------------------------------------------------


def test_missing_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "sitrep.db"
    with open_store(path) as store:
        assert store.dialect == "sqlite" and store.url == str(path)
    assert path.exists()


def test_sqlite_settings(tmp_path):
    with open_store(tmp_path / "s.db") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert str(err.value) == f"{path}: not a sitrep database"


def test_another_applications_database_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match=r"other\.db: not a sitrep database$"):
        open_store(path)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["recipes"]
    conn.close()


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(StoreError) as err:
        open_store(tmp_path)
    assert _one_line(err.value).startswith(f"{tmp_path}: ")


def test_unsupported_and_malformed_urls():
    with pytest.raises(StoreError, match="unsupported database"):
        open_store("mysql://root@localhost/x")
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("::not a url://")


def test_unreachable_postgres_is_one_line_without_password():
    with pytest.raises(StoreError) as err:
        open_store("postgresql://sitrep:s3cret@127.0.0.1:1/nothing")
    msg = _one_line(err.value)
    assert msg.startswith("postgresql+psycopg://sitrep:***@127.0.0.1:1/nothing: ")
    assert "s3cret" not in msg


def test_default_location_and_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITREP_DB", raising=False)
    with open_store() as store:
        assert store.url == "sitrep.db"
    monkeypatch.setenv("SITREP_DB", str(tmp_path / "env" / "x.db"))
    with open_store() as store:
        assert store.url.endswith("x.db")
    assert (tmp_path / "env" / "x.db").exists()


def test_in_memory_store():
    with open_store(":memory:") as store:
        assert store.save_extraction(sample()) is True
        assert store.counts()["mentions"] == 2
        assert len(store.documents(q="rockets")) == 1


def test_sqlite_url_form(tmp_path):
    with open_store(f"sqlite:///{tmp_path}/u/x.db") as store:
        assert store.save_extraction(sample())
    assert (tmp_path / "u" / "x.db").exists()
