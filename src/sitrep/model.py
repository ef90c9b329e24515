"""The one record model every stage exchanges.

Records are plain dataclasses. ``to_dict()`` gives the shape of the
``sitrep extract --json`` output contract (DESIGN.md); ``from_dict()`` reads it back.
Offsets are character offsets into ``Document.text`` (Python ``str`` indices).
Unknown values are ``None``, never guessed.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any, get_args, get_origin, get_type_hints

# Controlled vocabularies (the contract's enumerations).
DATE_PRECISIONS = ("day", "week", "month", "year")
PLACE_PRECISIONS = ("facility", "city", "admin2", "admin1", "country")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "up_to", "nearly", "fewer_than", "between")
ACTOR_KINDS = (
    "state_military",
    "coalition",
    "non_state_armed_group",
    "government",
    "civilians",
    "unidentified",
    "organisation",
)
OUTCOMES = ("intercepted", "shot_down", "impact", "damage", "no_damage")
ATTACK_MODES = (
    "rocket",
    "mortar",
    "artillery",
    "indirect_fire",
    "uas_one_way",
    "uas_armed",
    "ballistic_missile",
    "cruise_missile",
    "missile",
    "ied",
    "vbied",
    "suicide_bombing",
    "small_arms",
    "rpg_atgm",
    "airstrike",
    "ground_assault",
    "other",
)
MEASURES = (
    "attacks",
    "killed",
    "injured",
    "injured_serious",
    "injured_minor",
    "tbi",
    "territory_km2",
    "population",
    "fighters",
    "personnel",
    "displaced",
    "detained",
    "missing",
)


class _Record:
    """Shared dict conversion for all records (dataclasses only)."""

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None):
        if data is None:
            return None
        hints = get_type_hints(cls)
        kwargs = {}
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                kwargs[f.name] = _from_jsonable(hints[f.name], data[f.name])
        return cls(**kwargs)


def _to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _from_jsonable(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(tp)
    args = [a for a in get_args(tp) if a is not type(None)]
    if origin is list:
        return [_from_jsonable(args[0], v) for v in value]
    if origin is dict:
        return {k: _from_jsonable(args[1], v) for k, v in value.items()}
    if args and origin is not None:  # Optional[X] / X | None
        return _from_jsonable(args[0], value)
    if isinstance(tp, type) and issubclass(tp, _Record):
        return tp.from_dict(value)
    if tp is date and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if tp is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


@dataclass(slots=True)
class Evidence(_Record):
    """Which field a span supports, and the span itself (offsets into the document text)."""

    field: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Range(_Record):
    """A number as a closed range; either end may be unknown. An exact value has min == max."""

    min: float | None = None
    max: float | None = None

    @classmethod
    def exact(cls, n: float) -> Range:
        return cls(n, n)

    def is_empty(self) -> bool:
        return self.min is None and self.max is None


@dataclass(slots=True)
class DateSpan(_Record):
    start: date | None = None
    end: date | None = None
    precision: str | None = None  # one of DATE_PRECISIONS


@dataclass(slots=True)
class Place(_Record):
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None  # one of PLACE_PRECISIONS


@dataclass(slots=True)
class ActorRef(_Record):
    id: str | None = None
    name: str | None = None  # as written
    kind: str | None = None  # one of ACTOR_KINDS

    @property
    def is_ship(self) -> bool:
        """A civilian target named but not a known actor: a merchant ship ("the tanker
        Swan Atlantic", see extract/incidents.py). Two ships hit are two attacks."""
        return self.id is None and self.kind == "civilians" and (self.name or "")[:1].isupper()


@dataclass(slots=True)
class Casualties(_Record):
    killed: Range = field(default_factory=Range)
    injured: Range = field(default_factory=Range)
    serious: Range = field(default_factory=Range)
    minor: Range = field(default_factory=Range)
    tbi: Range = field(default_factory=Range)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name).is_empty() for f in fields(self))


@dataclass(slots=True)
class Period(_Record):
    start: date | None = None
    end: date | None = None


