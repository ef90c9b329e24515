"""initial schema: documents, extracted records, evidence, incidents, claim series,
corrections; full-text search (FTS5 on SQLite, GIN tsvector on PostgreSQL)

Revision ID: 0001
Revises:
Create Date: 2024-06-01

Written by hand and frozen: later changes go in new revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# No lengths: SQLite ignores them, and PostgreSQL refusing what SQLite took would make
# the two stores disagree. (VARCHAR and TEXT cost the same in PostgreSQL.)
ID = sa.String()
SHORT = sa.String()
JSON = sa.JSON(none_as_null=True)
CASUALTY_FIELDS = ("killed", "injured", "serious", "minor", "tbi")

# PostgreSQL: a stored tsvector (ranking reads it instead of re-parsing each match).
PG_SEARCH = [
    """ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
        (to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || text)) STORED""",
    "CREATE INDEX ix_documents_search ON documents USING gin (search_vector)",
]

# External-content FTS5 over documents, keyed by documents.seq, kept in step by triggers.
SQLITE_FTS = [
    """CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='seq',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    """CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END""",
    """CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
]


def _actor(prefix):
    return [
        sa.Column(f"{prefix}_id", sa.String()),
        sa.Column(f"{prefix}_name", sa.Text),
        sa.Column(f"{prefix}_kind", SHORT),
    ]


def _range(name):
    return [sa.Column(f"{name}_min", sa.Float), sa.Column(f"{name}_max", sa.Float)]


def _date_span():
    return [
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String()),
    ]


def _event_body():
    cols = [
        *_date_span(),
        sa.Column("place_name", sa.Text),
        sa.Column("country", sa.String()),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("place_precision", sa.String()),
        sa.Column("attack_modes", JSON, nullable=False),
        sa.Column("weapons", JSON, nullable=False),
        *_range("payload"),
        *_actor("attacker"),
        *_actor("target"),
        sa.Column("outcome", JSON, nullable=False),
    ]
    for name in CASUALTY_FIELDS:
        cols += _range(name)
    cols.append(sa.Column("confidence", sa.Float))
    return cols


def _pk(table, *cols):
    return sa.PrimaryKeyConstraint(*cols, name=f"pk_{table}")


def _fk(table, col, ref):
    return sa.ForeignKeyConstraint(
        [col], [f"{ref}.id"], name=f"fk_{table}_{col}_{ref}", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", ID),
        sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("retrieved", sa.String(40)),
        sa.Column("language", sa.String()),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        _pk("documents", "id"),
        sa.UniqueConstraint("seq", name="uq_documents_seq"),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_url", "documents", ["url"])

    op.create_table(
        "incident_mentions",
        sa.Column("id", ID),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *_event_body(),
        sa.Column("attribution", sa.Text),
        _pk("incident_mentions", "id"),
        _fk("incident_mentions", "document_id", "documents"),
        sa.UniqueConstraint(
            "document_id", "position", name="uq_incident_mentions_document_id_position"
        ),
    )
    op.create_index("ix_incident_mentions_date_start", "incident_mentions", ["date_start"])
    op.create_index(
        "ix_incident_mentions_country_date_start", "incident_mentions", ["country", "date_start"]
    )
    op.create_index("ix_incident_mentions_attacker_id", "incident_mentions", ["attacker_id"])
    op.create_index("ix_incident_mentions_target_id", "incident_mentions", ["target_id"])

    op.create_table(
        "mention_modes",
        sa.Column("mode", SHORT),
        sa.Column("mention_id", ID),
        _pk("mention_modes", "mode", "mention_id"),
        _fk("mention_modes", "mention_id", "incident_mentions"),
    )
    op.create_index("ix_mention_modes_mention_id", "mention_modes", ["mention_id"])

    op.create_table(
        "claims",
        sa.Column("id", ID),
        sa.Column("document_id", ID, nullable=False),
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
        sa.Column("ref_date", sa.Date),
        sa.Column("breakdown_of", ID),
        sa.Column("attack_modes", JSON, nullable=False),
        *_range("payload"),
        sa.Column("attribution", sa.Text),
        _pk("claims", "id"),
        _fk("claims", "document_id", "documents"),
        sa.UniqueConstraint("document_id", "position", name="uq_claims_document_id_position"),
    )
    op.create_index("ix_claims_breakdown_of", "claims", ["breakdown_of"])
    op.create_index("ix_claims_measure_ref_date", "claims", ["measure", "ref_date"])
    op.create_index("ix_claims_subject_id", "claims", ["subject_id"])
    op.create_index("ix_claims_ref_date", "claims", ["ref_date"])

    op.create_table(
        "interactions",
        sa.Column("id", ID),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("type", SHORT, nullable=False),
        *_actor("source"),
        *_actor("target"),
        *_date_span(),
        sa.Column("negated", sa.Boolean, nullable=False),
        _pk("interactions", "id"),
        _fk("interactions", "document_id", "documents"),
        sa.UniqueConstraint("document_id", "position", name="uq_interactions_document_id_position"),
    )
    op.create_index("ix_interactions_type", "interactions", ["type"])
    op.create_index("ix_interactions_date_start", "interactions", ["date_start"])
    op.create_index("ix_interactions_source_id", "interactions", ["source_id"])
    op.create_index("ix_interactions_target_id", "interactions", ["target_id"])

    op.create_table(
        "quotes",
        sa.Column("id", ID),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_id", sa.String()),
        sa.Column("text", sa.Text, nullable=False),
        _pk("quotes", "id"),
        _fk("quotes", "document_id", "documents"),
        sa.UniqueConstraint("document_id", "position", name="uq_quotes_document_id_position"),
    )
    op.create_index("ix_quotes_speaker_id", "quotes", ["speaker_id"])

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("record_type", sa.String(), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        _pk("evidence", "id"),
        _fk("evidence", "document_id", "documents"),
    )
    op.create_index("ix_evidence_document_id", "evidence", ["document_id"])
    op.create_index("ix_evidence_record", "evidence", ["record_type", "record_id", "position"])

    op.create_table(
        "incidents",
        sa.Column("id", ID),
        *_event_body(),
        sa.Column("fields_json", JSON),
        _pk("incidents", "id"),
    )
    op.create_index("ix_incidents_date_start", "incidents", ["date_start"])
    op.create_index("ix_incidents_country_date_start", "incidents", ["country", "date_start"])
    op.create_index("ix_incidents_attacker_id", "incidents", ["attacker_id"])
    op.create_index("ix_incidents_target_id", "incidents", ["target_id"])

    op.create_table(
        "incident_modes",
        sa.Column("mode", SHORT),
        sa.Column("incident_id", ID),
        _pk("incident_modes", "mode", "incident_id"),
        _fk("incident_modes", "incident_id", "incidents"),
    )
    op.create_index("ix_incident_modes_incident_id", "incident_modes", ["incident_id"])

    op.create_table(
        "incident_links",
        sa.Column("incident_id", ID),
        sa.Column("mention_id", ID),
        sa.Column("position", sa.Integer, nullable=False),
        _pk("incident_links", "incident_id", "mention_id"),
        _fk("incident_links", "incident_id", "incidents"),
        _fk("incident_links", "mention_id", "incident_mentions"),
        sa.UniqueConstraint("mention_id", name="uq_incident_links_mention_id"),
    )

    op.create_table(
        "claim_series",
        sa.Column("id", ID),
        sa.Column("measure", SHORT, nullable=False),
        sa.Column("subject_id", sa.String()),
        sa.Column("subject", sa.Text),
        sa.Column("region", JSON, nullable=False),
        sa.Column("period_start", sa.Date),
        _pk("claim_series", "id"),
    )
    op.create_index("ix_claim_series_measure_subject_id", "claim_series", ["measure", "subject_id"])

    op.create_table(
        "claim_series_members",
        sa.Column("series_id", ID),
        sa.Column("position", sa.Integer),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("as_of", sa.Date),
        *_range("value"),
        sa.Column("qualifier", SHORT, nullable=False),
        sa.Column("attribution", sa.Text),
        sa.Column("document_id", ID),
        sa.Column("revision", SHORT),
        sa.Column("incidents_counted", sa.Integer),
        _pk("claim_series_members", "series_id", "position"),
        _fk("claim_series_members", "series_id", "claim_series"),
        _fk("claim_series_members", "claim_id", "claims"),
    )
    op.create_index("ix_claim_series_members_claim_id", "claim_series_members", ["claim_id"])

    op.create_table(
        "corrections",
        sa.Column("id", ID),
        sa.Column("record_type", sa.String(), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("old_value", JSON),
        sa.Column("new_value", JSON),
        sa.Column("author", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        _pk("corrections", "id"),
    )
    op.create_index("ix_corrections_record", "corrections", ["record_type", "record_id"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in PG_SEARCH:
            op.execute(statement)


TABLES = [
    "corrections",
    "claim_series_members",
    "claim_series",
    "incident_links",
    "incident_modes",
    "incidents",
    "evidence",
    "quotes",
    "interactions",
    "claims",
    "mention_modes",
    "incident_mentions",
    "documents",
]


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in TABLES:
        op.drop_table(table)  # indexes go with their table
