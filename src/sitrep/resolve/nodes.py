"""Mentions as compact matching nodes, and the pairwise rules between two nodes.

A :class:`Node` holds what matching needs from one mention, normalised once: ordinal
days, a place signature, mode families, casualty ranges, actor keys. Place names,
countries and place signatures are interned per resolution run by a :class:`Registry`,
which also caches the place comparison of two signatures (there are few distinct places
and many mentions).

``gate`` says whether two mentions may be one attack at all; ``score`` how well they agree
(0..1). Both are pure functions of the two nodes, symmetric in their arguments.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from sitrep.extract.gazetteer import norm_key
from sitrep.model import ActorRef, DateSpan, IncidentMention, Place, Range
from sitrep.resolve import rules
from sitrep.resolve.existing import OldMention

EXACT, LOOSE, UNDATED = 0, 1, 2
_NO_SPAN = DateSpan()
_NO_PLACE = Place()
_FACILITY = rules.PLACE_RANK["facility"]


class Node:
    """One mention, ready to compare. ``idx`` is its position in the run's node list."""

    __slots__ = (
        "idx",
        "mid",
        "doc",
        "cid",
        "lo",
        "hi",
        "pid",
        "sid",
        "prank",
        "modes",
        "fams",
        "killed",
        "injured",
        "attacker",
        "target",
        "ship",
        "klass",
        "reach",
        "reach_far",
        "source",
        "extra_ids",
        "incident",
    )

    def __init__(self) -> None:
        self.extra_ids: tuple[str, ...] = ()
        self.incident: str | None = None  # id of the existing incident it came from

    def days(self) -> range:
        return range(self.lo, self.hi + 1)

    def months(self) -> range:
        return range(_month(self.lo), _month(self.hi) + 1)

    def __repr__(self) -> str:
        return f"<Node {self.mid} doc={self.doc} days={self.lo}..{self.hi} pid={self.pid}>"


@lru_cache(maxsize=1 << 16)
def _month(ordinal: int) -> int:
    d = date.fromordinal(ordinal)
    return d.year * 12 + d.month - 1


_ACTOR_NORM = re.compile(r"[^0-9a-z]+")


def actor_key(a: ActorRef | None) -> str | None:
    if a is None:
        return None
    if a.id:
        return a.id
    if a.name:
        prefix = (
            "vessel:" if a.is_ship else "name:"
        )  # two ships hit: two attacks, whatever else agrees
        return prefix + _ACTOR_NORM.sub(" ", a.name.lower()).strip()
    return None


def place_rank(p: Place) -> int:
    if p.name:
        return rules.PLACE_RANK.get(p.precision or "city", rules.SPECIFIC_PLACE)
    return rules.PLACE_RANK["country"] if p.country else rules.NO_PLACE_RANK


def _range(r: Range) -> tuple[float, float] | None:
    if r is None or (r.min is None and r.max is None):
        return None
    return (r.min if r.min is not None else 0.0, r.max if r.max is not None else math.inf)


