"""The clustering itself, full or incremental, with one set of decisions.

A cluster is named by its *founder* node; ``label[i]`` is the founder of node ``i``'s
cluster. A full run decides every node, in three phases:

1. exact mentions: pairs within (country, facility, day) that score at least the
   threshold merge, best pair first, by union-find (so chains merge), except that two
   clusters never merge when any two of their mentions fail the gate (same document,
   days that do not meet ...). The founder is the cluster's first mention (by id).
2. loose mentions, in order ``sigma`` (narrowest date span first, then most specific
   place, then id): a loose mention looks at the mentions placed before it that it
   matches, and joins their cluster when they all belong to *one* cluster that it may
   join (the gate holds with every member placed so far); with two or more candidate
   clusters, or none, it founds its own. A mention without a specific place on a busy
   day (``Blocks.busy``: it depends only on which mentions exist) founds its own too.
3. undated mentions at a named place: the labels of the dated mentions at that place (the
   gate holds, documents aside); exactly one, whose dated members all pass the gate and
   one of which scores at least the threshold: join it. Else alone.

Clusters never merge after phase 1, so a node's cluster at any moment is its final
cluster restricted to the nodes placed before that moment. That is what makes an
incremental run exact: starting from the old labels (read from existing incidents), it
re-runs phase 1 on the exact mentions the new ones reach, then re-decides, in ``sigma``
order, only the loose mentions whose inputs may have changed (new ones, and those that
match a member of a cluster whose membership changed, or that matched a mention now
gone, or whose day a new or gone mention makes busy or quiet), then the undated mentions
of the places and clusters that changed. Every other node keeps its label, which is the
one a full run would give it (``tests/resolve/test_incremental.py`` checks this).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from sitrep.resolve import rules
from sitrep.resolve.blocks import Blocks
from sitrep.resolve.nodes import (
    EXACT,
    LOOSE,
    UNDATED,
    Node,
    Registry,
    gate,
    gate_score,
    score,
)

THRESHOLD = rules.MATCH_THRESHOLD
_SPECIFIC = rules.SPECIFIC_PLACE


def _prefix(lst: list[int], sigma: list[int], s: int) -> Iterable[int]:
    """The nodes of a list sorted by ``sigma`` that are placed before ``s``."""
    for j in lst:
        if sigma[j] >= s:
            return
        yield j


class Engine:
    def __init__(self, reg: Registry, nodes: list[Node]):
        self.reg = reg
        self.nodes = nodes
        n = len(nodes)
        mids = [x.mid for x in nodes]
        ranked = sorted(range(n), key=mids.__getitem__)
        del mids
        self.order = order = [0] * n
        for r, i in enumerate(ranked):
            order[i] = r
        # sigma: date span, then place rank, then id. Few (span, rank) pairs exist, so a
        # bucket each, filled in id order, replaces a sort of every loose node.
        buckets: dict[int, list[int]] = {}
        for i in ranked:
            x = nodes[i]
            if x.klass == LOOSE:
                key = (x.hi - x.lo) * 8 + x.prank
                got = buckets.get(key)
                if got is None:
                    buckets[key] = [i]
                else:
                    got.append(i)
        del ranked
        self.loose_order = [i for key in sorted(buckets) for i in buckets[key]]
        del buckets
        self.sigma = sigma = [-1] * n  # exact: -1, before every loose node
        for r, i in enumerate(self.loose_order):
            sigma[i] = r
        for x in nodes:
            if x.klass == UNDATED:
                sigma[x.idx] = n + 1
        self.blocks = Blocks(reg, nodes, sigma, self.loose_order)
        self.label = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.changed: set[int] = set()
        self.track = True  # keep ``changed`` (incremental runs)

    # -- labels ------------------------------------------------------------------------------

    def relabel(self, i: int, new: int) -> bool:
        old = self.label[i]
        if old == new:
            return False
        got = self.members[old]
        got.remove(i)
        if not got:
            del self.members[old]
        self.members.setdefault(new, []).append(i)
        self.label[i] = new
        if self.track:
            self.changed.add(old)
            self.changed.add(new)
        return True

    def adopt(self, groups: Iterable[list[int]]) -> None:
        """Set the labels of existing incidents (each group: one incident's nodes)."""
        nodes, order, sigma = self.nodes, self.order, self.sigma
        for group in groups:
            if not group:
                continue
            exact = [i for i in group if nodes[i].klass == EXACT]
            if exact:
                founder = min(exact, key=order.__getitem__)
            else:
                dated = [i for i in group if nodes[i].klass == LOOSE]
                founder = (
                    min(dated, key=sigma.__getitem__)
                    if dated
                    else min(group, key=order.__getitem__)
                )
            for i in group:
                if i != founder:
                    self.members.pop(i, None)
                self.label[i] = founder
            self.members[founder] = list(group)

    # -- phase 1 -----------------------------------------------------------------------------

    def exact_closure(self, start: Iterable[int]) -> list[int]:
        """The exact nodes a start node can change in phase 1: pairs over the threshold
        within (country, facility, day), and whole clusters of the nodes reached."""
        reg, nodes, egroups = self.reg, self.nodes, self.blocks.egroups
        seen: set[int] = set()
        stack = [i for i in start if nodes[i].klass == EXACT]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            x = nodes[i]
            stack.extend(j for j in self.members.get(self.label[i], ()) if nodes[j].klass == EXACT)
            days = egroups.get((x.cid, x.pid), {})
            for day in x.days():
                for j in days.get(day, ()):
                    if j not in seen and gate_score(reg, x, nodes[j]) >= THRESHOLD:
                        stack.append(j)
        return sorted(seen)

    def phase_exact(self, exact: list[int], everything: bool = False) -> None:
        nodes, egroups = self.nodes, self.blocks.egroups
        if everything:
            inside = None
            places: Iterable[tuple[tuple, Iterable[int]]] = egroups.items()
        else:
            inside = set(exact)
            wanted: dict[tuple, set[int]] = {}
            for i in exact:
                x = nodes[i]
                wanted.setdefault((x.cid, x.pid), set()).update(x.days())
            places = wanted.items()
        # Pairs never leave a (country, facility): each place is clustered on its own,
        # which is what clustering them all at once gives, with small sorts.
        founder: dict[int, int] = {}
        for place, days in places:
            by_day = egroups[place]
            edges = self._exact_edges(((d, by_day[d]) for d in days), inside)
            if edges:
                self._merge_exact(edges, founder)
        for i in exact:
            self.relabel(i, founder.get(i, i))

    def _exact_edges(
        self, groups: Iterable[tuple[int, list[int]]], inside: set[int] | None
    ) -> list[tuple[float, int, int, int, int]]:
        """(-score, order of one end, of the other, the ends) of the pairs over the
        threshold in one place's day groups (with ``inside``: pairs whose first end is in)."""
        reg, nodes, order = self.reg, self.nodes, self.order
        edges: list[tuple[float, int, int, int, int]] = []
        for day, group in groups:
            k = len(group)
            if k < 2:
                continue
            xs = [nodes[i] for i in group]
            for p in range(k - 1):
                a = xs[p]
                ia = a.idx
                if inside is not None and ia not in inside:
                    continue
                oa, adoc, afams, asid = order[ia], a.doc, a.fams, a.sid
                same_place = reg.place_score(asid, asid)  # as ``score`` would look it up
                first = a.lo == day
                for q in range(p + 1, k):
                    b = xs[q]
                    if not first and b.lo != day:
                        continue  # a two-day pair is compared on its first common day only
                    # same country, facility and day: the gate is documents and families
                    if adoc is not None and adoc == b.doc:
                        continue
                    if afams and b.fams and afams.isdisjoint(b.fams):
                        continue
                    s = score(reg, a, b, same_place) if asid == b.sid else gate_score(reg, a, b)
                    if s >= THRESHOLD:
                        ib = b.idx
                        ob = order[ib]
                        edges.append((-s, oa, ob, ia, ib) if oa < ob else (-s, ob, oa, ib, ia))
        return edges

    def _merge_exact(self, edges: list[tuple[float, int, int, int, int]], founder: dict) -> None:
        """Union-find over one place's edges, best pair first; two clusters merge only when
        every pair across them passes the gate. ``founder`` gets each merged node's founder:
        its cluster's first mention by id."""
        reg, nodes, order = self.reg, self.nodes, self.order
        edges.sort()
        group_of: dict[int, list[int]] = {}  # node -> its cluster (one list, shared)
        for _, _, _, ia, ib in edges:
            a = group_of.get(ia)
            if a is None:
                a = group_of[ia] = [ia]
            b = group_of.get(ib)
            if b is None:
                b = group_of[ib] = [ib]
            if a is b:
                continue
            # the edge's own ends pass the gate (they were scored): check the other pairs
            if (len(a) == 1 and len(b) == 1) or all(
                gate(reg, nodes[x], nodes[y]) for x in a for y in b if x != ia or y != ib
            ):
                if len(a) < len(b):
                    a, b = b, a
                a.extend(b)
                for x in b:
                    group_of[x] = a
        firsts: dict[int, int] = {}  # id of a cluster's list -> its first mention by id
        for i, group in group_of.items():
            if len(group) > 1:
                first = firsts.get(id(group))
                if first is None:
                    first = firsts[id(group)] = min(group, key=order.__getitem__)
                founder[i] = first

    # -- phase 2 -----------------------------------------------------------------------------

    def decide_loose(self, i: int) -> int:
        reg, nodes, sigma, label, members = (
            self.reg,
            self.nodes,
            self.sigma,
            self.label,
            self.members,
        )
        x = nodes[i]
        if x.reach < THRESHOLD:
            return i  # too vague to match anything (a country in some week)
        if x.prank > _SPECIFIC and self.blocks.busy(x):
            return i  # a country on a busy day: which attack is guesswork
        s = sigma[i]
        lists = self.blocks.before(x)
        if x.prank > _SPECIFIC and x.modes:
            # A province or a country on a busy day has many candidates and usually two
            # good ones: look first where they are likeliest (the same modes). The
            # decision does not depend on the order: alone unless exactly one cluster is
            # good, and two good ones prove that wherever they are found.
            candidates = [j for lst in lists for j in _prefix(lst, sigma, s)]
            modes = x.modes
            lists = [
                [j for j in candidates if nodes[j].modes == modes]
                + [j for j in candidates if nodes[j].modes != modes]
            ]
        good: list[int] = []
        tried: set[int] = set()  # labels already judged, good or bad
        for lst in lists:
            for j in lst:
                if sigma[j] >= s:
                    break  # the rest of this list is placed after it
                lab = label[j]
                if lab in tried:
                    continue
                if gate_score(reg, x, nodes[j]) < THRESHOLD:
                    continue
                tried.add(lab)
                # j passes the gate (its score says so): check the other members
                if all(
                    gate(reg, x, nodes[m])
                    for m in members[lab]
                    if m != i and m != j and sigma[m] < s
                ):
                    good.append(lab)
                    if len(good) > 1 and x.ship is None:
                        return i  # two clusters it could join: it founds its own
        if len(good) > 1:
            # a ship named in both: the cluster that already holds that ship, if only one does
            good = [
                lab
                for lab in good
                if any(nodes[m].target == x.target for m in members[lab] if m != i)
            ]
        return good[0] if len(good) == 1 else i

    def loose_neighbours_after(self, i: int | Node, s: int) -> Iterable[int]:
        """Loose nodes after ``s`` in ``sigma`` that node ``i`` matches (either way)."""
        reg, nodes = self.reg, self.nodes
        x = i if isinstance(i, Node) else nodes[i]
        if x.klass == UNDATED or x.reach < THRESHOLD:
            return
        for j in self.blocks.after(x, s):
            if j != x.idx and gate_score(reg, x, nodes[j]) >= THRESHOLD:
                yield j

    # -- phase 3 -----------------------------------------------------------------------------

    def decide_undated(self, i: int) -> int:
        reg, nodes, label = self.reg, self.nodes, self.label
        u = nodes[i]
        if not (u.pid and u.prank <= _SPECIFIC):
            return i
        labels: set[int] = set()
        for j in self.blocks.dgroup.get((u.cid, u.pid), ()):
            if gate(reg, u, nodes[j], same_doc_ok=True):
                labels.add(label[j])
                if len(labels) > 1:
                    return i
        if len(labels) != 1:
            return i
        lab = labels.pop()
        dated = [nodes[m] for m in self.members[lab] if nodes[m].klass != UNDATED]
        if (
            dated
            and all(gate(reg, u, z) for z in dated)
            and max(score(reg, u, z) for z in dated) >= THRESHOLD
        ):
            return lab
        return i

    # -- runs --------------------------------------------------------------------------------

    def run_full(self) -> None:
        nodes = self.nodes
        self.track = False
        self.phase_exact([x.idx for x in nodes if x.klass == EXACT], everything=True)
        for i in self.loose_order:
            self.relabel(i, self.decide_loose(i))
        for x in sorted((x for x in nodes if x.klass == UNDATED), key=lambda x: self.order[x.idx]):
            self.relabel(x.idx, self.decide_undated(x.idx))

    def run_incremental(self, new: list[int], dirty: list[int], gone: Iterable[Node] = ()) -> None:
        """Re-decide what ``new`` nodes (and ``dirty`` ones: members of incidents that lost
        a mention; ``gone``: those mentions, in no block) can change; ``changed`` then
        holds every label whose members changed."""
        nodes, sigma = self.nodes, self.sigma
        self.changed.update(new)
        self.changed.update(self.label[i] for i in dirty)
        start = [*new, *dirty]
        self.phase_exact(self.exact_closure(start))

        heap: list[tuple[int, int]] = []
        fresh = set(new)
        for i in start:
            if nodes[i].klass == LOOSE:
                heapq.heappush(heap, (sigma[i], i))
        gone = list(gone)
        # a mention that comes or goes can make a day busy or quiet for vague ones
        for x in [*(nodes[i] for i in new), *gone]:
            for j in self.blocks.busy_readers(x):
                heapq.heappush(heap, (sigma[j], j))
        # and a mention that goes is no longer a candidate of those it matched
        for x in gone:
            for j in self.loose_neighbours_after(x, -1):
                heapq.heappush(heap, (sigma[j], j))

        def push_around(labels: Iterable[int], s: int) -> None:
            for lab in labels:
                for m in self.members.get(lab, ()):
                    if nodes[m].klass == LOOSE and sigma[m] > s:
                        heapq.heappush(heap, (sigma[m], m))
                    for j in self.loose_neighbours_after(m, s):
                        heapq.heappush(heap, (sigma[j], j))

        push_around(list(self.changed), -1)
        done: set[int] = set()
        while heap:
            s, i = heapq.heappop(heap)
            if i in done:
                continue
            done.add(i)
            before = self.label[i]
            after = self.decide_loose(i)
            if self.relabel(i, after) or i in fresh:
                push_around({before, after}, s)

        # phase 3: new undated nodes, those of changed clusters, those of changed places
        places = {
            (x.cid, x.pid) for x in gone if x.klass != UNDATED and x.pid and x.prank <= _SPECIFIC
        }
        undated = {i for i in start if nodes[i].klass == UNDATED}
        for lab in self.changed:
            for m in self.members.get(lab, ()):
                x = nodes[m]
                if x.klass == UNDATED:
                    undated.add(m)
                elif x.pid and x.prank <= _SPECIFIC:
                    places.add((x.cid, x.pid))
        for key in places:
            undated.update(self.blocks.ugroup.get(key, ()))
        for i in sorted(undated, key=self.order.__getitem__):
            self.relabel(i, self.decide_undated(i))
