"""Incident mentions from many documents become incidents.

How a run goes (every step is sort + dict, never all pairs):

1. Each mention becomes a :class:`~sitrep.resolve.nodes.Node` of one of three kinds:
   *exact* (a day, or an overnight two-day span, at a named facility), *loose* (any other
   dated mention: a city or a province on a day, a facility in a week or a month) and
   *undated*.
2. Blocks (:mod:`sitrep.resolve.blocks`). Exact mentions are compared within (country,
   facility, day). Loose mentions with a span up to a week are compared with the dated
   mentions of the same (country, day, mode family) whose place may be theirs (same name,
   within 25 km, or the province or country around it); loose mentions over a longer
   span (a month, a year) with the mentions naming the same place in the same months. A
   mention without modes joins every family; one without a country meets only others
   without one. Countries never meet, nor two facilities with different names.
3. Exact pairs scoring at least ``MATCH_THRESHOLD`` (:func:`match_score`) merge, best
   first, by union-find, so chains merge; two clusters never merge when any two of their
   mentions fail the gate (same document, days that do not meet ...).
4. Loose mentions, most precise first, join the one cluster they match; when they match
   two or more they stay apart (a town-level report on a day with two attacks near the
   town could be either), and so does a province- or country-level report on a busy day
   (mentions of its kind at more than ``rules.BUSY_PLACES`` places of its country).
5. An undated mention naming a facility or city joins the one incident of its place
   (same country and name, modes that meet); when the place has several incidents it
   stays alone: nothing tells which. Undated mentions never merge with each other.

Incremental runs (``existing`` given) rebuild the mentions of existing incidents from
their ``fields``, re-decide only what the new mentions can change (see
:mod:`sitrep.resolve.engine`) and keep every other incident as it is, the same object.
The clusters are exactly those of a full run; ids of existing incidents survive.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import date
from operator import attrgetter

from sitrep.model import FieldSource, Incident, IncidentMention, content_id
from sitrep.resolve.engine import Engine
from sitrep.resolve.existing import OldMention, members
from sitrep.resolve.merge import build_incident, mention_fields
from sitrep.resolve.nodes import Node, Registry, gate, pair_score


def mention_key(doc_id: str | None, pos: int, m: IncidentMention) -> str:
    """A mention's id: its own, else the content id the store gives it (document, position
    among that document's mentions, date, place, modes)."""
    return m.id or content_id(doc_id, "mention", pos, m.date.start, m.place.name, m.attack_modes)


def resolve_incidents(
    mentions: Iterable[IncidentMention], existing: Iterable[Incident] = ()
) -> list[Incident]:
    """Resolve incident mentions into incidents, joining ``existing`` ones incrementally.

    New mentions join existing incidents when they match and found new ones otherwise;
    existing incidents that no new mention touches come back unchanged (the same objects).
    A new incident's id is ``content_id`` of its first mention id (sorted); an incident
    that holds mentions of an existing one keeps that one's id. A mention whose id an
    existing incident already holds replaces the old version (re-extraction). Mentions
    without an id get the store's (see :func:`mention_key`). Returns every incident,
    by date (undated last), then id.
    """
    # Resolution allocates millions of small acyclic objects: the cyclic collector would
    # walk them again and again (half the run time) and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _resolve(mentions, existing)
    finally:
        if collecting:
            gc.enable()


