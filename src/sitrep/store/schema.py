"""The database schema: one ``MetaData`` for SQLite and PostgreSQL.

This module is the reference for what the tables hold; the migrations in
``migrations/versions`` create exactly this (a test compares the two). Objects one
dialect cannot express in Core live only in the migrations: the FTS5 table and its
triggers on SQLite, the tsvector column and its GIN index on PostgreSQL, and the tally's
covering index (``TALLY_INDEX``, shaped for each database: see migrations 0002 and 0003)
and the incident list's order (``LIST_INDEXES``, migration 0004).

Conventions: ids are content-addressed strings; ``position`` keeps a record's order
within its document; numeric ranges are ``<name>_min`` / ``<name>_max`` floats; lists
are JSON (order kept) with a side table (``mention_modes``, ``incident_modes``) where a
filter needs an index on their items.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

# Named constraints, so migrations can refer to them by name on both dialects.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = sa.MetaData(naming_convention=NAMING)

# No lengths: SQLite ignores them, and PostgreSQL refusing what SQLite took would make
# the two stores disagree. (VARCHAR and TEXT cost the same in PostgreSQL.)
ID = sa.String()
SHORT = sa.String()
JSON = sa.JSON(none_as_null=True)

# Full-text search covers title and body. SQLite: an FTS5 table (external content over
# documents.seq). PostgreSQL: a stored generated tsvector column with a GIN index; stored,
# not an expression index, so ranking many matches does not re-parse every document.
FTS_TABLE = "documents_fts"
PG_SEARCH_COLUMN = "search_vector"
PG_SEARCH_INDEX = "ix_documents_search"

# A covering index on incidents for the tally's GROUP BY (``store.aggregates``); its
# columns differ by dialect, so it is made by the migrations alone (0002, reshaped on
# SQLite by 0003).
TALLY_INDEX = "ix_incidents_tally"
# The incident list's order, alone and after the country (``web.data``); PostgreSQL
# needs NULLS LAST spelled out in the index and SQLite cannot say it: migration 0004.
LIST_INDEXES = ("ix_incidents_list", "ix_incidents_list_country")


class IsoDateTime(TypeDecorator):
    """A datetime kept as ISO 8601 text, so naive and aware values come back unchanged
    on both dialects (``TIMESTAMP`` would drop or shift the offset)."""

    impl = sa.String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        return value.isoformat()

    def process_result_value(self, value, dialect):
        return None if value is None else datetime.fromisoformat(value)


def _doc_fk() -> sa.Column:
    return sa.Column(
        "document_id", ID, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
    )


def _actor(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}_id", sa.String()),
        sa.Column(f"{prefix}_name", sa.Text),
        sa.Column(f"{prefix}_kind", SHORT),
    ]


def _range(name: str) -> list[sa.Column]:
    return [sa.Column(f"{name}_min", sa.Float), sa.Column(f"{name}_max", sa.Float)]


def _date_span() -> list[sa.Column]:
    return [
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String()),
    ]


def _place() -> list[sa.Column]:
    return [
        sa.Column("place_name", sa.Text),
        sa.Column("country", sa.String()),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("place_precision", sa.String()),
    ]


CASUALTY_FIELDS = ("killed", "injured", "serious", "minor", "tbi")


def _event_body() -> list[sa.Column]:
    """Columns an incident mention and a resolved incident share."""
    cols = [*_date_span(), *_place()]
    cols += [
        sa.Column("attack_modes", JSON, nullable=False),
        sa.Column("weapons", JSON, nullable=False),
    ]
    cols += _range("payload")
    cols += _actor("attacker") + _actor("target")
    cols.append(sa.Column("outcome", JSON, nullable=False))
    for name in CASUALTY_FIELDS:
        cols += _range(name)
    cols.append(sa.Column("confidence", sa.Float))
    return cols


documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    # Ingest order; also the FTS5 rowid on SQLite (a stored value survives VACUUM,
    # SQLite's implicit rowid does not). PostgreSQL fills it from an identity.
    sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date, index=True),
    sa.Column("retrieved", IsoDateTime),
    sa.Column("language", sa.String()),
    sa.Column("format", sa.String(), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_documents_url", "url"),
)

incident_mentions = sa.Table(
    "incident_mentions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    _doc_fk(),
    sa.Column("position", sa.Integer, nullable=False),
    *_event_body(),
    sa.Column("attribution", sa.Text),
    sa.UniqueConstraint("document_id", "position"),
    sa.Index("ix_incident_mentions_date_start", "date_start"),
    sa.Index("ix_incident_mentions_country_date_start", "country", "date_start"),
    sa.Index("ix_incident_mentions_attacker_id", "attacker_id"),
    sa.Index("ix_incident_mentions_target_id", "target_id"),
)

# One row per (mode, mention): filtering by mode is an index lookup on both dialects.
mention_modes = sa.Table(
    "mention_modes",
    metadata,
    sa.Column("mode", SHORT, primary_key=True),
    sa.Column(
        "mention_id",
        ID,
        sa.ForeignKey("incident_mentions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", ID, primary_key=True),
    _doc_fk(),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("measure", SHORT, nullable=False),
    *_range("value"),
    sa.Column("qualifier", sa.String(), nullable=False),
    sa.Column("subject", sa.Text),
    sa.Column("subject_id", sa.String()),
    sa.Column("region", JSON, nullable=False),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("as_of", sa.Date),
    # The date a claim speaks for (as_of, else period end, else publication): what
    # since/until filter and series order on, stored so the filter is indexed.
    sa.Column("ref_date", sa.Date),
    sa.Column("breakdown_of", ID, index=True),
    sa.Column("attack_modes", JSON, nullable=False),
    *_range("payload"),
    sa.Column("attribution", sa.Text),
    sa.UniqueConstraint("document_id", "position"),
    sa.Index("ix_claims_measure_ref_date", "measure", "ref_date"),
    sa.Index("ix_claims_subject_id", "subject_id"),
    sa.Index("ix_claims_ref_date", "ref_date"),
)

interactions = sa.Table(
    "interactions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    _doc_fk(),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("type", SHORT, nullable=False),
    *_actor("source"),
    *_actor("target"),
    *_date_span(),
    sa.Column("negated", sa.Boolean, nullable=False),
    sa.UniqueConstraint("document_id", "position"),
    sa.Index("ix_interactions_type", "type"),
    sa.Index("ix_interactions_date_start", "date_start"),
    sa.Index("ix_interactions_source_id", "source_id"),
    sa.Index("ix_interactions_target_id", "target_id"),
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("id", ID, primary_key=True),
    _doc_fk(),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("speaker_id", sa.String(), index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.UniqueConstraint("document_id", "position"),
)

# Evidence of every record type in one table, keyed by (record_type, record_id).
evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_type", sa.String(), nullable=False),
    sa.Column("record_id", ID, nullable=False),
    sa.Column(
        "document_id",
        ID,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_evidence_record", "record_type", "record_id", "position"),
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    *_event_body(),
    # Per-field provenance and conflicting values, as resolve/ writes them.
    sa.Column("fields_json", JSON),
    sa.Index("ix_incidents_date_start", "date_start"),
    sa.Index("ix_incidents_country_date_start", "country", "date_start"),
    sa.Index("ix_incidents_attacker_id", "attacker_id"),
    sa.Index("ix_incidents_target_id", "target_id"),
    # Distinct target names by a loose index scan: the tally matches names as written.
    sa.Index("ix_incidents_target_name", "target_name"),
)

incident_modes = sa.Table(
    "incident_modes",
    metadata,
    sa.Column("mode", SHORT, primary_key=True),
    sa.Column(
        "incident_id",
        ID,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

# The tally's per-month totals of resolved incidents (``store.tally_months``, filled by
# migration 0003 and kept by every write of incidents): per month of ``date_start``
# (its first day; NULL for undated incidents) and per group the tally tells apart, the
# number of incidents and per severity the sums of minimums and maximums and the counts
# of incidents giving a figure and a maximum. No primary key: every grouping column may
# be NULL (undated, unknown country, no target), and rows are only ever replaced a whole
# month at a time, never updated one by one.
tally_months = sa.Table(
    "tally_months",
    metadata,
    sa.Column("month", sa.Date),
    sa.Column("country", sa.String()),
    sa.Column("modes", sa.Text, nullable=False),  # incidents.attack_modes as stored (JSON text)
    sa.Column("target_id", sa.String()),
    sa.Column("target_name", sa.Text),
    sa.Column("incidents", sa.Integer, nullable=False),
    *(
        col
        for name in CASUALTY_FIELDS
        for col in (
            sa.Column(f"{name}_min", sa.Float),
            sa.Column(f"{name}_max", sa.Float),
            sa.Column(f"{name}_given", sa.Integer, nullable=False),
            sa.Column(f"{name}_bounded", sa.Integer, nullable=False),
        )
    ),
    sa.Index("ix_tally_months_month", "month"),
)

# Which mentions an incident was resolved from; a mention belongs to one incident.
incident_links = sa.Table(
    "incident_links",
    metadata,
    sa.Column(
        "incident_id", ID, sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "mention_id",
        ID,
        sa.ForeignKey("incident_mentions.id", ondelete="CASCADE"),
        primary_key=True,
        unique=True,
    ),
    sa.Column("position", sa.Integer, nullable=False),  # keeps Incident.mention_ids' order
)

# model.ClaimSeries: one row per series, one per point (SeriesPoint) in as-of order.
claim_series = sa.Table(
    "claim_series",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("measure", SHORT, nullable=False),
    sa.Column("subject_id", sa.String()),
    sa.Column("subject", sa.Text),
    sa.Column("region", JSON, nullable=False),
    sa.Column("period_start", sa.Date),
    sa.Index("ix_claim_series_measure_subject_id", "measure", "subject_id"),
)

claim_series_members = sa.Table(
    "claim_series_members",
    metadata,
    sa.Column(
        "series_id", ID, sa.ForeignKey("claim_series.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column(
        "claim_id", ID, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    # The point as resolve/ computed it (its as-of may come from the publication date).
    sa.Column("as_of", sa.Date),
    *_range("value"),
    sa.Column("qualifier", SHORT, nullable=False),
    sa.Column("attribution", sa.Text),
    sa.Column("document_id", ID),
    sa.Column("revision", SHORT),  # "decrease" | "correction" | None
    sa.Column("incidents_counted", sa.Integer),
    # The other claims stating the same value on the same day (migration 0005).
    sa.Column("other_claim_ids", JSON, nullable=False, server_default=sa.text("'[]'")),
)

# Analyst corrections: kept apart from extracted records so re-extraction keeps them.
corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("record_type", sa.String(), nullable=False),
    sa.Column("record_id", ID, nullable=False),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("old_value", JSON),
    sa.Column("new_value", JSON),
    sa.Column("author", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("created_at", IsoDateTime, nullable=False),
    sa.Index("ix_corrections_record", "record_type", "record_id"),
)

# What counts() reports, by name.
COUNTED = {
    "documents": documents,
    "mentions": incident_mentions,
    "claims": claims,
    "interactions": interactions,
    "quotes": quotes,
    "evidence": evidence,
    "incidents": incidents,
    "incident_links": incident_links,
    "claim_series": claim_series,
    "corrections": corrections,
}
