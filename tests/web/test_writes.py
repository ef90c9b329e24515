"""Writes: tokens, ingest, corrections, merge and split through the API."""

from __future__ import annotations

import pytest

from tests.web.conftest import TOKEN, make_app, serve

REPORT = (
    "A one-way attack drone targeted US forces at Erbil Air Base in Iraq on Monday and was "
    "shot down, a US military official said. No injuries were reported."
)
WRITES = [
    ("POST", "/api/documents", {"text": REPORT, "published": "2023-11-08"}),
    ("POST", "/api/corrections", {"record_id": "{inc}", "field": "place.name", "value": "Erbil"}),
    ("POST", "/api/incidents/{inc}/merge", {"incidents": ["{other}"]}),
    ("POST", "/api/incidents/{inc}/split", {"mentions": ["{mention}"]}),
]


def _fill(site, path, body):
    found = site.client.get("/api/incidents", params={"order": "asc"}).json()["incidents"]
    tanf = next(i for i in found if i["mentions"] == 2)
    other = next(i for i in found if i["id"] != tanf["id"])
    mention = site.client.get(f"/api/incidents/{tanf['id']}").json()["mentions"][0]
    subs = {"{inc}": tanf["id"], "{other}": other["id"], "{mention}": mention}

    def sub(x):
        if isinstance(x, str):
            for k, v in subs.items():
                x = x.replace(k, v)
            return x
        if isinstance(x, list):
            return [sub(i) for i in x]
        if isinstance(x, dict):
            return {k: sub(v) for k, v in x.items()}
        return x

    return sub(path), sub(body)


