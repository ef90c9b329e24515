"""Aggregates over resolved incidents, computed in SQL: what the tally counts.

``tally_counts`` answers with one ``GROUP BY`` query (by country and attack-mode list: a
few hundred groups at most) what ``report.tally`` used to count over every incident
loaded into Python: the incidents in a scope, by attack mode and by country, and per
severity the sum of minimums, the sum of maximums (the minimum where no maximum is
given), how many incidents give a figure and how many of those give no maximum. It also
takes *figures*, other scopes each wanting one number (an incident count or a sum of
minimums: the ledger's figure beside an official claim), counted in one more pass per
target and country filter they share (one pass for the claim series of one subject).

A scope, as the tally defines it:

- a start and an end date, inclusive, on ``date_start`` (an undated incident is outside
  any scope with a date bound);
- target actor ids and target names as written: an incident is in when either matches
  (the caller decides which ids are part of an actor and which names match it);
- countries, in any case (the empty code stands for an unknown country).

How it counts: an incident counts once under each of its distinct attack modes, under
``None`` when it has none; ``by_country`` is keyed by the stored country (``None`` when
unknown); ``injured`` is the stated total, else serious plus minor (the parts' minimums
summed; the maximum unknown when a part gives a minimum and no maximum).

Attack modes are read from the incident's own ``attack_modes`` list, the list
``incident_modes`` is written from (one row per distinct mode): grouping by the list
needs no join, and joining one row per (mode, incident) back to its incident is what
makes counting by mode slow at scale (0.6-3 s at 600,000 incidents).

Speed: every query here reads only the covering index ``schema.TALLY_INDEX`` (migration
0002), never the table, so its cost is one index entry per incident in the date range
(SQLite: per incident, as its index leads with country and modes to group without
sorting). ``benchmarks/tally_scale.py`` measures it at a million incidents.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import TableClause

from sitrep.store.schema import TALLY_INDEX, incidents

SEVERITIES = ("killed", "injured", "serious", "minor", "tbi")
FIGURE_KEYS = {"since", "until", "target", "target_names", "country", "severity"}
Names = str | Iterable[str] | None


def listed(value: Names) -> list[str] | None:
    """A filter value as a list: a string is one value; None stays None (no filter)."""
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


# -- what is read ---------------------------------------------------------------------


class _TallySource(TableClause):
    """``incidents`` as the tally reads it: on SQLite, ``INDEXED BY`` the covering index.

    SQLite's planner, without statistics, prefers a narrower index (the date, the target)
    and then reads the table row by row, seconds at a million incidents; the covering
    index answers every tally query from the index alone. (SQLAlchemy renders no table
    hints for SQLite, hence this construct.) PostgreSQL plans for itself."""

    inherit_cache = True


@compiles(_TallySource, "sqlite")
def _indexed_by(element, compiler, **kw):
    text = compiler.visit_table(element, **kw)
    return f"{text} INDEXED BY {TALLY_INDEX}" if kw.get("asfrom") else text


TALLIED = _TallySource(incidents.name, *(sa.column(c.name, c.type) for c in incidents.columns))


def severity_terms(t: sa.FromClause = TALLIED) -> dict[str, dict[str, sa.ColumnElement]]:
    """Per severity, row expressions: ``min`` and ``max`` (what the incident adds to the
    sums of minimums and of maximums; a missing maximum adds the minimum), ``given`` and
    ``bounded`` (not null when it gives a figure, a maximum). ``injured`` is the stated
    total, else serious plus minor."""
    coalesce = sa.func.coalesce
    out = {}
    for s in SEVERITIES:
        lo, hi = t.c[f"{s}_min"], t.c[f"{s}_max"]
        out[s] = {"min": lo, "max": coalesce(hi, lo), "given": coalesce(lo, hi), "bounded": hi}
    lo, hi = t.c.injured_min, t.c.injured_max
    ser_lo, ser_hi, min_lo, min_hi = t.c.serious_min, t.c.serious_max, t.c.minor_min, t.c.minor_max
    zero = sa.literal(0.0)
    no_total = sa.and_(lo.is_(None), hi.is_(None))
    # a part that gives a minimum and no maximum leaves the fallback's maximum unknown
    open_part = sa.or_(
        sa.and_(ser_lo.is_not(None), ser_hi.is_(None)),
        sa.and_(min_lo.is_not(None), min_hi.is_(None)),
    )
    parts_lo = coalesce(ser_lo, zero) + coalesce(min_lo, zero)
    parts_hi = coalesce(ser_hi, zero) + coalesce(min_hi, zero)
    out["injured"] = {
        # no total: the parts' minimums (0, adding nothing, when there are no parts)
        "min": coalesce(lo, sa.case((hi.is_(None), parts_lo))),
        "max": sa.case(
            (no_total, sa.case((open_part, parts_lo), else_=parts_hi)), else_=coalesce(hi, lo)
        ),
        "given": coalesce(lo, hi, ser_lo, ser_hi, min_lo, min_hi),
        "bounded": coalesce(
            hi, sa.case((sa.and_(lo.is_(None), sa.not_(open_part)), coalesce(ser_hi, min_hi)))
        ),
    }
    return out


def country_filter(col: sa.ColumnElement, countries: Iterable[str]) -> sa.ColumnElement:
    """The country is one of ``countries``, in any case (the store writes countries
    upper-cased); the empty code also matches an unknown country, as the tally's
    ``(country or "").upper()`` does."""
    wanted = sorted({c.upper() for c in countries})
    term = col.in_(wanted)
    return sa.or_(term, col.is_(None)) if "" in wanted else term


def scope_filters(
    t: sa.FromClause,
    *,
    since: date | None = None,
    until: date | None = None,
    target_ids: Names = None,
    target_names: Names = None,
    countries: Names = None,
) -> list[sa.ColumnElement]:
    """WHERE terms for a scope. Targets: None for both means any (or no) target;
    otherwise the target id is one of ``target_ids`` or its name one of ``target_names``
    (both empty: nothing matches). No countries: anywhere."""
    where: list[sa.ColumnElement] = []
    if since is not None:
        where.append(t.c.date_start >= since)
    if until is not None:
        where.append(t.c.date_start <= until)
    target_ids, target_names = listed(target_ids), listed(target_names)
    if target_ids is not None or target_names is not None:
        ids, names = sorted(set(target_ids or ())), sorted(set(target_names or ()))
        terms = []
        if ids:
            terms.append(t.c.target_id.in_(ids))
        if names:
            terms.append(t.c.target_name.in_(names))
        where.append(sa.or_(*terms) if terms else sa.false())
    countries = listed(countries)
    if countries:
        where.append(country_filter(t.c.country, countries))
    return where


def _modes_text(t: sa.FromClause, dialect: str) -> sa.ColumnElement:
    """The attack-mode list as its stored JSON text, which groups on both databases
    (PostgreSQL has no equality on ``json``; on SQLite the column is text already)."""
    if dialect == "postgresql":
        return sa.cast(t.c.attack_modes, sa.Text)
    return sa.type_coerce(t.c.attack_modes, sa.Text)


# -- figures --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One number over a scope: the incidents counted (``severity`` None) or their
    minimums of one severity summed. Built from a mapping of ``since``, ``until``,
    ``target``, ``target_names``, ``country`` and ``severity`` (:meth:`of`)."""

    since: date | None = None
    until: date | None = None
    target_ids: tuple[str, ...] | None = None
    target_names: tuple[str, ...] | None = None
    countries: tuple[str, ...] = ()
    severity: str | None = None

    @classmethod
    def of(cls, spec: Mapping[str, Any] | Figure) -> Figure:
        if isinstance(spec, Figure):
            return spec
        unknown = set(spec) - FIGURE_KEYS
        if unknown:
            raise ValueError(f"unknown figure keys: {', '.join(sorted(unknown))}")
        severity = spec.get("severity")
        if severity is not None and severity not in SEVERITIES:
            raise ValueError(f"unknown severity: {severity}")
        ids, names = listed(spec.get("target")), listed(spec.get("target_names"))
        return cls(
            since=spec.get("since"),
            until=spec.get("until"),
            target_ids=None if ids is None else tuple(sorted(set(ids))),
            target_names=None if names is None else tuple(sorted(set(names))),
            countries=tuple(sorted({c.upper() for c in listed(spec.get("country")) or ()})),
            severity=severity,
        )


