"""series points keep every claim behind them: the same value on the same day from several
documents is one point (resolve/series.py), and the other claims saying it were dropped
on the way into the store

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

``claim_series_members.other_claim_ids``: the ids of the other claims that state a point's
value on its as-of day, in resolution order (a JSON list, empty for most points). Rows
written before this revision get an empty list; re-resolving fills it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_series_members") as batch:
        batch.add_column(
            sa.Column(
                "other_claim_ids",
                sa.JSON(none_as_null=True),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("claim_series_members") as batch:
        batch.drop_column("other_claim_ids")
