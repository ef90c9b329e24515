"""The tally's SQL vocabulary: which incidents a scope takes in, and what each adds.

Shared by the count over incidents (``store.aggregates``) and the per-month totals that
stand in for it over whole months (``store.tally_months``): both add up the same row
expressions, so a sum of month totals is the sum over the month's incidents.

- :func:`scope_filters`: a start and an end date, inclusive, on ``date_start`` (an
  undated incident is outside any scope with a date bound); target ids and target names
  as written (an incident is in when either matches); countries, in any case (the empty
  code stands for an unknown country).
- :func:`severity_terms`: per severity, what an incident adds to the sum of minimums
  and to the sum of maximums (the minimum where no maximum is given), and whether it
  gives a figure and a maximum; ``injured`` is the stated total, else serious plus minor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import TableClause

from sitrep.store.schema import CASUALTY_FIELDS, TALLY_INDEX, incidents

SEVERITIES = CASUALTY_FIELDS  # ("killed", "injured", "serious", "minor", "tbi")
# What a tally row holds per severity: sums of minimums and maximums, how many incidents
# give a figure, how many give a maximum.
SEVERITY_SUMS = ("min", "max", "given", "bounded")
Names = str | Iterable[str] | None


def listed(value: Names) -> list[str] | None:
    """A filter value as a list: a string is one value; None stays None (no filter)."""
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


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


def severity_sums(terms: dict[str, dict[str, sa.ColumnElement]], severities: Iterable[str]):
    """The aggregate columns of a tally row: per severity, ``<s>_min`` and ``<s>_max``
    (sums) and ``<s>_given`` and ``<s>_bounded`` (counts of non-null terms)."""
    cols = []
    for s in severities:
        term = terms[s]
        cols += [
            sa.func.sum(term["min"]).label(f"{s}_min"),
            sa.func.sum(term["max"]).label(f"{s}_max"),
            sa.func.count(term["given"]).label(f"{s}_given"),
            sa.func.count(term["bounded"]).label(f"{s}_bounded"),
        ]
    return cols


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
    (both empty: nothing matches). No countries: anywhere. ``t`` needs ``date_start``
    only when a date is given."""
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


def modes_text(t: sa.FromClause, dialect: str) -> sa.ColumnElement:
    """The attack-mode list as its stored JSON text, which groups on both databases
    (PostgreSQL has no equality on ``json``; on SQLite the column is text already)."""
    if dialect == "postgresql":
        return sa.cast(t.c.attack_modes, sa.Text)
    return sa.type_coerce(t.c.attack_modes, sa.Text)
