"""The web application: ``create_app(store_url, settings)`` builds it; ``sitrep serve`` runs it.

    from sitrep.web import Settings, create_app
    app = create_app("var/sitrep.db", Settings(api_token="..."))

Layers, outside in: ``Gate`` (request size, tokens, security headers; answers 401/413
before any route reads a body), FastAPI's routing with the one error shape
(``sitrep.web.errors``), the read routes (``routes``: page, JSON twin, API) and the write
routes (``writes``).
"""

from __future__ import annotations

import functools
import gc
import os
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.staticfiles import StaticFiles

from sitrep import __version__
from sitrep.errors import AuthError
from sitrep.store import open_store
from sitrep.web import auth, errors, geo, routes, vendor, writes
from sitrep.web.cache import PageCache
from sitrep.web.settings import Settings

STATIC = Path(__file__).parent / "static"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Vega compiles chart expressions with Function(), hence 'unsafe-eval'; no inline script
# is ever allowed, so text that slipped through as markup still could not run.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class BodyTooLarge(Exception):
    pass


class Gate:
    """Pure ASGI middleware: body size, read and write tokens, security headers."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = self.settings.max_body_bytes
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._refuse(
                request, 413, f"request body over the {limit}-byte limit", send, receive
            )
            return
        try:
            if scope["method"] not in SAFE_METHODS:
                auth.require_write(request)
            elif not scope["path"].startswith("/static/"):
                auth.require_read(request)
        except AuthError as exc:
            await self._refuse(
                request, 401, exc.message, send, receive, {"WWW-Authenticate": "Bearer"}
            )
            return

        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        started = False
        t0 = time.perf_counter()

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                took = f"app;dur={(time.perf_counter() - t0) * 1000:.2f}".encode()
                message["headers"] = [
                    *message.get("headers", []),
                    *SECURITY_HEADERS,
                    (b"server-timing", took),  # time in the app, for load tests and browsers
                ]
            await send(message)

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await self._refuse(
                    request, 413, f"request body over the {limit}-byte limit", send, receive
                )

    async def _refuse(self, request, status, message, send, receive, headers=None):
        response = errors.error_response(request, status, message, headers)
        response.headers.update({k.decode(): v.decode() for k, v in SECURITY_HEADERS})
        await response(request.scope, receive, send)


@functools.cache  # once per process: a test session starts many apps
def _freeze_startup_heap() -> None:
    """Everything loaded by now (modules, settings, the chart bundle) lives as long as
    the server. Moved out of the collector's sight, a full collection under load takes
    2-5 ms instead of the 40-80 ms that stalled every request in flight, several times
    a second, on the incident list at 50 concurrent clients."""
    gc.collect()
    gc.freeze()


def create_app(
    store_url: str | os.PathLike | None = None, settings: Settings | None = None
) -> FastAPI:
    """The sitrep web app over the store at ``store_url`` (``None``: ``$SITREP_DB``)."""
    settings = settings or Settings.from_env()
    store = open_store(store_url)
    pages = PageCache(store, settings.page_cache_mb * 1_000_000)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        vendor.warm_up()
        _freeze_startup_heap()
        try:
            yield
        finally:
            pages.close()
            store.close()

    app = FastAPI(
        title="sitrep",
        version=__version__,
        summary="A source-traced ledger of incidents and official tallies.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: the /api page lists the routes
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.pages = pages
    app.state.write_lock = threading.Lock()
    app.state.vega_available = vendor.available()
    app.state.outlines = geo.source(settings.world_shapes)
    errors.install(app)
    routes.install(app)
    writes.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Gate, settings=settings)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory sitrep.web.app:app_from_env`` (several worker processes):
    the store is ``$SITREP_DB`` and the settings come from the environment."""
    return create_app(None, Settings.from_env())
