"""Incident resolution on small invented scenarios (see world.py)."""

from __future__ import annotations

from datetime import date

from sitrep.model import DateSpan, Incident, Range, content_id
from sitrep.resolve import MATCH_THRESHOLD, incident_changes, match_score, resolve_incidents
from tests.resolve.world import (
    ASHEN,
    GREYCOATS,
    GULL,
    HERON,
    KESTREL,
    LOWMARCH,
    MARROW,
    SALTPAN,
    VARNIA,
    clusters,
    day,
    mention,
)


def test_three_reports_of_one_attack_become_one_incident_with_ranges_and_conflicts():
    ms = [
        mention("m1", "wire", killed=3, injured=7, attacker=GREYCOATS),
        mention(
            "m2", "briefing", killed=4, injured=7, attacker=GREYCOATS, modes=("indirect_fire",)
        ),
        mention("m3", "blog", killed=3, attacker=ASHEN, modes=("rocket", "uas_one_way")),
    ]
    [inc] = resolve_incidents(ms)
    assert inc.id == content_id("m1")
    assert inc.mention_ids == ["m1", "m2", "m3"]
    assert inc.document_ids == ["blog", "briefing", "wire"]
    assert inc.casualties.killed == Range(3, 4)
    assert inc.casualties.injured == Range(7, 7)
    assert inc.attacker.id == "greycoats"  # two sources against one
    assert inc.attack_modes == ["rocket", "uas_one_way"]  # "indirect fire" is the rockets
    assert "casualties.killed" in inc.conflicts and "attacker" in inc.conflicts
    assert "casualties.injured" not in inc.conflicts and "date" not in inc.conflicts
    # every source's value, side by side, with its own evidence
    killed = inc.fields["casualties.killed"]
    assert [(s.mention_id, s.document_id, s.value.min) for s in killed] == [
        ("m1", "wire", 3),
        ("m2", "briefing", 4),
        ("m3", "blog", 3),
    ]
    assert all(e.field == "casualties.killed" for s in killed for e in s.evidence)
    assert [s.value.id for s in inc.fields["attacker"]] == ["greycoats", "greycoats", "ashen_front"]
    assert len(inc.fields["date"]) == 3 and inc.fields["date"][0].evidence[0].field == "date"
    assert inc.confidence > 0.9


def test_open_ended_figures_keep_the_range_open():
    ms = [mention("a", "d1", injured=Range(40, None)), mention("b", "d2", injured=34)]
    [inc] = resolve_incidents(ms)
    assert inc.casualties.injured == Range(34, None)


def test_two_attacks_on_the_same_day_at_different_facilities_stay_apart():
    ms = [
        mention("a1", "d1", place=KESTREL),
        mention("a2", "d2", place=KESTREL),
        mention("b1", "d1", place=SALTPAN),  # 10 km away: another base
        mention("b2", "d3", place=SALTPAN),
    ]
    assert clusters(resolve_incidents(ms)) == {frozenset({"a1", "a2"}), frozenset({"b1", "b2"})}


def test_attacks_on_consecutive_days_at_one_base_stay_apart():
    ms = [mention("a", "d1", day(14)), mention("b", "d2", day(15))]
    assert len(resolve_incidents(ms)) == 2
    assert match_score(ms[0], ms[1]) == 0.0


def test_an_overnight_report_does_not_chain_two_days_together():
    overnight = DateSpan(day(14), day(15), "day")
    ms = [mention("a", "d1", day(14)), mention("b", "d2", day(15)), mention("c", "d3", overnight)]
    got = clusters(resolve_incidents(ms))
    assert frozenset({"a", "b"}) not in got and not any({"a", "b"} <= c for c in got)
    assert len(got) == 2  # the overnight report joins one of them, never both


def test_two_mentions_of_one_document_are_never_merged():
    ms = [mention("a", "same"), mention("b", "same"), mention("c", "other")]
    got = clusters(resolve_incidents(ms))
    assert not any({"a", "b"} <= c for c in got)
    assert match_score(ms[0], ms[1]) == 0.0


def test_an_undated_mention_with_a_facility_joins_the_dated_one():
    ms = [mention("a", "d1"), mention("b", "d2"), mention("u", "d3", when=None)]
    [inc] = resolve_incidents(ms)
    assert inc.mention_ids == ["a", "b", "u"]
    assert inc.date.start == date(2031, 3, 14)


