"""Aggregates over resolved incidents, computed in SQL: what the tally counts.

``tally_counts`` answers with a few ``GROUP BY`` queries (by country and attack-mode
list: a few hundred groups at most) what ``report.tally`` used to count over every
incident loaded into Python: the incidents in a scope, by attack mode and by country,
and per severity the sum of minimums, the sum of maximums (the minimum where no maximum
is given), how many incidents give a figure and how many of those give no maximum. It
also takes *figures*, other scopes each wanting one number (an incident count or a sum
of minimums: the ledger's figure beside an official claim), counted together per target
and country filter they share (the claim series of one subject).

A scope, as the tally defines it (``tally_sql.scope_filters``):

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

Speed: the whole months of a scope are summed from the per-month totals
(``store.tally_months``, migration 0003: tens of thousands of rows for two years of a
million incidents), and only the days of the partial months at its ends are counted
over the incidents (added; or subtracted from the whole month when those are fewer: at
most half a month each), from the covering index ``schema.TALLY_INDEX`` alone (its
entries are in date order, so the cost is one index entry per incident in those days). ``by_month=False`` counts the whole
range over the covering index instead: the same numbers (what the tests compare), one
entry per incident in the scope. ``benchmarks/tally_scale.py`` measures both at a
million incidents.

The sums are added (and subtracted) in another order than a single pass would add them;
for whole numbers (casualty counts) that changes nothing, as floating-point sums of
integers are exact below 2**53.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sitrep.store import tally_months
from sitrep.store.schema import incidents
from sitrep.store.tally_months import Split, month_filters, split_range
from sitrep.store.tally_sql import (
    SEVERITIES,
    TALLIED,
    Names,
    country_filter,
    listed,
    modes_text,
    scope_filters,
    severity_sums,
    severity_terms,
)

__all__ = [
    "SEVERITIES",
    "TALLIED",
    "Figure",
    "country_filter",
    "count_figures",
    "figures_statement",
    "incident_targets",
    "listed",
    "scope_filters",
    "severity_terms",
    "tally_counts",
    "tally_statement",
    "tally_statements",
]

FIGURE_KEYS = {"since", "until", "target", "target_names", "country", "severity"}


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

    def shared(self, t: sa.FromClause) -> list[sa.ColumnElement]:
        """The WHERE terms of its target and country filters."""
        return scope_filters(
            t, target_ids=self.target_ids, target_names=self.target_names, countries=self.countries
        )


def figures_statement(figures: list[Figure]) -> sa.Select:
    """Figures that share their target and country filters, counted over incidents in
    one pass: the rows that pass those filters once, and per figure only its dates tested."""
    t = TALLIED
    starts, ends = [f.since for f in figures], [f.until for f in figures]
    where = figures[0].shared(t) + scope_filters(
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


def month_figures_statement(figures: list[Figure], splits: Mapping[Figure, Split]) -> sa.Select:
    """The whole months of figures that share their target and country filters, summed
    from the month totals in one pass (each figure's ``splits`` entry has months)."""
    t = tally_months.tally_months
    spans = [splits[f].months for f in figures]
    firsts, lasts = [s[0] for s in spans], [s[1] for s in spans]
    where = figures[0].shared(t) + month_filters(
        None if None in firsts else min(firsts), None if None in lasts else max(lasts)
    )
    cols = []
    for i, (f, span) in enumerate(zip(figures, spans, strict=True)):
        value = t.c.incidents if f.severity is None else t.c[f"{f.severity}_min"]
        months = month_filters(*span)
        if months:
            value = sa.case((sa.and_(*months), value))
        cols.append(sa.func.sum(value).label(f"f{i}"))
    return sa.select(*cols).where(*where)


def _stretches(ranges: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Date ranges joined where they overlap: the stretches one pass each reads."""
    out: list[tuple[date, date]] = []
    for lo, hi in sorted(set(ranges)):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _count_group(conn: Connection, group: list[Figure], by_month: bool) -> dict[Figure, float]:
    """Figures sharing their target and country filters: months from the totals in one
    pass, the days added or subtracted in one pass per stretch of days they cover."""
    if not by_month:
        return dict(zip(group, conn.execute(figures_statement(group)).one(), strict=True))
    found: dict[Figure, float] = {f: 0 for f in group}
    splits = {f: split_range(f.since, f.until) for f in group}
    monthly = [f for f in group if splits[f].months is not None]
    if monthly:
        row = conn.execute(month_figures_statement(monthly, splits)).one()
        for f, value in zip(monthly, row, strict=True):
            found[f] += value or 0
    # each figure's days added or subtracted, as figures of their own, one per date range
    pieces = [
        (f, sign, replace(f, since=lo, until=hi))
        for f in group
        for sign, ranges in ((1, splits[f].days), (-1, splits[f].minus))
        for lo, hi in ranges
    ]
    for lo, hi in _stretches((p.since, p.until) for _, _, p in pieces):
        inside = [(f, sign, p) for f, sign, p in pieces if lo <= p.since and p.until <= hi]
        asked = list(dict.fromkeys(p for _, _, p in inside))
        got = dict(zip(asked, conn.execute(figures_statement(asked)).one(), strict=True))
        for f, sign, p in inside:
            found[f] += sign * (got[p] or 0)
    return found


def count_figures(
    conn: Connection, figures: Iterable[Mapping[str, Any] | Figure], *, by_month: bool = True
) -> list[int | float]:
    """Each figure's number, counted together with the figures that share its target and
    country filters (one group for the claim series of one subject and region)."""
    asked = [Figure.of(f) for f in figures]
    groups: dict[tuple, list[Figure]] = {}
    for f in dict.fromkeys(asked):
        groups.setdefault((f.target_ids, f.target_names, f.countries), []).append(f)
    found: dict[Figure, float] = {}
    for group in groups.values():
        found.update(_count_group(conn, group, by_month))
    return [_num(found[f]) for f in asked]


# -- the tally ------------------------------------------------------------------------


def _severities(severities: Iterable[str]) -> tuple[str, ...]:
    severities = tuple(severities)
    unknown = set(severities) - set(SEVERITIES)
    if unknown:
        raise ValueError(f"unknown severities: {', '.join(sorted(unknown))}")
    return severities


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
    """The tally counted over incidents: one row per (country, attack-mode list) in the
    scope, or a single row when not ``grouped``; columns ``n`` and, per severity,
    ``<s>_min``, ``<s>_max``, ``<s>_given`` and ``<s>_bounded``."""
    severities = _severities(severities)
    target_ids, target_names, countries = (
        listed(target_ids),
        listed(target_names),
        listed(countries),
    )
    # A bare count by date needs no more than ix_incidents_date_start, which SQLite
    # finds by itself; anything else reads the covering index.
    by_date_alone = not (grouped or severities or countries) and (
        target_ids is None and target_names is None
    )
    t: sa.FromClause = incidents if by_date_alone else TALLIED
    cols = [sa.func.count().label("n"), *severity_sums(severity_terms(t), severities)]
    keys = [t.c.country.label("country"), modes_text(t, dialect).label("modes")] if grouped else []
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


def tally_statements(
    dialect: str,
    *,
    since: date | None = None,
    until: date | None = None,
    target_ids: Names = None,
    target_names: Names = None,
    countries: Names = None,
    severities: Iterable[str] = SEVERITIES,
    grouped: bool = True,
    by_month: bool = True,
) -> list[tuple[int, sa.Select]]:
    """The statements whose rows, added up (times their sign, 1 or -1), are the tally of
    a scope, each with the columns of :func:`tally_statement`: the months from the month
    totals, and over incidents the days to add or subtract (see
    ``tally_months.split_range``); or, not ``by_month``, the one statement over incidents."""
    scope = {
        "target_ids": target_ids,
        "target_names": target_names,
        "countries": countries,
        "severities": _severities(severities),
        "grouped": grouped,
    }
    if not by_month:
        return [(1, tally_statement(dialect, since=since, until=until, **scope))]
    split = split_range(since, until)
    out = []
    if split.months is not None:
        first, last = split.months
        out.append((1, tally_months.months_statement(first=first, last=last, **scope)))
    for sign, ranges in ((1, split.days), (-1, split.minus)):
        out += [(sign, tally_statement(dialect, since=lo, until=hi, **scope)) for lo, hi in ranges]
    return out


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
    by_month: bool = True,
) -> dict[str, Any]:
    """The counts of one scope (see the module doc): ``incidents``; ``by_mode`` and
    ``by_country``, most first (empty when not ``grouped``); ``casualties``: per severity
    asked for, ``min``, ``max``, ``incidents`` (giving a figure) and ``unbounded``
    (giving no maximum); ``figures``: one number per figure asked for.

    A figure is a mapping of ``since``, ``until``, ``target``, ``target_names``,
    ``country`` (a scope, as for the main one) and ``severity``: None counts the
    incidents, a severity sums their minimums (see :func:`count_figures`).
    ``by_month=False`` counts over incidents only, without the month totals."""
    severities = _severities(severities)
    statements = tally_statements(
        conn.dialect.name,
        since=since,
        until=until,
        target_ids=target_ids,
        target_names=target_names,
        countries=countries,
        severities=severities,
        grouped=grouped,
        by_month=by_month,
    )
    total = 0
    by_mode: Counter = Counter()
    by_country: Counter = Counter()
    sums = {s: {"min": 0.0, "max": 0.0, "incidents": 0, "unbounded": 0} for s in severities}
    for sign, stmt in statements:
        for row in conn.execute(stmt).mappings():
            n = row["n"]
            if not n:
                continue  # an ungrouped count over nothing
            total += sign * n
            if grouped:
                by_country[row["country"]] += sign * n
                for mode in _distinct_modes(row["modes"]):
                    by_mode[mode] += sign * n
            for s, out in sums.items():
                out["min"] += sign * (row[f"{s}_min"] or 0)
                out["max"] += sign * (row[f"{s}_max"] or 0)
                out["incidents"] += sign * row[f"{s}_given"]
                out["unbounded"] += sign * (row[f"{s}_given"] - row[f"{s}_bounded"])
    return {
        "incidents": total,
        # a group whose days were all subtracted again counted nothing: not listed
        "by_mode": _most_first(+by_mode),
        "by_country": _most_first(+by_country),
        "casualties": {
            s: {
                "min": _num(v["min"]),
                "max": _num(v["max"]),
                "incidents": v["incidents"],
                "unbounded": v["unbounded"],
            }
            for s, v in sums.items()
        },
        "figures": count_figures(conn, figures, by_month=by_month) if figures else [],
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
