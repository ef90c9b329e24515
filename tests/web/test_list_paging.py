"""Paging through the incident list (issue 4): a page's ids are chosen first and its
summaries built after, so the order and the page boundaries must be the same as one
long page's, ties on the date and undated incidents included."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sitrep.store import open_store
from sitrep.web import data
from sitrep.web.data import Filters
from tests.web.conftest import make_app, serve

COUNTRIES = ("IQ", "SY", "JO")


def synthetic(n: int) -> list[dict]:
    """``n`` incidents on a few days (many share a date), every seventh undated."""
    rows = []
    for i in range(n):
        day = None if i % 7 == 3 else date(2024, 1, 1) + timedelta(days=i % 4)
        rows.append(
            {
                "id": f"inc{(i * 37) % 101:03d}",  # ids not in date order
                "date_start": day,
                "date_end": day,
                "date_precision": "day" if day else None,
                "country": COUNTRIES[i % 3],
                "attack_modes": ["rocket"],
                "weapons": [],
                "outcome": [],
            }
        )
    return rows


def expected(rows: list[dict], order: str) -> list[str]:
    dated = sorted((r for r in rows if r["date_start"]), key=lambda r: (r["date_start"], r["id"]))
    undated = sorted((r for r in rows if not r["date_start"]), key=lambda r: r["id"])
    if order == "desc":
        dated.reverse()
        undated.reverse()
    return [r["id"] for r in dated + undated]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def paged(request, tmp_path_factory):
    rows = synthetic(40)
    schema = None
    if request.param == "sqlite":
        db = tmp_path_factory.mktemp("paging") / "sitrep.db"
    else:
        from tests.web.test_postgres import _pg_admin, _schema_url

        schema, db = _schema_url()
    try:
        with open_store(db) as store:
            store.replace_incidents(rows)
        for served in serve(make_app(db, max_page_size=100)):
            yield served, rows
    finally:
        if schema:
            _pg_admin(f"DROP SCHEMA {schema} CASCADE")


def walk(served, path: str) -> list[str]:
    seen = []
    while path:
        data = served.client.get(path).json()
        seen += [i["id"] for i in data["incidents"]]
        path = data["next"]
    return seen


@pytest.mark.issue(4)
@pytest.mark.parametrize("order", ["desc", "asc"])
@pytest.mark.parametrize("limit", [1, 6, 13, 40])
def test_next_links_walk_every_incident_once_in_order(paged, order, limit):
    served, rows = paged
    ids = walk(served, f"/api/incidents?order={order}&limit={limit}")
    assert ids == expected(rows, order)


@pytest.mark.issue(4)
def test_a_filtered_deep_page_is_the_slice_of_the_whole_list(paged):
    served, rows = paged
    syria = expected([r for r in rows if r["country"] == "SY"], "desc")
    page = served.client.get("/api/incidents", params={"country": "SY", "limit": 4, "offset": 8})
    assert [i["id"] for i in page.json()["incidents"]] == syria[8:12]
    beyond = served.client.get("/api/incidents", params={"offset": 500}).json()
    assert beyond["incidents"] == [] and beyond["next"] is None


@pytest.mark.issue(4)
@pytest.mark.parametrize("order", ["desc", "asc"])
@pytest.mark.parametrize(
    ("found", "index"),
    [(Filters(), "ix_incidents_list"), (Filters(country=["SY"]), "ix_incidents_list_country")],
)
def test_sqlite_walks_an_index_in_the_list_order_without_sorting(tmp_path, found, index, order):
    """Migration 0004's indexes hold the whole order, so skipping an offset never sorts
    nor reads the table (on PostgreSQL, too few rows make any plan right: not checked)."""
    with open_store(tmp_path / "plan.db") as store:
        stmt = data._page_ids(store.dialect, data._shape(found, order))
        compiled = stmt.compile(dialect=store.engine.dialect)
        values = compiled.construct_params(data._list_params(found, 51, 1000))
        with store.engine.connect() as conn:
            plan = [
                row[3]
                for row in conn.exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {compiled}",
                    tuple(values[k] for k in compiled.positiontup),
                )
            ]
    assert any(f"USING COVERING INDEX {index}" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
