"""Writes. Each function runs inside the caller's transaction (``engine.write_connection``),
so a failure anywhere leaves nothing behind.

Every write of incidents also recomputes the tally's month totals of the months it
touched (``tally_months.refresh``), in the same transaction: a reader sees both or
neither."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sitrep.errors import StoreError
from sitrep.model import ClaimSeries, Document, Extraction, Incident, content_id
from sitrep.store import rows, tally_months
from sitrep.store.schema import (
    claim_series,
    claim_series_members,
    claims,
    corrections,
    documents,
    evidence,
    incident_links,
    incident_mentions,
    incident_modes,
    incidents,
    interactions,
    mention_modes,
    quotes,
)


def _insert(conn: Connection, table: sa.Table, values: list[dict[str, Any]]) -> None:
    if values:  # an empty executemany would insert one row of defaults
        conn.execute(table.insert(), values)


def fill_ids(ex: Extraction) -> None:
    """Give every mention and claim its id and document id (content-addressed when missing)."""
    doc_id = ex.document.id
    for kind, records, make in (
        ("mention", ex.incidents, rows.mention_id),
        ("claim", ex.claims, rows.claim_id),
    ):
        for pos, rec in enumerate(records):
            if rec.document_id not in (None, doc_id):
                raise StoreError(
                    f"{kind} {rec.id or pos} belongs to document {rec.document_id}, not {doc_id}"
                )
            rec.id = make(doc_id, pos, rec)
            rec.document_id = doc_id


def _store_documents(conn: Connection, docs: list[Document], replace: bool) -> set[str]:
    """Insert documents, skipping ids already stored (ON CONFLICT DO NOTHING, so concurrent
    savers of one document do not collide); returns the ids inserted."""
    if replace:  # re-extraction: the cascade drops old records and their incident links
        for chunk in chunks([d.id for d in docs]):
            conn.execute(documents.delete().where(documents.c.id.in_(chunk)))
    values = [rows.document_row(d) for d in docs]
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert

        # SQLite has no identity column; under the write lock (BEGIN IMMEDIATE) max+1 is safe.
        top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(documents.c.seq), 0))).scalar()
        for seq, v in enumerate(values, start=top + 1):
            v["seq"] = seq
    # RETURNING, not rowcount: psycopg reports -1 for skipped rows.
    stmt = insert(documents).on_conflict_do_nothing().returning(documents.c.id)
    return set(conn.execute(stmt, values).scalars())


def child_rows(ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Rows for everything extracted from one document, by table name."""
    doc = ex.document
    out: dict[str, list[dict[str, Any]]] = {t.name: [] for t in CHILD_TABLES}
    ev = out["evidence"]
    for pos, m in enumerate(ex.incidents):
        out["incident_mentions"].append(rows.mention_row(m, pos))
        modes = dict.fromkeys(m.attack_modes)
        out["mention_modes"] += [{"mode": mode, "mention_id": m.id} for mode in modes]
        ev += rows.evidence_rows("mention", m.id, doc.id, m.evidence)
    for pos, c in enumerate(ex.claims):
        out["claims"].append(rows.claim_row(c, pos, doc.published))
        ev += rows.evidence_rows("claim", c.id, doc.id, c.evidence)
    for pos, i in enumerate(ex.interactions):
        rid = rows.interaction_id(doc.id, pos, i)
        out["interactions"].append(rows.interaction_row(i, rid, doc.id, pos))
        ev += rows.evidence_rows("interaction", rid, doc.id, i.evidence)
    for pos, q in enumerate(ex.quotes):
        rid = rows.quote_id(doc.id, pos, q)
        out["quotes"].append(rows.quote_row(q, rid, doc.id, pos))
        ev += rows.evidence_rows("quote", rid, doc.id, q.evidence)
    return out


# Insert order: parents before the rows that refer to them.
CHILD_TABLES = (incident_mentions, mention_modes, claims, interactions, quotes, evidence)


def save_extractions(
    conn: Connection, batch: Iterable[Extraction], *, replace: bool = False
) -> int:
    """Store extractions whose documents are new (all, with ``replace``); returns how many.
    One statement per table for the whole batch, not per document."""
    unique: dict[str, Extraction] = {}
    for ex in batch:
        fill_ids(ex)
        unique.setdefault(ex.document.id, ex)  # the first of repeats in one batch wins
    stored = _store_documents(conn, [ex.document for ex in unique.values()], replace)
    pending: dict[str, list[dict[str, Any]]] = {t.name: [] for t in CHILD_TABLES}
    for doc_id, ex in unique.items():
        if doc_id in stored:
            for name, values in child_rows(ex).items():
                pending[name] += values
    for table in CHILD_TABLES:
        _insert(conn, table, pending[table.name])
    return len(stored)


def save_extraction(conn: Connection, ex: Extraction, *, replace: bool = False) -> bool:
    """Store one extraction; False when its document is already stored (and not replaced)."""
    return save_extractions(conn, [ex], replace=replace) == 1


# -- resolved incidents -----------------------------------------------------------------

_INCIDENT_COLUMNS = frozenset(c.name for c in incidents.columns)
_DATE_COLUMNS = frozenset(c.name for c in incidents.columns if isinstance(c.type, sa.Date))
_FLOAT_COLUMNS = frozenset(c.name for c in incidents.columns if isinstance(c.type, sa.Float))
_LIST_COLUMNS = ("attack_modes", "weapons", "outcome")


