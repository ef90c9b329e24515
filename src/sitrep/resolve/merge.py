"""One cluster of mentions becomes one resolved :class:`Incident`.

Every source's value of every field is kept in ``Incident.fields`` (one ``FieldSource``
per mention that states the field, with that mention's evidence for it); the top-level
values are the agreed or most specific ones:

- date: the intersection of the sources' spans (a day inside a week is that day); when
  the spans do not meet, the most precise source's span, and ``date`` is a conflict;
- place: the most specific (facility, then city, ...), the most frequent name among
  equally specific ones; coordinates and province filled from sources naming it too;
- attack modes, weapons, outcome: the union (an unspecified code such as
  ``indirect_fire`` is dropped when a source names the specific one, ``rocket``);
- casualties and payload: min = the smallest of the sources' minimums and max = the
  largest of their maximums, open-ended (null) when any source is ("at least 40");
- attacker, target: the majority, ties to the earliest mention;
- confidence: corroboration, 1 - prod(1 - c), at most 0.99.

``conflicts`` names the fields whose sources disagree, in ``rules.FIELD_ORDER``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date
from functools import lru_cache

from sitrep.extract.gazetteer import norm_key
from sitrep.model import (
    ActorRef,
    Casualties,
    DateSpan,
    Evidence,
    FieldSource,
    Incident,
    IncidentMention,
    Place,
    Range,
)
from sitrep.resolve import rules
from sitrep.resolve.nodes import actor_key, place_rank

_CASUALTY_KEYS = tuple(f"casualties.{c}" for c in rules.CASUALTY_FIELDS)
_KILLED, _INJURED, _SERIOUS, _MINOR, _TBI = _CASUALTY_KEYS


def field_value(m: IncidentMention, name: str):
    """One mention's value for one field, or None when the mention does not state it."""
    if name == "date":
        return m.date if m.date is not None and m.date.start is not None else None
    if name == "place":
        p = m.place
        return p if p is not None and (p.name or p.country) else None
    if name in ("attack_modes", "weapons", "outcome"):
        return getattr(m, name) or None
    if name == "payload_kg":
        return None if m.payload_kg is None or m.payload_kg.is_empty() else m.payload_kg
    if name in ("attacker", "target"):
        a = getattr(m, name)
        return a if a is not None and (a.id or a.name or a.kind) else None
    if name.startswith("casualties."):
        r = getattr(m.casualties, name[11:])
        return None if r is None or r.is_empty() else r
    if name == "attribution":
        return m.attribution or None
    if name == "confidence":
        return m.confidence
    raise KeyError(name)


_NAMES = rules.FIELD_ORDER
_EVIDENCE = rules.EVIDENCE_FIELDS


def mention_fields(m: IncidentMention, mid: str) -> dict[str, FieldSource]:
    """A FieldSource, with its evidence, for every field a new mention states (in
    ``rules.FIELD_ORDER``; ``field_value`` for them all, in one pass)."""
    ev: dict[str, list[Evidence]] = {}
    for e in m.evidence:
        got = ev.get(e.field)
        if got is None:
            ev[e.field] = [e]
        else:
            got.append(e)
    doc = m.document_id
    out: dict[str, FieldSource] = {}
    d, p = m.date, m.place
    if d is not None and d.start is not None:
        out["date"] = FieldSource(d, mid, doc, ev.get("date") or [])
    if p is not None and (p.name or p.country):
        out["place"] = FieldSource(p, mid, doc, ev.get("place") or [])
    if m.attack_modes:
        out["attack_modes"] = FieldSource(m.attack_modes, mid, doc, ev.get("attack_modes") or [])
    if m.weapons:
        words = [e for w in _EVIDENCE["weapons"] for e in ev.get(w, ())]
        out["weapons"] = FieldSource(m.weapons, mid, doc, words)
    r = m.payload_kg
    if r is not None and (r.min is not None or r.max is not None):
        out["payload_kg"] = FieldSource(r, mid, doc, ev.get("payload_kg") or [])
    a = m.attacker
    if a is not None and (a.id or a.name or a.kind):
        out["attacker"] = FieldSource(a, mid, doc, ev.get("attacker") or [])
    a = m.target
    if a is not None and (a.id or a.name or a.kind):
        out["target"] = FieldSource(a, mid, doc, ev.get("target") or [])
    if m.outcome:
        out["outcome"] = FieldSource(m.outcome, mid, doc, ev.get("outcome") or [])
    c = m.casualties
    if c is not None:
        for key, r in zip(
            _CASUALTY_KEYS, (c.killed, c.injured, c.serious, c.minor, c.tbi), strict=True
        ):
            if r is not None and (r.min is not None or r.max is not None):
                out[key] = FieldSource(r, mid, doc, ev.get(key) or [])
    if m.attribution:
        out["attribution"] = FieldSource(m.attribution, mid, doc, ev.get("attribution") or [])
    if m.confidence is not None:
        out["confidence"] = FieldSource(m.confidence, mid, doc, [])
    return out


