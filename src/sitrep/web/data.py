"""What the views read: filters to SQL over the store's tables, rows to JSON-ready dicts.

The incident list reads the ``incidents`` table through ``Store.engine`` (which the store
offers for read-only use) because it filters on more than ``Store.incidents`` does (an
actor on either side, full-text search over the incident's documents) and returns a
light summary per row (no per-field provenance), so a page of the list stays cheap at
archive scale. Everything else goes through the ``Store`` methods.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from sitrep.store import Store
from sitrep.store.queries import documents_stmt
from sitrep.store.rows import num_out
from sitrep.store.schema import (
    CASUALTY_FIELDS,
    documents,
    incident_links,
    incident_mentions,
    incident_modes,
    incidents,
)

CONTEXT_MAX = 400  # characters of a sentence shown around a piece of evidence


@dataclass(slots=True)
class Filters:
    """The filters of incident lists, the overview and the timeline (all optional)."""

    since: date | None = None
    until: date | None = None
    country: list[str] = field(default_factory=list)
    mode: list[str] = field(default_factory=list)
    actor: str | None = None  # attacker or target, by actor id or name as written
    attacker: str | None = None
    target: str | None = None
    q: str | None = None  # full text over the incident's documents

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "country": list(self.country),
            "mode": list(self.mode),
            "actor": self.actor,
            "attacker": self.attacker,
            "target": self.target,
            "q": self.q,
        }


def _actor(prefix: str, value: str):
    t = incidents
    return sa.or_(
        t.c[f"{prefix}_id"] == value, sa.func.lower(t.c[f"{prefix}_name"]) == value.lower()
    )


def _matching_documents(dialect: str, q: str):
    """A subquery of the ids of documents matching ``q``; None when ``q`` matches nothing."""
    stmt = documents_stmt(dialect, since=None, until=None, q=q, limit=None, offset=0)
    if stmt is None:
        return None
    return stmt.with_only_columns(documents.c.id).order_by(None)


def where(stmt, f: Filters, dialect: str):
    """``stmt`` (a select over ``incidents``) narrowed by the filters."""
    t = incidents
    if f.since is not None:
        stmt = stmt.where(t.c.date_start >= f.since)
    if f.until is not None:
        stmt = stmt.where(t.c.date_start <= f.until)
    if f.country:
        stmt = stmt.where(t.c.country.in_([c.upper() for c in f.country]))
    if f.mode:
        modes = sa.select(incident_modes.c.incident_id).where(incident_modes.c.mode.in_(f.mode))
        stmt = stmt.where(t.c.id.in_(modes))
    if f.actor:
        stmt = stmt.where(sa.or_(_actor("attacker", f.actor), _actor("target", f.actor)))
    if f.attacker:
        stmt = stmt.where(_actor("attacker", f.attacker))
    if f.target:
        stmt = stmt.where(_actor("target", f.target))
    if f.q and f.q.strip():
        docs = _matching_documents(dialect, f.q)
        if docs is None:
            return stmt.where(sa.false())
        held = (
            sa.select(incident_links.c.incident_id)
            .join(incident_mentions, incident_mentions.c.id == incident_links.c.mention_id)
            .where(incident_mentions.c.document_id.in_(docs))
        )
        stmt = stmt.where(t.c.id.in_(held))
    return stmt


# The incident list is the API's busiest read. Its statement is built once per shape of
# filter (which filters are set, how many values each) with bound parameters, so a request
# costs one cached execution; rows come back as plain tuples, JSON and dates as the
# database gave them, and each summary is built in one pass (``summary`` has the shape).
_TEXT_COLUMNS = ("date_start", "date_end", "attack_modes", "weapons", "outcome")
_RANGES = ("payload", *CASUALTY_FIELDS)
_ROW_COLUMNS = (
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "place_name",
    "country",
    "admin1",
    "lat",
    "lon",
    "place_precision",
    "attack_modes",
    "weapons",
    "outcome",
    "confidence",
    "attacker_id",
    "attacker_name",
    "attacker_kind",
    "target_id",
    "target_name",
    "target_kind",
    *(f"{r}_{e}" for r in _RANGES for e in ("min", "max")),
)
_EXTRA_KEYS = ("conflicts", "document_ids", "corrected")


def _fields_json(dialect: str, key: str):
    """One key of ``incidents.fields_json``, as the database's own JSON (no bound path)."""
    col = incidents.c.fields_json
    if dialect == "sqlite":
        return sa.func.json_extract(col, sa.literal_column(f"'$.{key}'"))
    return col.op("->")(sa.literal_column(f"'{key}'"))


