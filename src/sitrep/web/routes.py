"""Read routes. Each endpoint function is mounted three times: the page (``/incidents``),
its JSON twin (``/incidents.json``; ``?format=json`` works too) and the API route
(``/api/incidents``, the one in the OpenAPI document). One function, one view dict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from sitrep.errors import InputError
from sitrep.store import Store
from sitrep.web import geo, vendor, views
from sitrep.web.errors import wants_json
from sitrep.web.params import (
    EXPORT_FORMAT,
    INCIDENT_FILTERS,
    PAGING,
    Page,
    filters,
    openapi,
    read,
)
from sitrep.web.render import dumps, json_bytes, json_response, jsonable, render_page
from sitrep.web.schemas import IncidentPage

Id = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[\w.:-]+$")]


def store_of(request: Request) -> Store:
    return request.app.state.store


def respond(request: Request, template: str, data: dict) -> Response:
    if wants_json(request):
        return json_response(data)
    return render_page(request, template, data)


def _links(request: Request, page: Page) -> Callable[[bool], dict]:
    return lambda more: page.links(request, more)


def _mount(
    router: FastAPI,
    endpoint: Callable,
    page: str | None,
    twin: str | None,
    api: str | None,
    *,
    summary: str,
    tag: str,
    params: tuple = (),
    model: type | None = None,
) -> None:
    # The twin first: "/incidents/{id}" would otherwise take "/incidents/x.json".
    if twin:
        router.add_api_route(twin, endpoint, methods=["GET"], include_in_schema=False)
    if api:
        router.add_api_route(
            api,
            endpoint,
            methods=["GET"],
            summary=summary,
            tags=[tag],
            openapi_extra=openapi(*params),
            response_model=model,  # documents the JSON; a returned Response is sent as is
        )
    if page:
        router.add_api_route(
            page, endpoint, methods=["GET"], include_in_schema=False, response_class=HTMLResponse
        )


# -- endpoints ----------------------------------------------------------------------------
# Each reads its query with params.read (declared in params.PARAMS, documented through
# openapi_extra) and returns respond(...) of one view dict.

LIST = (*INCIDENT_FILTERS, *PAGING, "order")


def overview(request: Request) -> Response:
    f = filters(read(request, *INCIDENT_FILTERS))
    outlines = geo.PATH if request.app.state.outlines else None
    return respond(request, "overview.html", views.overview(store_of(request), f, outlines))


async def incident_list(request: Request) -> Response:
    """The API's busiest read. A JSON page the cache holds for the store's current data
    version is answered here on the event loop; anything else is read from the store in
    a worker thread, as every other read is."""
    cache = request.app.state.pages
    key = (request.scope["path"], request.scope["query_string"]) if wants_json(request) else None
    version = cache.version() if key else None
    body = cache.get(key, version)
    if body is not None:
        return json_bytes(body)
    return await run_in_threadpool(_incident_list, request, key, version)


def _incident_list(request: Request, key: tuple | None, version: int | None) -> Response:
    got = read(request, *LIST)
    page = Page.of(request, got)
    data = views.incidents(
        store_of(request), filters(got), page, got["order"], _links(request, page)
    )
    if key is None:
        return render_page(request, "incidents.html", data)
    body = dumps(data)
    request.app.state.pages.put(key, version, body)
    return json_bytes(body)


def incident(request: Request, incident_id: Id) -> Response:
    return respond(request, "incident.html", views.incident(store_of(request), incident_id))


def document_list(request: Request) -> Response:
    got = read(request, "since", "until", "q", *PAGING)
    page = Page.of(request, got)
    data = views.documents(
        store_of(request), got["since"], got["until"], got["q"], page, _links(request, page)
    )
    return respond(request, "documents.html", data)


def document(request: Request, doc_id: Id) -> Response:
    got = read(request, "start", "end")
    start, end = got["start"], got["end"]
    focus = (start, end) if start is not None and end is not None and end > start else None
    return respond(request, "document.html", views.document(store_of(request), doc_id, focus))


MENTION_FILTERS = ("doc_id", "since", "until", "country", "mode", "actor", "attacker", "target")


def mention_list(request: Request) -> Response:
    got = read(request, *MENTION_FILTERS, *PAGING)
    page = Page.of(request, got)
    found = {k: (got[k] or None) for k in MENTION_FILTERS}
    return json_response(views.mentions(store_of(request), found, page, _links(request, page)))


CLAIM_FILTERS = ("measure", "subject_id", "since", "until", "doc_id")


def claim_list(request: Request) -> Response:
    got = read(request, *CLAIM_FILTERS, *PAGING)
    page = Page.of(request, got)
    found = {k: (got[k] or None) for k in CLAIM_FILTERS}
    return respond(
        request, "claims.html", views.claims(store_of(request), found, page, _links(request, page))
    )


def series_list(request: Request) -> Response:
    got = read(request, "measure", "subject_id", *PAGING)
    page = Page.of(request, got)
    data = views.series_list(
        store_of(request), got["measure"], got["subject_id"], page, _links(request, page)
    )
    return respond(request, "series_list.html", data)


def series(request: Request, series_id: Id) -> Response:
    return respond(request, "series.html", views.series(store_of(request), series_id))


TALLY = ("since", "until", "target", "country")


def tally(request: Request) -> Response:
    got = read(request, *TALLY)
    if len(got["country"]) > 1:
        raise HTTPException(422, "country: one country at a time")
    country = got["country"][0] if got["country"] else None
    data = views.tally(store_of(request), got["since"], got["until"], got["target"], country)
    return respond(request, "tally.html", data)


def report(request: Request) -> Response:
    got = read(request, "since", "format")
    if got["format"] == "md":
        from sitrep.report.sitrep_report import build_report, render_markdown

        text = render_markdown(build_report(store_of(request), since=got["since"]))
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")
    return respond(request, "report.html", views.report(store_of(request), got["since"]))


def corrections(request: Request) -> Response:
    got = read(request, "record_type", "record_id")
    found = store_of(request).corrections(
        record_type=got["record_type"], record_id=got["record_id"]
    )
    return json_response({"count": len(found), "corrections": jsonable(found)})


def export(request: Request) -> Response:
    """Every incident matching the filters, in one of the export formats."""
    import io

    from sitrep.report.exports import SUFFIXES, source_names, write_incidents
    from sitrep.web.data import matching_ids

    got = read(request, *INCIDENT_FILTERS, EXPORT_FORMAT)
    f, fmt = filters(got), got["format"]
    store = store_of(request)
    found = store.incident_records(
        since=f.since,
        until=f.until,
        country=f.country or None,
        mode=f.mode or None,
        target=f.target,
        attacker=f.attacker,
    )
    if f.actor or f.q:
        keep = matching_ids(store, f)
        found = [i for i in found if i.id in keep]
    out = io.BytesIO()
    write_incidents(found, fmt, out, sources=source_names(store, found))
    media = {
        "csv": "text/csv",
        "acled": "text/csv",
        "jsonl": "application/x-ndjson",
        "geojson": "application/geo+json",
        "parquet": "application/vnd.apache.parquet",
    }[fmt]
    name = f"sitrep-incidents{'-acled' if fmt == 'acled' else ''}{SUFFIXES[fmt]}"
    return Response(
        out.getvalue(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def api_index(request: Request) -> Response:
    """The API's routes, from the OpenAPI document (the twin is /api/openapi.json)."""
    spec = request.app.openapi()
    rows = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "write": method.upper() != "GET",
                    "parameters": [p["name"] for p in op.get("parameters", [])],
                }
            )
    return render_page(request, "api.html", {"routes": rows, "openapi": "/api/openapi.json"})