def snapshot(site):
    store = site.store
    return (
        store.counts(),
        [i["id"] for i in site.client.get("/api/incidents").json()["incidents"]],
        site.client.get("/api/incidents", params={"country": "SY"}).json()["incidents"],
    )


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize("token", [None, "", "wrong-token", TOKEN + "x"])
def test_a_write_without_a_valid_token_is_401_and_changes_nothing(
    fresh_site, method, path, body, token
):
    path, body = _fill(fresh_site, path, body)
    before = snapshot(fresh_site)
    headers = {} if token is None else {"Authorization": f"Bearer {token}".strip()}
    r = fresh_site.client.request(method, path, json=body, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["status"] == 401
    assert snapshot(fresh_site) == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_each_write_works_with_the_token(fresh_site, method, path, body):
    path, body = _fill(fresh_site, path, body)
    before = fresh_site.store.counts()
    r = fresh_site.write(method, path, json=body)
    assert r.status_code == 201, r.text
    after = fresh_site.store.counts()
    assert after != before


def test_writes_are_refused_when_no_token_is_configured(db_path):
    for served in serve(make_app(db_path, api_token=None)):
        r = served.write("POST", "/api/documents", json={"text": REPORT})
        assert r.status_code == 401 and "SITREP_API_TOKEN" in r.json()["error"]["message"]
        assert served.client.get("/api/incidents").status_code == 200


def test_read_token(db_path):
    for served in serve(make_app(db_path, read_token="reader")):
        for path in ("/api/incidents", "/incidents", "/", "/api/openapi.json", "/incidents.json"):
            r = served.client.get(path)
            assert r.status_code == 401, path
        assert served.client.get("/api/incidents").json()["error"]["status"] == 401
        assert served.client.get("/incidents").headers["content-type"].startswith("text/html")
        ok = {"Authorization": "Bearer reader"}
        assert served.client.get("/api/incidents", headers=ok).status_code == 200
        assert (
            served.client.get(
                "/api/incidents", headers={"Authorization": f"Bearer {TOKEN}"}
            ).status_code
            == 200
        )
        assert (
            served.client.get("/incidents", headers={"Cookie": "sitrep_token=reader"}).status_code
            == 200
        )
        assert served.client.get("/static/sitrep.css").status_code == 200  # assets stay public
        # the read token cannot write, and a cookie never authorises a write
        assert (
            served.write(
                "POST", "/api/documents", token="reader", json={"text": REPORT}
            ).status_code
            == 401
        )
        r = served.client.post(
            "/api/documents", json={"text": REPORT}, headers={"Cookie": f"sitrep_token={TOKEN}"}
        )
        assert r.status_code == 401


def test_ingest_a_document(fresh_site):
    before = fresh_site.store.counts()
    r = fresh_site.write(
        "POST",
        "/api/documents",
        json={
            "text": REPORT,
            "published": "2023-11-08",
            "title": "Drone downed over Erbil",
            "url": "https://example.org/erbil-drone",
        },
    )
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["new"] is True and data["document"]["title"] == "Drone downed over Erbil"
    assert data["mentions"] and data["mentions"][0]["incident_id"]
    after = fresh_site.store.counts()
    assert after["documents"] == before["documents"] + 1
    assert after["incidents"] >= before["incidents"]
    inc = fresh_site.client.get(f"/api/incidents/{data['mentions'][0]['incident_id']}").json()
    assert inc["incident"]["place"]["name"] == "Erbil Air Base"
    assert "shot_down" in inc["incident"]["outcome"]
    found = fresh_site.client.get("/api/documents", params={"q": "Erbil downed"}).json()[
        "documents"
    ]
    assert [d["id"] for d in found] == [data["document"]["id"]]
    again = fresh_site.write(
        "POST", "/api/documents", json={"text": REPORT, "published": "2023-11-08"}
    )
    assert again.status_code == 200 and again.json()["new"] is False
    assert fresh_site.store.counts() == after


def test_ingest_html(fresh_site):
    page = (
        "<html><head><title>Drone downed near Erbil</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Drone downed near Erbil</h1><p>{REPORT}</p></article>"
        "<script>var tracking = 1;</script></body></html>"
    )
    r = fresh_site.write("POST", "/api/documents", json={"html": page, "published": "2023-11-08"})
    assert r.status_code == 201, r.text
    doc = fresh_site.client.get(f"/api/documents/{r.json()['document']['id']}").json()["document"]
    assert (
        doc["format"] == "html"
        and "tracking" not in doc["text"]
        and "Erbil Air Base" in doc["text"]
    )


def test_a_correction_through_the_api_shows_on_the_incident(fresh_site):
    tanf = fresh_site.client.get("/api/incidents", params={"country": "SY"}).json()["incidents"][0]
    body = {
        "record_id": tanf["id"],
        "field": "casualties.minor",
        "value": "3",
        "author": "Ana",
        "reason": "a later briefing",
    }
    r = fresh_site.write("POST", "/api/corrections", json=body)
    assert r.status_code == 201, r.text
    c = r.json()["correction"]
    assert (c["old_value"], c["new_value"], c["author"], c["reason"]) == (
        {"min": 2, "max": 2},
        {"min": 3, "max": 3},
        "Ana",
        "a later briefing",
    )
    assert c["created_at"]
    detail = fresh_site.client.get(f"/api/incidents/{tanf['id']}").json()
    assert detail["incident"]["casualties"]["minor"] == {"min": 3, "max": 3}
    assert detail["corrected"] == ["casualties.minor"]
    row = next(f for f in detail["fields"] if f["name"] == "casualties.minor")
    assert row["corrected"] and row["corrections"][0]["id"] == c["id"]
    assert row["sources"][0]["value"] == {"min": 2, "max": 2}  # what the sources said stays
    listed = fresh_site.client.get("/api/corrections", params={"record_id": tanf["id"]}).json()
    assert [x["id"] for x in listed["corrections"]] == [c["id"]]
    summary = fresh_site.client.get("/api/incidents", params={"country": "SY"}).json()["incidents"][
        0
    ]
    assert summary["corrected"] == ["casualties.minor"]
    page = fresh_site.client.get(f"/incidents/{tanf['id']}").text
    assert "a later briefing" in page and "corrected" in page


def test_merge_and_split_through_the_api(fresh_site):
    found = fresh_site.client.get(
        "/api/incidents", params={"country": "IQ", "mode": "rocket", "order": "asc"}
    ).json()["incidents"]
    asad = [i for i in found if i["place"]["name"] == "Al-Asad Airbase"]
    assert len(asad) == 2
    keep, other = asad
    r = fresh_site.write(
        "POST",
        f"/api/incidents/{keep['id']}/merge",
        json={"incidents": [other["id"]], "author": "Ana", "reason": "one attack"},
    )
    assert r.status_code == 201, r.text
    merged = fresh_site.client.get(f"/api/incidents/{keep['id']}").json()
    assert len(merged["mentions"]) == 2
    assert fresh_site.client.get(f"/api/incidents/{other['id']}").status_code == 404
    moved = merged["mentions"][1]
    r = fresh_site.write(
        "POST",
        f"/api/incidents/{keep['id']}/split",
        json={"mentions": [moved], "reason": "two nights"},
    )
    assert r.status_code == 201, r.text
    new_id = r.json()["new_incident"]
    assert fresh_site.client.get(f"/api/incidents/{new_id}").json()["mentions"] == [moved]
    assert moved not in fresh_site.client.get(f"/api/incidents/{keep['id']}").json()["mentions"]
    bad = fresh_site.write(
        "POST", f"/api/incidents/{keep['id']}/split", json={"mentions": ["not-there"]}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"record_id": "{inc}", "field": "place.name", "new_value": "Erbil"},  # misspelt key
        {"record_id": "{inc}", "field": "place.name"},  # no value at all
    ],
)
def test_a_correction_with_an_unknown_or_missing_key_is_refused_and_changes_nothing(
    fresh_site, body
):
    path, body = _fill(fresh_site, "/api/corrections", body)
    before = snapshot(fresh_site)
    r = fresh_site.write("POST", path, json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"]
    assert snapshot(fresh_site) == before
    assert fresh_site.client.get("/api/corrections").json()["corrections"] == []


def test_an_explicit_null_value_still_clears_a_field(fresh_site):
    path, body = _fill(
        fresh_site,
        "/api/corrections",
        {"record_id": "{inc}", "field": "target.name", "value": None},
    )
    r = fresh_site.write("POST", path, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["correction"]["new_value"] is None
