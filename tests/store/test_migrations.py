"""Migrations: empty to head on both databases, and the schema module matches them."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from sitrep.errors import StoreError
from sitrep.store import engine, open_store
from sitrep.store.schema import (
    FTS_TABLE,
    PG_SEARCH_COLUMN,
    PG_SEARCH_INDEX,
    TALLY_INDEX,
    metadata,
)
from tests.store.records import sample

ROOT = Path(__file__).resolve().parents[2]


def _tables(conn) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


def test_head_constant_is_the_newest_migration():
    script = ScriptDirectory(str(engine.MIGRATIONS))
    assert script.get_heads() == [engine.HEAD]
    assert [s.revision for s in script.walk_revisions()][-1] == "0001"


def test_empty_database_migrates_to_head(store):
    with store.engine.connect() as conn:
        assert engine.current_revision(conn) == engine.HEAD
        assert _tables(conn) >= set(metadata.tables) | {engine.VERSION_TABLE}
        if store.dialect == "sqlite":
            assert FTS_TABLE in _tables(conn)
            triggers = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).scalars()
            assert set(triggers) == {f"documents_fts_{op}" for op in ("insert", "delete", "update")}
        else:
            names = {ix["name"] for ix in sa.inspect(conn).get_indexes("documents")}
            assert PG_SEARCH_INDEX in names
            columns = {c["name"] for c in sa.inspect(conn).get_columns("documents")}
            assert PG_SEARCH_COLUMN in columns


def test_schema_module_matches_the_migrations(store):
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "include_name": engine.include_name,
                "compare_type": True,
                "version_table": engine.VERSION_TABLE,
            },
        )
        assert compare_metadata(ctx, metadata) == []


def test_down_to_base_and_up_again(store):
    store.save_extraction(sample())
    with engine.write_connection(store.engine) as conn:
        command.downgrade(engine.alembic_config(conn), "base")
    with store.engine.connect() as conn:
        assert _tables(conn) == {engine.VERSION_TABLE}
    store.close()
    reopened = open_store(store.url if store.dialect == "sqlite" else _url(store))
    assert reopened.counts()["documents"] == 0
    assert reopened.save_extraction(sample()) is True
    reopened.close()


def _url(store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_newer_database_is_refused(store):
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {engine.VERSION_TABLE} SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match="database schema 9999 is newer than this sitrep"):
        open_store(store.url if store.dialect == "sqlite" else _url(store))


def test_foreign_tables_refused_on_postgres(pg_url):
    url = sa.engine.make_url(pg_url)
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE recipes (name text)")
    eng.dispose()
    with pytest.raises(StoreError, match="not a sitrep database$"):
        open_store(pg_url)


def test_opening_a_current_store_does_not_load_alembic(tmp_path):
    path = tmp_path / "fast.db"
    open_store(path).close()
    code = (
        "import sys; from sitrep.store import open_store; "
        f"open_store({str(path)!r}).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_migrations_ship_with_the_package():
    folder = engine.MIGRATIONS
    for name in (
        "env.py",
        "script.py.mako",
        "__init__.py",
        "versions/__init__.py",
        "versions/0001_initial.py",
    ):
        assert (folder / name).is_file(), name
    from setuptools import find_packages

    assert "sitrep.store.migrations.versions" in find_packages(str(ROOT / "src"))
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "*.mako" in config["tool"]["setuptools"]["package-data"]["*"]


def test_upgrading_a_0002_store_fills_the_month_totals(db_url):
    """An 0002 ledger with incidents, opened by this sitrep: migration 0003 fills the
    tally's month totals with what the running code computes, and the tally counts as
    it did over the incidents alone."""
    from sitrep.store import aggregates, tally_months, writes
    from tests.store.counting import expected_counts, sample_incidents

    url, _label = engine.resolve_url(db_url)
    old = engine.create(url)
    records = sample_incidents()
    with engine.write_connection(old) as conn:
        command.upgrade(engine.alembic_config(conn), "0002")
        writes._insert_incidents(conn, *writes._incident_rows(records, []))
    old.dispose()

    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert engine.current_revision(conn) == engine.HEAD  # 0003 and any later
        stored = list(map(tuple, conn.execute(tally_months.tally_months.select())))
        fresh = list(map(tuple, conn.execute(tally_months.totals_select(store.dialect))))
        assert sorted(map(repr, stored)) == sorted(map(repr, fresh))
        assert 0 < len(stored) < len(records)
        assert None in {row[0] for row in stored}  # the undated incidents have their row
        for scope in ({}, {"since": date(2023, 10, 17)}, {"until": date(2023, 11, 30)}):
            got = aggregates.tally_counts(conn, **scope)
            assert got == aggregates.tally_counts(conn, **scope, by_month=False)
            want = expected_counts(store.incident_records(), **scope)
            assert {k: v for k, v in got.items() if k != "figures"} == want
    store.close()


def test_the_sqlite_tally_index_leads_with_the_date(tmp_path):
    """0003 reshapes SQLite's covering index so a few days are one range of entries;
    downgrading to 0002 puts its old shape back."""
    store = open_store(tmp_path / "sitrep.db")

    def first_columns(conn) -> list[str]:
        info = conn.exec_driver_sql(f"PRAGMA index_info({TALLY_INDEX})").fetchall()
        return [row[2] for row in sorted(info)][:3]

    with store.engine.connect() as conn:
        assert first_columns(conn) == ["date_start", "country", "attack_modes"]
    with engine.write_connection(store.engine) as conn:
        command.downgrade(engine.alembic_config(conn), "0002")
    with store.engine.connect() as conn:
        assert first_columns(conn) == ["country", "attack_modes", "date_start"]
        assert "tally_months" not in _tables(conn)
    store.close()


def test_series_points_keep_the_other_claims_behind_them(db_url):
    """One value on one day from several reports is one point; the store keeps the other
    claims that state it (migration 0005), and points stored before read back with none."""
    from sitrep.model import ClaimSeries, Range, SeriesPoint

    store = open_store(db_url)
    ex = sample()
    store.save_extraction(ex)
    c1, c2 = (c.id for c in ex.claims[:2])
    point = SeriesPoint(
        c1,
        date(2023, 11, 7),
        Range(40, None),
        "at_least",
        "the Pentagon",
        ex.document.id,
        other_claim_ids=[c2],
    )
    store.replace_claim_series(
        [
            ClaimSeries(
                "s-attacks", "attacks", "us_forces", "US forces", [], date(2023, 10, 17), [point]
            )
        ]
    )
    [series] = store.claim_series()
    assert series.points[0].other_claim_ids == [c2]
    store.close()


def test_upgrading_a_0004_store_gives_its_series_points_no_other_claims(tmp_path):
    from sitrep.store import writes
    from sitrep.store.schema import claim_series, claim_series_members

    url, _label = engine.resolve_url(str(tmp_path / "old.db"))
    old = engine.create(url)
    ex = sample()
    with engine.write_connection(old) as conn:
        command.upgrade(engine.alembic_config(conn), "0004")
        writes.save_extraction(conn, ex)
        conn.execute(claim_series.insert().values(id="s", measure="attacks", region=[]))
        # the 0004 columns only, as an older sitrep wrote them
        cols = [c for c in claim_series_members.c if c.name != "other_claim_ids"]
        conn.execute(
            sa.insert(sa.table("claim_series_members", *[sa.column(c.name) for c in cols])).values(
                series_id="s",
                position=0,
                claim_id=ex.claims[0].id,
                qualifier="exact",
                value_min=4,
                value_max=4,
            )
        )
    old.dispose()
    store = open_store(str(tmp_path / "old.db"))
    with store.engine.connect() as conn:
        assert engine.current_revision(conn) == engine.HEAD
    [series] = store.claim_series()
    assert series.points[0].other_claim_ids == [] and series.points[0].value.min == 4
    store.close()