def test_an_undated_mention_stays_alone_when_its_place_has_two_incidents():
    ms = [mention("a", "d1", day(2)), mention("b", "d2", day(20)), mention("u", "d3", when=None)]
    assert frozenset({"u"}) in clusters(resolve_incidents(ms))


def test_a_town_report_joins_the_base_beside_it_unless_two_attacks_could_be_it():
    one = [mention("a", "d1", place=KESTREL), mention("t", "d2", place=MARROW)]
    assert clusters(resolve_incidents(one)) == {frozenset({"a", "t"})}
    two = [*one, mention("s", "d3", place=SALTPAN)]  # Saltpan is 4 km from Marrow too
    assert frozenset({"t"}) in clusters(resolve_incidents(two))


def test_a_country_level_report_joins_the_one_attack_of_its_day_and_family():
    ms = [
        mention("a", "d1", place=KESTREL),
        mention("h", "d1", place=HERON, modes=("uas_one_way",)),
        mention("v", "d2", place=VARNIA),
    ]
    assert frozenset({"a", "v"}) in clusters(resolve_incidents(ms))


def test_a_province_does_not_join_an_attack_in_another_province():
    ms = [mention("h", "d1", place=HERON), mention("p", "d2", place=LOWMARCH)]
    assert len(resolve_incidents(ms)) == 2


def test_mode_families_block_and_empty_modes_join_any():
    rocket, drone = mention("r", "d1"), mention("u", "d2", modes=("uas_one_way",))
    assert len(resolve_incidents([rocket, drone])) == 2
    assert match_score(rocket, drone) == 0.0
    quiet = mention("q", "d3", modes=())
    assert clusters(resolve_incidents([rocket, quiet])) == {frozenset({"r", "q"})}
    mortar = mention("m", "d4", modes=("mortar",))
    assert clusters(resolve_incidents([rocket, mortar])) == {frozenset({"r", "m"})}


def test_a_week_report_joins_the_day_within_it():
    week = DateSpan(day(10), day(16), "week")
    ms = [mention("a", "d1", day(14)), mention("w", "d2", week)]
    [inc] = resolve_incidents(ms)
    assert inc.date == DateSpan(day(14), None, "day")
    month = DateSpan(day(1), day(31), "month")
    ms = [mention("a", "d1", day(14)), mention("m", "d2", month)]
    assert len(resolve_incidents(ms)) == 1


def test_countries_never_meet():
    ms = [mention("a", "d1", place=KESTREL), mention("g", "d2", place=GULL)]
    assert len(resolve_incidents(ms)) == 2


def test_killed_against_none_killed_lowers_the_score():
    agree = match_score(mention("a", "d1", killed=3), mention("b", "d2", killed=3))
    close = match_score(mention("a", "d1", killed=3), mention("b", "d2", killed=4))
    clash = match_score(mention("a", "d1", killed=3), mention("b", "d2", killed=0))
    assert agree > close > clash > 0


def test_match_score_threshold_and_incidents():
    a, b = mention("a", "d1"), mention("b", "d2")
    assert match_score(a, b) >= MATCH_THRESHOLD
    [inc] = resolve_incidents([a, b])
    assert match_score(inc, mention("c", "d3")) >= MATCH_THRESHOLD
    assert match_score(inc, mention("c", "d1")) == 0.0  # a document already in it
    assert match_score(inc, mention("c", "d3", day(15))) == 0.0


def test_mentions_without_ids_get_the_stores_ids():
    a = mention(None, "d1")
    b = mention(None, "d2")
    [inc] = resolve_incidents([a, b])
    want = sorted(
        content_id(d, "mention", 0, m.date.start, m.place.name, m.attack_modes)
        for d, m in (("d1", a), ("d2", b))
    )
    assert inc.mention_ids == want
    assert a.id is None  # the records passed in are not changed


