"""Per-month totals of resolved incidents: the tally sums whole months instead of
counting every incident in them.

``schema.tally_months`` holds, per month of ``date_start`` (NULL for undated incidents)
and per group the tally tells apart (the stored country, the attack-mode list as stored,
the target id and the target name as written), the number of incidents and per severity
the four figures a tally row holds, computed with the same row expressions as the count
over incidents (``tally_sql.severity_terms``). Summing month rows is therefore summing
the month's incidents: the same numbers, from a few thousand rows instead of a million.

A scope's date range is cut by :func:`split_range` into whole months, read here, and
the days of the partial months at either end (added, or subtracted from the month when
that reads fewer), which the caller counts over the incidents' covering index
(``store.aggregates``).

How the totals stay true: every write of incidents (``store.writes``) recomputes, in
its own transaction, the rows of each month it touched (the months of the incidents it
replaced or deleted and of those it wrote) from the incidents themselves
(:func:`refresh`); replacing every incident rebuilds the table (:func:`rebuild`), as
must a bulk load that writes the incidents table directly. Recomputing from the source,
not adding and subtracting deltas, leaves nothing to drift. Writers of the totals take
a lock first on PostgreSQL (SQLite's ``BEGIN IMMEDIATE`` already serialises writers),
so two transactions refreshing one month cannot both keep their rows.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sitrep.store.schema import tally_months
from sitrep.store.tally_sql import (
    SEVERITIES,
    SEVERITY_SUMS,
    TALLIED,
    Names,
    modes_text,
    scope_filters,
    severity_sums,
    severity_terms,
)

_LAST_MONTH = date.max.year * 12 + date.max.month - 1  # as a month number (_number)
ONE_DAY = timedelta(days=1)

# -- months ---------------------------------------------------------------------------


def _number(day: date) -> int:
    """Months since January of year 0 (January of year 1 is 12)."""
    return day.year * 12 + day.month - 1


def _first_day(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True, slots=True)
class Split:
    """A date range as the tally counts it: the incidents of ``months`` (the first days of
    the first and last months summed from the totals; None: open at that end, both None:
    every row, undated incidents included; or None for no month), plus those of the
    ``days`` ranges, minus those of the ``minus`` ranges (inclusive date ranges, counted
    over incidents). Each day is in at most one of ``days`` and ``minus``, and a day of
    ``minus`` is always in ``months``."""

    months: tuple[date | None, date | None] | None
    days: tuple[tuple[date, date], ...]
    minus: tuple[tuple[date, date], ...] = ()


def split_range(since: date | None, until: date | None) -> Split:
    """``[since, until]`` (inclusive; None: open) as whole months and, at each end that
    falls inside a month, whichever reads fewer days: the days of the range in that
    month, or the whole month minus its days outside the range. Counting "1 to 30
    January" as January minus the 31st reads one day of incidents instead of thirty.

    Subtracting is exact for counts and for sums of whole numbers (casualty figures),
    as adding in another order is (see ``store.aggregates``)."""
    if since is not None and until is not None:
        if since > until:
            return Split(None, ((since, until),))
        if month_of(since) == month_of(until):
            end = month_end(until)
            inside, outside = (until - since).days + 1, (since.day - 1) + (end.day - until.day)
            if inside <= outside:
                return Split(None, ((since, until),))
            month = month_of(since)
            minus = [(month, since - ONE_DAY)] if since.day > 1 else []
            minus += [(until + ONE_DAY, end)] if until < end else []
            return Split((month, month), (), tuple(minus))
    days: list[tuple[date, date]] = []
    minus: list[tuple[date, date]] = []
    first = last = None  # month numbers (_number); None: open
    if since is not None:
        first = _number(since)
        if since.day > 1:
            end = month_end(since)
            if since.day - 1 < (end - since).days + 1:  # fewer days before it than from it
                minus.append((month_of(since), since - ONE_DAY))
            else:
                days.append((since, end))
                first += 1
    if until is not None:
        last = _number(until)
        end = month_end(until)
        if until < end:
            if (end - until).days < until.day:
                minus.append((until + ONE_DAY, end))
            else:
                days.append((month_of(until), until))
                last -= 1
    whole = (
        (first is None or first <= _LAST_MONTH)
        and (last is None or last >= 12)  # date.min is January of year 1
        and (first is None or last is None or first <= last)
    )
    if not whole:  # only partial months (or the calendar's ends): their days cover it
        return Split(None, ((since or date.min, until or date.max),))
    return Split(
        (None if first is None else _first_day(first), None if last is None else _first_day(last)),
        tuple(days),
        tuple(minus),
    )


def month_runs(months: Iterable[date]) -> list[tuple[date, date]]:
    """Months (first days) as runs of consecutive months: [(first, last), ...]."""
    runs: list[tuple[date, date]] = []
    for m in sorted(set(months)):
        if runs and _number(m) == _number(runs[-1][1]) + 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


def month_filters(first: date | None, last: date | None) -> list[sa.ColumnElement]:
    t = tally_months
    where = []
    if first is not None:
        where.append(t.c.month >= first)
    if last is not None:
        where.append(t.c.month <= last)
    return where


# -- reading --------------------------------------------------------------------------


def months_statement(
    *,
    first: date | None,
    last: date | None,
    target_ids: Names = None,
    target_names: Names = None,
    countries: Names = None,
    severities: Iterable[str] = SEVERITIES,
    grouped: bool = True,
) -> sa.Select:
    """The tally's rows over whole months ``first`` to ``last`` (see :class:`Split`):
    the same columns as ``aggregates.tally_statement``, from the month totals."""
    t = tally_months
    cols: list[sa.ColumnElement] = [sa.func.sum(t.c.incidents).label("n")]
    for s in severities:
        cols += [sa.func.sum(t.c[f"{s}_{part}"]).label(f"{s}_{part}") for part in SEVERITY_SUMS]
    keys = [t.c.country.label("country"), t.c.modes.label("modes")] if grouped else []
    where = month_filters(first, last) + scope_filters(
        t, target_ids=target_ids, target_names=target_names, countries=countries
    )
    stmt = sa.select(*keys, *cols).where(*where)
    return stmt.group_by(*keys) if grouped else stmt


# -- writing --------------------------------------------------------------------------


def _month_start(col: sa.ColumnElement, dialect: str) -> sa.ColumnElement:
    """The first day of a date column's month, as a date (NULL stays NULL)."""
    if dialect == "postgresql":
        # date_trunc of a plain timestamp: a date would be taken as a timestamptz, in the
        # session's time zone
        return sa.cast(sa.func.date_trunc("month", sa.cast(col, sa.DateTime)), sa.Date)
    return sa.type_coerce(sa.func.date(col, "start of month"), sa.Date)


