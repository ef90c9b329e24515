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
   mention without modes joins every family; one without a country meets, in the day
   blocks, every country's mentions of its days. Countries never meet, nor two
   facilities with different names.
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

A run resolves each group of countries that may meet on its own, with its own registry,
engine and blocks, freed before the next (less memory, and hotter caches, at scale):
countries never meet, except through a mention without a country in the day blocks, or
an existing incident whose mentions span several countries; such countries go together
(``_partitions``). Mention ids are given before, over the whole input; incident ids
after, in each group, from ids taken by all: the incidents, ids and order of one run.

Incremental runs (``existing`` given) rebuild the mentions of existing incidents from
their ``fields``, re-decide only what the new mentions can change (see
:mod:`sitrep.resolve.engine`) and keep every other incident as it is, the same object.
The clusters are exactly those of a full run; ids of existing incidents survive.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable
from datetime import date
from operator import attrgetter

from sitrep.model import DateSpan, FieldSource, Incident, IncidentMention, Place, content_id
from sitrep.resolve import rules
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


class _IdClash(Exception):
    """A fresh incident id met another fresh one: partitions would number differently."""


def _resolve(mentions: Iterable[IncidentMention], existing: Iterable[Incident]) -> list[Incident]:
    mentions = mentions if isinstance(mentions, list) else list(mentions)
    existing = existing if isinstance(existing, list) else list(existing)
    try:
        return _resolve_split(mentions, existing, split=True)
    except _IdClash:  # only ids crafted to collide; one partition numbers as always
        return _resolve_split(mentions, existing, split=False)


def _resolve_split(
    mentions: list[IncidentMention], existing: list[Incident], split: bool
) -> list[Incident]:
    """Resolve by partitions of countries that never meet (see :func:`_partitions`), each
    with its own registry, engine and blocks, freed before the next: the clusters, and
    the incident ids, of resolving everything at once."""
    # new mentions by country, first of each id, with their position in the input
    by_country: dict[str | None, _Batch] = {}
    new_ids: set[str] = set()
    # a mention's position in its document, for the ids of mentions without one (only
    # then: a dict over every document is slow at scale)
    positions = None if all(m.id for m in mentions) else {}
    countries: dict[str | None, str | None] = {}  # country as written -> key
    k = 0
    for m in mentions:
        mid = m.id
        if positions is not None:
            pos = positions[m.document_id] = positions.get(m.document_id, -1) + 1
            if not mid:
                mid = mention_key(m.document_id, pos, m)
        if mid in new_ids:
            continue
        new_ids.add(mid)
        p = m.place
        c = p.country if p is not None else None
        key = countries.get(c, _MISSING)
        if key is _MISSING:
            key = countries[c] = c.upper() if c else None
        got = by_country.get(key)
        if got is None:
            got = by_country[key] = _Batch()
        got.pos.append(k)
        got.mids.append(mid)
        got.ms.append(m)
        k += 1
    del positions

    # existing incidents, first of each id: their mentions, each kept or gone
    kept: list[Incident] = []
    olds: list[list[_Old]] = []  # per existing incident: its mentions
    extras: dict[str, tuple[str, ...]] = {}  # mention ids listed without provenance
    dirty: set[str] = set()  # existing incidents that lost a mention
    claimed: set[str] = set()
    seen: set[str] = set()
    for inc in existing:
        if inc.id in seen:
            continue
        seen.add(inc.id)
        kept.append(inc)
        ms, extra = members(inc)
        extras[inc.id] = tuple(e for e in extra if e not in new_ids and e not in claimed)
        claimed.update(extras[inc.id])
        entries = []
        alive = False
        for m in ms:
            mid = _mid(m)
            if mid in new_ids or mid in claimed:
                dirty.add(inc.id)  # re-extracted, or listed by two incidents
                entries.append((m, mid, True, _country(m)))
                continue
            claimed.add(mid)
            entries.append((m, mid, False, _country(m)))
            alive = True
        if not alive:
            dirty.add(inc.id)
        olds.append(entries)
    del new_ids, claimed, seen

    if split:
        parts = _partitions(by_country, olds)
    else:
        parts = {None: (list(by_country), list(range(len(kept))))}
    kept_ids = {inc.id for inc in kept}
    taken = set(kept_ids)
    clash = kept_ids if split and len(parts) > 1 else None
    days: dict[int, list[Incident]] = {}  # the incidents by day, as they are built
    for root in list(parts):
        keys, incs = parts.pop(root)
        batches = [by_country.pop(key) for key in keys if key in by_country]
        if len(batches) == 1:
            mids, ms = batches[0].mids, batches[0].ms
        else:  # several countries (or none): back in input order
            merged = sorted(x for b in batches for x in zip(b.pos, b.mids, b.ms, strict=True))
            mids, ms = [x[1] for x in merged], [x[2] for x in merged]
            del merged
        del batches
        _resolve_part(
            mids, ms, [kept[i] for i in incs], [olds[i] for i in incs], extras, dirty,
            taken, clash, days,
        )  # fmt: skip
        del mids, ms
    return _by_day_then_id(days)


