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
        self.pmonth: dict[tuple, list[int]] = {}  # (cid, pid, month) -> dated nodes at a named place
        self.dgroup: dict[tuple, list[int]] = {}  # (cid, pid) -> dated nodes at a named place
        self.ugroup: dict[tuple, list[int]] = {}  # (cid, pid) -> undated nodes at a named place
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

    def _day_lists(self, n: Node) -> list[list[int]]:
        """The day-block lists a short dated node reads: its days, its families (every
        family without modes) and the place signatures near its own."""
        near = self.reg.near(n.sid)
        if n.reach_far < THRESHOLD:  # only places of its own kind can match it
            near = self.reg.near_same_kind(n.sid)
        cid = n.cid
        fams = (rules.ANY_FAMILY, *n.fams) if n.fams else None
        out = []
        for day in n.days():
            families = self.dblocks.get((cid, day))
            if families is None:
                continue
            if fams is None:
                blocks = families.values()  # no modes: every family
            else:
                blocks = [b for f in fams if (b := families.get(f)) is not None]
            for block in blocks:
                if len(near) < len(block):
                    out.extend(lst for sid in near if (lst := block.get(sid)) is not None)
                else:
                    out.extend(lst for sid, lst in block.items() if sid in near)
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