def _count_json_array(dialect: str, key: str):
    if dialect == "sqlite":
        n = sa.func.json_array_length(incidents.c.fields_json, sa.literal_column(f"'$.{key}'"))
    else:
        n = sa.func.json_array_length(_fields_json(dialect, key))
    return sa.func.coalesce(n, 0)


def _summary_select(dialect: str):
    t = incidents
    mentions = (
        sa.select(sa.func.count()).where(incident_links.c.incident_id == t.c.id).scalar_subquery()
    )
    cols = [
        sa.type_coerce(t.c[name], sa.Text) if name in _TEXT_COLUMNS else t.c[name]
        for name in _ROW_COLUMNS
    ]
    extra = [
        sa.type_coerce(_fields_json(dialect, "conflicts"), sa.Text),
        _count_json_array(dialect, "document_ids"),
        sa.type_coerce(_fields_json(dialect, "corrected"), sa.Text),
    ]
    return sa.select(*cols, *extra, mentions)


def _shape(f: Filters, order: str) -> tuple:
    return (
        f.since is not None,
        f.until is not None,
        len(f.country),
        len(f.mode),
        bool(f.actor),
        bool(f.attacker),
        bool(f.target),
        order,
    )


def _bound_actor(prefix: str, key: str):
    t = incidents
    return sa.or_(
        t.c[f"{prefix}_id"] == sa.bindparam(key),
        sa.func.lower(t.c[f"{prefix}_name"]) == sa.bindparam(f"{key}_lower"),
    )


def _order(column, order: str, dialect: str) -> list:
    """Newest first by default (undated last either way), ties broken by id, so every
    page boundary is stable."""
    t = column.table
    if order == "asc":
        return [column.asc().nulls_last(), t.c.id.asc()]
    if dialect == "sqlite":  # NULLs sort last in descending order already
        return [column.desc(), t.c.id.desc()]
    return [column.desc().nulls_last(), t.c.id.desc()]


@lru_cache(maxsize=512)
def _page_ids(dialect: str, shape: tuple):
    """The ids of one page, for one shape of filter, with bound parameters. It reads only
    what filters and orders, so skipping ``offset`` rows walks an index instead of
    building every skipped row's summary (JSON extraction, mention count)."""
    since, until, n_country, n_mode, actor, attacker, target, order = shape
    t = incidents
    stmt = sa.select(t.c.id, t.c.date_start)
    if since:
        stmt = stmt.where(t.c.date_start >= sa.bindparam("since", type_=sa.Date))
    if until:
        stmt = stmt.where(t.c.date_start <= sa.bindparam("until", type_=sa.Date))
    if n_country:
        stmt = stmt.where(t.c.country.in_([sa.bindparam(f"country_{i}") for i in range(n_country)]))
    if n_mode:
        modes = sa.select(incident_modes.c.incident_id).where(
            incident_modes.c.mode.in_([sa.bindparam(f"mode_{i}") for i in range(n_mode)])
        )
        stmt = stmt.where(t.c.id.in_(modes))
    if actor:
        stmt = stmt.where(
            sa.or_(_bound_actor("attacker", "actor"), _bound_actor("target", "actor"))
        )
    if attacker:
        stmt = stmt.where(_bound_actor("attacker", "attacker"))
    if target:
        stmt = stmt.where(_bound_actor("target", "target"))
    return (
        stmt.order_by(*_order(t.c.date_start, order, dialect))
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )


