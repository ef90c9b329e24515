"""Property: any extraction the model can hold comes back from the store equal.

Outside what is generated, by design: NaN (SQLite stores it as NULL), NUL characters
(PostgreSQL text refuses them) and actor refs with every field None (read back as None).
"""

from __future__ import annotations

import uuid
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.model import (
    ACTOR_KINDS,
    ATTACK_MODES,
    DATE_PRECISIONS,
    MEASURES,
    OUTCOMES,
    PLACE_PRECISIONS,
    QUALIFIERS,
    ActorRef,
    Casualties,
    Claim,
    DateSpan,
    Document,
    Evidence,
    Extraction,
    FieldSource,
    Incident,
    IncidentMention,
    Interaction,
    Period,
    Place,
    Quote,
    Range,
)

text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
floats = st.floats(allow_nan=False, allow_infinity=False)
numbers = st.none() | st.integers(0, 10**9) | floats


def opt(strategy):
    return st.none() | strategy


ranges = st.builds(Range, numbers, numbers)
spans = st.builds(DateSpan, opt(dates), opt(dates), opt(st.sampled_from(DATE_PRECISIONS)))
actors = opt(
    st.builds(ActorRef, opt(text), opt(text), opt(st.sampled_from(ACTOR_KINDS))).filter(
        lambda a: (a.id, a.name, a.kind) != (None, None, None)
    )
)
evidence = st.lists(
    st.builds(Evidence, text, st.integers(0, 10**6), st.integers(0, 10**6), text), max_size=3
)
places = st.builds(
    Place,
    opt(text),
    opt(st.sampled_from(["IQ", "SY", "JO", "US"])),
    opt(text),
    opt(st.floats(-90, 90)),
    opt(st.floats(-180, 180)),
    opt(st.sampled_from(PLACE_PRECISIONS)),
)
mentions = st.builds(
    IncidentMention,
    date=spans,
    place=places,
    attack_modes=st.lists(st.sampled_from(ATTACK_MODES), max_size=3),
    weapons=st.lists(text, max_size=2),
    payload_kg=ranges,
    attacker=actors,
    target=actors,
    outcome=st.lists(st.sampled_from(OUTCOMES), max_size=2),
    casualties=st.builds(Casualties, ranges, ranges, ranges, ranges, ranges),
    attribution=opt(text),
    evidence=evidence,
    confidence=st.floats(0, 1),
)
claims = st.builds(
    Claim,
    measure=st.sampled_from(MEASURES),
    value=ranges,
    qualifier=st.sampled_from(QUALIFIERS),
    subject=opt(text),
    region=st.lists(text, max_size=3),
    period=st.builds(Period, opt(dates), opt(dates)),
    as_of=opt(dates),
    breakdown_of=opt(text),
    attack_modes=st.lists(st.sampled_from(ATTACK_MODES), max_size=2),
    payload_kg=ranges,
    attribution=opt(text),
    evidence=evidence,
    subject_id=opt(text),
)
interactions = st.builds(
    Interaction,
    type=st.sampled_from(["CONSULT", "AGREE", "REJECT", "THREATEN"]),
    source=actors,
    target=actors,
    date=spans,
    negated=st.booleans(),
    evidence=evidence,
)
quotes = st.builds(Quote, opt(text), opt(text), text, evidence)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=text,
    published=opt(dates),
    mentions=st.lists(mentions, max_size=4),
    claims=st.lists(claims, max_size=4),
    interactions=st.lists(interactions, max_size=2),
    quotes=st.lists(quotes, max_size=2),
)
def test_any_extraction_round_trips(store, body, published, mentions, claims, interactions, quotes):
    # One store for all examples: every example is a new document.
    doc = Document(id=uuid.uuid4().hex, text=body, published=published, title=body[:5] or None)
    ex = Extraction(doc, mentions, claims, interactions, quotes)
    assert store.save_extraction(ex) is True
    assert store.extraction(doc.id) == ex
    assert store.mentions(doc_id=doc.id) == mentions
    assert store.claims(doc_id=doc.id) == claims


json_values = st.none() | st.booleans() | st.integers(-(10**9), 10**9) | text
incidents = st.builds(
    Incident,
    id=st.uuids().map(lambda u: u.hex),
    date=spans,
    place=places,
    attack_modes=st.lists(st.sampled_from(ATTACK_MODES), max_size=3),
    weapons=st.lists(text, max_size=2),
    payload_kg=ranges,
    attacker=actors,
    target=actors,
    outcome=st.lists(st.sampled_from(OUTCOMES), max_size=2),
    casualties=st.builds(Casualties, ranges, ranges, ranges, ranges, ranges),
    document_ids=st.lists(text, max_size=2),
    fields=st.dictionaries(
        text,
        st.lists(st.builds(FieldSource, json_values, text, opt(text), evidence), max_size=2),
        max_size=2,
    ),
    conflicts=st.lists(text, max_size=2),
    confidence=st.floats(0, 1),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=st.lists(incidents, max_size=3, unique_by=lambda i: i.id))
def test_any_incident_round_trips(store, items):
    store.upsert_incidents(items)
    for inc in items:
        [back] = [r for r in store.incident_records() if r.id == inc.id]
        assert back == inc
