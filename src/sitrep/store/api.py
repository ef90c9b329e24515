"""The store's public face: ``open_store`` and ``Store``.

Every method is one transaction; anything the database refuses comes out as a one-line
``StoreError`` (``NotFound`` for a missing record), and a failed write leaves nothing.
Dates may be given as ``date`` or ISO strings; filters that take a name also take a list.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from sitrep.errors import NotFound
from sitrep.model import (
    Claim,
    ClaimSeries,
    Document,
    Extraction,
    Incident,
    IncidentMention,
    Interaction,
    Quote,
)
from sitrep.store import aggregates, queries, rows, writes
from sitrep.store import engine as _engine
from sitrep.store.schema import COUNTED

DateLike = date | str | None


def open_store(url_or_path: str | os.PathLike | None = None) -> Store:
    """Open (creating and migrating as needed) the store at a path or database URL.

    ``None`` means ``$SITREP_DB`` or ``sitrep.db``; a path is a SQLite file (its folder is
    created); ``postgresql://...`` is PostgreSQL (through psycopg 3); ``:memory:`` is a
    private in-memory SQLite database.
    """
    engine, label = _engine.open_engine(url_or_path)
    return Store(engine, label)


class Store:
    """A sitrep database. ``url`` is for display (no password); ``engine`` is there for
    read-only analytics over the tables in ``sitrep.store.schema``."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.dialect: str = engine.dialect.name

    def __repr__(self) -> str:
        return f"<Store {self.url}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self, action: str):
        with _engine.translate(f"{self.url}: {action}"), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self, action: str):
        with (
            _engine.translate(f"{self.url}: {action}"),
            _engine.write_connection(self.engine) as conn,
        ):
            yield conn

    # -- writes -----------------------------------------------------------------------

    def save_extraction(self, ex: Extraction, *, replace: bool = False) -> bool:
        """Store a document and everything extracted from it, in one transaction.

        Returns False, writing nothing, when the document id is already stored, unless
        ``replace`` (re-extraction: the old records and their incident links go). Mentions
        and claims without ids get content-addressed ones, set on the records passed in.
        """
        with self._write(f"saving document {ex.document.id}") as conn:
            return writes.save_extraction(conn, ex, replace=replace)

    def save_extractions(self, extractions: Iterable[Extraction]) -> int:
        """Store many extractions in one transaction (bulk loads); returns how many were new."""
        with self._write("saving extractions") as conn:
            return writes.save_extractions(conn, extractions)

    def replace_incidents(
        self, incidents: list[Incident | dict[str, Any]], links: Iterable[tuple[str, str]] = ()
    ) -> None:
        """Replace every resolved incident and (incident id, mention id) link at once.

        An incident is a ``model.Incident`` (its ``mention_ids`` become links; provenance,
        conflicts and document ids are kept in ``fields_json``) or a dict keyed by the
        columns of ``schema.incidents`` (``id`` required, missing keys null, unknown keys
        refused, an optional ``mention_ids`` list). ``links`` add to those.
        """
        with self._write("replacing incidents") as conn:
            writes.replace_incidents(conn, incidents, links)

    def upsert_incidents(
        self, incidents: list[Incident | dict[str, Any]], links: Iterable[tuple[str, str]] = ()
    ) -> None:
        """Write incidents over by id, with their links; other incidents stay. A mention
        linked here is unlinked from any other incident (a mention has one incident)."""
        with self._write("upserting incidents") as conn:
            writes.upsert_incidents(conn, incidents, links)

    def delete_incidents(self, ids: Iterable[str]) -> int:
        with self._write("deleting incidents") as conn:
            return writes.delete_incidents(conn, ids)

    def replace_claim_series(self, series: list[ClaimSeries]) -> None:
        """Replace every claim series and its points at once."""
        with self._write("replacing claim series") as conn:
            writes.replace_claim_series(conn, series)

    def add_correction(
        self,
        record_type: str,
        record_id: str,
        field: str,
        old_value: Any,
        new_value: Any,
        *,
        author: str | None = None,
        reason: str | None = None,
    ) -> str:
        """Record an analyst's correction of one field; returns its id."""
        with self._write("adding correction") as conn:
            return writes.add_correction(
                conn, record_type, record_id, field, old_value, new_value, author, reason
            )

    # -- reads ------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self._read("reading document") as conn:
            return queries.has_document(conn, doc_id)

    def get_document(self, doc_id: str) -> Document:
        with self._read("reading document") as conn:
            doc = queries.get_document(conn, doc_id)
        if doc is None:
            raise NotFound(f"no document {doc_id}")
        return doc

    def extraction(self, doc_id: str) -> Extraction:
        """A stored document with all its records, as one ``Extraction``."""
        with self._read("reading extraction") as conn:
            doc = queries.get_document(conn, doc_id)
            if doc is None:
                raise NotFound(f"no document {doc_id}")
            page = {"doc_id": doc_id, "limit": None, "offset": 0}
            return Extraction(
                document=doc,
                incidents=queries.mentions_query(
                    conn,
                    since=None,
                    until=None,
                    country=None,
                    mode=None,
                    actor=None,
                    attacker=None,
                    target=None,
                    **page,
                ),
                claims=queries.claims_query(
                    conn, measure=None, subject_id=None, since=None, until=None, **page
                ),
                interactions=queries.interactions_query(
                    conn, type=None, actor=None, since=None, until=None, **page
                ),
                quotes=queries.quotes_query(conn, speaker=None, **page),
            )

    def documents(
        self,
        *,
        since: DateLike = None,
        until: DateLike = None,
        q: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[Document]:
        """Documents by publication date, newest first; ``q`` is a full-text search
        (websearch syntax: words, "phrases", OR, -word), best matches first."""
        with self._read("listing documents") as conn:
            return queries.documents_query(
                conn, since=since, until=until, q=q, limit=limit, offset=offset
            )

    def mentions(
        self,
        *,
        doc_id: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        country=None,
        mode=None,
        actor: str | None = None,
        attacker: str | None = None,
        target: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[IncidentMention]:
        """Incident mentions, by start date (document order for one ``doc_id``).
        since/until bound the start date; ``actor`` matches attacker or target by id or name."""
        with self._read("listing mentions") as conn:
            return queries.mentions_query(
                conn,
                doc_id=doc_id,
                since=since,
                until=until,
                country=country,
                mode=mode,
                actor=actor,
                attacker=attacker,
                target=target,
                limit=limit,
                offset=offset,
            )

    def claims(
        self,
        *,
        measure=None,
        subject_id: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        doc_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Claim]:
        """Claims by the date they speak for (as-of, else period end, else publication)."""
        with self._read("listing claims") as conn:
            return queries.claims_query(
                conn,
                measure=measure,
                subject_id=subject_id,
                since=since,
                until=until,
                doc_id=doc_id,
                limit=limit,
                offset=offset,
            )

    def interactions(
        self,
        *,
        doc_id: str | None = None,
        type=None,
        actor: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Interaction]:
        with self._read("listing interactions") as conn:
            return queries.interactions_query(
                conn,
                doc_id=doc_id,
                type=type,
                actor=actor,
                since=since,
                until=until,
                limit=limit,
                offset=offset,
            )

    def quotes(
        self,
        *,
        doc_id: str | None = None,
        speaker: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Quote]:
        with self._read("listing quotes") as conn:
            return queries.quotes_query(
                conn, doc_id=doc_id, speaker=speaker, limit=limit, offset=offset
            )

    def incidents(
        self,
        *,
        since: DateLike = None,
        until: DateLike = None,
        country=None,
        mode=None,
        target: str | None = None,
        attacker: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Resolved incidents as dicts (the incidents columns plus ``mention_ids``)."""
        with self._read("listing incidents") as conn:
            return queries.incidents_query(
                conn,
                since=since,
                until=until,
                country=country,
                mode=mode,
                target=target,
                attacker=attacker,
                limit=limit,
                offset=offset,
            )

    def incident_records(self, **filters) -> list[Incident]:
        """``incidents(**filters)`` as ``model.Incident`` records."""
        return [rows.incident_from_row(d) for d in self.incidents(**filters)]

    def get_incident(self, incident_id: str) -> dict[str, Any]:
        with self._read("reading incident") as conn:
            found = queries.incidents_query(
                conn,
                ids=[incident_id],
                since=None,
                until=None,
                country=None,
                mode=None,
                target=None,
                attacker=None,
                limit=None,
                offset=0,
            )
        if not found:
            raise NotFound(f"no incident {incident_id}")
        return found[0]

    def claim_series(
        self,
        *,
        measure=None,
        subject_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ClaimSeries]:
        """Claim series with their points in order, by measure and subject."""
        with self._read("listing claim series") as conn:
            return queries.claim_series_query(
                conn, measure=measure, subject_id=subject_id, limit=limit, offset=offset
            )

    def corrections(
        self, *, record_type: str | None = None, record_id: str | None = None
    ) -> list[dict[str, Any]]:
        with self._read("listing corrections") as conn:
            return queries.corrections_query(conn, record_type=record_type, record_id=record_id)

    def tally_counts(
        self,
        since: DateLike,
        until: DateLike = None,
        target: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        *,
        target_names: str | Iterable[str] | None = None,
        severities: Iterable[str] = aggregates.SEVERITIES,
        grouped: bool = True,
        figures: Iterable[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """What the tally counts, in SQL (whole months summed from the month totals, the
        days at either end counted over a covering index, in one snapshot): incidents
        starting in [since, until] (inclusive; either may be None) whose target id is one
        of ``target`` or target name one of ``target_names`` (exact; None for both: any
        target; no ids and no names: nothing), in one of ``country`` (any case; none:
        anywhere).

        Returns ``incidents``; ``by_mode`` (an incident counts once under each of its
        modes, under None when it has none) and ``by_country`` (None: unknown), most
        first, empty when not ``grouped``; ``casualties``: for each of ``severities``,
        ``min`` and ``max`` (sums; a missing maximum counts its minimum), ``incidents``
        (those giving a figure) and ``unbounded`` (those giving no maximum), where
        ``injured`` is the stated total, else serious plus minor; ``figures``: for each
        of ``figures`` (mappings of since, until, target, target_names, country and
        ``severity``), the incidents of that scope counted (severity None) or their
        minimums of that severity summed, counted together per target and country
        filter they share. See ``sitrep.store.aggregates``."""
        figures = [
            {
                **f,
                "since": queries.as_date(f.get("since")),
                "until": queries.as_date(f.get("until")),
            }
            for f in figures
        ]
        with self._read("counting incidents") as conn:
            if self.dialect == "postgresql":
                # several statements (months, the days at either end, figures): one
                # snapshot, so a write committed in between cannot be counted in part
                conn.execution_options(isolation_level="REPEATABLE READ")
            return aggregates.tally_counts(
                conn,
                since=queries.as_date(since),
                until=queries.as_date(until),
                target_ids=target,
                target_names=target_names,
                countries=country,
                severities=severities,
                grouped=grouped,
                figures=figures,
            )

    def incident_targets(self) -> dict[str, list[str]]:
        """The distinct target ``ids`` and target ``names`` (as written) of resolved
        incidents, in order: what a tally resolves an actor and its parts against."""
        with self._read("listing incident targets") as conn:
            return aggregates.incident_targets(conn)

    def counts(self) -> dict[str, int]:
        """Rows per kind: documents, mentions, claims, interactions, quotes, evidence,
        incidents, incident_links, claim_series, corrections."""
        with self._read("counting") as conn:
            return queries.counts(conn, COUNTED)
