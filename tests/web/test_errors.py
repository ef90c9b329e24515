"""One JSON error shape everywhere, checked over every route the app has."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from tests.web.conftest import TOKEN


def assert_shape(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    message = body["error"]["message"]
    assert isinstance(message, str) and message and "\n" not in message
    return message


def routes(app):
    return [r for r in app.routes if isinstance(r, APIRoute)]


def json_face(path: str) -> bool:
    return path.startswith("/api/") or path.endswith(".json")


def test_every_route_is_checked(site):
    found = {(m, r.path) for r in routes(site.app) for m in r.methods}
    assert ("GET", "/incidents/{incident_id}.json") in found
    assert ("POST", "/api/corrections") in found
    assert len(found) > 30


def test_missing_records_are_404_on_every_json_route_with_an_id(site):
    checked = 0
    for r in routes(site.app):
        if "GET" not in r.methods or "{" not in r.path or not json_face(r.path):
            continue
        path = re.sub(r"\{[^}]+\}", "no-such-record", r.path)
        message = assert_shape(site.client.get(path), 404)
        assert "no-such-record" in message
        checked += 1
    assert checked >= 6


def test_bad_parameters_are_422_on_every_json_list_route(site):
    """Every documented query parameter of every list, on the API route and its twin."""
    spec = site.client.get("/api/openapi.json").json()
    twins = {r.path for r in routes(site.app)}
    checked = 0
    for path, ops in spec["paths"].items():
        if "get" not in ops or "{" in path:
            continue
        names = {p["name"] for p in ops["get"].get("parameters", [])}
        twin = "/index.json" if path == "/api/overview" else path.removeprefix("/api") + ".json"
        for target in [path] + ([twin] if twin in twins else []):
            if "limit" in names:
                assert "limit" in assert_shape(
                    site.client.get(target, params={"limit": "lots"}), 422
                )
                assert "limit" in assert_shape(
                    site.client.get(target, params={"limit": 100000}), 422
                )
                assert "offset" in assert_shape(site.client.get(target, params={"offset": -1}), 422)
                checked += 1
            if "since" in names:
                assert "since" in assert_shape(
                    site.client.get(target, params={"since": "Tuesday"}), 422
                )
            if "mode" in names:
                assert "laser" in assert_shape(
                    site.client.get(target, params={"mode": "laser"}), 422
                )
            if "country" in names:
                assert "Iraq" in assert_shape(
                    site.client.get(target, params={"country": "Iraq"}), 422
                )
            if "order" in names:
                assert "order" in assert_shape(site.client.get(target, params={"order": "up"}), 422)
    assert checked >= 9


def test_every_write_route_refuses_without_a_token(site):
    writes = [(m, r.path) for r in routes(site.app) for m in r.methods if m != "GET"]
    assert len(writes) == 4
    for method, path in writes:
        path = re.sub(r"\{[^}]+\}", "x", path)
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
            r = site.client.request(method, path, headers=headers, content=b"{not json")
            assert_shape(r, 401)
            assert r.headers["www-authenticate"] == "Bearer"


def test_unknown_routes_and_methods(site):
    assert "/api/nothing-here" in assert_shape(site.client.get("/api/nothing-here"), 404)
    assert_shape(site.client.get("/nothing.json"), 404)
    assert_shape(
        site.client.delete("/api/incidents", headers={"Authorization": f"Bearer {TOKEN}"}), 405
    )


def test_validation_errors_of_write_bodies(site):
    h = {"Authorization": f"Bearer {TOKEN}"}
    assert_shape(site.client.post("/api/documents", headers=h, content=b"{not json"), 422)
    assert "text or html" in assert_shape(
        site.client.post("/api/documents", headers=h, json={"title": "x"}), 422
    )
    assert_shape(site.client.post("/api/corrections", headers=h, json={"record_id": "x"}), 422)
    assert_shape(site.client.post("/api/incidents/x/merge", headers=h, json={"incidents": []}), 422)


def test_sitrep_errors_keep_their_status(site):
    h = {"Authorization": f"Bearer {TOKEN}"}
    inc = site.client.get("/api/incidents").json()["incidents"][0]["id"]
    bad_field = {"record_id": inc, "field": "colour", "value": "red"}
    assert "colour" in assert_shape(
        site.client.post("/api/corrections", headers=h, json=bad_field), 400
    )
    missing = {"record_id": "nope", "field": "place.name", "value": "x"}
    assert_shape(site.client.post("/api/corrections", headers=h, json=missing), 404)
    empty = {"text": "   "}
    assert "empty" in assert_shape(site.client.post("/api/documents", headers=h, json=empty), 400)


@pytest.mark.parametrize("path", ["/incidents/nope", "/documents/nope", "/series/nope", "/nowhere"])
def test_pages_show_errors_as_pages(site, path):
    r = site.client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "nope" in r.text or "nowhere" in r.text
    as_json = site.client.get(path, headers={"Accept": "application/json"})
    assert_shape(as_json, 404)
    assert_shape(site.client.get(path, params={"format": "json"}), 404)


def test_request_body_limit(fresh_site):
    big = {"text": "A drone struck a base. " * 400_000}
    r = fresh_site.write("POST", "/api/documents", json=big)
    assert "limit" in assert_shape(r, 413)