def _as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def incident_row(data: dict[str, Any]) -> dict[str, Any]:
    """A full incidents row from a resolver's dict: unknown keys refused, missing ones null."""
    unknown = set(data) - _INCIDENT_COLUMNS - {"mention_ids"}
    ident = data.get("id")
    if not ident:
        raise StoreError("incident without an id")
    if unknown:
        raise StoreError(f"incident {ident}: unknown field(s) {', '.join(sorted(unknown))}")
    row = {name: data.get(name) for name in _INCIDENT_COLUMNS}
    for name in _DATE_COLUMNS:
        row[name] = _as_date(row[name])
    for name in _FLOAT_COLUMNS:
        row[name] = rows.num_in(row[name])
    for name in _LIST_COLUMNS:
        row[name] = list(row[name] or [])
    return row


IncidentLike = Incident | dict[str, Any]


def _incident_rows(
    items: list[IncidentLike], links: Iterable[tuple[str, str]] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Incident rows and link rows. Links are each item's ``mention_ids`` (record field or
    dict key) followed by the explicit ``links``, in order, without repeats."""
    inc_rows, pairs = [], []
    for item in items:
        if isinstance(item, Incident):
            if not item.id:
                raise StoreError("incident without an id")
            row, mention_ids = rows.incident_row(item), item.mention_ids
        else:
            row, mention_ids = incident_row(item), item.get("mention_ids") or []
        if row["country"]:
            row["country"] = row["country"].upper()
        inc_rows.append(row)
        pairs += [(row["id"], m) for m in mention_ids]
    pairs += list(links or [])
    positions: dict[str, int] = {}
    link_rows = []
    for incident_id, mention_id in dict.fromkeys(pairs):
        pos = positions[incident_id] = positions.get(incident_id, -1) + 1
        link_rows.append({"incident_id": incident_id, "mention_id": mention_id, "position": pos})
    return inc_rows, link_rows


def _insert_incidents(conn: Connection, inc_rows, link_rows) -> None:
    _insert(conn, incidents, inc_rows)
    modes = [
        {"mode": m, "incident_id": r["id"]}
        for r in inc_rows
        for m in dict.fromkeys(r["attack_modes"])
    ]
    _insert(conn, incident_modes, modes)
    _insert(conn, incident_links, link_rows)


def _months_of(conn: Connection, ids: list[str]) -> set[date | None]:
    """The months (first days; None: undated) of the stored incidents with these ids."""
    day = incidents.c.date_start
    found: set[date | None] = set()
    for chunk in chunks(ids):
        stmt = sa.select(day).distinct().where(incidents.c.id.in_(chunk))
        found.update(None if d is None else tally_months.month_of(d) for d in conn.scalars(stmt))
    return found


def replace_incidents(conn: Connection, items: list[IncidentLike], links) -> None:
    """All incidents and links, replaced at once (a full resolve run)."""
    inc_rows, link_rows = _incident_rows(items, links)
    conn.execute(incident_links.delete())
    conn.execute(incident_modes.delete())
    conn.execute(incidents.delete())
    _insert_incidents(conn, inc_rows, link_rows)
    tally_months.rebuild(conn)


def upsert_incidents(conn: Connection, items: list[IncidentLike], links) -> None:
    """Incidents written over by id (an incremental resolve run). Their old links go; a
    mention linked here leaves whatever incident held it before."""
    inc_rows, link_rows = _incident_rows(items, links)
    ids = [r["id"] for r in inc_rows]
    touched = _months_of(conn, ids)  # the months the old versions counted in
    for chunk in chunks(ids):
        conn.execute(incidents.delete().where(incidents.c.id.in_(chunk)))  # cascades
    for chunk in chunks([r["mention_id"] for r in link_rows]):
        conn.execute(incident_links.delete().where(incident_links.c.mention_id.in_(chunk)))
    _insert_incidents(conn, inc_rows, link_rows)
    tally_months.refresh(conn, touched | _months_of(conn, ids))


def delete_incidents(conn: Connection, ids: Iterable[str]) -> int:
    ids = list(ids)
    touched = _months_of(conn, ids)
    n = 0
    for chunk in chunks(ids):
        n += conn.execute(incidents.delete().where(incidents.c.id.in_(chunk))).rowcount
    tally_months.refresh(conn, touched)
    return n


def replace_claim_series(conn: Connection, series: list[ClaimSeries]) -> None:
    """All claim series and their points replaced at once."""
    conn.execute(claim_series_members.delete())
    conn.execute(claim_series.delete())
    _insert(conn, claim_series, [rows.series_row(s) for s in series])
    points = [rows.series_point_row(s.id, pos, p) for s in series for pos, p in enumerate(s.points)]
    _insert(conn, claim_series_members, points)


def add_correction(
    conn: Connection,
    record_type: str,
    record_id: str,
    field: str,
    old_value: Any,
    new_value: Any,
    author: str | None,
    reason: str | None,
) -> str:
    created = datetime.now(UTC)
    ident = content_id("correction", record_type, record_id, field, new_value, created.isoformat())
    conn.execute(
        corrections.insert().values(
            id=ident,
            record_type=record_type,
            record_id=record_id,
            field=field,
            old_value=old_value,
            new_value=new_value,
            author=author,
            reason=reason,
            created_at=created,
        )
    )
    return ident


CHUNK = 500  # ids per IN (...): well under SQLite's and PostgreSQL's parameter limits


def chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