class Registry:
    """Interned countries, place names and place signatures of one run, with the cached
    place comparison of two signatures."""

    def __init__(self) -> None:
        self.countries: dict[str | None, int] = {None: 0}
        self.pkeys: dict[tuple[int, str], int] = {}
        self.names: dict[str, str] = {}  # name as written -> normalised key
        self.sigs: dict[tuple, int] = {}
        # sid -> (cid, key, rank, admin1 key, lat, lon, pid, country, name as written)
        self.sig_data: list[tuple] = []
        self.sids_by_cid: dict[int, list[int]] = {}
        self._place_cache: dict[int, float] = {}
        self._near: dict[int, frozenset[int]] = {}
        self._near_points: dict[int, frozenset[int]] = {}
        self._places: dict[tuple, tuple[int, int, int, int]] = {}
        self._modes: dict[tuple, tuple[frozenset[str], frozenset[int]]] = {}
        self._days: dict[date, int] = {}  # day -> ordinal
        self._ranges: dict[tuple[float, float], tuple[float, float]] = {}
        self._reach: dict[tuple, tuple[float, float]] = {}  # see ``_reach``
        # Where ``near`` looks for the places of a point (a facility or a city with
        # coordinates), so that it never compares every pair of a country's places:
        self._cells: dict[tuple[int, int, int], list[int]] = {}  # (cid, lat cell, lon cell)
        self._named: dict[tuple[int, str], list[int]] = {}  # (cid, name key)
        self._other: dict[int, list[int]] = {}  # cid -> points without coordinates, areas

    def key(self, name: str | None) -> str | None:
        if not name:
            return None
        k = self.names.get(name)
        if k is None:
            k = self.names[name] = norm_key(name) or name.strip().lower()
        return k

    def node(self, m: IncidentMention | OldMention, idx: int, mid: str) -> Node:
        """The node of a new mention, or of a mention of an existing incident."""
        if isinstance(m, OldMention):
            return self._node(
                idx, mid, m.doc, m, m.value("date"), m.value("place"), m.value("attack_modes"),
                m.value("casualties.killed"), m.value("casualties.injured"),
                m.value("attacker"), m.value("target"),
            )  # fmt: skip
        c = m.casualties
        return self._node(
            idx, mid, m.document_id, m, m.date, m.place, m.attack_modes,
            c.killed if c else None, c.injured if c else None, m.attacker, m.target,
        )  # fmt: skip

    def _node(self, idx, mid, doc, source, d, p, modes, killed, injured, attacker, target) -> Node:
        n = Node()
        n.idx, n.mid, n.doc, n.source = idx, mid, doc, source
        d = d or _NO_SPAN
        p = p or _NO_PLACE
        place = self._places.get((p.name, p.country, p.admin1, p.lat, p.lon, p.precision))
        if place is None:
            place = self._place(p)
        n.cid, n.pid, n.sid, n.prank = place
        if d.start is not None:
            lo = self._ordinal(d.start)
            hi = self._ordinal(d.end) if d.end is not None and d.end >= d.start else lo
            n.lo, n.hi = lo, hi
            span = hi - lo
            if span <= rules.EXACT_SPAN_DAYS and (d.precision or "day") == "day":
                # a day at a facility; at a city or a province it joins only an unambiguous match
                n.klass = EXACT if n.prank == _FACILITY else LOOSE
            elif span <= rules.MAX_MONTHS * 31:
                n.klass = LOOSE
            else:
                n.klass = UNDATED
        else:
            n.lo = n.hi = None
            n.klass = UNDATED
        key = tuple(modes) if modes else ()
        got = self._modes.get(key)
        if got is None:
            fs = frozenset(key)
            got = self._modes[key] = (
                fs,
                frozenset(rules.FAMILY_IDS.get(rules.family(x), -1) for x in fs),
            )
        n.modes, n.fams = got
        # few distinct values, many nodes: shared, not one object per node
        ranges = self._ranges
        k = _range(killed)
        n.killed = k if k is None else ranges.setdefault(k, k)
        k = _range(injured)
        n.injured = k if k is None else ranges.setdefault(k, k)
        n.attacker = actor_key(attacker)
        n.target = actor_key(target)
        n.ship = n.target if is_vessel(n.target) else None  # the gate's one-attribute test
        key = (n.prank, n.pid != 0, None if n.lo is None else n.hi - n.lo)
        got = self._reach.get(key)
        if got is None:
            got = self._reach[key] = _reach(n)
        n.reach, n.reach_far = got
        return n

    def _ordinal(self, day: date) -> int:
        got = self._days.get(day)
        if got is None:
            got = self._days[day] = day.toordinal()
        return got

    def _place(self, p: Place) -> tuple[int, int, int, int]:
        """(country id, place-name id, place signature id, rank) of a place, interned."""
        country = p.country.upper() if p.country else None
        cid = self.countries.setdefault(country, len(self.countries))
        rank = place_rank(p)
        key = self.key(p.name)
        pid = 0
        if key is not None:
            pid = self.pkeys.setdefault((cid, key), len(self.pkeys) + 1)
        admin1 = self.key(p.admin1) or (key if rank == rules.PLACE_RANK["admin1"] else None)
        sig = (cid, key, rank, admin1, p.lat, p.lon, pid, country, p.name)
        sid = self.sigs.get(sig)
        if sid is None:
            sid = self.sigs[sig] = len(self.sig_data)
            self.sig_data.append(sig)
            self.sids_by_cid.setdefault(cid, []).append(sid)
            if rank <= rules.SPECIFIC_PLACE and p.lat is not None and p.lon is not None:
                cell = (cid, math.floor(p.lat / _CELL), math.floor(p.lon / _CELL))
                self._cells.setdefault(cell, []).append(sid)
            else:
                self._other.setdefault(cid, []).append(sid)
            if key is not None:
                self._named.setdefault((cid, key), []).append(sid)
            self._near.clear()  # a new place can be near old ones
            self._near_points.clear()
        out = self._places[(p.name, p.country, p.admin1, p.lat, p.lon, p.precision)] = (
            cid,
            pid,
            sid,
            rank,
        )
        return out

    # -- places --------------------------------------------------------------------------

    def place_score(self, a: int, b: int) -> float:
        """How well two place signatures agree (0..1), or -1 when they are two places."""
        key = (a << 32) | b if a < b else (b << 32) | a
        cached = self._place_cache.get(key)
        if cached is None:
            cached = self._place_cache[key] = _place_score(self.sig_data[a], self.sig_data[b])
        return cached

    def near_same_kind(self, sid: int) -> frozenset[int]:
        """``near`` restricted to places of the same kind (points, or areas)."""
        key = -1 - sid
        got = self._near.get(key)
        if got is None:
            specific = self.sig_data[sid][2] <= rules.SPECIFIC_PLACE
            got = frozenset(
                s
                for s in self.near(sid)
                if (self.sig_data[s][2] <= rules.SPECIFIC_PLACE) == specific
            )
            self._near[key] = got
        return got

    def near_points(self, sid: int) -> frozenset[int]:
        """``near`` restricted to points (facilities and cities)."""
        got = self._near_points.get(sid)
        if got is None:
            sig = self.sig_data
            got = frozenset(s for s in self.near(sid) if sig[s][2] <= rules.SPECIFIC_PLACE)
            self._near_points[sid] = got
        return got

    def near(self, sid: int) -> frozenset[int]:
        """The place signatures of the same country that may be the same place as ``sid``."""
        got = self._near.get(sid)
        if got is None:
            got = frozenset(s for s in self._near_pool(sid) if self.place_score(sid, s) >= 0)
            self._near[sid] = got
        return got

    def _near_pool(self, sid: int) -> Iterable[int]:
        """The signatures ``near`` checks: for a point with coordinates, the points in the
        cells around it, the places of the same name, the country's areas and points
        without coordinates, and the places without a country; else every place of its
        country (every place when it has none)."""
        cid, key, rank, _, lat, lon = self.sig_data[sid][:6]
        if cid == 0:  # no country: any country's places may be its own
            return range(len(self.sig_data))
        if rank > rules.SPECIFIC_PLACE or lat is None or lon is None:
            return [*self.sids_by_cid[cid], *self.sids_by_cid.get(0, ())]
        pool: set[int] = set(self._other.get(cid, ()))
        pool.update(self.sids_by_cid.get(0, ()))
        pool.update(self._named.get((cid, key), ()))
        i, j = math.floor(lat / _CELL), math.floor(lon / _CELL)
        # a cell is _CELL degrees of latitude (28 km); of longitude, less away from the
        # equator: look far enough east and west to cover CITY_KM
        width = _CELL * 111.32 * max(math.cos(math.radians(min(abs(lat) + _CELL, 89.9))), 1e-3)
        reach = math.ceil(rules.CITY_KM / width)
        cells = self._cells
        for di in (-1, 0, 1):
            for dj in range(-reach, reach + 1):
                got = cells.get((cid, i + di, j + dj))
                if got is not None:
                    pool.update(got)
        return pool


