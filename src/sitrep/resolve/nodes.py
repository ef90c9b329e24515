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
from datetime import date

from sitrep.extract.gazetteer import norm_key
from sitrep.model import ActorRef, DateSpan, IncidentMention, Place, Range
from sitrep.resolve import rules
from sitrep.resolve.existing import OldMention

EXACT, LOOSE, UNDATED = 0, 1, 2
_NO_SPAN = DateSpan()
_NO_PLACE = Place()


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
        "klass",
        "source",
        "extra_ids",
        "incident",
    )

    def __init__(self) -> None:
        self.extra_ids: tuple[str, ...] = ()
        self.incident: str | None = None  # id of the existing incident it came from

    def days(self) -> range:
        return range(self.lo, self.hi + 1)

    def months(self) -> list[int]:
        a, b = date.fromordinal(self.lo), date.fromordinal(self.hi)
        return list(range(a.year * 12 + a.month - 1, b.year * 12 + b.month))

    def __repr__(self) -> str:
        return f"<Node {self.mid} doc={self.doc} days={self.lo}..{self.hi} pid={self.pid}>"


_ACTOR_NORM = re.compile(r"[^0-9a-z]+")


def actor_key(a: ActorRef | None) -> str | None:
    if a is None:
        return None
    if a.id:
        return a.id
    if a.name:
        return "name:" + _ACTOR_NORM.sub(" ", a.name.lower()).strip()
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
        self._place_cache: dict[tuple[int, int], float] = {}
        self._near: dict[int, frozenset[int]] = {}

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

    def _node(
        self, idx, mid, doc, source, d, p, modes, killed, injured, attacker, target
    ) -> Node:
        n = Node()
        n.idx, n.mid, n.doc, n.source = idx, mid, doc, source
        d = d or _NO_SPAN
        p = p or _NO_PLACE
        country = p.country.upper() if p.country else None
        cid = self.countries.setdefault(country, len(self.countries))
        n.cid = cid
        if d.start is not None:
            lo = d.start.toordinal()
            hi = d.end.toordinal() if d.end is not None and d.end >= d.start else lo
            n.lo, n.hi = lo, hi
            span = hi - lo
            if span <= rules.EXACT_SPAN_DAYS and (d.precision or "day") == "day":
                n.klass = EXACT
            elif span <= rules.MAX_MONTHS * 31:
                n.klass = LOOSE
            else:
                n.klass = UNDATED
        else:
            n.lo = n.hi = None
            n.klass = UNDATED
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
            self._near.clear()  # a new place can be near old ones
        n.sid, n.pid, n.prank = sid, pid, rank
        if n.klass == EXACT and rank != rules.PLACE_RANK["facility"]:
            n.klass = LOOSE  # a day at a city or a province: joins only an unambiguous match
        modes = frozenset(modes or ())
        n.modes = modes
        n.fams = frozenset(rules.FAMILY_IDS.get(rules.family(x), -1) for x in modes)
        n.killed = _range(killed)
        n.injured = _range(injured)
        n.attacker = actor_key(attacker)
        n.target = actor_key(target)
        return n

    # -- places --------------------------------------------------------------------------

    def place_score(self, a: int, b: int) -> float:
        """How well two place signatures agree (0..1), or -1 when they are two places."""
        if a > b:
            a, b = b, a
        cached = self._place_cache.get((a, b))
        if cached is None:
            cached = self._place_cache[(a, b)] = _place_score(self.sig_data[a], self.sig_data[b])
        return cached

    def near(self, sid: int) -> frozenset[int]:
        """The place signatures of the same country that may be the same place as ``sid``."""
        got = self._near.get(sid)
        if got is None:
            cid = self.sig_data[sid][0]
            got = frozenset(s for s in self.sids_by_cid[cid] if self.place_score(sid, s) >= 0)
            self._near[sid] = got
        return got


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
    if a[0] != b[0]:
        return -1.0
    _, ka, ra, a1a, lata, lona = a[:6]
    _, kb, rb, a1b, latb, lonb = b[:6]
    if ra == rules.NO_PLACE_RANK or rb == rules.NO_PLACE_RANK:
        return 0.3
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


