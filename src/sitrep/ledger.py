"""The ledger's work flows, shared by the CLI and the web layer: reports in, ledger updated.

    with open_store("var/sitrep.db") as store:
        result = ingest_paths(store, ["examples/"])   # documents -> extracted records
        resolved = resolve_store(store)               # mentions -> incidents; claims -> series

``ingest_paths`` reads each file (with its ``manifest.jsonl`` metadata), skips documents
already stored *before* extracting them, extracts the rest and saves each in its own
transaction, so one bad file costs only itself and an interrupted run resumes without
duplicates. ``resolve_store`` resolves incrementally: new mentions join the incidents
already in the store, and only the incidents they touch are rewritten.

Nothing here prints or exits: results carry counts and one-line errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.errors import InputError, SitrepError
from sitrep.store import Store

NEW, STORED, FAILED = "new", "stored", "failed"


@dataclass(slots=True)
class Progress:
    """One file done: what ``on_progress`` receives."""

    done: int
    total: int
    path: str
    status: str  # NEW | STORED | FAILED
    error: str | None = None


@dataclass(slots=True)
class IngestResult:
    new: int = 0
    stored: int = 0  # already in the store (skipped without extracting)
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # one line each
    document_ids: list[str] = field(default_factory=list)  # the new documents
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.new + self.stored + self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "stored": self.stored,
            "failed": self.failed,
            "errors": list(self.errors),
            "document_ids": list(self.document_ids),
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class ResolveResult:
    mentions: int = 0  # mentions that were not yet in an incident
    incidents: int = 0  # incidents in the store afterwards
    written: int = 0  # incidents new or rebuilt
    removed: int = 0  # incidents merged away
    series: int = 0  # claim series in the store afterwards
    corrections: int = 0  # analyst corrections that had to be put back
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentions": self.mentions,
            "incidents": self.incidents,
            "corrections": self.corrections,
            "written": self.written,
            "removed": self.removed,
            "series": self.series,
            "seconds": round(self.seconds, 3),
        }


def _sources(specs: Iterable[str | Path], result: IngestResult) -> list[Path]:
    """Every file the specs name, each once; a spec naming nothing is one error."""
    from sitrep.ingest import iter_sources

    seen: set[Path] = set()
    out: list[Path] = []
    for spec in specs:
        try:
            for path in iter_sources([spec]):
                key = path.resolve()
                if key not in seen:
                    seen.add(key)
                    out.append(path)
        except SitrepError as exc:
            result.failed += 1
            result.errors.append(str(exc))
    return out


def _ingest_one(store: Store, path: Path) -> tuple[str, str | None]:
    """Read, skip-if-stored, extract and save one file: (status, document id)."""
    from sitrep.extract import extract_document
    from sitrep.ingest import read_document
    from sitrep.ingest.manifest import manifest_for

    meta = manifest_for(path)
    doc = read_document(
        path,
        published=meta.get("published"),
        url=meta.get("url"),
        title=meta.get("title"),
        name=str(path),
    )
    if meta.get("outlet") and not doc.outlet:
        doc.outlet = meta["outlet"]
    if store.has_document(doc.id):
        return STORED, doc.id
    try:
        extraction = extract_document(doc)
    except SitrepError:
        raise
    except Exception as exc:  # a bug on one document must not stop the batch
        raise InputError(f"{path}: extraction failed ({type(exc).__name__}: {exc})") from exc
    return (NEW if store.save_extraction(extraction) else STORED), doc.id


def ingest_paths(
    store: Store,
    specs: Iterable[str | Path],
    on_progress: Callable[[Progress], None] | None = None,
) -> IngestResult:
    """Ingest report files, folders and glob patterns into the store (see module doc).

    Errors (unreadable files, refused inputs, specs that name no file) are collected as
    one line each and the rest goes on. ``on_progress`` is called after each file.
    """
    started = time.perf_counter()
    result = IngestResult()
    paths = _sources(specs, result)
    for n, path in enumerate(paths, 1):
        error = None
        try:
            status, doc_id = _ingest_one(store, path)
        except SitrepError as exc:
            status, doc_id, error = FAILED, None, str(exc)
        if status == NEW:
            result.new += 1
            result.document_ids.append(doc_id or "")
        elif status == STORED:
            result.stored += 1
        else:
            result.failed += 1
            result.errors.append(error or f"{path}: failed")
        if on_progress is not None:
            on_progress(Progress(n, len(paths), str(path), status, error))
    result.seconds = time.perf_counter() - started
    return result


def _source_ids(inc) -> set[str]:
    """The mention ids an incident was resolved from: its provenance and its links."""
    ids = set(inc.mention_ids)
    for sources in (inc.fields or {}).values():
        for fs in sources:
            ids.add(fs.mention_id if not isinstance(fs, dict) else fs["mention_id"])
    return ids


def resolve_store(store: Store) -> ResolveResult:
    """Resolve the store's mentions into incidents and its claims into series.

    Incidents: the mentions no incident holds yet are resolved against the stored
    incidents (``resolve_incidents(new, existing)``); the incidents that changed are
    written over and the ones merged away deleted. An incident built from a mention that
    is no longer stored (its document was re-extracted or deleted) is dropped first and
    its remaining mentions resolved afresh. Claim series are rebuilt from every claim,
    each point carrying the ledger's count for its scope.
    """
    from sitrep.report.tally import annotate_series
    from sitrep.resolve import build_series, incident_changes, resolve_incidents

    started = time.perf_counter()
    mentions = store.mentions()
    stored = {m.id for m in mentions}
    existing = store.incident_records()
    stale = [inc.id for inc in existing if not inc.mention_ids or _source_ids(inc) - stored]
    if stale:
        store.delete_incidents(stale)
        dropped = set(stale)
        existing = [inc for inc in existing if inc.id not in dropped]
    linked = {mid for inc in existing for mid in inc.mention_ids}
    fresh = [m for m in mentions if m.id not in linked]
    result = ResolveResult(mentions=len(fresh), removed=len(stale))
    if fresh or not existing:
        resolved = resolve_incidents(fresh, existing)
        if not existing:
            store.replace_incidents(resolved)
            result.written = len(resolved)
        else:
            changed, gone = incident_changes(existing, resolved)
            if changed:
                store.upsert_incidents(changed)
            if gone:
                store.delete_incidents(gone)
            result.written, result.removed = len(changed), result.removed + len(gone)
        incidents = resolved
    else:
        incidents = existing
    result.incidents = len(incidents)

    series = build_series(store.claims())
    annotate_series(series, incidents)
    store.replace_claim_series(series)
    result.series = len(series)
    # Analyst corrections outlive re-extraction and re-resolution: put them back.
    from sitrep.corrections import apply_corrections

    result.corrections = apply_corrections(store)
    result.seconds = time.perf_counter() - started
    return result
