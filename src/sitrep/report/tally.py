"""Tallies: counted incidents beside the official claims that speak for the same scope.

A *scope* is what an official tally talks about: a target (the claim's subject: "US
forces"), a region (countries), a start date ("since 17 October") and an as-of date.
:func:`count_in_scope` gives the ledger's figure for a scope, so every point of a claim
series can stand beside the number of incidents the ledger holds for it, and
:func:`compute_tally` puts the incidents counted since a date beside the latest value of
each matching claim series.

How the ledger counts:

- ``attacks`` counts incidents; ``killed``, ``injured``, ``injured_serious``,
  ``injured_minor`` and ``tbi`` sum the incidents' casualty minimums (an incident's
  ``injured`` is its stated total, else its serious plus minor injured);
- an incident is in a scope when its start date falls between the scope's start and
  as-of (inclusive), its country is one of the region's (any, for no region), and its
  target is the subject or part of it (``us_forces`` is part of ``us_dod``), by actor id,
  else by the name as written;
- an incident with several attack modes counts once under each mode.

Pure functions over records, plus :func:`tally` and :func:`select_incidents`, which read
a store. :func:`tally` counts in the database (``Store.tally_counts``: whole months summed
from per-month totals, the days at either end counted over a covering index; no incident
is loaded) with the same rules as
:func:`compute_tally`, which counts records in Python: it resolves each actor scope to
the target ids and names stored (:class:`StoreTargets`), so "part of" and names that
differ only in case mean exactly what :meth:`ActorScope.matches` says.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitrep.extract.actors import actor_by_id, resolve_actor
from sitrep.model import ActorRef, ClaimSeries, Incident, Range, SeriesPoint
from sitrep.store import Store

# Claim measures the ledger can count, and the casualty field each one sums.
COUNTABLE: dict[str, str | None] = {
    "attacks": None,
    "killed": "killed",
    "injured": "injured",
    "injured_serious": "serious",
    "injured_minor": "minor",
    "tbi": "tbi",
}
SEVERITIES = ("killed", "injured", "serious", "minor", "tbi")
UNKNOWN = "unknown"

MODE_LABELS = {
    "rocket": "rocket",
    "mortar": "mortar",
    "artillery": "artillery",
    "indirect_fire": "indirect fire",
    "uas_one_way": "one-way attack drone",
    "uas_armed": "armed drone",
    "ballistic_missile": "ballistic missile",
    "cruise_missile": "cruise missile",
    "missile": "missile",
    "ied": "IED",
    "vbied": "car bomb",
    "suicide_bombing": "suicide bombing",
    "small_arms": "small-arms",
    "rpg_atgm": "RPG or anti-tank missile",
    "airstrike": "air strike",
    "ground_assault": "ground assault",
    "other": "other",
}


def mode_label(code: str) -> str:
    """An attack-mode code as a reader says it ("uas_one_way" -> "one-way attack drone")."""
    return MODE_LABELS.get(code, code.replace("_", " "))


# -- actors -----------------------------------------------------------------------------


def _part_of(actor_id: str, ancestor_id: str) -> bool:
    """Whether an actor is ``ancestor_id`` or part of it (through lexicon parents)."""
    seen: set[str] = set()
    current: str | None = actor_id
    while current and current not in seen:
        if current == ancestor_id:
            return True
        seen.add(current)
        actor = actor_by_id(current)
        current = actor.parent if actor else None
    return False


@dataclass(frozen=True, slots=True)
class ActorScope:
    """Who a filter means: a lexicon actor (and every actor part of it), else a name."""

    id: str | None
    name: str | None

    def matches(self, ref: ActorRef | None) -> bool:
        if ref is None:
            return False
        if self.id and ref.id and _part_of(ref.id, self.id):
            return True
        return bool(self.name and ref.name and ref.name.casefold() == self.name.casefold())

    def covers(self, actor_id: str | None, name: str | None) -> bool:
        """Whether a claim's subject falls within this scope (the same actor or part of it)."""
        return self.matches(ActorRef(actor_id, name))


def actor_scope(value: str | None) -> ActorScope | None:
    """The scope of a ``--target`` or ``--subject`` value: an actor id ("us_forces") or a
    name ("US forces", "American troops"); None for no filter."""
    if not value or not value.strip():
        return None
    value = value.strip()
    actor = actor_by_id(value) or resolve_actor(value)
    return ActorScope(actor.id if actor else None, value)


def series_scope(series: ClaimSeries) -> ActorScope | None:
    """The actor a claim series speaks about; None when it names none."""
    if series.subject_id:
        return ActorScope(series.subject_id, series.subject)
    if series.subject:
        return actor_scope(series.subject)
    return None


