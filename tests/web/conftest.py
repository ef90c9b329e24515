"""Fixtures for the web tests: a test ledger on SQLite and the app served by uvicorn on
127.0.0.1 in a background thread (the same stack as ``sitrep serve``)."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.web import ledger

TOKEN = "test-write-token"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (``item.rep_call``), so a fixture can
    tell whether its test failed (the browser tests save a screenshot then)."""
    outcome = yield
    setattr(item, f"rep_{call.when}", outcome.get_result())


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory) -> Path:
    """The test ledger, built once per session; tests get copies."""
    return ledger.build(tmp_path_factory.mktemp("ledger") / "template.db")


def copy_db(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


@pytest.fixture
def db_path(ledger_template, tmp_path) -> Path:
    return copy_db(ledger_template, tmp_path / "sitrep.db")


class Served:
    """A running server: ``url``, an ``httpx.Client`` on it (``client``), and its app."""

    def __init__(self, app, url: str):
        self.app = app
        self.url = url
        self.client = httpx.Client(base_url=url, timeout=30)

    @property
    def store(self):
        return self.app.state.store

    def write(self, method: str, path: str, token: str | None = TOKEN, **kw) -> httpx.Response:
        headers = kw.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.request(method, path, headers=headers, **kw)


def serve(app) -> Iterator[Served]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    served = Served(app, f"http://127.0.0.1:{port}")
    try:
        yield served
    finally:
        served.client.close()
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def make_app(db: Path, **settings):
    from sitrep.web import Settings, create_app

    return create_app(db, Settings(**{"api_token": TOKEN, **settings}))


@pytest.fixture(scope="module")
def site(tmp_path_factory, ledger_template) -> Iterator[Served]:
    """A read-only site over the test ledger, shared by a module's tests."""
    db = copy_db(ledger_template, tmp_path_factory.mktemp("site") / "sitrep.db")
    yield from serve(make_app(db))


@pytest.fixture
def fresh_site(db_path) -> Iterator[Served]:
    """A site of its own, for tests that write."""
    yield from serve(make_app(db_path))
