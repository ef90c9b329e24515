"""Resolution by country partitions gives what one run over everything gives.

``resolve_incidents`` resolves each group of countries that may meet on its own (pairs
never cross countries; a mention without a country in the day blocks meets the countries
of its days; an existing incident's countries go together). These tests pin that the
incidents, their ids and their order are those of a single partition
(``_resolve_split(..., split=False)``, the engine before partitions).
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.model import DateSpan, Incident, Place, content_id
from sitrep.resolve import resolve_incidents
from sitrep.resolve.existing import members
from sitrep.resolve.incidents import _partitions, _resolve_split
from sitrep.resolve.merge import build_incident, mention_fields
from tests.resolve.world import (
    ASHEN,
    GREYCOATS,
    GULL,
    HERON,
    KESTREL,
    MARROW,
    NOWHERE,
    VARNIA,
    day,
    mention,
)

OSTMARK = Place("Ostmark", "XB", None, None, None, "country")
PIKE = Place("Pike Harbour", "xb", None, 41.030, 21.020, "city")  # 3 km from Gull Point
STATELESS_KESTREL = Place("Fort Kestrel", None, None, 40.100, 20.100, "facility")
STATELESS_GULL = Place("Gull Point", None, None, 41.000, 21.000, "facility")

WHEN = [
    day(13),
    day(14),
    day(14),
    day(20),
    DateSpan(day(14), day(15), "day"),
    DateSpan(day(17), day(23), "week"),
    DateSpan(day(1), day(31), "month"),
    None,
]
COUNTRIED = [KESTREL, KESTREL, HERON, MARROW, VARNIA, GULL, GULL, PIKE, OSTMARK]
STATELESS = [NOWHERE, STATELESS_KESTREL, STATELESS_GULL]
MODES = [("rocket",), ("rocket",), ("mortar",), ("uas_one_way",), ()]


def reports(places):
    return st.builds(
        lambda doc, when, place, modes, killed, attacker: dict(
            doc=f"d{doc}", when=when, place=place, modes=modes, killed=killed, attacker=attacker
        ),
        st.integers(0, 4),
        st.sampled_from(WHEN),
        st.sampled_from(places),
        st.sampled_from(MODES),
        st.sampled_from([None, None, 0, 3]),
        st.sampled_from([None, GREYCOATS, ASHEN]),
    )


@st.composite
def worlds(draw, places, ids=True):
    rs = draw(st.lists(reports(places), min_size=1, max_size=16))
    mids = draw(st.permutations([f"m{i:02d}" for i in range(len(rs))]))
    ms = [mention(mid, r.pop("doc"), **r) for mid, r in zip(mids, rs, strict=True)]
    if not ids:  # some mentions get the store's id (their position in their document)
        keep = draw(st.lists(st.booleans(), min_size=len(ms), max_size=len(ms)))
        ms = [m if k else replace(m, id=None) for m, k in zip(ms, keep, strict=True)]
    return ms, draw(st.integers(0, len(ms)))


def as_dicts(incidents: list[Incident]) -> list[dict]:
    return [i.to_dict() for i in incidents]


def country(m) -> str | None:
    return m.place.country.upper() if m.place.country else None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(COUNTRIED))
def test_each_country_resolves_alone(world):
    ms, _ = world
    whole = resolve_incidents(ms)
    alone: list[Incident] = []
    for c in {country(m) for m in ms}:
        alone.extend(resolve_incidents([m for m in ms if country(m) == c]))
    assert {i.id: i.to_dict() for i in whole} == {i.id: i.to_dict() for i in alone}
    assert len(whole) == len(alone)
    assert as_dicts(whole) == as_dicts(_resolve_split(ms, [], split=False))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(COUNTRIED + STATELESS, ids=False), st.data())
def test_partitions_give_one_run_with_mentions_without_a_country(world, data):
    """Mentions without a country meet every country on their days: full and incremental
    runs, re-extracted mentions among the new ones, all as one partition gives them."""
    ms, cut = world
    assert as_dicts(resolve_incidents(ms)) == as_dicts(_resolve_split(ms, [], split=False))
    first = resolve_incidents(ms[:cut])
    later = list(ms[cut:])
    if cut and later:
        for k in data.draw(st.sets(st.integers(0, len(later) - 1))):
            old = data.draw(st.sampled_from(ms[:cut]))
            later[k] = replace(later[k], id=old.id, document_id=old.document_id)
    then = resolve_incidents(later, existing=first)
    one = _resolve_split(later, list(first), split=False)
    assert as_dicts(then) == as_dicts(one)
    # the same incidents come back unchanged (the objects passed in)
    kept = {id(i) for i in first}
    assert [id(i) in kept for i in then] == [id(i) in kept for i in one]


def _spanning() -> Incident:
    """An existing incident with a mention in Varnia (XA) and one in Ostmark (XB): an
    analyst's merge, or the work of an older engine."""
    a = mention("old-a", "d1", day(14), KESTREL, killed=2)
    b = mention("old-b", "d2", day(14), GULL, killed=2)
    return build_incident(
        "spanning",
        [mention_fields(a, a.id), mention_fields(b, b.id)],
        [a.id, b.id],
        [a.document_id, b.document_id],
    )