# -- counting ---------------------------------------------------------------------------


def effective(inc: Incident, name: str) -> Range:
    """An incident's casualty range for one severity; ``injured`` falls back to serious
    plus minor when the sources give no total."""
    r = getattr(inc.casualties, name)
    if name != "injured" or not r.is_empty():
        return r
    parts = [inc.casualties.serious, inc.casualties.minor]
    if all(p.is_empty() for p in parts):
        return r
    lo = sum(p.min or 0 for p in parts)
    hi = (
        None
        if any(p.max is None and not p.is_empty() for p in parts)
        else sum(p.max or 0 for p in parts)
    )
    return Range(lo, hi)


def ledger_value(measure: str, incidents: Iterable[Incident]) -> int | float | None:
    """What the ledger counts for a claim measure; None for a measure it cannot count."""
    if measure not in COUNTABLE:
        return None
    name = COUNTABLE[measure]
    if name is None:
        return sum(1 for _ in incidents)
    return _num(sum(effective(inc, name).min or 0 for inc in incidents))


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def in_scope(
    inc: Incident,
    *,
    actor: ActorScope | None = None,
    region: Iterable[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> bool:
    day = inc.date.start if inc.date else None
    if start is not None and (day is None or day < start):
        return False
    if end is not None and (day is None or day > end):
        return False
    countries = {c.upper() for c in region}
    if countries and (inc.place.country or "").upper() not in countries:
        return False
    return actor is None or actor.matches(inc.target)


def count_in_scope(
    measure: str,
    incidents: Iterable[Incident],
    *,
    actor: ActorScope | None = None,
    region: Iterable[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> int | float | None:
    """The ledger's figure for one measure in one scope (see the module doc)."""
    region = list(region)
    return ledger_value(
        measure,
        (i for i in incidents if in_scope(i, actor=actor, region=region, start=start, end=end)),
    )


def annotate_series(series: list[ClaimSeries], incidents: list[Incident]) -> None:
    """Set ``incidents_counted`` on every point of every countable series: the ledger's
    figure for the series' scope up to the point's as-of (rounded down to a whole number).

    Each series filters the incidents once; its points are then answered from running
    sums over the incidents sorted by date.
    """
    dated = sorted((i for i in incidents if i.date and i.date.start), key=lambda i: i.date.start)
    for s in series:
        if s.measure not in COUNTABLE:
            continue
        actor = series_scope(s)
        mine = [i for i in dated if in_scope(i, actor=actor, region=s.region, start=s.period_start)]
        days = [i.date.start for i in mine]
        name = COUNTABLE[s.measure]
        running = [0.0]
        for i in mine:
            running.append(running[-1] + (1 if name is None else (effective(i, name).min or 0)))
        for p in s.points:
            n = len(mine) if p.as_of is None else bisect_right(days, p.as_of)
            p.incidents_counted = int(running[n])


def latest_point(series: ClaimSeries, until: date | None = None) -> SeriesPoint | None:
    """The series' value as of its newest date (on or before ``until``): a point flagged as
    a correction wins; otherwise the highest of that day's values (a smaller figure on the
    same day is usually a part of the total)."""
    points = [
        p for p in series.points if until is None or (p.as_of is not None and p.as_of <= until)
    ]
    if not points:
        return None
    dated = [p for p in points if p.as_of is not None]
    if dated:
        newest = max(p.as_of for p in dated)
        points = [p for p in dated if p.as_of == newest]
    corrections = [p for p in points if p.revision == "correction"]
    if corrections:
        return corrections[-1]
    return max(
        points, key=lambda p: level(p.value) if level(p.value) is not None else float("-inf")
    )


def level(r: Range) -> float | None:
    """The figure a range stands for in a comparison: its minimum, else its maximum."""
    return r.min if r.min is not None else r.max


# -- the tally --------------------------------------------------------------------------


@dataclass(slots=True)
class Official:
    """The latest value of one official claim series beside the ledger's figure."""

    series: ClaimSeries
    point: SeriesPoint
    counted: int | float | None
    document: dict[str, Any] | None = None  # the point's document header, when known

    @property
    def claimed(self) -> float | None:
        return level(self.point.value)

    @property
    def difference(self) -> float | None:
        """Claimed minus counted: how many the ledger is missing (negative: over)."""
        if self.claimed is None or self.counted is None:
            return None
        return _num(self.claimed - self.counted)

    def to_dict(self) -> dict[str, Any]:
        s, p = self.series, self.point
        return {
            "series_id": s.id,
            "measure": s.measure,
            "subject": s.subject,
            "subject_id": s.subject_id,
            "region": list(s.region),
            "period_start": s.period_start.isoformat() if s.period_start else None,
            "as_of": p.as_of.isoformat() if p.as_of else None,
            "value": p.value.to_dict(),
            "qualifier": p.qualifier,
            "attribution": p.attribution,
            "revision": p.revision,
            "claim_id": p.claim_id,
            "document": self.document,
            "claimed": self.claimed,
            "counted": self.counted,
            "difference": self.difference,
        }


@dataclass(slots=True)
class Tally:
    since: date
    until: date | None = None
    target: str | None = None
    country: str | None = None
    incidents: int = 0
    by_mode: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    # severity -> {"min": sum of mins, "max": sum of maxes (a min where none is known),
    #              "incidents": incidents with a figure, "unbounded": those with no max}
    casualties: dict[str, dict[str, int | float]] = field(default_factory=dict)
    official: list[Official] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": {
                "since": self.since.isoformat(),
                "until": self.until.isoformat() if self.until else None,
                "target": self.target,
                "country": self.country,
            },
            "incidents": self.incidents,
            "by_mode": dict(self.by_mode),
            "by_country": dict(self.by_country),
            "casualties": {k: dict(v) for k, v in self.casualties.items()},
            "official": [o.to_dict() for o in self.official],
        }


def casualty_sums(incidents: Iterable[Incident]) -> dict[str, dict[str, int | float]]:
    """Per severity: the sum of minimums; the sum of maximums, where an incident that gives
    no maximum ("at least 5") adds its minimum; how many incidents give a figure; and how
    many of those give no maximum (``unbounded``: the true maximum may be higher)."""
    out = {s: {"min": 0, "max": 0, "incidents": 0, "unbounded": 0} for s in SEVERITIES}
    for inc in incidents:
        for s in SEVERITIES:
            r = effective(inc, s)
            if r.is_empty():
                continue
            row = out[s]
            row["incidents"] += 1
            row["min"] += r.min or 0
            if r.max is None:
                row["unbounded"] += 1
            row["max"] += r.max if r.max is not None else (r.min or 0)
    for row in out.values():
        row["min"], row["max"] = _num(row["min"]), _num(row["max"])
    return out


def matching_series(
    series: Iterable[ClaimSeries],
    *,
    since: date,
    until: date | None = None,
    target: ActorScope | None = None,
    country: str | None = None,
) -> list[ClaimSeries]:
    """Countable series that start within [since, until], about the target (or part of
    it) and covering the country (a series with no region covers every country)."""
    out = []
    for s in series:
        if s.measure not in COUNTABLE or s.period_start is None:
            continue
        if s.period_start < since or (until is not None and s.period_start > until):
            continue
        if target is not None and not target.covers(s.subject_id, s.subject):
            continue
        if country and s.region and country.upper() not in {r.upper() for r in s.region}:
            continue
        out.append(s)
    return out


def compute_tally(
    incidents: list[Incident],
    series: Iterable[ClaimSeries],
    *,
    since: date,
    until: date | None = None,
    target: str | None = None,
    country: str | None = None,
    documents: dict[str, dict[str, Any]] | None = None,
) -> Tally:
    """The tally from records: ``incidents`` should hold every incident from ``since``
    (they are filtered here), ``series`` every claim series."""
    scope = actor_scope(target)
    region = [country] if country else []
    counted = [
        i for i in incidents if in_scope(i, actor=scope, region=region, start=since, end=until)
    ]
    modes: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for inc in counted:
        modes.update(dict.fromkeys(inc.attack_modes or [UNKNOWN], 1))
        countries[inc.place.country.upper() if inc.place.country else UNKNOWN] += 1
    result = Tally(
        since=since,
        until=until,
        target=target,
        country=country.upper() if country else None,
        incidents=len(counted),
        by_mode=dict(sorted(modes.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_country=dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
        casualties=casualty_sums(counted),
    )
    for s in matching_series(series, since=since, until=until, target=scope, country=country):
        point = latest_point(s, until)
        if point is None:
            continue
        figure = count_in_scope(
            s.measure,
            incidents,
            actor=series_scope(s),
            region=s.region,
            start=s.period_start,
            end=point.as_of,
        )
        doc = (documents or {}).get(point.document_id) if point.document_id else None
        result.official.append(Official(s, point, figure, doc))
    result.official.sort(
        key=lambda o: (o.series.measure, -(o.point.as_of or date.min).toordinal(), o.series.id)
    )
    return result


# -- reading the store ------------------------------------------------------------------


def select_incidents(
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    country: str | None = None,
    mode: str | None = None,
    target: str | None = None,
    limit: int | None = None,
) -> list[Incident]:
    """Resolved incidents by date; ``target`` takes an actor id or name and includes the
    actors that are part of it (see :class:`ActorScope`)."""
    scope = actor_scope(target)
    if scope is None:
        return store.incident_records(
            since=since, until=until, country=country, mode=mode, limit=limit
        )
    found = store.incident_records(since=since, until=until, country=country, mode=mode)
    found = [i for i in found if scope.matches(i.target)]
    return found if limit is None else found[:limit]


def document_headers(store: Store, ids: Iterable[str | None]) -> dict[str, dict[str, Any]]:
    """``Document.header()`` of each stored document id (missing ones left out)."""
    from sitrep.errors import NotFound

    out: dict[str, dict[str, Any]] = {}
    for doc_id in dict.fromkeys(i for i in ids if i):
        try:
            out[doc_id] = store.get_document(doc_id).header()
        except NotFound:
            continue
    return out


class StoreTargets:
    """An actor scope as the store filters it: the stored target ids that are the actor
    or part of it, and the stored target names equal to its name but for case. The
    distinct ids and names are read once (a loose index scan), when first needed."""

    def __init__(self, store: Store):
        self._store = store
        self._known: dict[str, list[str]] | None = None

    def filters(self, scope: ActorScope | None) -> dict[str, list[str]]:
        """``Store.tally_counts`` keywords for a scope; none for no scope. A scope that
        matches nothing stored gives empty lists (which count nothing)."""
        if scope is None:
            return {}
        if self._known is None:
            self._known = self._store.incident_targets()
        ids = [i for i in self._known["ids"] if scope.id and i and _part_of(i, scope.id)]
        folded = scope.name.casefold() if scope.name else None
        names = [n for n in self._known["names"] if folded and n and n.casefold() == folded]
        return {"target": ids, "target_names": names}


def tally(
    store: Store,
    *,
    since: date,
    until: date | None = None,
    target: str | None = None,
    country: str | None = None,
) -> Tally:
    """The tally of the store's incidents and claim series: what :func:`compute_tally`
    gives over every incident and series, counted in the database instead of loading
    the incidents (see ``Store.tally_counts``)."""
    scope = actor_scope(target)
    targets = StoreTargets(store)
    wanted: list[tuple[ClaimSeries, SeriesPoint]] = []
    for s in matching_series(
        store.claim_series(), since=since, until=until, target=scope, country=country
    ):
        point = latest_point(s, until)
        if point is not None:
            wanted.append((s, point))
    # The ledger's figure beside each claim: count_in_scope, in the series' own scope.
    figures = [
        {
            "since": s.period_start,
            "until": point.as_of,
            "country": s.region,
            "severity": COUNTABLE[s.measure],
            **targets.filters(series_scope(s)),
        }
        for s, point in wanted
    ]
    counts = store.tally_counts(
        since, until, country=country or None, figures=figures, **targets.filters(scope)
    )
    modes: Counter[str] = Counter()
    for mode, n in counts["by_mode"].items():
        modes[mode or UNKNOWN] += n
    countries: Counter[str] = Counter()
    for code, n in counts["by_country"].items():
        countries[code.upper() if code else UNKNOWN] += n
    result = Tally(
        since=since,
        until=until,
        target=target,
        country=country.upper() if country else None,
        incidents=counts["incidents"],
        by_mode=dict(sorted(modes.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_country=dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
        casualties={s: dict(counts["casualties"][s]) for s in SEVERITIES},
        official=[
            Official(s, point, figure)
            for (s, point), figure in zip(wanted, counts["figures"], strict=True)
        ],
    )
    result.official.sort(
        key=lambda o: (o.series.measure, -(o.point.as_of or date.min).toordinal(), o.series.id)
    )
    docs = document_headers(store, (o.point.document_id for o in result.official))
    for o in result.official:
        o.document = docs.get(o.point.document_id or "")
    return result


def select_series(
    store: Store,
    *,
    measure: str | None = None,
    subject: str | None = None,
    since: date | None = None,
) -> list[ClaimSeries]:
    """Claim series about ``subject`` (or part of it) that start on or after ``since``
    (a series with no start date: when one of its points is dated on or after it), each
    countable point carrying the ledger's count for its scope."""
    scope = actor_scope(subject)
    found = []
    for s in store.claim_series(measure=measure):
        if scope is not None and not scope.covers(s.subject_id, s.subject):
            continue
        if since is not None:
            if s.period_start is not None and s.period_start < since:
                continue
            if s.period_start is None and not any(p.as_of and p.as_of >= since for p in s.points):
                continue
        found.append(s)
    if any(p.incidents_counted is None for s in found if s.measure in COUNTABLE for p in s.points):
        annotate_series(found, store.incident_records())
    return found
