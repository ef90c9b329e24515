"""The JSON API: every read endpoint, filters, paging, JSON twins."""

from __future__ import annotations

import pytest

from tests.web.ledger import REPORTS


def get(site, path, **params):
    r = site.client.get(path, params=params) if params else site.client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def test_incidents_list_has_every_incident_newest_first(site):
    data = get(site, "/api/incidents")
    days = [i["date"]["start"] for i in data["incidents"]]
    assert len(days) == site.store.counts()["incidents"] == 4
    assert days == sorted(days, reverse=True)
    first = data["incidents"][0]
    assert set(first) >= {
        "id",
        "url",
        "date",
        "place",
        "attack_modes",
        "attacker",
        "target",
        "casualties",
        "mentions",
        "documents",
    }
    assert data["next"] is None and data["previous"] is None


def test_incidents_oldest_first(site):
    days = [i["date"]["start"] for i in get(site, "/api/incidents", order="asc")["incidents"]]
    assert days == sorted(days)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"mode": "uas_one_way"}, {"Al-Asad Airbase", "Al-Tanf Garrison"}),
        ({"mode": "rocket,uas_one_way"}, {"Al-Asad Airbase", "Al-Tanf Garrison", "Erbil Air Base"}),
        ({"country": "SY"}, {"Al-Tanf Garrison"}),
        ({"country": "iq", "mode": "rocket"}, {"Al-Asad Airbase", "Erbil Air Base"}),
        ({"since": "2023-10-19", "until": "2023-10-30"}, {"Al-Tanf Garrison", "Al-Asad Airbase"}),
        ({"actor": "us_forces"}, {"Al-Asad Airbase", "Al-Tanf Garrison", "Erbil Air Base"}),
        ({"target": "US forces", "country": "SY"}, {"Al-Tanf Garrison"}),
        ({"attacker": "nobody in particular"}, set()),
        ({"q": "garrison"}, {"Al-Tanf Garrison"}),
        ({"q": '"Erbil Air Base"'}, {"Erbil Air Base"}),
        ({"q": "salvo OR Erbil"}, {"Al-Asad Airbase", "Erbil Air Base"}),
        ({"q": "zzzunheardof"}, set()),
        (
            {"since": "", "country": "", "q": ""},
            {"Al-Asad Airbase", "Al-Tanf Garrison", "Erbil Air Base"},
        ),
    ],
)
def test_incident_filters(site, params, expected):
    found = get(site, "/api/incidents", **params)["incidents"]
    assert {i["place"]["name"] for i in found} == expected


def test_paging_follows_next_links_to_the_end(site):
    seen, path, pages = [], "/api/incidents?limit=1&order=asc", 0
    while path:
        data = get(site, path)
        seen += [i["id"] for i in data["incidents"]]
        assert data["limit"] == 1 and data["count"] == len(data["incidents"])
        path, pages = data["next"], pages + 1
    assert pages == 4 and len(set(seen)) == 4
    assert seen == [i["id"] for i in get(site, "/api/incidents", order="asc")["incidents"]]
    last = get(site, "/api/incidents", limit=1, offset=3, order="asc")
    assert (
        last["next"] is None and "offset=2" in last["previous"] and "order=asc" in last["previous"]
    )


def test_paging_keeps_filters_in_next_link(site):
    data = get(site, "/api/incidents", limit=1, country="IQ")
    assert "country=IQ" in data["next"]


def test_incident_detail_traces_every_field_to_its_sentence(site):
    tanf = get(site, "/api/incidents", country="SY")["incidents"][0]
    data = get(site, f"/api/incidents/{tanf['id']}")
    assert data["incident"]["id"] == tanf["id"]
    assert len(data["mentions"]) == 2 and len(data["documents"]) == 2
    fields = {f["name"]: f for f in data["fields"]}
    place = fields["place"]
    assert place["text"].startswith("Al-Tanf Garrison")
    assert len(place["sources"]) == 2
    for source in place["sources"]:
        (ev,) = source["evidence"]
        assert ev["matches"] is True and ev["text"] == "Al-Tanf Garrison"
        (quote,) = source["quotes"]
        marked = [p["text"] for p in quote["parts"] if p["marks"]]
        assert marked == ["Al-Tanf Garrison"]
        sentence = "".join(p["text"] for p in quote["parts"])
        assert "Al-Tanf Garrison in Syria" in sentence and sentence.endswith(".")
        assert (
            quote["link"]
            == f"/documents/{source['document_id']}?start={ev['start']}&end={ev['end']}#focus"
        )
    minor = fields["casualties.minor"]
    assert minor["text"] == "2" and len(minor["sources"]) == 2
    assert all(q["parts"] for s in minor["sources"] for q in s["quotes"])