def test_an_existing_incident_spanning_two_countries_keeps_them_together():
    spanning = _spanning()
    alone_a = resolve_incidents([mention("x-a", "d3", day(20), HERON)])
    alone_b = resolve_incidents([mention("x-b", "d4", day(20), PIKE)])
    existing = [spanning, *alone_a, *alone_b]
    new = [
        mention("n1", "d5", day(14), KESTREL, killed=2),  # matches old-a
        mention("n2", "d6", day(14), GULL, killed=2),  # matches old-b
        mention("n3", "d7", day(20), HERON),  # matches x-a
        replace(mention("n4", "d8", day(14), GULL, killed=2), id=None),  # matches old-b too
    ]
    then = resolve_incidents(new, existing=existing)
    one = _resolve_split(new, existing, split=False)
    assert as_dicts(then) == as_dicts(one)
    ids = {i.id for i in then}
    assert "spanning" in ids and len(ids) == len(then)
    # an incident that nothing new touches is the object passed in
    assert alone_b[0] in then
    assert not any(i is spanning for i in then)  # split: old-b went with n2 and n4
    got = {frozenset(i.mention_ids): i.id for i in then}
    assert frozenset({"old-a", "n1"}) in got
    (b_side,) = [ids for ids in got if "old-b" in ids]
    assert "n2" in b_side and len(b_side) == 3  # n4 too, under the store's id
    assert "spanning" in (got[b_side], got[frozenset({"old-a", "n1"})])
    # the partitions: Varnia and Ostmark together, because of the spanning incident
    by_country: dict = {}
    for k, m in enumerate(new):
        by_country.setdefault(country(m), []).append((k, m.id, m))
    olds = [[(m, m.mid, False, country_of(m)) for m in members(inc)[0]] for inc in existing]
    parts = _partitions(by_country, olds)
    assert [sorted(keys) for keys, _ in parts.values()] == [["XA", "XB"]]


def country_of(m) -> str | None:
    p = m.value("place")
    return p.country.upper() if p is not None and p.country else None


def test_existing_incidents_in_two_countries_stay_apart():
    """Without anything that spans them, Varnia and Ostmark resolve apart, and the run is
    the one of each country alone."""
    xa = [mention("a1", "d1", day(14), KESTREL), mention("a2", "d2", day(14), KESTREL)]
    xb = [mention("b1", "d1", day(14), GULL), mention("b2", "d3", day(14), PIKE)]
    first = resolve_incidents(xa[:1] + xb[:1])
    then = resolve_incidents(xa[1:] + xb[1:], existing=first)
    apart = resolve_incidents(
        xa[1:], existing=[i for i in first if i.place.country == "XA"]
    ) + resolve_incidents(xb[1:], existing=[i for i in first if i.place.country == "XB"])
    assert {i.id: i.to_dict() for i in then} == {i.id: i.to_dict() for i in apart}
    assert as_dicts(then) == as_dicts(_resolve_split(xa[1:] + xb[1:], first, split=False))


def test_fresh_ids_that_meet_across_partitions_are_numbered_as_one_run_numbers_them():
    """``content_id("b", 1)`` is ``content_id("b\\x1f1")``: a fresh id bumped past an
    existing one in one country meets the fresh id of another country. Partitions number
    one after another, so the run falls back to one partition, and the ids are those of
    one run."""
    b, b1 = "b", "b\x1f1"
    assert content_id(b, 1) == content_id(b1)
    old = resolve_incidents([mention("z1", "d1", day(20), HERON)])
    old = [replace(old[0], id=content_id(b))]  # an existing id that "b" would get
    new = [mention(b, "d2", day(14), KESTREL), mention(b1, "d3", day(14), GULL)]
    for ms in (new, new[::-1]):
        then = resolve_incidents(ms, existing=old)
        assert as_dicts(then) == as_dicts(_resolve_split(ms, old, split=False))
        ids = {frozenset(i.mention_ids): i.id for i in then}
        assert ids[frozenset({b})] == content_id(b, 1)
        assert ids[frozenset({b1})] == content_id(b1, 1)
        assert len(set(ids.values())) == len(then)