def figures_statement(figures: list[Figure]) -> sa.Select:
    """Figures that share their target and country filters, in one pass: the rows that
    pass those filters once, and per figure only its dates tested."""
    t = TALLIED
    first = figures[0]
    shared = scope_filters(
        t, target_ids=first.target_ids, target_names=first.target_names, countries=first.countries
    )
    starts, ends = [f.since for f in figures], [f.until for f in figures]
    where = shared + scope_filters(
        t,
        since=None if None in starts else min(starts),
        until=None if None in ends else max(ends),
    )
    terms = severity_terms(t)
    cols = []
    for i, f in enumerate(figures):
        dates = scope_filters(t, since=f.since, until=f.until)
        value = sa.literal(1) if f.severity is None else terms[f.severity]["min"]
        if dates:
            value = sa.case((sa.and_(*dates), value))
        agg = sa.func.count(value) if f.severity is None else sa.func.sum(value)
        cols.append(agg.label(f"f{i}"))
    return sa.select(*cols).select_from(t).where(*where)


def count_figures(conn: Connection, figures: Iterable[Mapping[str, Any] | Figure]) -> list[int | float]:
    """Each figure's number: one pass per set of figures sharing their target and country
    filters (one pass for the claim series of one subject and region)."""
    asked = [Figure.of(f) for f in figures]
    groups: dict[tuple, list[Figure]] = {}
    for f in dict.fromkeys(asked):
        groups.setdefault((f.target_ids, f.target_names, f.countries), []).append(f)
    found: dict[Figure, float] = {}
    for group in groups.values():
        row = conn.execute(figures_statement(group)).one()
        found.update(zip(group, row, strict=True))
    return [_num(found[f]) for f in asked]