def totals_select(dialect: str, *where: sa.ColumnElement) -> sa.Select:
    """The month totals of the incidents that pass ``where``, one row per month and
    group, in the order of ``schema.tally_months``' columns."""
    t = TALLIED
    keys = [
        _month_start(t.c.date_start, dialect).label("month"),
        t.c.country,
        modes_text(t, dialect).label("modes"),
        t.c.target_id,
        t.c.target_name,
    ]
    cols = [sa.func.count().label("incidents"), *severity_sums(severity_terms(t), SEVERITIES)]
    by_name = {c.name: c for c in [*keys, *cols]}
    ordered = [by_name[c.name] for c in tally_months.columns]
    return sa.select(*ordered).select_from(t).where(*where).group_by(*keys)


def _lock(conn: Connection) -> None:
    """One writer of the totals at a time on PostgreSQL; readers are not blocked."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"LOCK TABLE {tally_months.name} IN SHARE ROW EXCLUSIVE MODE")


def _fill(conn: Connection, *where: sa.ColumnElement) -> None:
    names = [c.name for c in tally_months.columns]
    conn.execute(tally_months.insert().from_select(names, totals_select(conn.dialect.name, *where)))


def refresh(conn: Connection, months: Iterable[date | None]) -> None:
    """Recompute the totals of ``months`` (first days; None: the undated incidents) from
    the incidents as they are now in this transaction."""
    months = set(months)
    if not months:
        return
    _lock(conn)
    t, day = tally_months, TALLIED.c.date_start
    if None in months:
        conn.execute(t.delete().where(t.c.month.is_(None)))
        _fill(conn, day.is_(None))
    for first, last in month_runs(m for m in months if m is not None):
        conn.execute(t.delete().where(t.c.month >= first, t.c.month <= last))
        _fill(conn, day >= first, day <= month_end(last))


def rebuild(conn: Connection) -> None:
    """Recompute every total from the incidents (after replacing them all, or a bulk load)."""
    _lock(conn)
    conn.execute(tally_months.delete())
    _fill(conn)