_MISSING = object()
# an existing incident's mention: the mention, its id, whether it is gone, its country
_Old = tuple[IncidentMention | OldMention, str, bool, str | None]


class _Batch:
    """New mentions of one country: their positions in the input, ids and mentions."""

    __slots__ = ("pos", "mids", "ms")

    def __init__(self) -> None:
        self.pos = array("q")
        self.mids: list[str] = []
        self.ms: list[IncidentMention] = []


_NO_SPAN = DateSpan()
_SHORT = rules.SHORT_SPAN_DAYS


def _place_of(m: IncidentMention | OldMention) -> Place | None:
    return m.value("place") if isinstance(m, OldMention) else m.place


def _country(m: IncidentMention | OldMention) -> str | None:
    """A mention's country key, as ``Registry._place`` interns it."""
    p = _place_of(m)
    return p.country.upper() if p is not None and p.country else None


def _short_days(m: IncidentMention | OldMention) -> range | None:
    """The days of a mention that sits in the day blocks (a dated span up to a week)."""
    d = (m.value("date") if isinstance(m, OldMention) else m.date) or _NO_SPAN
    if d.start is None:
        return None
    lo = d.start.toordinal()
    hi = d.end.toordinal() if d.end is not None and d.end >= d.start else lo
    return range(lo, hi + 1) if hi - lo <= _SHORT else None


def _root(parent: dict, key):
    while True:
        up = parent[key]
        if up == key:
            return key
        parent[key] = key = parent[up]  # halve the path


def _partitions(
    by_country: dict[str | None, _Batch],
    olds: list[list[_Old]],
) -> dict[str | None, tuple[list[str | None], list[int]]]:
    """Countries that may meet, together: root key -> (country keys, existing incidents).

    Pairs never cross countries: the gate forbids it, and exact, month and place blocks
    are per country. Only a mention without a country that sits in the day blocks meets
    other countries (it reads, and is read by, every country's day blocks on its days;
    ``Blocks.busy`` counts its place too): its countries with a mention in the day blocks
    on one of its days go with it. An existing incident's countries (of every mention it
    had, gone ones too: they re-decide their neighbours) go together.
    """
    parent: dict[str | None, str | None] = {}

    def add(key: str | None) -> None:
        if key not in parent:
            parent[key] = key

    def union(a: str | None, b: str | None) -> None:
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            parent[rb] = ra

    for key in by_country:
        add(key)
    for entries in olds:
        keys = [e[3] for e in entries]
        for key in keys:
            add(key)
        for key in keys[1:]:
            union(keys[0], key)
    # mentions without a country in the day blocks: the countries they meet
    stateless: set[int] = set()
    for m in by_country[None].ms if None in by_country else ():
        days = _short_days(m)
        if days is not None:
            stateless.update(days)
    for entries in olds:
        for m, _, _, key in entries:
            if key is None:
                days = _short_days(m)
                if days is not None:
                    stateless.update(days)
    if stateless:
        for key, batch in by_country.items():
            if key is not None and _root(parent, key) != _root(parent, None):
                for m in batch.ms:
                    days = _short_days(m)
                    if days is not None and not stateless.isdisjoint(days):
                        union(None, key)
                        break
        for entries in olds:
            for m, _, _, key in entries:
                if key is not None:
                    days = _short_days(m)
                    if days is not None and not stateless.isdisjoint(days):
                        union(None, key)
    parts: dict[str | None, tuple[list[str | None], list[int]]] = {}
    for key in parent:
        root = _root(parent, key)
        got = parts.get(root)
        if got is None:
            got = parts[root] = ([], [])
        got[0].append(key)
    for i, entries in enumerate(olds):
        parts[_root(parent, entries[0][3])][1].append(i)
    return parts