# -- the tally ------------------------------------------------------------------------


def tally_statement(
    dialect: str,
    *,
    since: date | None = None,
    until: date | None = None,
    target_ids: Names = None,
    target_names: Names = None,
    countries: Names = None,
    severities: Iterable[str] = SEVERITIES,
    grouped: bool = True,
) -> sa.Select:
    """The tally query: one row per (country, attack-mode list) in the scope, or a single
    row when not ``grouped``; columns ``n`` and, per severity, ``<s>_min``, ``<s>_max``,
    ``<s>_given`` and ``<s>_bounded``."""
    severities = tuple(severities)
    unknown = set(severities) - set(SEVERITIES)
    if unknown:
        raise ValueError(f"unknown severities: {', '.join(sorted(unknown))}")
    target_ids, target_names, countries = listed(target_ids), listed(target_names), listed(countries)
    # A bare count by date needs no more than ix_incidents_date_start, which SQLite
    # finds by itself; anything else reads the covering index.
    by_date_alone = not (grouped or severities or countries) and (
        target_ids is None and target_names is None
    )
    t: sa.FromClause = incidents if by_date_alone else TALLIED
    terms = severity_terms(t)
    cols: list[sa.ColumnElement] = [sa.func.count().label("n")]
    for s in severities:
        term = terms[s]
        cols += [
            sa.func.sum(term["min"]).label(f"{s}_min"),
            sa.func.sum(term["max"]).label(f"{s}_max"),
            sa.func.count(term["given"]).label(f"{s}_given"),
            sa.func.count(term["bounded"]).label(f"{s}_bounded"),
        ]
    keys = [t.c.country.label("country"), _modes_text(t, dialect).label("modes")] if grouped else []
    where = scope_filters(
        t,
        since=since,
        until=until,
        target_ids=target_ids,
        target_names=target_names,
        countries=countries,
    )
    stmt = sa.select(*keys, *cols).select_from(t).where(*where)
    return stmt.group_by(*keys) if grouped else stmt