_CELL = 0.25  # degrees: a grid cell of points, for ``Registry.near``


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _tokens(key: str) -> set[str]:
    return {t for t in key.split() if t != "al"}


def _near_by_name(a: tuple, b: tuple) -> bool:
    """Two specific places without coordinates: the same place when the gazetteer says so,
    else when one name is contained in the other ("Erbil" and "Erbil Air Base")."""
    same = _external_same_place(a, b)
    if same is not None:
        return same
    ta, tb = _tokens(a[1]), _tokens(b[1])
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _external_same_place(a: tuple, b: tuple) -> bool | None:
    try:
        from sitrep.extract.places import same_place
    except ImportError:  # the places module is optional for resolution
        return None
    return bool(same_place(_as_place(a), _as_place(b)))


_RANK_NAMES = {v: k for k, v in rules.PLACE_RANK.items()}


def _as_place(sig: tuple) -> Place:
    _, _, rank, admin1, lat, lon, _, country, name = sig
    precision = _RANK_NAMES.get(rank)
    return Place(name=name, country=country, admin1=admin1, lat=lat, lon=lon, precision=precision)


def _place_score(a: tuple, b: tuple) -> float:
    if a[0] != b[0] and a[0] and b[0]:
        return -1.0  # two countries (a place without a country may be in any)
    _, ka, ra, a1a, lata, lona = a[:6]
    _, kb, rb, a1b, latb, lonb = b[:6]
    if ra == rules.NO_PLACE_RANK or rb == rules.NO_PLACE_RANK:
        return 0.4  # no place: as little as a country says
    if a1a is not None and a1b is not None and a1a != a1b:
        return -1.0  # different provinces
    specific = rules.SPECIFIC_PLACE
    if ra <= specific and rb <= specific:
        if ka == kb:
            return 1.0 if ra == rb == 0 else (0.9 if ra == rb else 0.85)
        if ra == 0 and rb == 0:
            return -1.0  # two facilities
        if None not in (lata, lona, latb, lonb):
            near = _km(lata, lona, latb, lonb) <= rules.CITY_KM
        else:
            near = _near_by_name(a, b)
        return 0.8 if near else -1.0
    if ra <= specific or rb <= specific:
        return 0.4  # a point and the province or country around it
    # two coarse places
    if ka == kb:
        return 0.5
    if ra == rb and ra < rules.PLACE_RANK["country"]:
        return -1.0  # two different provinces or districts
    return 0.3


