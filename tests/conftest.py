"""Shared database fixtures: ``db_url`` and ``store`` run once on SQLite and once on
PostgreSQL (``SITREP_TEST_POSTGRES_URL``; skipped, with the reason, when unset or down).
Each PostgreSQL test gets its own schema, so runs are independent under ``-n 2``."""

from __future__ import annotations

import os
import uuid
from functools import cache

import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url

PG_ENV = "SITREP_TEST_POSTGRES_URL"

# Property tests check behaviour, not speed (benchmarks/ measures speed): no per-example
# deadline, which a loaded CI machine or a cold lexicon cache would trip at random.
settings.register_profile("sitrep", deadline=None)
settings.load_profile("sitrep")


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@cache
def _postgres_unavailable() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return f"PostgreSQL tests need {PG_ENV}"
    import psycopg

    try:
        psycopg.connect(_libpq(url), connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {make_url(url).render_as_string()} unreachable: {str(exc).strip().splitlines()[0]}"
    return None


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(os.environ[PG_ENV]), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    schema = f"sitrep_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE SCHEMA {schema}")
    url = make_url(os.environ[PG_ENV]).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _pg_admin(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "sitrep.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    from sitrep.store import open_store

    s = open_store(db_url)
    yield s
    s.close()
