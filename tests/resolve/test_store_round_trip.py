"""Resolved incidents survive the store and resolve again incrementally: the wiring the
CLI uses (store.mentions -> resolve_incidents -> store.replace/upsert_incidents, then
store.incident_records as ``existing``)."""

from __future__ import annotations

from sitrep.model import Document, Extraction
from sitrep.resolve import incident_changes, resolve_incidents
from sitrep.store import open_store
from tests.resolve.world import HERON, MARROW, clusters, day, mention


def _extraction(doc_id: str, *mentions) -> Extraction:
    text = f"Report {doc_id}: an invented account of attacks in Varnia."
    return Extraction(document=Document(id=doc_id, text=text), incidents=list(mentions))


def test_incremental_resolution_through_the_store():
    first = [
        _extraction("d1", mention(None, "d1", killed=2), mention(None, "d1", place=HERON)),
        _extraction("d2", mention(None, "d2", killed=3)),
    ]
    later = [_extraction("d3", mention(None, "d3", place=MARROW), mention(None, "d3", day(20)))]
    with open_store(":memory:") as store:
        store.save_extractions(first)
        resolved = resolve_incidents(store.mentions())
        store.replace_incidents(resolved)
        store.save_extractions(later)

        existing = store.incident_records()
        new = [m for ex in later for m in ex.incidents]  # ids set by the store on save
        again = resolve_incidents(new, existing=existing)
        changed, gone = incident_changes(existing, again)
        store.delete_incidents(gone)
        store.upsert_incidents(changed)

        full = resolve_incidents(store.mentions())
        assert clusters(again) == clusters(full)
        assert clusters(store.incident_records()) == clusters(full)
        merged = next(i for i in store.incident_records() if len(i.mention_ids) == 3)
        assert merged.casualties.killed.min == 2 and merged.casualties.killed.max == 3
        assert "casualties.killed" in merged.conflicts
        assert {s.document_id for s in merged.fields["place"]} == {"d1", "d2", "d3"}