@dataclass(slots=True)
class IncidentMention(_Record):
    """One attack as one document tells it."""

    date: DateSpan = field(default_factory=DateSpan)
    place: Place = field(default_factory=Place)
    attack_modes: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    payload_kg: Range = field(default_factory=Range)
    attacker: ActorRef | None = None
    target: ActorRef | None = None
    outcome: list[str] = field(default_factory=list)
    casualties: Casualties = field(default_factory=Casualties)
    attribution: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    id: str | None = None
    document_id: str | None = None


@dataclass(slots=True)
class Claim(_Record):
    """A quantity someone asserts about a population over a period."""

    measure: str
    value: Range = field(default_factory=Range)
    qualifier: str = "exact"
    subject: str | None = None
    region: list[str] = field(default_factory=list)
    period: Period = field(default_factory=Period)
    as_of: date | None = None
    breakdown_of: str | None = None  # id of the parent claim this one breaks down
    attack_modes: list[str] = field(default_factory=list)
    payload_kg: Range = field(default_factory=Range)
    attribution: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    id: str | None = None
    subject_id: str | None = None  # resolved actor id of the subject, when known
    document_id: str | None = None


@dataclass(slots=True)
class Interaction(_Record):
    """A political event between two actors, typed by the PLOVER ontology."""

    type: str
    source: ActorRef | None = None
    target: ActorRef | None = None
    date: DateSpan = field(default_factory=DateSpan)
    negated: bool = False
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Quote(_Record):
    speaker: str | None = None  # as written
    speaker_id: str | None = None
    text: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class FieldSource(_Record):
    """One source's value for one field of a resolved incident."""

    value: Any
    mention_id: str
    document_id: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Incident(_Record):
    """One real attack, resolved across every document that reports it.

    Field values are the agreed or most specific ones; casualties span the min and max
    across sources; ``fields`` keeps every source's value per field (provenance), and
    ``conflicts`` names the fields whose sources disagree (kept side by side, never
    overwritten).
    """

    id: str
    date: DateSpan = field(default_factory=DateSpan)
    place: Place = field(default_factory=Place)
    attack_modes: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    payload_kg: Range = field(default_factory=Range)
    attacker: ActorRef | None = None
    target: ActorRef | None = None
    outcome: list[str] = field(default_factory=list)
    casualties: Casualties = field(default_factory=Casualties)
    mention_ids: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    fields: dict[str, list[FieldSource]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    confidence: float = 0.5


@dataclass(slots=True)
class SeriesPoint(_Record):
    claim_id: str
    as_of: date | None
    value: Range
    qualifier: str
    attribution: str | None = None
    document_id: str | None = None
    revision: str | None = None  # "decrease" | "correction" | None
    incidents_counted: int | None = (
        None  # incidents in the ledger for the same scope, when computed
    )
    # other claims stating the same value on the same as-of (other documents, repeats)
    other_claim_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ClaimSeries(_Record):
    """Claims of one measure about one subject and region since one start date, by as-of."""

    id: str
    measure: str
    subject_id: str | None = None
    subject: str | None = None
    region: list[str] = field(default_factory=list)
    period_start: date | None = None
    points: list[SeriesPoint] = field(default_factory=list)


@dataclass(slots=True)
class Document(_Record):
    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    retrieved: datetime | None = None
    language: str | None = "en"
    format: str = "text"  # text | html | pdf | ...

    def header(self) -> dict[str, Any]:
        """The contract's ``document`` object (no text)."""
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(slots=True)
class Extraction(_Record):
    """Everything extracted from one document: the contract's top-level object."""

    document: Document
    incidents: list[IncidentMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "document": self.document.header(),
            "incidents": [_to_jsonable(m) for m in self.incidents],
            "claims": [_to_jsonable(c) for c in self.claims],
            "interactions": [_to_jsonable(i) for i in self.interactions],
            "quotes": [_to_jsonable(q) for q in self.quotes],
        }
        return out


def normalise_text(text: str) -> str:
    """The canonical form that document ids hash: NFC, unified newlines, trimmed lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def content_id(*parts: object, length: int = 16) -> str:
    """A content-addressed id: the same inputs always give the same id."""
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def as_plain(record: Any) -> dict[str, Any]:
    """Dict form of any record, for code that wants no methods (e.g. storage rows)."""
    return asdict(record)