def _summaries_of(page, dialect: str, order: str):
    """The summary rows of the incidents ``page`` (a page of ids) selects, in its order."""
    page = page.subquery("page")
    stmt = _summary_select(dialect).join_from(incidents, page, page.c.id == incidents.c.id)
    return stmt.order_by(*_order(page.c.date_start, order, dialect))


@lru_cache(maxsize=512)
def _list_statement(dialect: str, shape: tuple):
    """The incident-list SELECT for one shape of filter, with bound parameters."""
    return _summaries_of(_page_ids(dialect, shape), dialect, shape[-1])


def _list_params(f: Filters, limit: int, offset: int) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if f.since is not None:
        params["since"] = f.since
    if f.until is not None:
        params["until"] = f.until
    params.update({f"country_{i}": c.upper() for i, c in enumerate(f.country)})
    params.update({f"mode_{i}": m for i, m in enumerate(f.mode)})
    for key in ("actor", "attacker", "target"):
        value = getattr(f, key)
        if value:
            params[key], params[f"{key}_lower"] = value, value.lower()
    return params


def _iso(d: Any) -> str | None:
    if d is None or isinstance(d, str):
        return d
    return d.isoformat()


def _json(text: Any) -> Any:
    if text is None or not isinstance(text, str):
        return text
    return json.loads(text)


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """A JSON list of words (modes, weapons, outcomes: few distinct values, many rows)."""
    return tuple(json.loads(text))


def _list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return list(_words(value)) if len(value) < 512 else json.loads(value)
    return list(value)  # PostgreSQL's driver gives JSON back decoded


def _party(a_id, a_name, a_kind) -> dict[str, Any] | None:
    if a_id is None and a_name is None and a_kind is None:
        return None
    return {"id": a_id, "name": a_name, "kind": a_kind}


_N_RANGE_VALUES = 2 * len(_RANGES)
_WHOLE = 2**53


def summary(row: tuple) -> dict[str, Any]:
    """One incident as the list shows it: its resolved values, no provenance."""
    (
        ident,
        d0,
        d1,
        dp,
        pname,
        country,
        admin1,
        lat,
        lon,
        pp,
        modes,
        weapons,
        outcome,
        conf,
        a_id,
        a_name,
        a_kind,
        t_id,
        t_name,
        t_kind,
        *rest,
    ) = row
    nums = [
        x if x is None or not (x == int(x) and abs(x) < _WHOLE) else int(x)
        for x in rest[:_N_RANGE_VALUES]
    ]
    conflicts, n_docs, corrected, mentions = rest[_N_RANGE_VALUES:]
    corrected = _json(corrected)
    return {
        "id": ident,
        "url": f"/incidents/{ident}",
        "date": {"start": _iso(d0), "end": _iso(d1), "precision": dp},
        "place": {
            "name": pname,
            "country": country,
            "admin1": admin1,
            "lat": lat,
            "lon": lon,
            "precision": pp,
        },
        "attack_modes": _list(modes),
        "weapons": _list(weapons),
        "payload_kg": {"min": nums[0], "max": nums[1]},
        "attacker": _party(a_id, a_name, a_kind),
        "target": _party(t_id, t_name, t_kind),
        "outcome": _list(outcome),
        "casualties": {
            "killed": {"min": nums[2], "max": nums[3]},
            "injured": {"min": nums[4], "max": nums[5]},
            "serious": {"min": nums[6], "max": nums[7]},
            "minor": {"min": nums[8], "max": nums[9]},
            "tbi": {"min": nums[10], "max": nums[11]},
        },
        "confidence": conf,
        "conflicts": _list(conflicts),
        "corrected": sorted(corrected) if isinstance(corrected, dict) else [],
        "documents": n_docs,
        "mentions": mentions,
    }


