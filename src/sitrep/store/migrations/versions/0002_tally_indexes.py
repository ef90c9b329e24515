"""tally indexes: a covering index for the tally's aggregate query, and one on the
target name as written (the tally resolves a target to the names stored)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The covering index holds every column the tally reads, so its GROUP BY never touches the
table. Its shape differs by dialect, so it lives here only (like the full-text objects
of 0001) and Alembic's comparison leaves it out:

- SQLite: country and the attack-mode list first, so the GROUP BY on them streams in
  index order (SQLite has no hash aggregate; sorting 600,000 rows costs more than the
  sums), then the date, the target, and the casualty ranges;
- PostgreSQL: the date and country as keys (a range scan, aggregated by hashing), the
  rest as INCLUDE columns (``json`` has no B-tree operator class, so the attack-mode
  list cannot be a key).
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TALLY_INDEX = "ix_incidents_tally"
TARGET_NAME_INDEX = "ix_incidents_target_name"
CASUALTY_FIELDS = ("killed", "injured", "serious", "minor", "tbi")
CASUALTIES = [f"{name}_{end}" for name in CASUALTY_FIELDS for end in ("min", "max")]


def upgrade() -> None:
    op.create_index(TARGET_NAME_INDEX, "incidents", ["target_name"])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.create_index(
            TALLY_INDEX,
            "incidents",
            ["date_start", "country"],
            postgresql_include=["target_id", "target_name", "attack_modes", *CASUALTIES],
        )
    else:
        op.create_index(
            TALLY_INDEX,
            "incidents",
            ["country", "attack_modes", "date_start", "target_id", "target_name", *CASUALTIES],
        )


def downgrade() -> None:
    op.drop_index(TALLY_INDEX, table_name="incidents")
    op.drop_index(TARGET_NAME_INDEX, table_name="incidents")
