"""Records to rows and back: pure functions, no database.

What a round trip does not keep, on purpose: an ``ActorRef`` with every field ``None``
comes back as ``None`` (the columns cannot tell them apart), and a range value that is
a whole number comes back as an ``int`` (``3.0`` and ``3`` compare equal; counts read
better as ints).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sitrep.model import (
    ActorRef,
    Casualties,
    Claim,
    ClaimSeries,
    DateSpan,
    Document,
    Evidence,
    FieldSource,
    Incident,
    IncidentMention,
    Interaction,
    Period,
    Place,
    Quote,
    Range,
    SeriesPoint,
    content_id,
)
from sitrep.store.schema import CASUALTY_FIELDS

_EXACT_INT = 2**53  # beyond this a float no longer holds every integer


def num_in(value: Any) -> float | None:
    return None if value is None else float(value)


def num_out(value: float | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_INT:
        return int(value)
    return value


def _range_in(prefix: str, r: Range | None) -> dict[str, Any]:
    r = r or Range()
    return {f"{prefix}_min": num_in(r.min), f"{prefix}_max": num_in(r.max)}


def _range_out(prefix: str, row: dict[str, Any]) -> Range:
    return Range(num_out(row[f"{prefix}_min"]), num_out(row[f"{prefix}_max"]))


def _actor_in(prefix: str, a: ActorRef | None) -> dict[str, Any]:
    a = a or ActorRef()
    return {f"{prefix}_id": a.id, f"{prefix}_name": a.name, f"{prefix}_kind": a.kind}


def _actor_out(prefix: str, row: dict[str, Any]) -> ActorRef | None:
    a = ActorRef(row[f"{prefix}_id"], row[f"{prefix}_name"], row[f"{prefix}_kind"])
    return None if a.id is None and a.name is None and a.kind is None else a


def _span_in(d: DateSpan | None) -> dict[str, Any]:
    d = d or DateSpan()
    return {"date_start": d.start, "date_end": d.end, "date_precision": d.precision}


def _span_out(row: dict[str, Any]) -> DateSpan:
    return DateSpan(row["date_start"], row["date_end"], row["date_precision"])


def document_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "url": doc.url,
        "outlet": doc.outlet,
        "title": doc.title,
        "published": doc.published,
        "retrieved": doc.retrieved,
        "language": doc.language,
        "format": doc.format,
        "text": doc.text,
    }


def document_from_row(row: dict[str, Any]) -> Document:
    return Document(
        id=row["id"],
        text=row["text"],
        url=row["url"],
        outlet=row["outlet"],
        title=row["title"],
        published=row["published"],
        retrieved=row["retrieved"],
        language=row["language"],
        format=row["format"],
    )


# -- ids ------------------------------------------------------------------------------


def mention_id(doc_id: str, pos: int, m: IncidentMention) -> str:
    return m.id or content_id(doc_id, "mention", pos, m.date.start, m.place.name, m.attack_modes)


def claim_id(doc_id: str, pos: int, c: Claim) -> str:
    return c.id or content_id(doc_id, "claim", pos, c.measure, c.value.min, c.value.max, c.subject)


def interaction_id(doc_id: str, pos: int, i: Interaction) -> str:
    return content_id(doc_id, "interaction", pos, i.type)


def quote_id(doc_id: str, pos: int, q: Quote) -> str:
    return content_id(doc_id, "quote", pos, q.speaker, q.text)


# -- records --------------------------------------------------------------------------


def event_body_in(
    span: DateSpan | None,
    place: Place | None,
    modes: list[str],
    weapons: list[str],
    payload: Range | None,
    attacker: ActorRef | None,
    target: ActorRef | None,
    outcome: list[str],
    casualties: Casualties | None,
    confidence: float | None,
) -> dict[str, Any]:
    place = place or Place()
    casualties = casualties or Casualties()
    row = {
        **_span_in(span),
        "place_name": place.name,
        "country": place.country,
        "admin1": place.admin1,
        "lat": num_in(place.lat),
        "lon": num_in(place.lon),
        "place_precision": place.precision,
        "attack_modes": list(modes),
        "weapons": list(weapons),
        **_range_in("payload", payload),
        **_actor_in("attacker", attacker),
        **_actor_in("target", target),
        "outcome": list(outcome),
        "confidence": num_in(confidence),
    }
    for name in CASUALTY_FIELDS:
        row.update(_range_in(name, getattr(casualties, name)))
    return row


def mention_row(m: IncidentMention, pos: int) -> dict[str, Any]:
    row = event_body_in(
        m.date,
        m.place,
        m.attack_modes,
        m.weapons,
        m.payload_kg,
        m.attacker,
        m.target,
        m.outcome,
        m.casualties,
        m.confidence,
    )
    row.update(id=m.id, document_id=m.document_id, position=pos, attribution=m.attribution)
    return row


def mention_from_row(row: dict[str, Any], evidence: list[Evidence]) -> IncidentMention:
    return IncidentMention(
        date=_span_out(row),
        place=Place(
            row["place_name"],
            row["country"],
            row["admin1"],
            row["lat"],
            row["lon"],
            row["place_precision"],
        ),
        attack_modes=list(row["attack_modes"]),
        weapons=list(row["weapons"]),
        payload_kg=_range_out("payload", row),
        attacker=_actor_out("attacker", row),
        target=_actor_out("target", row),
        outcome=list(row["outcome"]),
        casualties=Casualties(**{n: _range_out(n, row) for n in CASUALTY_FIELDS}),
        attribution=row["attribution"],
        evidence=evidence,
        confidence=row["confidence"],
        id=row["id"],
        document_id=row["document_id"],
    )


def claim_row(c: Claim, pos: int, published: date | None) -> dict[str, Any]:
    period = c.period or Period()
    return {
        "id": c.id,
        "document_id": c.document_id,
        "position": pos,
        "measure": c.measure,
        **_range_in("value", c.value),
        "qualifier": c.qualifier,
        "subject": c.subject,
        "subject_id": c.subject_id,
        "region": list(c.region),
        "period_start": period.start,
        "period_end": period.end,
        "as_of": c.as_of,
        "ref_date": c.as_of or period.end or published,
        "breakdown_of": c.breakdown_of,
        "attack_modes": list(c.attack_modes),
        **_range_in("payload", c.payload_kg),
        "attribution": c.attribution,
    }


def claim_from_row(row: dict[str, Any], evidence: list[Evidence]) -> Claim:
    return Claim(
        measure=row["measure"],
        value=_range_out("value", row),
        qualifier=row["qualifier"],
        subject=row["subject"],
        region=list(row["region"]),
        period=Period(row["period_start"], row["period_end"]),
        as_of=row["as_of"],
        breakdown_of=row["breakdown_of"],
        attack_modes=list(row["attack_modes"]),
        payload_kg=_range_out("payload", row),
        attribution=row["attribution"],
        evidence=evidence,
        id=row["id"],
        subject_id=row["subject_id"],
        document_id=row["document_id"],
    )


def interaction_row(i: Interaction, rid: str, doc_id: str, pos: int) -> dict[str, Any]:
    return {
        "id": rid,
        "document_id": doc_id,
        "position": pos,
        "type": i.type,
        **_actor_in("source", i.source),
        **_actor_in("target", i.target),
        **_span_in(i.date),
        "negated": bool(i.negated),
    }


def interaction_from_row(row: dict[str, Any], evidence: list[Evidence]) -> Interaction:
    return Interaction(
        type=row["type"],
        source=_actor_out("source", row),
        target=_actor_out("target", row),
        date=_span_out(row),
        negated=bool(row["negated"]),
        evidence=evidence,
    )


def quote_row(q: Quote, rid: str, doc_id: str, pos: int) -> dict[str, Any]:
    return {
        "id": rid,
        "document_id": doc_id,
        "position": pos,
        "speaker": q.speaker,
        "speaker_id": q.speaker_id,
        "text": q.text,
    }


def quote_from_row(row: dict[str, Any], evidence: list[Evidence]) -> Quote:
    return Quote(
        speaker=row["speaker"], speaker_id=row["speaker_id"], text=row["text"], evidence=evidence
    )


def evidence_rows(
    record_type: str, record_id: str, doc_id: str, spans: list[Evidence]
) -> list[dict[str, Any]]:
    return [
        {
            "record_type": record_type,
            "record_id": record_id,
            "document_id": doc_id,
            "position": pos,
            "field": e.field,
            "start": e.start,
            "end": e.end,
            "text": e.text,
        }
        for pos, e in enumerate(spans)
    ]


def evidence_from_row(row: dict[str, Any]) -> Evidence:
    return Evidence(row["field"], row["start"], row["end"], row["text"])


# -- resolved incidents and claim series ------------------------------------------------


def incident_row(inc: Incident) -> dict[str, Any]:
    """An incidents row from a record; provenance, conflicts and document ids go in
    ``fields_json`` (FieldSource values are stored as JSON: plain values round-trip)."""
    row = event_body_in(
        inc.date,
        inc.place,
        inc.attack_modes,
        inc.weapons,
        inc.payload_kg,
        inc.attacker,
        inc.target,
        inc.outcome,
        inc.casualties,
        inc.confidence,
    )
    row["id"] = inc.id
    row["fields_json"] = {
        "fields": {name: [s.to_dict() for s in sources] for name, sources in inc.fields.items()},
        "conflicts": list(inc.conflicts),
        "document_ids": list(inc.document_ids),
    }
    return row


def incident_from_row(row: dict[str, Any]) -> Incident:
    """A record from an incidents row (as ``Store.incidents`` returns it, ``mention_ids``
    included). Rows written from dicts may lack the provenance keys: they read as empty."""
    extra = row["fields_json"] if isinstance(row["fields_json"], dict) else {}
    fields = extra.get("fields") if isinstance(extra.get("fields"), dict) else {}
    return Incident(
        id=row["id"],
        date=_span_out(row),
        place=Place(
            row["place_name"],
            row["country"],
            row["admin1"],
            row["lat"],
            row["lon"],
            row["place_precision"],
        ),
        attack_modes=list(row["attack_modes"]),
        weapons=list(row["weapons"]),
        payload_kg=_range_out("payload", row),
        attacker=_actor_out("attacker", row),
        target=_actor_out("target", row),
        outcome=list(row["outcome"]),
        casualties=Casualties(**{n: _range_out(n, row) for n in CASUALTY_FIELDS}),
        mention_ids=list(row.get("mention_ids", [])),
        document_ids=list(extra.get("document_ids") or []),
        fields={k: [FieldSource.from_dict(s) for s in v] for k, v in fields.items()},
        conflicts=list(extra.get("conflicts") or []),
        confidence=row["confidence"],
    )


def series_row(s: ClaimSeries) -> dict[str, Any]:
    return {
        "id": s.id,
        "measure": s.measure,
        "subject_id": s.subject_id,
        "subject": s.subject,
        "region": list(s.region),
        "period_start": s.period_start,
    }


def series_point_row(series_id: str, pos: int, p: SeriesPoint) -> dict[str, Any]:
    return {
        "series_id": series_id,
        "position": pos,
        "claim_id": p.claim_id,
        "as_of": p.as_of,
        **_range_in("value", p.value),
        "qualifier": p.qualifier,
        "attribution": p.attribution,
        "document_id": p.document_id,
        "revision": p.revision,
        "incidents_counted": p.incidents_counted,
        "other_claim_ids": list(p.other_claim_ids),
    }


def series_from_rows(row: dict[str, Any], points: list[dict[str, Any]]) -> ClaimSeries:
    return ClaimSeries(
        id=row["id"],
        measure=row["measure"],
        subject_id=row["subject_id"],
        subject=row["subject"],
        region=list(row["region"]),
        period_start=row["period_start"],
        points=[
            SeriesPoint(
                claim_id=p["claim_id"],
                as_of=p["as_of"],
                value=_range_out("value", p),
                qualifier=p["qualifier"],
                attribution=p["attribution"],
                document_id=p["document_id"],
                revision=p["revision"],
                incidents_counted=p["incidents_counted"],
                other_claim_ids=list(p.get("other_claim_ids") or []),
            )
            for p in points
        ],
    )