def _point(site, value):
    """The claim-series point claiming ``value``, with its series."""
    for summary in get(site, "/api/series", measure="attacks")["series"]:
        data = get(site, f"/api/series/{summary['id']}")
        for p in data["points"]:
            if p["value"]["min"] == value:
                return data, p
    raise AssertionError(f"no point claims {value}")


def test_spans_in_one_sentence_share_one_quote(site):
    _, point = _point(
        site, 27
    )  # "... attacked at least 27 times since Oct. 17, the Pentagon press secretary said."
    assert len(point["evidence"]) >= 3 and len(point["quotes"]) == 1
    marked = [p["text"] for p in point["quotes"][0]["parts"] if p["marks"]]
    assert "at least 27" in marked and len(marked) == len(point["evidence"])


def test_documents_list_and_full_text_search(site):
    data = get(site, "/api/documents")
    assert data["count"] == len(REPORTS) + 1
    assert all(
        "snippet" in d and d["url_page"] == f"/documents/{d['id']}" for d in data["documents"]
    )
    found = get(site, "/api/documents", q="Erbil")["documents"]
    assert [d["title"] for d in found] == ["Rockets fired at Erbil air base"]
    assert get(site, "/api/documents", q="Erbil -rockets")["documents"] == []
    dated = get(site, "/api/documents", since="2023-10-26")["documents"]
    assert {d["published"] for d in dated} == {"2023-10-26", "2023-11-02", "2023-10-28"}
    paged = get(site, "/api/documents", limit=2)
    assert paged["count"] == 2 and paged["next"]


def test_document_detail_marks_evidence(site):
    doc = get(site, "/api/documents", q="Erbil")["documents"][0]
    data = get(site, f"/api/documents/{doc['id']}", start=0, end=6)
    text = data["document"]["text"]
    assert "".join(s["text"] for s in data["segments"]) == text
    marked = [s for s in data["segments"] if s["marks"]]
    assert any("incident:place" in s["marks"] and s["text"] == "Erbil Air Base" for s in marked)
    assert data["segments"][0]["focus"] is True and data["segments"][0]["text"] == text[:6]
    assert data["mentions"][0]["incident_id"]
    assert {c["measure"] for c in data["claims"]} == {"attacks"}


def test_mentions_and_claims(site):
    mentions = get(site, "/api/mentions", country="SY")["mentions"]
    assert len(mentions) == 2 and all(m["incident_id"] for m in mentions)
    assert get(site, "/api/mentions", mode="rocket", limit=1)["next"]
    claims = get(site, "/api/claims", measure="attacks")["claims"]
    assert claims and all(c["measure"] == "attacks" for c in claims)
    assert {c["value_text"] for c in claims} >= {"at least 16", "at least 27"}
    assert get(site, "/api/claims", since="2023-11-01")["claims"][0]["value"]["min"] == 27


def test_claim_series_list_and_detail(site):
    series = get(site, "/api/series", measure="attacks")["series"]
    assert series and all(s["measure"] == "attacks" and s["points"] >= 1 for s in series)
    data, point = _point(site, 27)
    assert data["series"]["latest"]["as_of"] == data["points"][-1]["as_of"]
    assert point["as_of"] == "2023-11-02" and point["value_text"] == "at least 27"
    assert (
        point["incidents_counted"] is not None
        and point["document"]["title"] == "Rockets fired at Erbil air base"
    )
    assert all(p["evidence"] and p["quotes"] and p["document"] for p in data["points"])
    assert data["charts"]["series"]["mark"]["type"] == "line"