def openapi_twin(request: Request) -> Response:
    return json_response(request.app.openapi())


def vega_bundle(request: Request) -> Response:
    b = vendor.bundle()
    headers = {"ETag": b.etag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == b.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        return Response(b.gzipped, media_type="text/javascript", headers=headers)
    return Response(b.body, media_type="text/javascript", headers=headers)


def world_outlines(request: Request) -> Response:
    path = request.app.state.outlines
    if not path:
        raise HTTPException(404, "no country outlines on this server (see SITREP_WORLD_SHAPES)")
    try:
        body = geo.outlines(path)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(
        body, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=86400"}
    )


def install(app: FastAPI) -> None:
    r = app  # routes go on the app itself, so app.routes lists every one (tests walk it)
    r.add_api_route(vendor.PATH, vega_bundle, methods=["GET"], include_in_schema=False)
    r.add_api_route(geo.PATH, world_outlines, methods=["GET"], include_in_schema=False)
    _mount(
        r,
        overview,
        "/",
        "/index.json",
        "/api/overview",
        summary="Overview: timeline, cumulative counts beside official claims, places, latest documents",
        tag="ledger",
        params=INCIDENT_FILTERS,
    )
    _mount(
        r,
        incident_list,
        "/incidents",
        "/incidents.json",
        "/api/incidents",
        summary="Resolved incidents, filtered and paged",
        tag="incidents",
        params=LIST,
        model=IncidentPage,
    )
    _mount(
        r,
        incident,
        "/incidents/{incident_id}",
        "/incidents/{incident_id}.json",
        "/api/incidents/{incident_id}",
        summary="One incident: every field with its sources and evidence, and its corrections",
        tag="incidents",
    )
    _mount(
        r,
        document_list,
        "/documents",
        "/documents.json",
        "/api/documents",
        summary="Documents, newest first; q searches their full text",
        tag="documents",
        params=("since", "until", "q", *PAGING),
    )
    _mount(
        r,
        document,
        "/documents/{doc_id}",
        "/documents/{doc_id}.json",
        "/api/documents/{doc_id}",
        summary="One document: its text, evidence spans and extracted records",
        tag="documents",
        params=("start", "end"),
    )
    _mount(
        r,
        mention_list,
        None,
        None,
        "/api/mentions",
        summary="Incident mentions (one attack as one document tells it)",
        tag="incidents",
        params=(*MENTION_FILTERS, *PAGING),
    )
    _mount(
        r,
        claim_list,
        "/claims",
        "/claims.json",
        "/api/claims",
        summary="Claims: quantities officials and reporters assert",
        tag="claims",
        params=(*CLAIM_FILTERS, *PAGING),
    )
    _mount(
        r,
        series_list,
        "/series",
        "/series.json",
        "/api/series",
        summary="Claim series: evolving official tallies",
        tag="claims",
        params=("measure", "subject_id", *PAGING),
    )
    _mount(
        r,
        series,
        "/series/{series_id}",
        "/series/{series_id}.json",
        "/api/series/{series_id}",
        summary="One claim series, point by point, beside the ledger's count",
        tag="claims",
    )
    _mount(
        r,
        tally,
        "/tally",
        "/tally.json",
        "/api/tally",
        summary="Incidents counted since a date, by mode, country and severity, beside the latest official claims",
        tag="ledger",
        params=TALLY,
    )
    _mount(
        r,
        report,
        "/report",
        "/report.json",
        "/api/report",
        summary="The situation report (format=md for Markdown)",
        tag="ledger",
        params=("since", "format"),
    )
    _mount(
        r,
        corrections,
        None,
        None,
        "/api/corrections",
        summary="Analyst corrections",
        tag="corrections",
        params=("record_type", "record_id"),
    )
    _mount(
        r,
        export,
        None,
        None,
        "/api/export",
        summary="Incidents as CSV, JSON Lines, GeoJSON, Parquet or ACLED-style CSV",
        tag="incidents",
        params=(*INCIDENT_FILTERS, EXPORT_FORMAT),
    )
    r.add_api_route(
        "/api", api_index, methods=["GET"], include_in_schema=False, response_class=HTMLResponse
    )
    r.add_api_route("/api.json", openapi_twin, methods=["GET"], include_in_schema=False)