def incident_page(
    store: Store, f: Filters, *, limit: int, offset: int, order: str = "desc"
) -> tuple[list[dict[str, Any]], bool]:
    """One page of incident summaries and whether another page follows."""
    q = f.q if f.q and f.q.strip() else None
    if q is None:
        stmt = _list_statement(store.dialect, _shape(f, order))
    else:  # full text: the documents' search decides the statement, built per request
        ids = _page_ids(store.dialect, _shape(replace(f, q=None), order))
        stmt = _summaries_of(where(ids, Filters(q=q), store.dialect), store.dialect, order)
    with store.engine.connect() as conn:
        found = [summary(r) for r in conn.execute(stmt, _list_params(f, limit + 1, offset)).all()]
    return found[:limit], len(found) > limit


def matching_ids(store: Store, f: Filters) -> set[str]:
    """The ids of every incident the filters select."""
    stmt = where(sa.select(incidents.c.id), f, store.dialect)
    with store.engine.connect() as conn:
        return set(conn.execute(stmt).scalars())


# -- the overview's aggregates ------------------------------------------------------------


def _injured_expr():
    t = incidents
    parts = sa.case(
        (sa.and_(t.c.serious_min.is_(None), t.c.minor_min.is_(None)), None),
        else_=sa.func.coalesce(t.c.serious_min, 0) + sa.func.coalesce(t.c.minor_min, 0),
    )
    return sa.func.coalesce(t.c.injured_min, parts)


def per_day_by_mode(store: Store, f: Filters) -> list[dict[str, Any]]:
    """Incidents per day and attack mode (an incident counts once under each mode)."""
    t, m = incidents, incident_modes
    mode = sa.func.coalesce(m.c.mode, "unknown")
    stmt = (
        sa.select(t.c.date_start, mode.label("mode"), sa.func.count().label("n"))
        .select_from(t.outerjoin(m, m.c.incident_id == t.c.id))
        .where(t.c.date_start.is_not(None))
        .group_by(t.c.date_start, mode)
        .order_by(t.c.date_start, mode)
    )
    stmt = where(stmt, f, store.dialect)
    with store.engine.connect() as conn:
        return [{"day": _iso(d), "mode": mo, "incidents": n} for d, mo, n in conn.execute(stmt)]


def per_day_totals(store: Store, f: Filters) -> list[dict[str, Any]]:
    """Per day: incidents and injured (total, else serious plus minor; minimums)."""
    t = incidents
    stmt = (
        sa.select(t.c.date_start, sa.func.count(), sa.func.sum(_injured_expr()))
        .where(t.c.date_start.is_not(None))
        .group_by(t.c.date_start)
        .order_by(t.c.date_start)
    )
    stmt = where(stmt, f, store.dialect)
    with store.engine.connect() as conn:
        return [
            {"day": _iso(d), "attacks": n, "injured": num_out(float(inj or 0))}
            for d, n, inj in conn.execute(stmt)
        ]


def places(store: Store, f: Filters, limit: int = 1000) -> list[dict[str, Any]]:
    """Where incidents happened: one row per located place, most incidents first."""
    t = incidents
    stmt = (
        sa.select(
            t.c.place_name,
            t.c.country,
            t.c.lat,
            t.c.lon,
            sa.func.count().label("n"),
            sa.func.min(t.c.date_start),
            sa.func.max(t.c.date_start),
        )
        .where(t.c.lat.is_not(None), t.c.lon.is_not(None))
        .group_by(t.c.place_name, t.c.country, t.c.lat, t.c.lon)
        .order_by(sa.desc("n"), t.c.place_name)
        .limit(limit)
    )
    stmt = where(stmt, f, store.dialect)
    with store.engine.connect() as conn:
        return [
            {
                "name": name,
                "country": country,
                "lat": lat,
                "lon": lon,
                "incidents": n,
                "first": _iso(first),
                "last": _iso(last),
            }
            for name, country, lat, lon, n, first, last in conn.execute(stmt)
        ]


