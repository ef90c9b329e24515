"""Incremental resolution gives the clusters of a full run (Hypothesis property)."""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.model import DateSpan, Incident
from sitrep.resolve import incident_changes, resolve_incidents, rules
from tests.resolve.world import (
    ASHEN,
    GREYCOATS,
    GULL,
    HERON,
    KESTREL,
    LOWMARCH,
    MARROW,
    NOWHERE,
    SALTPAN,
    VARNIA,
    clusters,
    day,
    mention,
)

WHEN = [
    day(13),
    day(14),
    day(14),
    day(15),
    DateSpan(day(14), day(15), "day"),
    DateSpan(day(10), day(16), "week"),
    DateSpan(day(1), day(31), "month"),
    None,
]
PLACES = [KESTREL, KESTREL, SALTPAN, MARROW, HERON, VARNIA, LOWMARCH, GULL, NOWHERE]
MODES = [("rocket",), ("rocket",), ("mortar",), ("indirect_fire",), ("uas_one_way",), ()]

report = st.builds(
    lambda doc, when, place, modes, killed, attacker: dict(
        doc=f"d{doc}", when=when, place=place, modes=modes, killed=killed, attacker=attacker
    ),
    st.integers(0, 4),
    st.sampled_from(WHEN),
    st.sampled_from(PLACES),
    st.sampled_from(MODES),
    st.sampled_from([None, None, 0, 3, 4]),
    st.sampled_from([None, GREYCOATS, ASHEN]),
)


@st.composite
def scenarios(draw):
    reports = draw(st.lists(report, min_size=1, max_size=14))
    ids = draw(st.permutations([f"m{i:02d}" for i in range(len(reports))]))
    ms = [mention(mid, r.pop("doc"), **r) for mid, r in zip(ids, reports, strict=True)]
    cut = draw(st.integers(0, len(ms)))
    return ms, cut


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.booleans())
def test_incremental_gives_the_clusters_of_a_full_run(scenario, through_json):
    ms, cut = scenario
    whole = resolve_incidents(ms)
    first = resolve_incidents(ms[:cut])
    if through_json:
        first = [Incident.from_dict(i.to_dict()) for i in first]
    then = resolve_incidents(ms[cut:], existing=first)
    assert clusters(then) == clusters(whole)
    # every incident is built from all its mentions, whichever way it came
    by_members = {frozenset(i.mention_ids): i for i in whole}
    for inc in then:
        full = by_members[frozenset(inc.mention_ids)]
        assert (inc.casualties, inc.attack_modes, inc.conflicts) == (
            full.casualties,
            full.attack_modes,
            full.conflicts,
        )
    # ids of existing incidents survive, and there are no duplicates
    assert len({i.id for i in then}) == len(then)
    changed, gone = incident_changes(first, then)
    kept = {i.id for i in then} & {i.id for i in first}
    assert set(gone) == {i.id for i in first} - kept


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.data())
def test_re_extracted_mentions_and_busy_days(scenario, data):
    """Some later mentions re-extract earlier ones (same id, new content); a day with two
    or more places of attacks is busy for mentions without a specific place."""
    ms, cut = scenario
    later = list(ms[cut:])
    if cut:
        for k in data.draw(st.sets(st.integers(0, len(later) - 1)) if later else st.just(set())):
            old = data.draw(st.sampled_from(ms[:cut]))
            later[k] = replace(later[k], id=old.id, document_id=old.document_id)
    kept: dict[str, object] = {}
    for m in later:
        kept.setdefault(m.id, m)  # a run keeps the first of two mentions with one id
    final = [m for m in ms[:cut] if m.id not in kept] + list(kept.values())
    with patch.object(rules, "BUSY_PLACES", 1):
        whole = resolve_incidents(final)
        then = resolve_incidents(later, existing=resolve_incidents(ms[:cut]))
    assert clusters(then) == clusters(whole)


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.integers(0, 14))
def test_three_steps_give_the_clusters_of_a_full_run(scenario, second_cut):
    ms, cut = scenario
    second_cut = min(max(second_cut, cut), len(ms))
    step = resolve_incidents(ms[:cut])
    step = resolve_incidents(ms[cut:second_cut], existing=step)
    step = resolve_incidents(ms[second_cut:], existing=step)
    assert clusters(step) == clusters(resolve_incidents(ms))


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_resolution_does_not_depend_on_input_order(scenario):
    ms, _ = scenario
    assert clusters(resolve_incidents(ms)) == clusters(resolve_incidents(ms[::-1]))
    # and an incremental run with nothing new changes nothing
    whole = resolve_incidents(ms)
    again = resolve_incidents([], existing=whole)
    assert incident_changes(whole, again) == ([], [])
