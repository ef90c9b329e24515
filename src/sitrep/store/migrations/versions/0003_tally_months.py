"""tally months: per-month totals of resolved incidents, filled from the incidents
stored; on SQLite the tally's covering index leads with the date

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

The tally sums whole months from ``tally_months`` and counts only the days of the
partial months at a scope's ends over the covering index (``store.tally_months``,
``store.aggregates``). One row per month of ``date_start`` (its first day; NULL for
undated incidents) and group (country, attack-mode list as stored, target id, target
name), holding what a tally row holds: the incidents counted and per severity the sums
of minimums and maximums and the counts of incidents giving a figure and a maximum.

The fill below is this revision's own SQL, frozen with it (the running code fills the
table with ``store.tally_months.rebuild``; a test checks that both give the same rows).

SQLite's covering index of 0002 led with country and attack modes so that a GROUP BY
over most of the table could stream without sorting; now that the tally reads only a
few days of incidents, it leads with the date, so those days are one range of entries.
PostgreSQL's already does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLE = "tally_months"
MONTH_INDEX = "ix_tally_months_month"
TALLY_INDEX = "ix_incidents_tally"
CASUALTY_FIELDS = ("killed", "injured", "serious", "minor", "tbi")
CASUALTIES = [f"{name}_{end}" for name in CASUALTY_FIELDS for end in ("min", "max")]
ACTOR_COLUMNS = ["target_id", "target_name"]
PARTS = ("min", "max", "given", "bounded")


def _severity_sql() -> dict[str, str]:
    """Per severity column of the table, the aggregate over incidents that fills it."""
    out = {}
    for s in CASUALTY_FIELDS:
        lo, hi = f"{s}_min", f"{s}_max"
        out[f"{s}_min"] = f"sum({lo})"
        out[f"{s}_max"] = f"sum(coalesce({hi}, {lo}))"
        out[f"{s}_given"] = f"count(coalesce({lo}, {hi}))"
        out[f"{s}_bounded"] = f"count({hi})"
    # injured: the stated total, else serious plus minor (the maximum unknown when a part
    # gives a minimum and no maximum)
    no_total = "(injured_min IS NULL AND injured_max IS NULL)"
    open_part = (
        "((serious_min IS NOT NULL AND serious_max IS NULL)"
        " OR (minor_min IS NOT NULL AND minor_max IS NULL))"
    )
    parts_lo = "(coalesce(serious_min, 0.0) + coalesce(minor_min, 0.0))"
    parts_hi = "(coalesce(serious_max, 0.0) + coalesce(minor_max, 0.0))"
    out["injured_min"] = (
        f"sum(coalesce(injured_min, CASE WHEN injured_max IS NULL THEN {parts_lo} END))"
    )
    out["injured_max"] = (
        f"sum(CASE WHEN {no_total} THEN (CASE WHEN {open_part} THEN {parts_lo} ELSE {parts_hi} END)"
        " ELSE coalesce(injured_max, injured_min) END)"
    )
    out["injured_given"] = (
        "count(coalesce(injured_min, injured_max, serious_min, serious_max, minor_min, minor_max))"
    )
    out["injured_bounded"] = (
        "count(coalesce(injured_max, CASE WHEN injured_min IS NULL AND NOT "
        f"{open_part} THEN coalesce(serious_max, minor_max) END))"
    )
    return out


def _fill_sql(dialect: str) -> str:
    if dialect == "postgresql":
        month = "CAST(date_trunc('month', CAST(date_start AS timestamp)) AS date)"
        modes = "CAST(attack_modes AS text)"
    else:
        month = "date(date_start, 'start of month')"
        modes = "attack_modes"
    sums = _severity_sql()
    columns = ["month", "country", "modes", *ACTOR_COLUMNS, "incidents", *sums]
    values = [month, "country", modes, *ACTOR_COLUMNS, "count(*)", *sums.values()]
    return (
        f"INSERT INTO {TABLE} ({', '.join(columns)}) SELECT {', '.join(values)} FROM incidents"
        f" GROUP BY {month}, country, {modes}, {', '.join(ACTOR_COLUMNS)}"
    )


def _sqlite_tally_index(leading: list[str]) -> None:
    op.drop_index(TALLY_INDEX, table_name="incidents")
    rest = [c for c in ["country", "attack_modes", "date_start"] if c not in leading]
    op.create_index(TALLY_INDEX, "incidents", [*leading, *rest, *ACTOR_COLUMNS, *CASUALTIES])


def upgrade() -> None:
    severity_columns = []
    for name in CASUALTY_FIELDS:
        severity_columns += [
            sa.Column(f"{name}_min", sa.Float),
            sa.Column(f"{name}_max", sa.Float),
            sa.Column(f"{name}_given", sa.Integer, nullable=False),
            sa.Column(f"{name}_bounded", sa.Integer, nullable=False),
        ]
    op.create_table(
        TABLE,
        sa.Column("month", sa.Date),
        sa.Column("country", sa.String()),
        sa.Column("modes", sa.Text, nullable=False),
        sa.Column("target_id", sa.String()),
        sa.Column("target_name", sa.Text),
        sa.Column("incidents", sa.Integer, nullable=False),
        *severity_columns,
    )
    op.create_index(MONTH_INDEX, TABLE, ["month"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_tally_index(["date_start"])  # before the fill, which reads it
    op.execute(_fill_sql(dialect))


def downgrade() -> None:
    op.drop_index(MONTH_INDEX, table_name=TABLE)
    op.drop_table(TABLE)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_tally_index(["country", "attack_modes", "date_start"])
