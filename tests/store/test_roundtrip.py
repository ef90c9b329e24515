"""Records go in and come back equal, once."""

from __future__ import annotations

import copy

import pytest

from sitrep.errors import NotFound, StoreError
from sitrep.model import ActorRef, Claim, Extraction, IncidentMention, Range
from tests.store.records import document, sample


def test_save_then_read_back_equal_records(store):
    ex = sample()
    assert store.save_extraction(ex) is True
    doc_id = ex.document.id
    assert store.get_document(doc_id) == ex.document
    assert store.mentions(doc_id=doc_id) == ex.incidents
    assert store.claims(doc_id=doc_id) == ex.claims
    assert store.interactions(doc_id=doc_id) == ex.interactions
    assert store.quotes(doc_id=doc_id) == ex.quotes
    assert store.extraction(doc_id) == ex
    assert store.extraction(doc_id).to_dict() == ex.to_dict()


def test_evidence_order_kept(store):
    ex = sample()
    spans = ex.incidents[0].evidence
    spans.append(copy.copy(spans[0]))
    spans[-1].field = "date"
    spans.insert(0, copy.copy(spans[0]))
    spans[0].field = "place"
    store.save_extraction(ex)
    assert [e.field for e in store.mentions(doc_id=ex.document.id)[0].evidence] == [
        "place",
        "attack_modes",
        "date",
    ]


def test_missing_ids_are_content_addressed_and_set(store):
    ex, again = sample(), sample()
    assert ex.incidents[0].id is None
    store.save_extraction(ex)
    ids = [m.id for m in ex.incidents] + [c.id for c in ex.claims]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(m.document_id == ex.document.id for m in ex.incidents + ex.claims)
    # The same content gives the same ids, in any store.
    from sitrep.store.writes import fill_ids

    fill_ids(again)
    assert [m.id for m in again.incidents] + [c.id for c in again.claims] == ids


def test_saving_twice_is_a_no_op(store):
    ex = sample()
    assert store.save_extraction(ex) is True
    before = store.counts()
    assert store.save_extraction(sample()) is False
    assert store.counts() == before
    assert before["documents"] == 1 and before["mentions"] == 2 and before["claims"] == 2
    assert before["evidence"] == 6


def test_save_extractions_in_one_transaction(store):
    first = sample(1)
    store.save_extraction(first)
    assert store.save_extractions([sample(1), sample(2), sample(3)]) == 2
    assert store.counts()["documents"] == 3


def test_replace_re_extracts_a_document(store):
    ex = sample()
    store.save_extraction(ex)
    fewer = sample()
    fewer.incidents = fewer.incidents[:1]
    fewer.claims = []
    assert store.save_extraction(fewer, replace=True) is True
    counts = store.counts()
    assert (counts["documents"], counts["mentions"], counts["claims"]) == (1, 1, 0)
    assert store.extraction(ex.document.id) == fewer


def test_empty_extraction_and_nulls(store):
    doc = document("Nothing happened today.", published=None, language=None)
    ex = Extraction(doc, incidents=[IncidentMention()], claims=[Claim("killed")])
    store.save_extraction(ex)
    back = store.extraction(doc.id)
    assert back == ex
    assert back.incidents[0].attacker is None and back.claims[0].value == Range()


def test_whole_numbers_come_back_as_ints(store):
    ex = sample()
    ex.claims[1].value = Range(20.0, 20.0)
    ex.incidents[0].payload_kg = Range(8.5, 50)
    store.save_extraction(ex)
    claim = store.claims(doc_id=ex.document.id)[1]
    assert claim.to_dict()["value"] == {"min": 20, "max": 20}
    assert type(claim.value.min) is int
    assert store.mentions(doc_id=ex.document.id)[0].payload_kg == Range(8.5, 50)


def test_an_empty_actor_reads_back_as_none(store):
    ex = sample()
    ex.incidents[0].attacker = ActorRef()
    store.save_extraction(ex)
    assert store.mentions(doc_id=ex.document.id)[0].attacker is None


def test_record_of_another_document_is_refused(store):
    ex = sample()
    ex.incidents[0].document_id = "someotherdoc"
    with pytest.raises(StoreError, match="belongs to document someotherdoc"):
        store.save_extraction(ex)
    assert store.counts()["documents"] == 0


def test_missing_document_is_not_found(store):
    with pytest.raises(NotFound, match="^no document nope$"):
        store.get_document("nope")
    with pytest.raises(NotFound):
        store.extraction("nope")
    assert store.has_document("nope") is False


def test_has_document(store):
    ex = sample()
    store.save_extraction(ex)
    assert store.has_document(ex.document.id)
