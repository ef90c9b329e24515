"""One error shape everywhere: ``{"error": {"status": 401, "message": "..."}}``.

SitrepError subclasses map through their ``.status``; FastAPI's and Starlette's own
errors (404, 405, 422) take the same shape. A request for a page (not ``/api/...``, not
``.json``, not ``?format=json``) gets the same status and message as an HTML page.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from sitrep.errors import SitrepError

log = logging.getLogger("sitrep.web")


def wants_json(request: Request) -> bool:
    """JSON for the API, JSON twins and assets, and for clients that ask for JSON, not HTML."""
    path = request.url.path
    accept = request.headers.get("accept", "")
    return (
        path.startswith(("/api/", "/static/"))
        or path.endswith(".json")
        or request.query_params.get("format") == "json"
        or ("application/json" in accept and "text/html" not in accept)
    )


def error_body(status: int, message: str) -> dict:
    return {"error": {"status": status, "message": " ".join(str(message).split())}}


def error_response(request: Request, status: int, message: str, headers=None) -> Response:
    from sitrep.web.render import json_response, render_page

    if wants_json(request):
        return json_response(error_body(status, message), status=status, headers=headers)
    return render_page(
        request,
        "error.html",
        {"error": error_body(status, message)["error"]},
        status=status,
        headers=headers,
    )


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    @app.exception_handler(SitrepError)
    async def _sitrep(request: Request, exc: SitrepError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(request, exc.status, exc.message, headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no route {request.url.path}"
        return error_response(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_message(exc))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, f"internal error ({type(exc).__name__})")
