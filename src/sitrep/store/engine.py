"""Connections and migrations: a URL or path in, a migrated SQLAlchemy engine out.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and SQLAlchemy
(not the sqlite3 module) emits BEGIN, so DDL is transactional and a write transaction
can take the write lock up front (``BEGIN IMMEDIATE``) instead of failing on upgrade.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from sitrep.errors import SitrepError, StoreError
from sitrep.store.schema import (
    FTS_TABLE,
    LIST_INDEXES,
    PG_SEARCH_COLUMN,
    PG_SEARCH_INDEX,
    TALLY_INDEX,
)

DEFAULT_PATH = "sitrep.db"
BUSY_TIMEOUT_MS = 30_000
VERSION_TABLE = "sitrep_version"
HEAD = "0005"  # the newest migration; a test pins it to the migrations folder
MIGRATIONS = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x5174_5E70  # pg_advisory_xact_lock key: one migrator at a time


def describe(exc: BaseException) -> str:
    """The first line of what the database said, without SQLAlchemy's decoration."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


@contextmanager
def translate(action: str) -> Iterator[None]:
    """Turn driver and SQLAlchemy failures into a one-line StoreError."""
    try:
        yield
    except SitrepError:
        raise
    except (
        sa.exc.SQLAlchemyError,
        sqlite3.Error,
        OSError,
        ValueError,
        TypeError,
        OverflowError,
    ) as exc:
        raise StoreError(f"{action}: {describe(exc)}") from None


def resolve_url(url_or_path: str | os.PathLike | None) -> tuple[URL, str]:
    """The SQLAlchemy URL to open and a label for messages (a path, or a URL without password)."""
    if url_or_path is None:
        url_or_path = os.environ.get("SITREP_DB") or DEFAULT_PATH
    raw = os.fspath(url_or_path)
    if raw in ("", ":memory:"):
        return make_url("sqlite://"), ":memory:"
    if "://" not in raw:
        path = Path(raw).expanduser()
        return URL.create("sqlite+pysqlite", database=str(path)), str(path)
    try:
        url = make_url(raw)
    except sa.exc.ArgumentError:
        raise StoreError(f"{raw}: not a database URL") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
        return url, url.render_as_string(hide_password=True)
    if backend == "sqlite":
        label = url.database or ":memory:"
        return url, label
    raise StoreError(
        f"{url.render_as_string(hide_password=True)}: unsupported database (use SQLite or PostgreSQL)"
    )


def create(url: URL) -> Engine:
    """An engine for ``url`` with sitrep's connection settings."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
    return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    if memory:
        # One shared connection, or every pooled connection would see its own empty database.
        engine = sa.create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # The web layer reads from worker threads; the pool hands a connection to one at a time.
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see module docstring)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not memory:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that will write: committed on success, rolled back on error."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def include_name(name, type_, parent_names) -> bool:
    """Alembic's view of the schema leaves out what the migrations make by hand for one
    dialect: the FTS5 table (and its shadow tables), the PostgreSQL search column, and
    the indexes of the tally and of the incident list (their columns differ by dialect)."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if type_ == "column":
        return name != PG_SEARCH_COLUMN
    if type_ == "index":
        return name not in (PG_SEARCH_INDEX, TALLY_INDEX, *LIST_INDEXES)
    return True


def alembic_config(conn: Connection):
    """An Alembic config over the packaged migrations, bound to ``conn``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def current_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar()


def migrate(engine: Engine, label: str) -> None:
    """Bring the database to HEAD. Refuses a database that has other tables and no sitrep
    version, and one written by a newer sitrep."""
    with engine.connect() as conn:
        if current_revision(conn) == HEAD:
            return  # the common case: no Alembic import, no lock
    from alembic import command

    with write_connection(engine) as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        revision = current_revision(conn)
        if revision is None and set(sa.inspect(conn).get_table_names()) - {VERSION_TABLE}:
            raise StoreError(f"{label}: not a sitrep database")
        if revision is not None and revision != HEAD and not _known(revision):
            raise StoreError(
                f"{label}: database schema {revision} is newer than this sitrep (knows up to {HEAD})"
            )
        command.upgrade(alembic_config(conn), "head")


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    return any(s.revision == revision for s in script.walk_revisions())


def open_engine(url_or_path: str | os.PathLike | None) -> tuple[Engine, str]:
    """A migrated engine and its label; StoreError with one line on any failure."""
    url, label = resolve_url(url_or_path)
    with translate(label):
        engine = create(url)
        try:
            migrate(engine, label)
        except (sa.exc.DatabaseError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            if "not a database" in describe(exc):  # sqlite3: "file is not a database"
                raise StoreError(f"{label}: not a sitrep database") from None
            raise
        except BaseException:
            engine.dispose()
            raise
    return engine, label