# -- pairs ---------------------------------------------------------------------------------


def _reach(n: Node) -> tuple[float, float]:
    """The best score this node can reach with any other, and with one whose place is of
    the other kind (a point for a province or country, and the reverse): ``score`` is at
    most each node's own reach. A vague date at a vague place reaches nothing."""
    if n.prank <= rules.SPECIFIC_PLACE:
        place = 1.0
    else:
        place = 0.5 if n.pid else 0.4
    if n.lo is None:
        when = 0.3
    else:
        width = n.hi - n.lo
        if width <= rules.EXACT_SPAN_DAYS:
            when = 1.0
        elif width <= rules.SHORT_SPAN_DAYS:
            when = 0.6
        elif width <= 31:
            when = 0.4
        else:
            when = 0.2
    rest = _WD * when + _WM + _WC + _WA
    return _WP * place + rest, _WP * (
        0.4 if n.pid or n.prank <= rules.SPECIFIC_PLACE else 0.3
    ) + rest


def gate(reg: Registry, a: Node, b: Node, same_doc_ok: bool = False) -> bool:
    """Whether two mentions may be one attack: different documents, same country, dates
    that overlap, places that may be one, mode families that meet."""
    if a.doc is not None and a.doc == b.doc and not same_doc_ok:
        return False
    if a.cid != b.cid and a.cid and b.cid:
        return False
    if a.lo is not None and b.lo is not None and (a.hi < b.lo or b.hi < a.lo):
        return False
    if a.fams and b.fams and a.fams.isdisjoint(b.fams):
        return False
    return reg.place_score(a.sid, b.sid) >= 0


