"""The incident list's page cache (issue 4): a repeated read is answered from memory,
and no read after a write (the API's own, or another connection's) shows the old page."""

from __future__ import annotations

import pytest

from sitrep.store import open_store
from sitrep.web import Settings
from sitrep.web.cache import PageCache
from tests.web.conftest import TOKEN, make_app, serve

pytestmark = pytest.mark.issue(4)


def listed(served, **params) -> dict:
    r = served.client.get("/api/incidents", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def pages_of(served) -> PageCache:
    return served.app.state.pages


def test_a_repeated_read_is_served_from_the_cache_unchanged(fresh_site):
    cache = pages_of(fresh_site)
    assert cache.enabled
    first = fresh_site.client.get("/api/incidents", params={"country": "SY"})
    hits = cache.hits
    again = fresh_site.client.get("/api/incidents", params={"country": "SY"})
    assert cache.hits == hits + 1
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"] == "application/json"


def test_a_write_through_the_api_shows_on_the_next_read(fresh_site):
    before = listed(fresh_site, country="SY")["incidents"][0]
    listed(fresh_site, country="SY")  # now cached
    assert before["casualties"]["minor"] != {"min": 9, "max": 9}
    r = fresh_site.write(
        "POST",
        "/api/corrections",
        json={
            "record_type": "incident",
            "record_id": before["id"],
            "field": "casualties.minor",
            "value": "9",
            "author": "analyst",
            "reason": "a later briefing",
        },
    )
    assert r.status_code == 201, r.text
    after = listed(fresh_site, country="SY")["incidents"][0]
    assert after["casualties"]["minor"] == {"min": 9, "max": 9}
    assert after["corrected"] == ["casualties.minor"]


def test_a_write_from_another_connection_shows_on_the_next_read(fresh_site, db_path):
    """What `sitrep ingest` or a second server worker does: commit through a connection
    of its own, which the app's pool never sees."""
    ids = [i["id"] for i in listed(fresh_site)["incidents"]]
    listed(fresh_site)  # now cached
    with open_store(db_path) as other:
        assert other.delete_incidents([ids[0]]) == 1
    assert [i["id"] for i in listed(fresh_site)["incidents"]] == ids[1:]


def test_pages_are_kept_apart_by_path_and_query(fresh_site):
    one = listed(fresh_site, limit=1)
    two = listed(fresh_site, limit=2)
    assert (one["count"], two["count"]) == (1, 2)
    assert listed(fresh_site, limit=1) == one
    page = fresh_site.client.get("/incidents", params={"limit": 1})  # the HTML face
    assert page.headers["content-type"].startswith("text/html")
    twin = fresh_site.client.get("/incidents.json", params={"limit": 1}).json()
    assert twin["incidents"] == one["incidents"]


def test_errors_are_not_cached(fresh_site):
    for _ in range(2):
        r = fresh_site.client.get("/api/incidents", params={"limit": "lots"})
        assert r.status_code == 422 and r.json()["error"]["status"] == 422


def test_reads_still_need_the_read_token_when_a_page_is_cached(db_path):
    for served in serve(make_app(db_path, read_token="reader")):
        ok = {"Authorization": "Bearer reader"}
        assert served.client.get("/api/incidents", headers=ok).status_code == 200
        assert served.client.get("/api/incidents", headers=ok).status_code == 200
        refused = served.client.get("/api/incidents")
        assert refused.status_code == 401 and refused.json()["error"]["status"] == 401
        assert served.client.get("/api/incidents", headers={"Authorization": f"Bearer {TOKEN}"})


def test_off_when_asked_and_for_stores_without_a_data_version(db_path):
    with open_store(":memory:") as memory:  # one connection shared by readers and writers
        assert not PageCache(memory, 1_000_000).enabled
    with open_store(db_path) as store:
        off = PageCache(store, 0)
        assert not off.enabled and off.version() is None
        off.put("k", None, b"{}")
        assert off.get("k", None) is None
    for served in serve(make_app(db_path, page_cache_mb=0)):
        assert not pages_of(served).enabled
        assert listed(served)["count"] == listed(served)["count"] > 0
    assert Settings.from_env({"SITREP_PAGE_CACHE_MB": "0"}).page_cache_mb == 0


def test_memory_is_bounded_and_the_least_recently_used_page_goes_first(db_path):
    with open_store(db_path) as store:
        cache = PageCache(store, 8_000)
        try:
            v = cache.version()
            for k in range(10):
                cache.put(k, v, b"x" * 900)
            assert cache.get(0, v) is None and cache.get(1, v) is None
            assert cache.get(9, v) == b"x" * 900
            cache.get(2, v)  # used: kept over 3
            cache.put("new", v, b"y" * 900)
            assert cache.get(2, v) is not None and cache.get(3, v) is None
            cache.put("huge", v, b"z" * 5_000)  # over an eighth of the budget: not kept
            assert cache.get("huge", v) is None
            assert cache.get("new", v + 1) is None  # another data version: a miss
        finally:
            cache.close()
