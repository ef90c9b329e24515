"""Document text and titles are escaped on every page that shows them: a report holding
<script> and other markup renders as inert text."""

from __future__ import annotations

import re

import pytest

from tests.web.ledger import HOSTILE_TEXT, HOSTILE_TITLE

LIVE = [
    re.compile(r"<script>window", re.I),
    re.compile(r"<img[^>]*onerror", re.I),
    re.compile(r"<b onmouseover", re.I),
    re.compile(r"<iframe", re.I),
    re.compile(r"<i>Outlet</i>"),
    re.compile(r"</textarea>"),
    re.compile(r"href=\"javascript:", re.I),
]


def hostile_ids(site):
    doc = next(
        d
        for d in site.client.get("/api/documents").json()["documents"]
        if d["title"] == HOSTILE_TITLE
    )
    detail = site.client.get(f"/api/documents/{doc['id']}").json()
    incident = detail["mentions"][0]["incident_id"]
    return doc["id"], incident


def pages(site):
    doc_id, incident_id = hostile_ids(site)
    series = site.client.get("/api/series").json()["series"]
    return [
        "/",
        "/documents",
        "/documents?q=rocket",
        f"/documents/{doc_id}",
        f"/documents/{doc_id}?start=0&end=40",
        f"/incidents/{incident_id}",
        "/incidents",
        "/report",
        "/tally",
        "/claims",
        *[s["url"] for s in series],
    ]


def test_the_hostile_document_is_stored_as_written(site):
    doc_id, incident_id = hostile_ids(site)
    doc = site.client.get(f"/api/documents/{doc_id}").json()["document"]
    assert doc["text"] == HOSTILE_TEXT and doc["title"] == HOSTILE_TITLE
    assert incident_id


def test_every_page_showing_document_text_or_titles_renders_it_inert(site):
    shown_title = shown_text = 0
    for path in pages(site):
        r = site.client.get(path)
        assert r.status_code == 200, path
        html = r.text
        for pattern in LIVE:
            assert not pattern.search(html), (path, pattern.pattern)
        shown_title += "Rocket report &lt;script&gt;" in html
        shown_text += "&lt;script&gt;window.__pwned = &#34;text&#34;&lt;/script&gt;" in html
    assert shown_title >= 3 and shown_text >= 2  # the markup is there, as text


def test_the_document_page_escapes_inside_marks(site):
    doc_id, _ = hostile_ids(site)
    start = HOSTILE_TEXT.index("<script>")
    html = site.client.get(f"/documents/{doc_id}", params={"start": start, "end": start + 30}).text
    assert (
        '<mark class=" focus" id="focus" title="focus">&lt;script&gt;window.__pwned = &#34;text</mark>'
        in html
    )


def test_only_http_links_from_document_urls(site):
    doc_id, incident_id = hostile_ids(site)
    for path in (f"/documents/{doc_id}", f"/incidents/{incident_id}"):
        html = site.client.get(path).text
        assert "javascript:alert(document.cookie)" in html or path.startswith("/incidents")
        assert not re.search(r"""href=["']?\s*javascript""", html, re.I)


@pytest.mark.parametrize("path", ["/", "/incidents", "/api/incidents", "/static/sitrep.js"])
def test_security_headers(site, path):
    r = site.client.get(path)
    csp = r.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_no_inline_scripts_in_any_page(site):
    for path in pages(site):
        for tag in re.findall(r"<script[^>]*>", site.client.get(path).text):
            assert 'src="/static/' in tag, (path, tag)
