"""The dashboard in a real browser: Playwright driving Debian's Chromium, headless, against
the app served on 127.0.0.1. Marked ``browser``; skipped (with the reason) when
/usr/bin/chromium is missing. A failing test leaves a screenshot in test-artifacts/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.web.conftest import TOKEN

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, request, fresh_site):
    context = browser.new_context(base_url=fresh_site.url, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    # Nothing may leave the machine: any request to another host fails the test.
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(fresh_site.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)
    pg.js_errors = errors
    pg.site = fresh_site
    yield pg
    report = getattr(request.node, "rep_call", None)  # set by the hook in conftest.py
    failed = report is None or report.failed
    if failed or errors or outside:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def test_overview_loads_with_its_charts_and_map(page):
    page.goto("/")
    assert page.title().startswith("Overview")
    assert page.locator("h1").inner_text() == "Overview"
    for name in ("timeline", "cumulative", "map"):
        figure = page.locator(f"#chart-{name}")
        figure.wait_for()
        if page.site.app.state.vega_available:
            page.wait_for_function(
                f"document.querySelector('#chart-{name}').dataset.rendered === 'yes'",
                timeout=20_000,
            )
            assert figure.locator(".chart-canvas svg").count() >= 1
        else:
            page.wait_for_function(
                f"document.querySelector('#chart-{name}').dataset.rendered === 'no-vega'"
            )
            assert figure.locator("table.data tbody tr").count() >= 1
    assert page.locator("ul.docs li").count() >= 5


def test_filter_the_incident_table(page):
    page.goto("/incidents")
    rows = page.locator("table.incidents tbody tr[data-id]")
    assert rows.count() == 4
    page.select_option("select[name=mode]", "uas_one_way")
    page.fill("input[name=country]", "SY")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*mode=uas_one_way.*"))
    assert rows.count() == 1
    assert "Al-Tanf Garrison" in rows.first.inner_text()
    page.fill("input[name=country]", "")
    page.select_option("select[name=mode]", "")
    page.fill("input[name=q]", "Erbil")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*q=Erbil.*"))
    assert rows.count() == 1 and "Erbil Air Base" in rows.first.inner_text()


def test_open_an_incident_and_see_the_highlighted_evidence(page):
    page.goto("/incidents?country=SY")
    page.locator("table.incidents tbody tr[data-id] a").first.click()
    page.wait_for_url(re.compile(r".*/incidents/\w+$"))
    place = page.locator("#field-place")
    marks = place.locator("blockquote.evidence mark")
    assert marks.count() == 2  # two reports, each with its sentence
    assert {marks.nth(i).inner_text() for i in range(2)} == {"Al-Tanf Garrison"}
    assert "Al-Tanf Garrison in Syria" in place.locator("blockquote.evidence").first.inner_text()
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    # follow the evidence into its document: the span is marked there and scrolled to
    place.locator("a.in-doc").first.click()
    page.wait_for_url(re.compile(r".*/documents/\w+\?start=\d+&end=\d+#focus$"))
    focus = page.locator("mark#focus")
    assert focus.inner_text() == "Al-Tanf Garrison"
    assert focus.is_visible()


def test_make_a_correction_with_a_token(page):
    tanf = page.site.client.get("/api/incidents", params={"country": "SY"}).json()["incidents"][0][
        "id"
    ]
    page.goto(f"/incidents/{tanf}")
    row = page.locator("#field-casualties\\.minor")
    # without a token the API refuses and the page says so
    row.locator("details.correct summary").click()
    form = row.locator("form.correction-form")
    form.locator("input[name=value]").fill("3")
    form.locator("input[name=author]").fill("Ana")
    form.locator("input[name=reason]").fill("a later briefing")
    form.locator("button[type=submit]").click()
    page.wait_for_function(
        "document.querySelector('#field-casualties\\\\.minor output.status').textContent.includes('token')"
    )
    assert page.site.store.corrections() == []
    # with the token it is saved, and the page shows it as a correction
    page.fill("#token-input", TOKEN)
    page.click("#token-form button[type=submit]")
    assert page.locator("#token-state").inner_text() == "token set"
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    page.wait_for_selector("#field-casualties\\.minor.is-corrected")
    row = page.locator("#field-casualties\\.minor")
    assert row.locator(".current").inner_text() == "3"
    assert "a later briefing" in row.locator(".correction").inner_text()
    assert "Ana" in row.locator(".correction").inner_text()
    assert row.locator(".badge.corrected").count() == 1
    (c,) = page.site.store.corrections()
    assert (c["author"], c["new_value"]) == ("Ana", {"min": 3, "max": 3})


def test_hostile_document_text_stays_inert(page):
    from tests.web.ledger import HOSTILE_TEXT, HOSTILE_TITLE

    docs = page.site.client.get("/api/documents").json()["documents"]
    doc = next(d for d in docs if d["title"] == HOSTILE_TITLE)
    for path in ("/", "/documents", f"/documents/{doc['id']}"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("iframe").count() == 0 and page.locator("article b, li b").count() == 0
    assert page.locator("article.doc-text").inner_text() == HOSTILE_TEXT
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