def _num(x: float | int | None) -> int | float:
    x = x or 0
    return int(x) if float(x).is_integer() else x


def _distinct_modes(text: str | None) -> list[str | None]:
    """The distinct modes of a stored list, in order; ``[None]`` for none."""
    try:
        modes = json.loads(text) if text else []
    except ValueError:
        modes = []
    return list(dict.fromkeys(modes if isinstance(modes, list) else [])) or [None]


def _most_first(counter: Counter) -> dict[Any, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or "")))


def tally_counts(
    conn: Connection,
    *,
    since: date | None = None,
    until: date | None = None,
    target_ids: Names = None,
    target_names: Names = None,
    countries: Names = None,
    severities: Iterable[str] = SEVERITIES,
    grouped: bool = True,
    figures: Iterable[Mapping[str, Any] | Figure] = (),
) -> dict[str, Any]:
    """The counts of one scope (see the module doc): ``incidents``; ``by_mode`` and
    ``by_country``, most first (empty when not ``grouped``); ``casualties``: per severity
    asked for, ``min``, ``max``, ``incidents`` (giving a figure) and ``unbounded``
    (giving no maximum); ``figures``: one number per figure asked for.

    A figure is a mapping of ``since``, ``until``, ``target``, ``target_names``,
    ``country`` (a scope, as for the main one) and ``severity``: None counts the
    incidents, a severity sums their minimums (see :func:`count_figures`)."""
    severities = tuple(severities)
    stmt = tally_statement(
        conn.dialect.name,
        since=since,
        until=until,
        target_ids=target_ids,
        target_names=target_names,
        countries=countries,
        severities=severities,
        grouped=grouped,
    )
    total = 0
    by_mode: Counter = Counter()
    by_country: Counter = Counter()
    sums = {s: {"min": 0.0, "max": 0.0, "incidents": 0, "unbounded": 0} for s in severities}
    for row in conn.execute(stmt).mappings():
        n = row["n"]
        if not n:
            continue  # an ungrouped count over nothing
        total += n
        if grouped:
            by_country[row["country"]] += n
            for mode in _distinct_modes(row["modes"]):
                by_mode[mode] += n
        for s, out in sums.items():
            out["min"] += row[f"{s}_min"] or 0
            out["max"] += row[f"{s}_max"] or 0
            out["incidents"] += row[f"{s}_given"]
            out["unbounded"] += row[f"{s}_given"] - row[f"{s}_bounded"]
    return {
        "incidents": total,
        "by_mode": _most_first(by_mode),
        "by_country": _most_first(by_country),
        "casualties": {
            s: {
                "min": _num(v["min"]),
                "max": _num(v["max"]),
                "incidents": v["incidents"],
                "unbounded": v["unbounded"],
            }
            for s, v in sums.items()
        },
        "figures": count_figures(conn, figures) if figures else [],
    }


# -- targets --------------------------------------------------------------------------


def distinct_values(conn: Connection, column: sa.Column) -> list[Any]:
    """The distinct non-null values of an indexed column, in order, by a loose index scan:
    one index seek per value (a recursive CTE of ``min(col) WHERE col > previous``), not
    a pass over every row."""
    first = sa.select(sa.func.min(column)).where(column.is_not(None)).scalar_subquery()
    walk = sa.select(first.label("v")).cte("walk", recursive=True)
    after = sa.select(sa.func.min(column)).where(column > walk.c.v).scalar_subquery()
    walk = walk.union_all(sa.select(after.label("v")).where(walk.c.v.is_not(None)))
    return list(conn.execute(sa.select(walk.c.v).where(walk.c.v.is_not(None))).scalars())


def incident_targets(conn: Connection) -> dict[str, list[str]]:
    """The distinct target ids and target names of resolved incidents."""
    return {
        "ids": distinct_values(conn, incidents.c.target_id),
        "names": distinct_values(conn, incidents.c.target_name),
    }
