"""Blocking: which mentions are ever compared. Sort + dict, never all pairs.

- exact mentions (a day at a facility) meet in (country, facility name), by day;
- dated mentions over at most a week sit in (country, day, mode family) blocks, split by
  place signature, so that a loose mention reads only the places that may be its own
  (``Registry.near``); an exact one reads them only for the loose mentions there;
- dated mentions naming a facility or city also sit in (country, place, month, mode
  family), where mentions dated to a month or a year meet everything at their place in
  their months whose modes may be theirs;
- (country, place) lists the dated and the undated mentions of each named place.

A mention without modes goes to the "any" family, which every family reads; a mention
without a country has country id 0: in the day blocks it reads every country's blocks of
its days, and every country reads its blocks; elsewhere it meets only mentions without a
country.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sitrep.resolve import rules
from sitrep.resolve.nodes import EXACT, UNDATED, Node, Registry

_SPECIFIC = rules.SPECIFIC_PLACE
THRESHOLD = rules.MATCH_THRESHOLD
_SHORT = rules.SHORT_SPAN_DAYS


class Blocks:
    """The blocks of one run, over every node (old and new). Lists in the day and month
    blocks are sorted by ``sigma`` (exact nodes first, then loose ones in the order they
    are decided), so "the nodes placed before this one" is a prefix."""

    def __init__(self, reg: Registry, nodes: list[Node], sigma: list[int], loose_order: list[int]):
        self.reg = reg
        self.nodes = nodes
        self.sigma = sigma
        # (cid, pid) -> day -> exact nodes (pairs never leave a place: clustered per place)
        self.egroups: dict[tuple, dict[int, list[int]]] = {}
        # (cid, day) -> mode family -> place signature -> nodes
        self.dblocks: dict[tuple, dict[int, dict[int, list[int]]]] = {}
        # (cid, pid) -> month -> mode family -> dated nodes at a named place
        self.pmonth: dict[tuple, dict[int, dict[int, list[int]]]] = {}
        self.dgroup: dict[tuple, list[int]] = {}  # (cid, pid) -> dated nodes at a named place
        self.ugroup: dict[tuple, list[int]] = {}  # (cid, pid) -> undated nodes at a named place
        self.day_cids: dict[int, set[int]] = {}  # day -> countries with short dated nodes
        self.stateless = False  # whether any short dated node has no country
        self._wanted: dict[frozenset[int], tuple[int, ...]] = {}  # families -> families read
        # Added in sigma order (exact nodes by index, then loose ones as they are decided),
        # so every list comes out sorted by sigma without sorting any.
        add = self._add
        for n in nodes:
            if n.klass == EXACT:
                add(n)
        for i in loose_order:
            add(nodes[i])
        for n in nodes:
            if n.klass == UNDATED:
                add(n)

    def _add(self, n: Node) -> None:
        i, cid, pid = n.idx, n.cid, n.pid
        named = pid and n.prank <= _SPECIFIC
        if n.klass == UNDATED:
            if named:
                _append(self.ugroup, (cid, pid), i)
            return
        lo, hi = n.lo, n.hi
        if n.klass == EXACT:
            days = self.egroups.get((cid, pid))
            if days is None:
                days = self.egroups[(cid, pid)] = {}
            for day in range(lo, hi + 1):
                _append(days, day, i)
        if hi - lo <= _SHORT:
            dblocks, sid = self.dblocks, n.sid
            for day in range(lo, hi + 1):
                families = dblocks.get((cid, day))
                if families is None:
                    families = dblocks[(cid, day)] = {}
                    self.day_cids.setdefault(day, set()).add(cid)
                    if not cid:
                        self.stateless = True
                for fam in n.fams or (rules.ANY_FAMILY,):
                    block = families.get(fam)
                    if block is None:
                        block = families[fam] = {}
                    _append(block, sid, i)
        if named:
            key = (cid, pid)
            _append(self.dgroup, key, i)
            months = self.pmonth.get(key)
            if months is None:
                months = self.pmonth[key] = {}
            for month in n.months():
                families = months.get(month)
                if families is None:
                    families = months[month] = {}
                for fam in n.fams or (rules.ANY_FAMILY,):
                    _append(families, fam, i)

    def _near(self, n: Node, wide: bool = False) -> frozenset[int]:
        """The place signatures a short dated node reads (``wide``: of either kind)."""
        reg = self.reg
        if wide or n.reach_far >= THRESHOLD:
            return reg.near(n.sid)
        return reg.near_same_kind(n.sid)

    def _day_blocks(self, n: Node) -> Iterator[dict[int, list[int]]]:
        """The day blocks (place signature -> nodes) a short dated node reads, lazily (a
        reader often stops early): its days, in its country and without one (without one:
        every country), its families and the mentions without modes (without modes: every
        family)."""
        cid, dblocks = n.cid, self.dblocks
        wanted = self._families(n.fams)
        countries = ((cid, 0) if self.stateless else (cid,)) if cid else None
        for day in range(n.lo, n.hi + 1):
            for c in countries or sorted(self.day_cids.get(day, ())):
                families = dblocks.get((c, day))
                if families is None:
                    continue
                if wanted:
                    for f in wanted:
                        block = families.get(f)
                        if block is not None:
                            yield block
                else:
                    yield from families.values()

    def _families(self, fams: frozenset[int]) -> tuple[int, ...]:
        """The family blocks a node reads: its families and the one of mentions without
        modes; none (meaning every family) for a node without modes."""
        if not fams:
            return ()
        got = self._wanted.get(fams)
        if got is None:
            got = self._wanted[fams] = (*fams, rules.ANY_FAMILY)
        return got

    def _day_lists(self, n: Node, near: frozenset[int]) -> Iterator[list[int]]:
        """The lists of the day blocks a short dated node reads, of the places in
        ``near``."""
        for block in self._day_blocks(n):
            if len(near) < len(block):
                for sid in near:
                    lst = block.get(sid)
                    if lst is not None:
                        yield lst
            else:
                for sid, lst in block.items():
                    if sid in near:
                        yield lst

    def busy(self, n: Node) -> bool:
        """A mention without a specific place on a busy day (``rules.BUSY_PLACES``): it
        depends only on which mentions exist, never on how they were resolved."""
        if n.prank <= _SPECIFIC or n.hi - n.lo > _SHORT:
            return False
        # only the points count: stop at the first one over the limit (on a busy day that
        # is after a few blocks, whatever the number of mentions)
        near = self.reg.near_points(n.sid)
        places: set[int] = set()
        for block in self._day_blocks(n):
            places.update(near.intersection(block))
            if len(places) > rules.BUSY_PLACES:
                return True
        return False

    def busy_readers(self, n: Node) -> list[int]:
        """The loose mentions without a specific place whose ``busy`` may change when
        ``n`` comes or goes (those that read a block ``n`` sits in)."""
        if n.lo is None or n.hi - n.lo > _SHORT:
            return []
        out = []
        nodes = self.nodes
        for lst in self._day_lists(n, self._near(n, wide=True)):
            for j in lst:
                y = nodes[j]
                if y.prank > _SPECIFIC and y.klass != EXACT:
                    out.append(j)
        return out

    def _month_lists(self, n: Node) -> list[list[int]]:
        """The month-block lists of a dated node at a named place: its months, its
        families and the mentions without modes (without modes: every family)."""
        if not (n.pid and n.prank <= _SPECIFIC):
            return []
        months = self.pmonth.get((n.cid, n.pid))
        if months is None:
            return []
        wanted = self._families(n.fams)
        out: list[list[int]] = []
        for month in n.months():
            families = months.get(month)
            if families is None:
                continue
            if wanted:
                for f in wanted:
                    lst = families.get(f)
                    if lst is not None:
                        out.append(lst)
            else:
                out.extend(families.values())
        return out

    def before(self, n: Node) -> Iterable[list[int]]:
        """The lists of dated nodes a loose node is compared with, lazily, each sorted by
        ``sigma`` (so the nodes placed before it are a prefix of each; a node may be in
        several): for a span up to a week the day blocks, for a longer span the month
        blocks of its place (a short node is always placed before a long one)."""
        if n.hi - n.lo <= _SHORT:
            return self._day_lists(n, self._near(n))
        return self._month_lists(n)

    def after(self, n: Node, s: int) -> list[int]:
        """The loose nodes after ``s`` that compare with dated node ``n`` when they are
        decided (possibly repeated; ``n`` itself included when it is one of them)."""
        sigma = self.sigma
        out: list[int] = []
        short = n.hi - n.lo <= _SHORT
        if short:
            for lst in self._day_lists(n, self._near(n)):
                for j in reversed(lst):
                    if sigma[j] <= s:
                        break
                    out.append(j)
        nodes = self.nodes
        for lst in self._month_lists(n):
            for j in reversed(lst):
                if sigma[j] <= s:
                    break
                if not short or nodes[j].hi - nodes[j].lo > _SHORT:
                    out.append(j)  # a short node meets the long ones here, the short ones by day
        return out


def _append(lists: dict, key, i: int) -> None:
    got = lists.get(key)
    if got is None:
        lists[key] = [i]
    else:
        got.append(i)
