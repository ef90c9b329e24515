"""Blocking: which mentions are ever compared. Sort + dict, never all pairs.

- exact mentions (a day at a facility) meet in (country, facility name, day);
- dated mentions over at most a week sit in (country, day, mode family) blocks, split by
  place signature, so that a loose mention reads only the places that may be its own
  (``Registry.near``); an exact one reads them only for the loose mentions there;
- dated mentions naming a facility or city also sit in (country, place, month), where
  mentions dated to a month or a year meet everything at their place in their months;
- (country, place) lists the dated and the undated mentions of each named place.

A mention without modes goes to the "any" family, which every family reads; a mention
without a country has country "??" (id 0), which meets only itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from sitrep.resolve import rules
from sitrep.resolve.nodes import EXACT, UNDATED, Node, Registry

_SPECIFIC = rules.SPECIFIC_PLACE
THRESHOLD = rules.MATCH_THRESHOLD
_SHORT = rules.SHORT_SPAN_DAYS


class Blocks:
    """The blocks of one run, over every node (old and new). Lists in the day and month
    blocks are sorted by ``sigma`` (exact nodes first, then loose ones in the order they
    are decided), so "the nodes placed before this one" is a prefix."""

    def __init__(self, reg: Registry, nodes: list[Node], sigma: list[int]):
        self.reg = reg
        self.nodes = nodes
        self.sigma = sigma
        self.egroups: dict[tuple, list[int]] = {}  # (cid, pid, day) -> exact nodes
        # (cid, day) -> mode family -> place signature -> nodes
        self.dblocks: dict[tuple, dict[int, dict[int, list[int]]]] = {}
        self.pmonth: dict[
            tuple, list[int]
        ] = {}  # (cid, pid, month) -> dated nodes at a named place
        self.dgroup: dict[tuple, list[int]] = {}  # (cid, pid) -> dated nodes at a named place
        self.ugroup: dict[tuple, list[int]] = {}  # (cid, pid) -> undated nodes at a named place
        self.day_cids: dict[int, set[int]] = {}  # day -> countries with short dated nodes
        for n in nodes:
            self._add(n)
        key = sigma.__getitem__
        for families in self.dblocks.values():
            for block in families.values():
                for lst in block.values():
                    if len(lst) > 1:
                        lst.sort(key=key)
        for lst in self.pmonth.values():
            if len(lst) > 1:
                lst.sort(key=key)

    def _add(self, n: Node) -> None:
        i, cid, pid = n.idx, n.cid, n.pid
        named = pid and n.prank <= _SPECIFIC
        if n.klass == UNDATED:
            if named:
                self.ugroup.setdefault((cid, pid), []).append(i)
            return
        if n.klass == EXACT:
            for day in n.days():
                self.egroups.setdefault((cid, pid, day), []).append(i)
        if n.hi - n.lo <= _SHORT:
            for day in n.days():
                families = self.dblocks.get((cid, day))
                if families is None:
                    families = self.dblocks[(cid, day)] = {}
                    self.day_cids.setdefault(day, set()).add(cid)
                for fam in n.fams or (rules.ANY_FAMILY,):
                    block = families.get(fam)
                    if block is None:
                        block = families[fam] = {}
                    got = block.get(n.sid)
                    if got is None:
                        block[n.sid] = [i]
                    else:
                        got.append(i)
        if named:
            self.dgroup.setdefault((cid, pid), []).append(i)
            for month in n.months():
                self.pmonth.setdefault((cid, pid, month), []).append(i)

    def _day_lists(
        self, n: Node, places: set[int] | None = None, wide: bool = False
    ) -> list[list[int]]:
        """The day-block lists a short dated node reads: its days, its families (every
        family without modes) and the place signatures near its own (``wide``: of either
        kind). ``places`` collects the signatures of the lists."""
        reg = self.reg
        near = reg.near(n.sid) if wide or n.reach_far >= THRESHOLD else reg.near_same_kind(n.sid)
        cid = n.cid
        fams = n.fams
        out: list[list[int]] = []
        dblocks = self.dblocks
        for day in range(n.lo, n.hi + 1):
            # its country and the mentions without one; without one, every country
            cids = (cid, 0) if cid else sorted(self.day_cids.get(day, ()))
            blocks: list = []
            for c in cids:
                families = dblocks.get((c, day))
                if families is None:
                    continue
                if fams:  # its families, and the mentions without modes
                    blocks.append(families.get(rules.ANY_FAMILY))
                    blocks.extend(families.get(f) for f in fams)
                else:  # no modes: every family
                    blocks.extend(families.values())
            for block in blocks:
                if block is None:
                    continue
                if len(near) < len(block):
                    for sid in near:
                        lst = block.get(sid)
                        if lst is not None:
                            out.append(lst)
                            if places is not None:
                                places.add(sid)
                else:
                    for sid, lst in block.items():
                        if sid in near:
                            out.append(lst)
                            if places is not None:
                                places.add(sid)
        return out

    def busy(self, n: Node) -> bool:
        """A mention without a specific place on a busy day (``rules.BUSY_PLACES``): it
        depends only on which mentions exist, never on how they were resolved."""
        if n.prank <= _SPECIFIC or n.hi - n.lo > _SHORT:
            return False
        places: set[int] = set()
        self._day_lists(n, places, wide=True)
        sig = self.reg.sig_data
        return sum(1 for sid in places if sig[sid][2] <= _SPECIFIC) > rules.BUSY_PLACES

    def busy_readers(self, n: Node) -> list[int]:
        """The loose mentions without a specific place whose ``busy`` may change when
        ``n`` comes or goes (those that read a block ``n`` sits in)."""
        if n.lo is None or n.hi - n.lo > _SHORT:
            return []
        out = []
        nodes = self.nodes
        for lst in self._day_lists(n, wide=True):
            for j in lst:
                y = nodes[j]
                if y.prank > _SPECIFIC and y.klass != EXACT:
                    out.append(j)
        return out

    def _month_lists(self, n: Node) -> list[list[int]]:
        if not (n.pid and n.prank <= _SPECIFIC):
            return []
        get = self.pmonth.get
        return [lst for month in n.months() if (lst := get((n.cid, n.pid, month))) is not None]

    def before(self, n: Node, s: int) -> Iterator[int]:
        """The dated nodes a loose node is compared with that are placed before ``s``
        (possibly repeated): for a span up to a week the day blocks, for a longer span the
        month blocks of its place (a short node is always placed before a long one)."""
        sigma = self.sigma
        lists = self._day_lists(n) if n.hi - n.lo <= _SHORT else self._month_lists(n)
        for lst in lists:
            for j in lst:
                if sigma[j] >= s:
                    break
                yield j

    def after(self, n: Node, s: int) -> list[int]:
        """The loose nodes after ``s`` that compare with dated node ``n`` when they are
        decided (possibly repeated; ``n`` itself included when it is one of them)."""
        sigma = self.sigma
        out: list[int] = []
        short = n.hi - n.lo <= _SHORT
        if short:
            for lst in self._day_lists(n):
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