def build_incident(
    incident_id: str,
    members: Sequence[dict[str, FieldSource]],
    mids: Sequence[str],
    docs: Sequence[str | None],
    extra_ids: Sequence[str] = (),
) -> Incident:
    """The incident of its mentions' field sources (one dict per mention, sorted by
    mention id; ``mids`` and ``docs`` are their ids and documents).

    Record values (a ``DateSpan``, a ``Range``) are shared with the sources, not copied:
    records are values here, never changed in place.
    """
    if len(members) == 1:
        fields = {name: [fs] for name, fs in members[0].items()}
    else:
        found: dict[str, list[FieldSource]] = {}
        for sources in members:
            for name, fs in sources.items():
                have = found.get(name)
                if have is None:
                    found[name] = [fs]
                else:
                    have.append(fs)
        fields = {name: found[name] for name in _NAMES if name in found}
    conflicts: list[str] = []
    got: dict[str, object] = {}
    for name, sources in fields.items():
        how = _RESOLVERS.get(name)
        if how is None:
            continue  # attribution, confidence: kept per source only
        if len(sources) == 1:
            single = _SINGLE[name]
            value = sources[0].value
            got[name] = value if single is _same else single(value)
        else:
            value, bad = how([s.value for s in sources])
            got[name] = value
            if bad:
                conflicts.append(name)
    g = got.get
    casualties = Casualties(
        g(_KILLED) or Range(),
        g(_INJURED) or Range(),
        g(_SERIOUS) or Range(),
        g(_MINOR) or Range(),
        g(_TBI) or Range(),
    )
    confidence = 0.5
    said = fields.get("confidence")
    if said:
        doubt = 1  # corroboration: 1 - prod(1 - c), as math.prod multiplies, in order
        for s in said:
            doubt *= 1.0 - min(max(float(s.value), 0.0), 1.0)
        confidence = round(min(1.0 - doubt, 0.99), 3)
    if len(docs) == 1:
        doc_ids = [] if docs[0] is None else [docs[0]]
    else:
        doc_ids = sorted({d for d in docs if d is not None})
    return Incident(
        id=incident_id,
        date=g("date") or DateSpan(),
        place=g("place") or Place(),
        attack_modes=g("attack_modes") or [],
        weapons=g("weapons") or [],
        payload_kg=g("payload_kg") or Range(),
        attacker=g("attacker"),
        target=g("target"),
        outcome=g("outcome") or [],
        casualties=casualties,
        mention_ids=sorted({*mids, *extra_ids}) if extra_ids else list(mids),
        document_ids=doc_ids,
        fields=fields,
        conflicts=conflicts,
        confidence=confidence,
    )


def _single_modes(modes: list[str]) -> list[str]:
    if len(modes) == 1 or not any(m in rules.GENERIC_MODES for m in modes):
        return list(modes)
    return _resolve_modes([modes])[0]


def _single_outcome(outcome: list[str]) -> list[str]:
    return _resolve_outcome([outcome])[0] if len(outcome) > 1 else list(outcome)


# -- one field each ---------------------------------------------------------------------


def _bounds(d: DateSpan) -> tuple[int, int]:
    lo = d.start.toordinal()
    hi = d.end.toordinal() if d.end is not None and d.end >= d.start else lo
    return lo, hi


def _resolve_date(spans: list[DateSpan]) -> tuple[DateSpan, bool]:
    if not spans:
        return DateSpan(), False
    bounds = [_bounds(d) for d in spans]
    lo = max(b[0] for b in bounds)
    hi = min(b[1] for b in bounds)
    if lo <= hi:
        for d, b in zip(spans, bounds, strict=True):
            if b == (lo, hi):
                return _copy_span(d), False
    # the most precise source: narrowest span, then finest precision, then first
    best = min(
        range(len(spans)),
        key=lambda i: (
            bounds[i][1] - bounds[i][0],
            rules.DATE_RANK.get(spans[i].precision or "day", 9),
            i,
        ),
    )
    if lo > hi:
        return _copy_span(spans[best]), True
    start, end = Date.fromordinal(lo), Date.fromordinal(hi)
    precision = "day" if hi - lo <= rules.EXACT_SPAN_DAYS else spans[best].precision
    return DateSpan(start, end if end != start else None, precision), False


def _copy_span(d: DateSpan) -> DateSpan:
    return DateSpan(d.start, d.end, d.precision)


