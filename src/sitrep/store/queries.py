"""Reads: filters to SQL, rows to records. Every filter here is backed by an index.

Order: documents newest first (an inbox); records chronologically (a ledger), or in
document order when asked for one document. Date filters are inclusive.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sitrep.model import Claim, ClaimSeries, Document, Evidence, IncidentMention, Interaction, Quote
from sitrep.store import rows
from sitrep.store.schema import (
    CASUALTY_FIELDS,
    FTS_TABLE,
    PG_SEARCH_COLUMN,
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
from sitrep.store.writes import chunks

Filter = str | Iterable[str] | None


def as_date(value: date | datetime | str | None) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value).strip()[:10])


def _many(value: Filter) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _page(stmt, limit: int | None, offset: int):
    if limit is not None:
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, not {limit}")
        stmt = stmt.limit(limit)
    if offset:
        if offset < 0:
            raise ValueError(f"offset must be 0 or more, not {offset}")
        stmt = stmt.offset(offset)
    return stmt


def _between(stmt, col, since, until):
    if since is not None:
        stmt = stmt.where(col >= as_date(since))
    if until is not None:
        stmt = stmt.where(col <= as_date(until))
    return stmt


def _actor(table: sa.Table, prefix: str, value: str):
    """An actor by resolved id, or by the name as written (case-insensitive)."""
    return sa.or_(
        table.c[f"{prefix}_id"] == value,
        sa.func.lower(table.c[f"{prefix}_name"]) == value.lower(),
    )


def _evidence(conn: Connection, record_type: str, ids: list[str]) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = defaultdict(list)
    for chunk in chunks(ids):
        stmt = (
            sa.select(evidence)
            .where(evidence.c.record_type == record_type, evidence.c.record_id.in_(chunk))
            .order_by(evidence.c.record_id, evidence.c.position)
        )
        for row in conn.execute(stmt).mappings():
            found[row["record_id"]].append(rows.evidence_from_row(row))
    return found


def _records(conn, stmt, record_type, make) -> list[Any]:
    result = [dict(r) for r in conn.execute(stmt).mappings()]
    ev = _evidence(conn, record_type, [r["id"] for r in result])
    return [make(r, ev.get(r["id"], [])) for r in result]


def _ledger_order(table: sa.Table, date_col: sa.Column, doc_id: str | None) -> list[Any]:
    if doc_id is not None:
        return [table.c.position]
    return [date_col.asc().nulls_last(), table.c.document_id, table.c.position]


# -- documents ------------------------------------------------------------------------


def fts5_query(q: str) -> str | None:
    """A websearch-style query ('words', "a phrase", a OR b, -word) as FTS5 syntax, every
    term quoted so punctuation ("Al-Asad") is never read as an operator."""
    groups: list[list[str]] = []
    negatives: list[str] = []
    join_next = False
    for m in re.finditer(r'(-?)"([^"]*)"?|(-?)(\S+)', q):
        negate = bool(m.group(1) or m.group(3))
        term = m.group(2) if m.group(2) is not None else m.group(4)
        if m.group(4) is not None and term.lower() == "or" and not negate:
            join_next = bool(groups)
            continue
        if not re.search(r"\w", term):
            continue
        quoted = '"' + term.replace('"', '""') + '"'
        if negate:
            negatives.append(quoted)
        elif join_next:
            groups[-1].append(quoted)
        else:
            groups.append([quoted])
        join_next = False
    if not groups:
        return None
    expr = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)
    return expr + "".join(f" NOT {n}" for n in negatives)


def documents_stmt(dialect: str, *, since, until, q, limit, offset):
    """The SELECT behind ``documents_query``; None when ``q`` can match nothing."""
    d = documents
    stmt = _between(sa.select(d), d.c.published, since, until)
    order: list[Any] = []
    if q is not None and q.strip():
        if dialect == "sqlite":
            match = fts5_query(q)
            if match is None:
                return None
            fts = sa.table(FTS_TABLE, sa.column("rowid"), sa.column("rank"))
            stmt = stmt.join(fts, fts.c.rowid == d.c.seq).where(
                sa.literal_column(FTS_TABLE).op("MATCH")(match)
            )
            order.append(fts.c.rank)  # bm25: lower is better
        else:
            vector = sa.literal_column(f"{d.name}.{PG_SEARCH_COLUMN}")
            query = sa.func.websearch_to_tsquery(sa.literal_column("'english'::regconfig"), q)
            stmt = stmt.where(vector.op("@@")(query))
            order.append(sa.func.ts_rank(vector, query).desc())
    order += [d.c.published.desc().nulls_last(), d.c.seq.desc()]
    return _page(stmt.order_by(*order), limit, offset)


def documents_query(conn: Connection, **filters) -> list[Document]:
    stmt = documents_stmt(conn.dialect.name, **filters)
    if stmt is None:
        return []
    return [rows.document_from_row(r) for r in conn.execute(stmt).mappings()]


def get_document(conn: Connection, doc_id: str) -> Document | None:
    row = conn.execute(sa.select(documents).where(documents.c.id == doc_id)).mappings().first()
    return None if row is None else rows.document_from_row(row)


def has_document(conn: Connection, doc_id: str) -> bool:
    stmt = sa.select(documents.c.id).where(documents.c.id == doc_id)
    return conn.execute(stmt).first() is not None


# -- extracted records ----------------------------------------------------------------


def mentions_query(
    conn: Connection, *, doc_id, since, until, country, mode, actor, attacker, target, limit, offset
) -> list[IncidentMention]:
    t = incident_mentions
    stmt = _between(sa.select(t), t.c.date_start, since, until)
    if doc_id is not None:
        stmt = stmt.where(t.c.document_id == doc_id)
    if country:
        stmt = stmt.where(t.c.country.in_([c.upper() for c in _many(country)]))
    if mode:
        modes = sa.select(mention_modes.c.mention_id).where(mention_modes.c.mode.in_(_many(mode)))
        stmt = stmt.where(t.c.id.in_(modes))
    if actor:
        stmt = stmt.where(sa.or_(_actor(t, "attacker", actor), _actor(t, "target", actor)))
    if attacker:
        stmt = stmt.where(_actor(t, "attacker", attacker))
    if target:
        stmt = stmt.where(_actor(t, "target", target))
    stmt = _page(stmt.order_by(*_ledger_order(t, t.c.date_start, doc_id)), limit, offset)
    return _records(conn, stmt, "mention", rows.mention_from_row)


def claims_query(
    conn: Connection, *, measure, subject_id, since, until, doc_id, limit, offset
) -> list[Claim]:
    t = claims
    stmt = _between(sa.select(t), t.c.ref_date, since, until)
    if measure:
        stmt = stmt.where(t.c.measure.in_(_many(measure)))
    if subject_id is not None:
        stmt = stmt.where(t.c.subject_id == subject_id)
    if doc_id is not None:
        stmt = stmt.where(t.c.document_id == doc_id)
    stmt = _page(stmt.order_by(*_ledger_order(t, t.c.ref_date, doc_id)), limit, offset)
    return _records(conn, stmt, "claim", rows.claim_from_row)


def interactions_query(
    conn: Connection, *, doc_id, type, actor, since, until, limit, offset
) -> list[Interaction]:
    t = interactions
    stmt = _between(sa.select(t), t.c.date_start, since, until)
    if doc_id is not None:
        stmt = stmt.where(t.c.document_id == doc_id)
    if type:
        stmt = stmt.where(t.c.type.in_(_many(type)))
    if actor:
        stmt = stmt.where(sa.or_(_actor(t, "source", actor), _actor(t, "target", actor)))
    stmt = _page(stmt.order_by(*_ledger_order(t, t.c.date_start, doc_id)), limit, offset)
    return _records(conn, stmt, "interaction", rows.interaction_from_row)


def quotes_query(conn: Connection, *, doc_id, speaker, limit, offset) -> list[Quote]:
    t = quotes
    stmt = sa.select(t)
    if doc_id is not None:
        stmt = stmt.where(t.c.document_id == doc_id)
        order = [t.c.position]
    else:
        # Quotes carry no date of their own: order by when their document was published.
        stmt = stmt.join(documents, documents.c.id == t.c.document_id)
        order = [documents.c.published.asc().nulls_last(), t.c.document_id, t.c.position]
    if speaker:
        stmt = stmt.where(
            sa.or_(t.c.speaker_id == speaker, sa.func.lower(t.c.speaker) == speaker.lower())
        )
    stmt = _page(stmt.order_by(*order), limit, offset)
    return _records(conn, stmt, "quote", rows.quote_from_row)


# -- resolved incidents and series ----------------------------------------------------

_RANGE_COLUMNS = {f"{n}_{e}" for n in (*CASUALTY_FIELDS, "payload") for e in ("min", "max")}


def _incident_dict(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for name in _RANGE_COLUMNS:
        out[name] = rows.num_out(out[name])
    return out


def incidents_query(
    conn: Connection, *, ids=None, since, until, country, mode, target, attacker, limit, offset
) -> list[dict[str, Any]]:
    t = incidents
    stmt = _between(sa.select(t), t.c.date_start, since, until)
    if ids is not None:
        stmt = stmt.where(t.c.id.in_(list(ids)))
    if country:
        stmt = stmt.where(t.c.country.in_([c.upper() for c in _many(country)]))
    if mode:
        modes = sa.select(incident_modes.c.incident_id).where(
            incident_modes.c.mode.in_(_many(mode))
        )
        stmt = stmt.where(t.c.id.in_(modes))
    if attacker:
        stmt = stmt.where(_actor(t, "attacker", attacker))
    if target:
        stmt = stmt.where(_actor(t, "target", target))
    stmt = _page(stmt.order_by(t.c.date_start.asc().nulls_last(), t.c.id), limit, offset)
    found = [_incident_dict(r) for r in conn.execute(stmt).mappings()]
    links: dict[str, list[str]] = defaultdict(list)
    for chunk in chunks([f["id"] for f in found]):
        stmt = (
            sa.select(incident_links)
            .where(incident_links.c.incident_id.in_(chunk))
            .order_by(incident_links.c.incident_id, incident_links.c.position)
        )
        for incident_id, mention_id, _pos in conn.execute(stmt):
            links[incident_id].append(mention_id)
    for f in found:
        f["mention_ids"] = links.get(f["id"], [])
    return found


def claim_series_query(
    conn: Connection, *, measure, subject_id, limit, offset
) -> list[ClaimSeries]:
    t = claim_series
    stmt = sa.select(t)
    if measure:
        stmt = stmt.where(t.c.measure.in_(_many(measure)))
    if subject_id is not None:
        stmt = stmt.where(t.c.subject_id == subject_id)
    stmt = _page(
        stmt.order_by(t.c.measure, t.c.subject_id.asc().nulls_last(), t.c.id), limit, offset
    )
    found = [dict(r) for r in conn.execute(stmt).mappings()]
    points: dict[str, list[dict[str, Any]]] = defaultdict(list)
    m = claim_series_members
    for chunk in chunks([f["id"] for f in found]):
        stmt = sa.select(m).where(m.c.series_id.in_(chunk)).order_by(m.c.series_id, m.c.position)
        for row in conn.execute(stmt).mappings():
            points[row["series_id"]].append(dict(row))
    return [rows.series_from_rows(f, points.get(f["id"], [])) for f in found]


def corrections_query(conn: Connection, *, record_type, record_id) -> list[dict[str, Any]]:
    t = corrections
    stmt = sa.select(t)
    if record_type is not None:
        stmt = stmt.where(t.c.record_type == record_type)
    if record_id is not None:
        stmt = stmt.where(t.c.record_id == record_id)
    return [dict(r) for r in conn.execute(stmt.order_by(t.c.created_at, t.c.id)).mappings()]


def counts(conn: Connection, tables: dict[str, sa.Table]) -> dict[str, int]:
    return {
        name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        for name, t in tables.items()
    }