def incidents_of_mentions(store: Store, mention_ids: list[str]) -> dict[str, str]:
    """mention id -> the id of the incident that holds it."""
    out: dict[str, str] = {}
    t = incident_links
    with store.engine.connect() as conn:
        for i in range(0, len(mention_ids), 500):
            chunk = mention_ids[i : i + 500]
            stmt = sa.select(t.c.mention_id, t.c.incident_id).where(t.c.mention_id.in_(chunk))
            out.update({m: inc for m, inc in conn.execute(stmt)})
    return out


# -- evidence in its document ---------------------------------------------------------------


@lru_cache(maxsize=64)
def _sentence_bounds(doc_id: str, text: str) -> tuple[list[int], list[int]]:
    from sitrep.text import split_sentences

    sentences = split_sentences(text)
    return [s.start for s in sentences], [s.end for s in sentences]


def _window(doc_id: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) holding ``text[start:end]``, at most CONTEXT_MAX beyond the span."""
    n = len(text)
    starts, ends = _sentence_bounds(doc_id, text)
    i = bisect.bisect_right(starts, start) - 1
    lo = starts[i] if i >= 0 and ends[i] > start else max(0, start - 120)
    j = bisect.bisect_left(ends, end)
    hi = ends[j] if j < len(ends) and starts[j] <= end else min(n, end + 120)
    return max(lo, start - CONTEXT_MAX // 2), min(max(hi, end), end + CONTEXT_MAX // 2)


def quotes(doc_id: str, text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence spans shown in their sentences: spans in the same sentence share one quote.
    Each quote is cut into ``parts`` (``{"text", "marks"}``) so a template can wrap the
    marked parts in ``<mark>`` with every part escaped."""
    n = len(text)
    windows = []
    for s in spans:
        a, b = max(0, min(int(s["start"]), n)), max(0, min(int(s["end"]), n))
        if a < b:
            lo, hi = _window(doc_id, text, a, b)
            windows.append((lo, hi, a, b, s))
    windows.sort(key=lambda w: (w[0], w[2]))
    groups: list[list[Any]] = []
    for w in windows:
        if groups and w[0] < groups[-1][1]:
            g = groups[-1]
            g[1] = max(g[1], w[1])
            g[2].append(w)
        else:
            groups.append([w[0], w[1], [w]])
    out = []
    for lo, hi, members in groups:
        local = [
            {"start": a - lo, "end": b - lo, "label": s.get("field", "")}
            for _, _, a, b, s in members
        ]
        first, last = min(m[2] for m in members), max(m[3] for m in members)
        out.append(
            {
                "start": lo,
                "end": hi,
                "parts": [
                    {"text": p["text"], "marks": p["marks"]} for p in segments(text[lo:hi], local)
                ],
                "link": f"/documents/{doc_id}?start={first}&end={last}#focus",
            }
        )
    return out


def segments(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``text`` cut at every span boundary: ``{"text", "marks"}`` where ``marks`` lists the
    labels of the spans covering that piece (empty for plain text)."""
    n = len(text)
    clean = []
    for s in spans:
        a, b = max(0, min(int(s["start"]), n)), max(0, min(int(s["end"]), n))
        if a < b:
            clean.append((a, b, s))
    cuts = sorted({0, n, *(a for a, _, _ in clean), *(b for _, b, _ in clean)})
    starts: dict[int, list[int]] = defaultdict(list)
    for k, (a, _, _) in enumerate(clean):
        starts[a].append(k)
    active: set[int] = set()
    out: list[dict[str, Any]] = []
    anchored = False
    for a, b in zip(cuts, cuts[1:], strict=False):
        active.update(starts.get(a, ()))
        active = {k for k in active if clean[k][1] > a}
        covering = [clean[k][2] for k in sorted(active)]
        focus = any(c.get("focus") for c in covering)
        out.append(
            {
                "start": a,
                "text": text[a:b],
                "marks": sorted({c["label"] for c in covering}),
                "focus": focus,
                "anchor": focus and not anchored,  # the first piece of the focus span
            }
        )
        anchored = anchored or focus
    return out