def gate(reg: Registry, a: Node, b: Node, same_doc_ok: bool = False) -> bool:
    """Whether two mentions may be one attack: different documents, same country, dates
    that overlap, places that may be one, mode families that meet."""
    if a.doc is not None and a.doc == b.doc and not same_doc_ok:
        return False
    if a.cid != b.cid:
        return False
    if a.lo is not None and b.lo is not None and (a.hi < b.lo or b.hi < a.lo):
        return False
    if a.fams and b.fams and a.fams.isdisjoint(b.fams):
        return False
    return reg.place_score(a.sid, b.sid) >= 0


def _date_score(a: Node, b: Node) -> float:
    if a.lo is None or b.lo is None:
        return 0.3
    width = max(a.hi - a.lo, b.hi - b.lo)
    if width <= rules.EXACT_SPAN_DAYS:
        return 1.0 if (a.lo, a.hi) == (b.lo, b.hi) else 0.9
    if width <= rules.SHORT_SPAN_DAYS:
        return 0.6
    if width <= 31:
        return 0.4
    return 0.2


def _specific(modes: frozenset[str]) -> frozenset[str]:
    return frozenset(m for m in modes if m not in rules.GENERIC_MODES)


def _mode_score(a: Node, b: Node) -> float:
    if not a.modes or not b.modes:
        return 0.5
    if a.modes == b.modes:
        return 1.0
    both = a.modes & b.modes
    if both:
        return 0.6 + 0.4 * len(both) / len(a.modes | b.modes)
    if a.fams.isdisjoint(b.fams):
        return 0.0
    # same family, different words: "indirect fire" and "rockets" agree, "rockets" and
    # "mortars" only roughly
    return 0.9 if not _specific(a.modes) or not _specific(b.modes) else 0.6


def _count_score(x: tuple[float, float] | None, y: tuple[float, float] | None) -> float | None:
    if x is None or y is None:
        return None
    if max(x[0], y[0]) <= min(x[1], y[1]):
        return 1.0
    vx = x[0] if x[0] > 0 or x[1] == math.inf else x[1]
    vy = y[0] if y[0] > 0 or y[1] == math.inf else y[1]
    if (vx == 0) != (vy == 0):
        return 0.2  # "3 killed" against "no one was killed": suspicious, not impossible
    diff = abs(vx - vy)
    return 0.7 if diff <= 2 or diff <= 0.5 * max(vx, vy) else 0.4


def _casualty_score(a: Node, b: Node) -> float:
    parts = [s for s in (_count_score(a.killed, b.killed), _count_score(a.injured, b.injured)) if s is not None]
    return min(parts) if parts else 0.8


def _actor_score(a: Node, b: Node) -> float:
    def one(x: str | None, y: str | None) -> float:
        if x is None or y is None:
            return 0.7
        return 1.0 if x == y else 0.2

    return (one(a.attacker, b.attacker) + one(a.target, b.target)) / 2


_W = rules.WEIGHTS


def score(reg: Registry, a: Node, b: Node) -> float:
    """How well two gate-passing mentions agree, 0..1 (see ``rules.MATCH_THRESHOLD``)."""
    place = max(reg.place_score(a.sid, b.sid), 0.0)
    total = (
        _W["place"] * place
        + _W["date"] * _date_score(a, b)
        + _W["modes"] * _mode_score(a, b)
        + _W["casualties"] * _casualty_score(a, b)
        + _W["actors"] * _actor_score(a, b)
    )
    return round(total, 6)


def pair_score(reg: Registry, a: Node, b: Node) -> float:
    """``score`` for pairs that pass the gate, 0.0 for the others."""
    return score(reg, a, b) if gate(reg, a, b) else 0.0