def _resolve_part(
    new_mids: list[str],
    new_ms: list[IncidentMention],
    kept: list[Incident],
    olds: list[list[_Old]],
    extras: dict[str, tuple[str, ...]],
    dirty: set[str],
    taken: set[str],
    clash: set[str] | None,
    days: dict[int, list[Incident]],
) -> None:
    """The incidents of one partition, filed in ``days`` (see :func:`_file`): its new mentions (in input order) and its existing
    incidents (``olds``: each one's mentions, and whether each is gone). ``taken``: the ids
    given so far, every partition's; ``clash``: the existing ids, when fresh ids must not
    meet each other (see :func:`_fresh_id`)."""
    reg = Registry()
    nodes: list[Node] = []
    groups: dict[str, list[int]] = {}  # existing incident id -> its nodes
    gone: list[Node] = []  # the mentions existing incidents lost
    for inc, entries in zip(kept, olds, strict=True):
        group = groups[inc.id] = []
        for m, mid, lost, _ in entries:
            if lost:
                gone.append(reg.node(m, -1, mid))
                continue
            n = reg.node(m, len(nodes), mid)
            n.incident = inc.id
            nodes.append(n)
            group.append(n.idx)
    first_new = len(nodes)
    for mid, m in zip(new_mids, new_ms, strict=True):
        nodes.append(reg.node(m, len(nodes), mid))
    if not nodes:
        return

    engine = Engine(reg, nodes)
    if kept:
        engine.adopt(groups.values())
        founders = {inc_id: engine.label[g[0]] for inc_id, g in groups.items() if g}
        engine.run_incremental(
            list(range(first_new, len(nodes))),
            [i for inc_id in dirty if inc_id in groups for i in groups[inc_id]],
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
    del engine, groups, slots, reg, gone

    reusable = {inc.id for inc in kept} - {inc.id for inc in unchanged}
    for inc in unchanged:
        _file(days, inc)
    for cluster in clusters:
        mids = [nodes[i].mid for i in cluster]
        sources = [_sources(nodes[i]) for i in cluster]
        olds_ = [nodes[i].incident for i in cluster if nodes[i].incident is not None]
        extra: list[str] = []
        inc_id = None
        if olds_:
            counts: dict[str, int] = {}
            for o in olds_:
                counts[o] = counts.get(o, 0) + 1
            for o in sorted(counts, key=lambda o: (-counts[o], olds_.index(o))):
                if o in reusable:
                    inc_id = o
                    reusable.discard(o)
                    break
            for o in dict.fromkeys(olds_):
                extra.extend(extras.get(o, ()))
                extras[o] = ()
        if inc_id is None:
            inc_id = _fresh_id(mids[0], taken, clash)
        taken.add(inc_id)
        _file(days, build_incident(inc_id, sources, mids, [nodes[i].doc for i in cluster], extra))


def _sources(n: Node) -> dict[str, FieldSource]:
    if isinstance(n.source, OldMention):
        return n.source.sources()
    return mention_fields(n.source, n.mid)


_ID = attrgetter("id")
_UNDATED = date.max.toordinal() + 1


def _day(inc: Incident) -> int:
    start = inc.date.start if inc.date is not None else None
    return _UNDATED if start is None else start.toordinal()


def _file(days: dict[int, list[Incident]], inc: Incident) -> None:
    """File an incident under its day (while it is at hand: not in a pass over them all)."""
    day = _day(inc)
    got = days.get(day)
    if got is None:
        days[day] = [inc]
    else:
        got.append(inc)


def _by_day_then_id(days: dict[int, list[Incident]]) -> list[Incident]:
    """Incidents filed by day (see :func:`_file`) by date (undated last), then id: each
    day sorted by id (small sorts instead of one over every incident; ties keep their
    order)."""
    out: list[Incident] = []
    for day in sorted(days):
        got = days[day]
        if len(got) > 1:
            got.sort(key=_ID)
        out.extend(got)
    return out


def _fresh_id(first_mid: str, taken: set[str], clash: set[str] | None = None) -> str:
    """``content_id`` of a cluster's first mention id, numbered past the ids taken.

    With ``clash`` (the existing ids, when partitions are numbered one after another):
    meeting a taken id that is not one of them means meeting another fresh id, whose
    cluster may come later in the id order of a single run; ``_IdClash`` then.
    """
    inc_id = content_id(first_mid)
    k = 1
    while inc_id in taken:  # a split incident whose first mention named the old one
        if clash is not None and inc_id not in clash:
            raise _IdClash(inc_id)
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