def test_incremental_keeps_ids_and_unchanged_incidents():
    first = resolve_incidents([mention("a", "d1"), mention("h", "d1", place=HERON)])
    kestrel = next(i for i in first if "a" in i.mention_ids)
    heron = next(i for i in first if "h" in i.mention_ids)
    # "0b" sorts before "a": the merged incident still keeps the existing id
    again = resolve_incidents([mention("0b", "d2")], existing=first)
    merged = next(i for i in again if "a" in i.mention_ids)
    assert merged.id == kestrel.id and merged.mention_ids == ["0b", "a"]
    assert any(i is heron for i in again)
    changed, gone = incident_changes(first, again)
    assert changed == [merged] and gone == []


def test_incremental_reads_incidents_back_from_their_json():
    first = resolve_incidents([mention("a", "d1", killed=2), mention("u", "d4", when=None)])
    stored = [Incident.from_dict(i.to_dict()) for i in first]  # what a store gives back
    again = resolve_incidents([mention("b", "d2", killed=3)], existing=stored)
    [inc] = again
    assert inc.mention_ids == ["a", "b", "u"]
    assert inc.casualties.killed == Range(2, 3)
    assert inc.date.start == date(2031, 3, 14)


def test_a_re_extracted_mention_replaces_its_old_version():
    first = resolve_incidents([mention("a", "d1"), mention("b", "d2")])
    again = resolve_incidents([mention("b", "d2", day(20))], existing=first)
    assert clusters(again) == {frozenset({"a"}), frozenset({"b"})}
    assert next(i for i in again if "a" in i.mention_ids).id == first[0].id


def test_a_country_level_report_on_a_busy_day_stays_alone():
    from sitrep.model import Place
    from sitrep.resolve import rules

    posts = [
        Place(f"Post {k}", "XA", None, 40.0 + k, 20.0, "facility")
        for k in range(rules.BUSY_PLACES + 1)
    ]
    busy = [mention(f"p{k}", f"d{k}", place=p) for k, p in enumerate(posts)]
    vague = mention("v", "dv", place=VARNIA)
    got = clusters(resolve_incidents([*busy, vague]))
    assert frozenset({"v"}) in got  # seven places attacked that day: which one is guesswork
    # the same report joins the one attack of a quiet day (the drone attack does not count)
    quiet = [
        mention("p0", "d0", place=posts[0]),
        mention("u", "d1", place=posts[1], modes=("uas_one_way",)),
    ]
    assert frozenset({"p0", "v"}) in clusters(resolve_incidents([*quiet, vague]))


def test_a_report_naming_no_place_joins_the_one_attack_of_its_day_and_kind():
    from tests.resolve.world import NOWHERE

    ms = [
        mention("a", "d1", killed=13, modes=("suicide_bombing",)),
        mention("b", "d2", place=MARROW, modes=("vbied",)),  # the same bombing, told as a car bomb
        mention("n", "d3", place=NOWHERE, killed=13, modes=("suicide_bombing",)),
        mention("g", "d4", place=GULL, modes=("rocket",)),  # another country, another kind
    ]
    assert clusters(resolve_incidents(ms)) == {frozenset({"a", "b", "n"}), frozenset({"g"})}


def test_gunfire_and_a_ground_assault_can_be_one_attack():
    ms = [
        mention("a", "d1", modes=("small_arms",)),
        mention("b", "d2", modes=("ground_assault",)),
        mention("c", "d3", modes=("ground_assault", "rpg_atgm")),
    ]
    [inc] = resolve_incidents(ms)
    assert inc.attack_modes == ["small_arms", "rpg_atgm", "ground_assault"]
    assert "attack_modes" in inc.conflicts


def test_two_ships_hit_at_one_sea_on_one_day_stay_two_incidents_across_reports():
    from sitrep.model import ActorRef, Place

    sea = Place("Varnian Sea", None, None, 40.5, 20.5, "country")
    gale = ActorRef(None, "Gale Runner", "civilians")
    tern = ActorRef(None, "Tern Spirit", "civilians")
    ms = [
        mention("a1", "d1", place=sea, modes=("uas_one_way",), target=gale),
        mention("b1", "d1", place=sea, modes=("uas_one_way",), target=tern),
        mention("a2", "d2", place=sea, modes=("uas_one_way",), target=gale),
        mention("b2", "d2", place=sea, modes=("uas_one_way",), target=tern),
    ]
    assert clusters(resolve_incidents(ms)) == {frozenset({"a1", "a2"}), frozenset({"b1", "b2"})}