def _resolve(mentions: Iterable[IncidentMention], existing: Iterable[Incident]) -> list[Incident]:
    reg = Registry()
    nodes: list[Node] = []
    new_ms: list[tuple[str, IncidentMention]] = []
    new_ids: set[str] = set()
    positions: dict[str | None, int] = {}
    for m in mentions:
        pos = positions[m.document_id] = positions.get(m.document_id, -1) + 1
        mid = m.id or mention_key(m.document_id, pos, m)
        if mid not in new_ids:
            new_ids.add(mid)
            new_ms.append((mid, m))

    kept: list[Incident] = []  # existing incidents, first of each id
    groups: dict[str, list[int]] = {}  # existing incident id -> its nodes
    extras: dict[str, tuple[str, ...]] = {}  # mention ids listed without provenance
    dirty: set[str] = set()  # existing incidents that lost a mention
    gone: list[Node] = []  # the mentions they lost
    claimed: set[str] = set()
    for inc in existing:
        if inc.id in groups:
            continue
        kept.append(inc)
        ms, extra = members(inc)
        extras[inc.id] = tuple(e for e in extra if e not in new_ids and e not in claimed)
        claimed.update(extras[inc.id])
        group = groups[inc.id] = []
        for m in ms:
            mid = _mid(m)
            if mid in new_ids or mid in claimed:
                dirty.add(inc.id)  # re-extracted, or listed by two incidents
                gone.append(reg.node(m, -1, mid))
                continue
            claimed.add(mid)
            n = reg.node(m, len(nodes), mid)
            n.incident = inc.id
            nodes.append(n)
            group.append(n.idx)
        if not group:
            dirty.add(inc.id)
    first_new = len(nodes)
    for mid, m in new_ms:
        nodes.append(reg.node(m, len(nodes), mid))
    if not nodes:
        return []

    engine = Engine(reg, nodes)
    if kept:
        engine.adopt(groups.values())
        founders = {inc_id: engine.label[g[0]] for inc_id, g in groups.items() if g}
        engine.run_incremental(
            list(range(first_new, len(nodes))),
            [i for inc_id in dirty for i in groups[inc_id]],
            gone,
        )
        rebuild = [lab for lab in engine.changed if lab in engine.members]
        unchanged = [
            inc
            for inc in kept
            if inc.id not in dirty and founders.get(inc.id) not in engine.changed
        ]
    else:
        engine.run_full()
        rebuild = list(engine.members)
        unchanged = []
    # clusters by their first mention's id: a slot per id rank, no sort of them all
    order = engine.order
    slots: list[list[int] | None] = [None] * len(nodes)
    for lab in rebuild:
        group = engine.members[lab]
        if len(group) > 1:
            group = sorted(group, key=order.__getitem__)
        slots[order[group[0]]] = group
    clusters = [g for g in slots if g is not None]
    del engine, groups, slots

    taken: set[str] = {inc.id for inc in kept}
    reusable = {inc.id for inc in kept} - {inc.id for inc in unchanged}
    out: list[Incident] = list(unchanged)
    for cluster in clusters:
        mids = [nodes[i].mid for i in cluster]
        sources = [_sources(nodes[i]) for i in cluster]
        olds = [nodes[i].incident for i in cluster if nodes[i].incident is not None]
        extra: list[str] = []
        inc_id = None
        if olds:
            counts: dict[str, int] = {}
            for o in olds:
                counts[o] = counts.get(o, 0) + 1
            for o in sorted(counts, key=lambda o: (-counts[o], olds.index(o))):
                if o in reusable:
                    inc_id = o
                    reusable.discard(o)
                    break
            for o in dict.fromkeys(olds):
                extra.extend(extras.get(o, ()))
                extras[o] = ()
        if inc_id is None:
            inc_id = _fresh_id(mids[0], taken)
        taken.add(inc_id)
        out.append(build_incident(inc_id, sources, mids, [nodes[i].doc for i in cluster], extra))
    return _by_day_then_id(out)


def _sources(n: Node) -> dict[str, FieldSource]:
    if isinstance(n.source, OldMention):
        return n.source.sources()
    return mention_fields(n.source, n.mid)


_ID = attrgetter("id")
_UNDATED = date.max.toordinal() + 1


def _day(inc: Incident) -> int:
    start = inc.date.start if inc.date is not None else None
    return _UNDATED if start is None else start.toordinal()


def _by_day_then_id(incidents: list[Incident]) -> list[Incident]:
    """Incidents by date (undated last), then id: a bucket per day, each sorted by id
    (small sorts instead of one over every incident; ties keep their order)."""
    days: dict[int, list[Incident]] = {}
    for inc in incidents:
        day = _day(inc)
        got = days.get(day)
        if got is None:
            days[day] = [inc]
        else:
            got.append(inc)
    out: list[Incident] = []
    for day in sorted(days):
        got = days[day]
        if len(got) > 1:
            got.sort(key=_ID)
        out.extend(got)
    return out


def _fresh_id(first_mid: str, taken: set[str]) -> str:
    inc_id = content_id(first_mid)
    k = 1
    while inc_id in taken:  # a split incident whose first mention named the old one
        inc_id = content_id(first_mid, k)
        k += 1
    return inc_id


def match_score(a: IncidentMention | Incident, b: IncidentMention) -> float:
    """How well mention ``b`` matches mention or incident ``a``, 0..1; they are one attack
    when this reaches ``MATCH_THRESHOLD`` (0.70).

    0.0 when a hard rule forbids the match: the same document, different countries, dates
    that do not meet, two different facilities or places over 25 km apart, mode families
    that do not meet. Against an incident: the best score over its mentions, 0.0 when any
    of them forbids it.
    """
    reg = Registry()
    ms = members(a)[0] if isinstance(a, Incident) else [a]
    xs = [reg.node(m, i, _mid(m) or f"a{i}") for i, m in enumerate(ms)]
    y = reg.node(b, len(xs), b.id or "b")
    if (
        isinstance(a, Incident)
        and b.document_id is not None
        and b.document_id in (a.document_ids or ())
    ):
        return 0.0
    if not all(gate(reg, x, y) for x in xs):
        return 0.0
    return max(pair_score(reg, x, y) for x in xs)


def _mid(m: IncidentMention | OldMention) -> str | None:
    return m.mid if isinstance(m, OldMention) else m.id


def incident_changes(
    existing: Iterable[Incident], resolved: list[Incident]
) -> tuple[list[Incident], list[str]]:
    """What an incremental run changed: the incidents to write (new or rebuilt) and the ids
    of existing incidents that are gone. Unchanged incidents are the objects passed in."""
    before = {id(inc): inc.id for inc in existing}
    ids_before = set(before.values())
    changed = [inc for inc in resolved if id(inc) not in before]
    ids_after = {inc.id for inc in resolved}
    return changed, sorted(ids_before - ids_after)
