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

from collections.abc import Iterable

from sitrep.resolve import rules
from sitrep.resolve.nodes import EXACT, LOOSE, UNDATED, Node, Registry

_SPECIFIC = rules.SPECIFIC_PLACE
_SHORT = rules.SHORT_SPAN_DAYS


class Blocks:
    """The blocks of one run, over every node (old and new)."""

    def __init__(self, reg: Registry, nodes: list[Node]):
        self.reg = reg
        self.nodes = nodes
        self.egroups: dict[tuple, list[int]] = {}  # (cid, pid, day) -> exact nodes
        self.dblocks: dict[tuple, dict[int, list[int]]] = {}  # (cid, day, fam) -> sid -> nodes
        self.pmonth: dict[tuple, list[int]] = {}  # (cid, pid, month) -> dated nodes at a named place
        self.dgroup: dict[tuple, list[int]] = {}  # (cid, pid) -> dated nodes at a named place
        self.ugroup: dict[tuple, list[int]] = {}  # (cid, pid) -> undated nodes at a named place
        for n in nodes:
            self.add(n)

    def add(self, n: Node) -> None:
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
                for fam in n.fams or (rules.ANY_FAMILY,):
                    block = self.dblocks.setdefault((cid, day, fam), {})
                    block.setdefault(n.sid, []).append(i)
        if named:
            self.dgroup.setdefault((cid, pid), []).append(i)
            for month in n.months():
                self.pmonth.setdefault((cid, pid, month), []).append(i)

    def dated_candidates(self, n: Node, everyone: bool) -> Iterable[int]:
        """Nodes a dated node is compared with (possibly repeated, possibly itself).

        ``everyone`` (the match graph, used to find what a new mention touches) also gives
        an exact node the loose ones that would compare with it.
        """
        cid = n.cid
        short = n.hi - n.lo <= _SHORT
        if n.klass == EXACT:
            for day in n.days():
                yield from self.egroups.get((n.cid, n.pid, day), ())
        if short and (n.klass == LOOSE or everyone):
            near = self.reg.near(n.sid)
            fams = (rules.ANY_FAMILY, *n.fams) if n.fams else None
            loose_only = n.klass == EXACT
            nodes = self.nodes
            for day in n.days():
                if fams is None:
                    blocks = [b for f in ALL_FAMILIES if (b := self.dblocks.get((cid, day, f)))]
                else:
                    blocks = [b for f in fams if (b := self.dblocks.get((cid, day, f)))]
                for block in blocks:
                    for sid, members_ in block.items():
                        if sid in near:
                            if loose_only:
                                yield from (j for j in members_ if nodes[j].klass != EXACT)
                            else:
                                yield from members_
        if n.pid and n.prank <= _SPECIFIC:
            nodes = self.nodes
            for month in n.months():
                for j in self.pmonth.get((cid, n.pid, month), ()):
                    if not short or nodes[j].hi - nodes[j].lo > _SHORT:
                        yield j


ALL_FAMILIES = (rules.ANY_FAMILY, *sorted(set(rules.FAMILY_IDS.values())), -1)
