"""Resolved incidents back into the mentions they were resolved from.

Incremental resolution compares new mentions with the *mentions* of existing incidents,
not with their merged values, so that resolving in two steps gives the same clusters as
resolving everything at once. ``Incident.fields`` keeps every source's value of every
field, which is all matching needs: :func:`members` gives one :class:`OldMention` per
source, read lazily (only the fields matching needs, and the rest only for incidents
that are rebuilt).

Field values may be records (``DateSpan``, ``Place``, ...) or their JSON form (dicts and
ISO date strings, as a store gives them back); both are read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sitrep.model import (
    ActorRef,
    DateSpan,
    Evidence,
    FieldSource,
    Incident,
    IncidentMention,
    Place,
    Range,
)
from sitrep.resolve import rules


def _date(v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def _span(v: Any) -> DateSpan | None:
    if v is None or isinstance(v, DateSpan):
        return v
    return DateSpan(_date(v.get("start")), _date(v.get("end")), v.get("precision"))


def _record(cls, v: Any):
    if v is None or isinstance(v, cls):
        return v
    return cls.from_dict(v)


def _strings(v: Any) -> list[str]:
    return list(v or ())


_TYPES = {
    "date": _span,
    "place": lambda v: _record(Place, v),
    "attack_modes": _strings,
    "weapons": _strings,
    "outcome": _strings,
    "payload_kg": lambda v: _record(Range, v),
    "attacker": lambda v: _record(ActorRef, v),
    "target": lambda v: _record(ActorRef, v),
    "attribution": lambda v: v,
    "confidence": lambda v: None if v is None else float(v),
    **{f"casualties.{c}": (lambda v: _record(Range, v)) for c in rules.CASUALTY_FIELDS},
}


def typed(name: str, value: Any) -> Any:
    """A field value as its record type (``DateSpan``, ``Place``, ``Range``, ...)."""
    convert = _TYPES.get(name)
    return value if convert is None else convert(value)


class OldMention:
    """One source of an existing incident: its id, document and ``FieldSource`` per field."""

    __slots__ = ("mid", "doc", "fields")

    def __init__(self, mid: str, doc: str | None):
        self.mid = mid
        self.doc = doc
        self.fields: dict[str, Any] = {}

    def value(self, name: str) -> Any:
        fs = self.fields.get(name)
        if fs is None:
            return None
        return typed(name, fs.value if isinstance(fs, FieldSource) else fs.get("value"))

    def sources(self) -> dict[str, FieldSource]:
        """Its FieldSource per field, values typed, in ``rules.FIELD_ORDER``."""
        out = {}
        for name in rules.FIELD_ORDER:
            fs = self.fields.get(name)
            if fs is None:
                continue
            if isinstance(fs, FieldSource):
                value, evidence = fs.value, fs.evidence
            else:
                value, evidence = fs.get("value"), fs.get("evidence")
            evidence = [
                e if isinstance(e, Evidence) else Evidence.from_dict(e) for e in evidence or ()
            ]
            out[name] = FieldSource(typed(name, value), self.mid, self.doc, evidence)
        return out


def members(incident: Incident) -> tuple[list[OldMention | IncidentMention], tuple[str, ...]]:
    """The mentions an incident was resolved from, sorted by id, and the ids of any
    mentions it lists without provenance (kept with it, never compared).

    An incident without any ``fields`` stands for itself: one mention carrying its
    resolved values, under its first mention id.
    """
    by_id: dict[str, OldMention] = {}
    for name, sources in (incident.fields or {}).items():
        for fs in sources:
            if isinstance(fs, FieldSource):
                mid, doc = fs.mention_id, fs.document_id
            else:
                mid, doc = fs["mention_id"], fs.get("document_id")
            m = by_id.get(mid)
            if m is None:
                m = by_id[mid] = OldMention(mid, doc)
            elif m.doc is None:
                m.doc = doc
            m.fields[name] = fs
    if not by_id:
        return [_standing_in(incident)], tuple(sorted(incident.mention_ids)[1:])
    missing = tuple(i for i in incident.mention_ids if i not in by_id)
    return [by_id[i] for i in sorted(by_id)], missing


def _standing_in(inc: Incident) -> IncidentMention:
    docs = inc.document_ids or []
    mid = (sorted(inc.mention_ids) or [inc.id])[0]
    return IncidentMention(
        date=_span(inc.date) or DateSpan(),
        place=_record(Place, inc.place) or Place(),
        attack_modes=list(inc.attack_modes),
        weapons=list(inc.weapons),
        payload_kg=_record(Range, inc.payload_kg) or Range(),
        attacker=_record(ActorRef, inc.attacker),
        target=_record(ActorRef, inc.target),
        outcome=list(inc.outcome),
        casualties=inc.casualties,
        confidence=inc.confidence,
        id=mid,
        document_id=docs[0] if len(docs) == 1 else None,
    )