def test_overview_tally_report(site):
    data = get(site, "/api/overview")
    assert data["counts"]["incidents"] == 4
    assert {r["mode"] for r in data["timeline"]} == {"rocket", "uas_one_way"}
    assert {p["name"] for p in data["places"]} == {
        "Al-Asad Airbase",
        "Al-Tanf Garrison",
        "Erbil Air Base",
    }
    assert {c["measure"] for c in data["claimed"]} <= {
        "attacks",
        "injured",
        "injured_minor",
        "injured_serious",
    }
    attacks = {c["claimed"] for c in data["claimed"] if c["measure"] == "attacks"}
    assert 27 in attacks and not attacks & {12, 4}  # totals, not their breakdowns by country
    assert data["counted"][-1]["counted"] >= 1
    by_country = get(site, "/api/overview", country="SY")
    assert [p["name"] for p in by_country["places"]] == ["Al-Tanf Garrison"]
    for c in by_country["claimed"]:
        assert get(site, f"/api/series/{c['series_id']}")["series"]["region"] == ["SY"]
    assert set(data["charts"]) == {"timeline", "cumulative", "map"}
    tally = get(site, "/api/tally", since="2023-10-17")["tally"]
    assert tally["incidents"] == 4 and tally["by_country"] == {"IQ": 3, "SY": 1}
    assert any(o["counted"] is not None for o in tally["official"])
    report = get(site, "/api/report")
    assert report["headline"]["text"] and len(report["incidents"]) == 4
    md = site.client.get("/report", params={"format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")


def test_export_formats(site):
    r = site.client.get("/api/export", params={"format": "geojson", "country": "SY"})
    assert r.status_code == 200 and len(r.json()["features"]) == 1
    r = site.client.get("/api/export", params={"format": "csv", "q": "Erbil"})
    assert r.status_code == 200 and r.text.count("\n") == 2 and "Erbil" in r.text


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/incidents?country=IQ&limit=2",
        "/documents?q=drone",
        "/claims",
        "/series",
        "/tally",
        "/report",
    ],
)
def test_every_page_has_a_json_twin_from_the_same_view(site, page):
    path, _, query = page.partition("?")
    twin = ("/index.json" if path == "/" else path + ".json") + (f"?{query}" if query else "")
    api = ("/api/overview" if path == "/" else "/api" + path) + (f"?{query}" if query else "")
    html = site.client.get(page)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    as_json = get(site, twin)

    def same(a, b):  # paging links point at the face asked for; the rest is one view
        drop = ("next", "previous")
        return {k: v for k, v in a.items() if k not in drop} == {
            k: v for k, v in b.items() if k not in drop
        }

    assert same(as_json, get(site, page + ("&" if query else "?") + "format=json"))
    assert same(as_json, get(site, api))
    assert f'href="{twin.replace("&", "&amp;")}"' in html.text  # each page links its twin


def test_detail_pages_have_json_twins(site):
    inc = get(site, "/api/incidents")["incidents"][0]["id"]
    doc = get(site, "/api/documents")["documents"][0]["id"]
    series = get(site, "/api/series")["series"][0]["id"]
    for path in (f"/incidents/{inc}", f"/documents/{doc}", f"/series/{series}"):
        assert site.client.get(path).headers["content-type"].startswith("text/html")
        assert get(site, path + ".json") == get(site, "/api" + path)


@pytest.mark.issue(4)
def test_list_pages_are_what_the_openapi_document_says(site):
    """The list builds its JSON without validation; its documented model (unknown keys
    refused) must still describe every page it sends."""
    from sitrep.web.schemas import IncidentPage

    spec = get(site, "/api/openapi.json")
    ok = spec["paths"]["/api/incidents"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/IncidentPage")
    fields = spec["components"]["schemas"]["IncidentSummary"]["properties"]
    assert {"id", "url", "date", "place", "attack_modes", "casualties", "mentions"} <= set(fields)
    for params in ({}, {"limit": 1, "offset": 1}, {"country": "SY", "order": "asc"}):
        page = IncidentPage.model_validate(get(site, "/api/incidents", **params))
        assert page.count == len(page.incidents) > 0


def test_openapi_lists_the_api(site):
    spec = get(site, "/api/openapi.json")
    paths = spec["paths"]
    for p in (
        "/api/incidents",
        "/api/incidents/{incident_id}",
        "/api/documents",
        "/api/mentions",
        "/api/claims",
        "/api/series",
        "/api/series/{series_id}",
        "/api/tally",
        "/api/report",
        "/api/corrections",
        "/api/incidents/{incident_id}/merge",
        "/api/incidents/{incident_id}/split",
    ):
        assert p in paths, p
    assert "post" in paths["/api/documents"] and "get" in paths["/api/documents"]
    names = {p["name"] for p in paths["/api/incidents"]["get"]["parameters"]}
    assert names >= {"since", "until", "country", "mode", "actor", "q", "limit", "offset"}
    assert not any(p.startswith(("/incidents", "/documents")) for p in paths)  # pages stay out
    page = site.client.get("/api")
    assert page.status_code == 200 and "/api/incidents/{incident_id}/merge" in page.text


def test_list_summaries_agree_with_the_full_records(site):
    """The list reads its rows on a fast path of its own; it must say what the incident
    records say."""
    for row in get(site, "/api/incidents", limit=500)["incidents"]:
        full = get(site, f"/api/incidents/{row['id']}")
        inc = full["incident"]
        for key in (
            "date",
            "place",
            "attack_modes",
            "weapons",
            "payload_kg",
            "attacker",
            "target",
            "outcome",
            "casualties",
            "confidence",
            "conflicts",
        ):
            assert row[key] == inc[key], (row["id"], key)
        assert row["mentions"] == len(full["mentions"]) and row["documents"] == len(
            inc["document_ids"]
        )
        assert row["corrected"] == full["corrected"]