def _resolve_place(places: list[Place]) -> tuple[Place, bool]:
    if not places:
        return Place(), False
    ranks = [place_rank(p) for p in places]
    keys = [_name_key(p.name) for p in places]
    best_rank = min(ranks)
    # disagreement: two sources equally specific (and naming a place) with different names
    named: dict[int, str] = {}  # rank -> the first name seen at that rank
    conflict = False
    for r, k in zip(ranks, keys, strict=True):
        if k is not None and named.setdefault(r, k) != k:
            conflict = True
            break
    countries = {p.country.upper() for p in places if p.country}
    conflict = conflict or len(countries) > 1
    # the most frequent name among the most specific sources, ties to the first
    counts: dict[str | None, int] = {}
    for r, k in zip(ranks, keys, strict=True):
        if r == best_rank:
            counts[k] = counts.get(k, 0) + 1
    top, most = -1, 0
    for i, r in enumerate(ranks):
        if r == best_rank and counts[keys[i]] > most:
            top, most = i, counts[keys[i]]
    chosen = places[top]
    out = Place(
        chosen.name, chosen.country, chosen.admin1, chosen.lat, chosen.lon, chosen.precision
    )
    for p, k in zip(places, keys, strict=True):
        if k != keys[top]:
            continue
        if out.lat is None and p.lat is not None and p.lon is not None:
            out.lat, out.lon = p.lat, p.lon
        if out.admin1 is None and p.admin1:
            out.admin1 = p.admin1
        if out.country is None and p.country:
            out.country = p.country
    if out.country is None and len(countries) == 1:
        out.country = next(iter(countries))
    return out, conflict


@lru_cache(maxsize=1 << 14)
def _name_key(name: str | None) -> str | None:
    return (norm_key(name) or name.strip().lower()) if name else None


def _resolve_modes(mode_lists: list[list[str]]) -> tuple[list[str], bool]:
    union = {m for ms in mode_lists for m in ms}
    keep = set()
    for m in union:
        if m in rules.GENERIC_MODES:
            fam = rules.GENERIC_MODES[m]
            if fam is None and len(union) > 1:
                continue  # "other" beside a named mode
            if fam is not None and any(x != m and rules.family(x) == fam for x in union):
                continue  # "indirect fire" beside "rocket"
        keep.add(m)
    ordered = sorted(keep, key=_mode_order) if len(keep) > 1 else list(keep)
    # conflict: two sources whose specific modes neither contain the other
    specific: list[frozenset[str]] = []
    for ms in mode_lists:
        got = _specific_modes(tuple(ms))
        if got and got not in specific:
            specific.append(got)
    conflict = any(
        not (a <= b or b <= a) for i, a in enumerate(specific) for b in specific[i + 1 :]
    )
    return ordered, conflict


def _mode_order(m: str) -> tuple[int, str]:
    return rules.MODE_ORDER.get(m, len(rules.MODE_ORDER)), m


@lru_cache(maxsize=1 << 10)
def _specific_modes(modes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(m for m in modes if m not in rules.GENERIC_MODES)


def _union_text(lists: list[list[str]]) -> list[str]:
    seen: dict[str, str] = {}
    for words in lists:
        for w in words:
            seen.setdefault(w.casefold(), w)
    return list(seen.values())


def _resolve_range(ranges: list[Range]) -> tuple[Range, bool]:
    if not ranges:
        return Range(), False
    mins = [r.min for r in ranges]
    maxs = [r.max for r in ranges]
    lo = None if any(v is None for v in mins) else min(mins)
    hi = None if any(v is None for v in maxs) else max(maxs)
    distinct = {(r.min, r.max) for r in ranges}
    return Range(lo, hi), len(distinct) > 1


def _resolve_actor(actors: list[ActorRef]) -> tuple[ActorRef | None, bool]:
    if not actors:
        return None, False
    keys = [actor_key(a) for a in actors]
    counts: dict[str, int] = {}  # in order of first appearance
    for k in keys:
        if k is not None:
            counts[k] = counts.get(k, 0) + 1
    if not counts:
        a = actors[0]
        return ActorRef(a.id, a.name, a.kind), False
    # the most frequent, ties to the first to appear
    top, most = None, 0
    for k, c in counts.items():
        if c > most:
            top, most = k, c
    # the fullest record of the winning actor: one with a kind, else the first
    chosen = next(
        (a for a, k in zip(actors, keys, strict=True) if k == top and a.kind),
        actors[keys.index(top)],
    )
    return ActorRef(chosen.id, chosen.name, chosen.kind), len(counts) > 1


def _resolve_outcome(lists: list[list[str]]) -> tuple[list[str], bool]:
    union = {o for os in lists for o in os}
    ordered = sorted(union, key=lambda o: (rules.OUTCOME_ORDER.get(o, 99), o))
    said = [set(os) for os in lists]
    hit, miss = rules.CONTRADICTORY_OUTCOMES
    conflict = any(a & hit for a in said) and any(b & miss for b in said)
    return ordered, conflict


def _same(value):
    return value


# field -> resolve several sources' values into (value, conflict)
_RESOLVERS = {
    "date": _resolve_date,
    "place": _resolve_place,
    "attack_modes": _resolve_modes,
    "weapons": lambda v: (_union_text(v), False),
    "payload_kg": _resolve_range,
    "attacker": _resolve_actor,
    "target": _resolve_actor,
    "outcome": _resolve_outcome,
    **{key: _resolve_range for key in _CASUALTY_KEYS},
}
# field -> the value of an incident told by one source (records shared, lists copied)
_SINGLE = {
    "date": _same,
    "place": _same,
    "attack_modes": _single_modes,
    "weapons": list,
    "payload_kg": _same,
    "attacker": _same,
    "target": _same,
    "outcome": _single_outcome,
    **{key: _same for key in _CASUALTY_KEYS},
}