def _count_score(x: tuple[float, float], y: tuple[float, float]) -> float:
    if max(x[0], y[0]) <= min(x[1], y[1]):
        return 1.0
    vx = x[0] if x[0] > 0 or x[1] == math.inf else x[1]
    vy = y[0] if y[0] > 0 or y[1] == math.inf else y[1]
    if (vx == 0) != (vy == 0):
        return 0.2  # "3 killed" against "no one was killed": suspicious, not impossible
    diff = abs(vx - vy)
    return 0.7 if diff <= 2 or diff <= 0.5 * max(vx, vy) else 0.4


_WP, _WD, _WM, _WC, _WA = (
    rules.WEIGHTS[k] for k in ("place", "date", "modes", "casualties", "actors")
)
_GENERIC = frozenset(rules.GENERIC_MODES)


def score(reg: Registry, a: Node, b: Node, place: float | None = None) -> float:
    """How well two gate-passing mentions agree, 0..1 (see ``rules.MATCH_THRESHOLD``):
    the weighted mean of place, date, modes, casualties and actors agreement."""
    if place is None:
        place = reg.place_score(a.sid, b.sid)
    if place < 0:
        place = 0.0
    # date: the vaguer of the two spans says how much agreeing means
    if a.lo is None or b.lo is None:
        when = 0.3
    else:
        wa, wb = a.hi - a.lo, b.hi - b.lo
        width = wa if wa > wb else wb
        if width <= rules.EXACT_SPAN_DAYS:
            when = 1.0 if a.lo == b.lo and a.hi == b.hi else 0.9
        elif width <= rules.SHORT_SPAN_DAYS:
            when = 0.6
        elif width <= 31:
            when = 0.4
        else:
            when = 0.2
    # modes: the same, overlapping, or the same family in other words
    am, bm = a.modes, b.modes
    if not am or not bm:
        how = 0.5
    elif am == bm:
        how = 1.0
    else:
        both = am & bm
        if both:
            how = 0.6 + 0.4 * len(both) / len(am | bm)
        elif a.fams.isdisjoint(b.fams):
            how = 0.0
        elif am <= _GENERIC or bm <= _GENERIC:
            how = 0.9  # "indirect fire" and "rockets" agree
        else:
            how = 0.6  # "rockets" and "mortars" only roughly
    # casualties: the worse of killed and injured agreement; 0.8 when nothing to compare
    cas = None
    if a.killed is not None and b.killed is not None:
        cas = _count_score(a.killed, b.killed)
    if a.injured is not None and b.injured is not None:
        other = _count_score(a.injured, b.injured)
        if cas is None or other < cas:
            cas = other
    if cas is None:
        cas = 0.8
    # actors: agreement of attacker and of target; 0.7 each when one side is unknown
    x, y = a.attacker, b.attacker
    who = 0.7 if x is None or y is None else (1.0 if x == y else 0.2)
    x, y = a.target, b.target
    who += 0.7 if x is None or y is None else (1.0 if x == y else 0.2)
    total = _WP * place + _WD * when + _WM * how + _WC * cas + _WA * who / 2
    return round(total, 6)


def is_vessel(key: str | None) -> bool:
    return key is not None and key.startswith("vessel:")


def gate_score(reg: Registry, a: Node, b: Node) -> float:
    """``score`` when the gate holds, else -1: the one call hot loops make."""
    if a.doc is not None and a.doc == b.doc:
        return -1.0
    if a.cid != b.cid and a.cid and b.cid:
        return -1.0
    if a.lo is not None and b.lo is not None and (a.hi < b.lo or b.hi < a.lo):
        return -1.0
    if a.fams and b.fams and a.fams.isdisjoint(b.fams):
        return -1.0
    if a.ship is not None and b.ship is not None and a.ship != b.ship:
        return -1.0
    place = reg.place_score(a.sid, b.sid)
    if place < 0:
        return -1.0
    return score(reg, a, b, place)


def pair_score(reg: Registry, a: Node, b: Node) -> float:
    """``score`` for pairs that pass the gate, 0.0 for the others."""
    return max(gate_score(reg, a, b), 0.0)
