"""Incident assembler: each attack a document reports, with its date, place, means,
parties, outcome, casualties and source, every field tied to its sentence.

An incident starts at a sentence that reports an attack happening (an attack word or
weapon, plus a date, a place or casualties) and is not a running total. Sentences that
follow with casualties only ("Three soldiers were killed") add to the incident before
them. Mentions of one attack told twice (headline and body) are merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sitrep.extract.incident_dates import (
    context_date,
    count_back,
    date_from_entry,
    date_from_last,
    date_from_previous,
    date_referred_back,
    event_date,
    same_occasion,
)
from sitrep.extract.incident_merge import compatible, merge_into, merge_same
from sitrep.extract.incident_parties import (
    attribution,
    default_target,
    fill_from_document,
    forces_strike,
    parties,
    ref,
    ship,
    ship_target,
    target_ref,
    vessels,
)
from sitrep.extract.incident_places import best_place, listed_countries, listed_sites
from sitrep.extract.tagged import Span, Tagged
from sitrep.model import (
    Casualties,
    DateSpan,
    IncidentMention,
    Place,
    Range,
    content_id,
)

_LEXICON = "incidents.yaml"
_OUTCOMES = ("intercepted", "shot_down", "impact", "damage", "no_damage")

# "If Israel launches a ground offensive in Rafah, ...": an attack that may happen.
_HYPOTHETICAL = re.compile(
    r"(?i:\b(?:if|unless|should)\s+(?:[\w-]+\s+){1,3}?(?:launches|launch|attacks|strikes|invades|hits|targets|goes ahead)\b)"
)

_NEW_ONE = re.compile(
    r"(?i:\b(?:separately|in a separate|elsewhere)\b)"
)  # a sentence that starts a new attack

_SEPARATE = re.compile(r"(?i:\b(?:another|meanwhile|earlier|a second|also)\b)")


def _goes_on(t: Tagged, i: int, m: IncidentMention, last_i: int) -> bool:
    """The sentence right after an attack, naming no place or day of its own and not
    marking a new one ("Separately", "another"), tells more of it, whatever its weapon
    ("... opened fire on the post. Unable to break in, they rammed a car bomb into it.")."""
    return (
        i - last_i == 1
        and m.place.name is None
        and m.date.start is None
        and t.sentences[i].paragraph == t.sentences[last_i].paragraph
        and not _SEPARATE.search(t.sentence_text(i))
    )


def _told_apart(t: Tagged, mentions: list[IncidentMention]) -> set[int]:
    """Mentions a report marks as another attack ("Elsewhere in Kunduz province, a roadside
    bomb ..."): never the same attack as one told before them (ids of the mentions)."""
    apart = set()
    for m in mentions:
        i = t.sentence_of(min(e.start for e in m.evidence)) if m.evidence else None
        if i is not None and _NEW_ONE.search(t.sentence_text(i)):
            apart.add(id(m))
    return apart


def _add_casualties(t: Tagged, m: IncidentMention, i: int) -> None:
    for c in t.in_sentence("casualties", i):
        slot: Range = getattr(m.casualties, c.category)
        if slot.is_empty():
            setattr(m.casualties, c.category, Range(c.value.min, c.value.max))
            m.evidence.append(t.evidence(f"casualties.{c.category}", c))


def _new_mention(t: Tagged, i: int, trigger) -> IncidentMention:
    m = IncidentMention()
    d = event_date(t, i)
    if d is not None:
        m.date = DateSpan(d.value.start, d.value.end, d.value.precision)
        m.evidence.append(t.evidence("date", d))
        count_back(t, m, d)
    pm = best_place(t, i)
    if pm is not None:
        m.place = Place(
            **{
                f: getattr(pm.place, f)
                for f in ("name", "country", "admin1", "lat", "lon", "precision")
            }
        )
        m.evidence.append(t.evidence("place", pm))
    modes = [x for x in t.in_sentence("modes", i) if x.attack]
    m.attack_modes = list(dict.fromkeys(x.mode for x in modes))
    m.weapons = list(dict.fromkeys(x.weapon for x in modes))
    m.evidence.extend(t.evidence("attack_modes", x) for x in modes)
    for q in t.in_sentence("quantities", i):
        if q.unit == "kg":
            m.payload_kg = Range(q.value.min, q.value.max)
            m.evidence.append(t.evidence("payload_kg", q))
            break
    attacker, target = parties(t, i, trigger.start())
    if attacker is not None:
        m.attacker = ref(attacker)
        m.evidence.append(t.evidence("attacker", attacker))
    if target is not None:
        m.target = target_ref(target)
        m.evidence.append(t.evidence("target", target))
    forces_strike(t, i, m)
    ships = vessels(t, i)
    if ships:
        ship_target(t, m, *ships[0])
    _add_outcomes(t, m, i)
    _add_casualties(t, m, i)
    source = attribution(t, i)
    if source is not None:
        m.attribution = source.source
        m.evidence.append(t.evidence("attribution", source))
    return m


def _add_outcomes(t: Tagged, m: IncidentMention, i: int) -> None:
    s = t.sentences[i]
    words = t.words(_LEXICON)
    found = {}
    for name in _OUTCOMES:
        hit = words.first(f"outcome_{name}", s.start, s.end)
        if hit:
            found[name] = Span(*hit)
    if "no_damage" in found:
        found.pop("damage", None)
    if "intercepted" in found or "shot_down" in found:
        found.pop("impact", None)
    for name in _OUTCOMES:
        if name in found and name not in m.outcome:
            m.outcome.append(name)
            hit = found[name]
            m.evidence.append(t.evidence("outcome", hit))


def _attacks_in_tally(t: Tagged, i: int) -> list[IncidentMention]:
    """The dated attacks on named sites a tally sentence tells ("the tally includes three
    attacks on Wednesday against Tall Baydar, the Rumalyn Landing Zone and ..."), one per site."""
    modes = [x for x in t.in_sentence("modes", i) if x.attack]
    day = event_date(t, i)
    site = best_place(t, i)
    if (
        not modes
        or day is None
        or day.value.precision != "day"
        or site is None
        or site.kind != "facility"
    ):
        return []
    m = _new_mention(t, i, _Match(modes[0].start))
    m.casualties = Casualties()
    m.evidence = [e for e in m.evidence if not e.field.startswith("casualties.")]
    sites = listed_sites(t, i)
    if len(sites) > 1:
        return [_copy_at(t, m, pm) for pm in sites]
    return [m]


def _has_day(t: Tagged, i: int) -> bool:
    d = event_date(t, i)
    return d is not None and d.value.precision == "day"


def _has_outcome(t: Tagged, i: int) -> bool:
    s = t.sentences[i]
    words = t.words(_LEXICON)
    return any(
        words.has(f"outcome_{o}", s.start, s.end) for o in ("intercepted", "shot_down", "no_damage")
    )


def _is_event(m: IncidentMention) -> bool:
    """Enough to be an attack that happened, not talk about attacks in general."""
    anchors = sum(
        (
            m.date.start is not None and m.date.precision in ("day", "week"),
            # a named sea or strait (no country) places an attack as well as a town does
            m.place.name is not None
            and (m.place.precision != "country" or m.place.country is None),
            not m.casualties.is_empty(),
            bool(m.attack_modes),
        )
    )
    return (m.date.start is not None or m.place.name is not None) and anchors >= 2


def assemble_incidents(t: Tagged, doc_id: str, skip: set[int]) -> list[IncidentMention]:
    """Incident mentions of the document; sentences in ``skip`` state claims, not events."""
    mentions: list[IncidentMention] = []
    last: IncidentMention | None = None
    last_i = -10
    # A report of an accident ("a methane explosion at a coal mine") that names no weapon
    # anywhere: its "blast" and its dead are the accident's, sentence after sentence.
    accident = t.words(_LEXICON).has("not_an_attack", 0, len(t.text)) and not any(
        x.attack for x in t.modes
    )
    for i, s in enumerate(t.sentences):
        if accident:
            break
        if t.words(_LEXICON).has("denial", s.start, s.end):
            # "A US official says there was no such attack": the claim just told is denied.
            if last is not None and mentions and mentions[-1] is last and i - last_i <= 2:
                mentions.pop()
                last = mentions[-1] if mentions else None
            continue
        if t.words(_LEXICON).has("not_event", s.start, s.end) or _HYPOTHETICAL.search(
            t.text, s.start, s.end
        ):
            continue
        if t.words(_LEXICON).has("not_an_attack", s.start, s.end) and not any(
            x.attack for x in t.in_sentence("modes", i)
        ):
            continue  # "a heatwave in Karachi killed 1,200": deaths no attack caused
        if t.words("claims.yaml").has("cumulative", s.start, s.end) and not _has_day(t, i):
            continue  # "Scores of rockets have been fired in all, most at Al-Asad"
        if i in skip:
            # A tally sentence may still name one attack ("after Sunday's drone strike on
            # Tower 22"); its numbers belong to the tally, so the attack gets none of them.
            mentions.extend(_attacks_in_tally(t, i))
            continue
        hit = t.words(_LEXICON).first("attack_verb", s.start, s.end)
        trigger = _Match(hit[0] - s.start) if hit else None
        attack_modes = [x for x in t.in_sentence("modes", i) if x.attack]
        if trigger is None and attack_modes:
            trigger = _Match(attack_modes[0].start - s.start)
        if trigger is not None:
            m = _new_mention(t, i, _Match(s.start + trigger.start()))
            if m.date.start is None and last is not None:
                date_from_previous(t, i, m, last)
            if m.date.start is None and last is not None and same_occasion(t, i):
                date_from_last(t, i, m, last)
            ships = vessels(t, i)
            if len(ships) > 1 and (_is_event(m) or last is not None):
                # "the Number 9 was hit, and the Sophie II was hit shortly afterwards": one each
                for name, span in ships:
                    one = _clone(m)
                    one.target = None
                    ship_target(t, one, name, span)
                    if (
                        last is not None and i - last_i <= 3
                    ):  # the same story goes on: its sea, its weapon
                        if one.place.name is None:
                            one.place = last.place
                        if not one.attack_modes:
                            one.attack_modes = list(last.attack_modes)
                    mentions.append(one)
                last, last_i = mentions[-1], i
                continue
            sites = listed_sites(t, i)
            if len(sites) < 2 and m.place.precision == "country":
                sites = listed_countries(t, i)
            if len(sites) > 1 and _is_event(m):
                # "attacks on Tall Baydar, the Rumalyn Landing Zone and MSS Euphrates": one each.
                for pm in sites:
                    one = _copy_at(t, m, pm)
                    mentions.append(one)
                last, last_i = mentions[-1], i
                continue
            if _is_event(m):
                if m.date.start is None:
                    # An inherited date makes no event of a sentence, but dates one.
                    d = context_date(t, i)
                    if d is not None:
                        m.date = DateSpan(d.value.start, d.value.end, d.value.precision)
                        m.evidence.append(t.evidence("date", d))
                        count_back(t, m, d)
                    elif not date_referred_back(t, i, m):
                        date_from_entry(t, i, m)
                mentions.append(m)
                last, last_i = m, i
                continue
            if (
                last is not None
                and i - last_i <= 3
                and not _NEW_ONE.search(t.sentence_text(i))
                and (compatible(last, m) or _goes_on(t, i, m, last_i))
            ):
                merge_into(last, m)
                last_i = i
                continue
        if last is not None and i - last_i <= 3 and t.in_sentence("casualties", i):
            _add_casualties(t, last, i)
            _add_outcomes(t, last, i)
            last_i = i
        elif last is not None and i - last_i <= 2 and _has_outcome(t, i):
            _add_outcomes(t, last, i)  # "It was shot down by our air defenses."
        if last is not None and i - last_i <= 1 and last.target is None:
            ships = vessels(t, i)
            if len(ships) == 1:  # "Shipping sources identified the vessel as the MSC Clara."
                ship_target(t, last, *ships[0])
    mentions = merge_same(mentions, apart=_told_apart(t, mentions))
    _apply_scoped_negations(t, mentions)
    fill_from_document(t, mentions)
    for m in mentions:
        default_target(t, m)
        _finish(m, doc_id)
    return mentions


@dataclass(frozen=True, slots=True)
class _Match:
    pos: int

    def start(self) -> int:
        return self.pos


def _tidy_modes(m: IncidentMention) -> None:
    """Keep the most specific codes: a "missile" that is also called ballistic is one
    ballistic missile; a "drone strike" by an armed group is a one-way attack drone."""
    modes = m.attack_modes
    if "missile" in modes and ({"ballistic_missile", "cruise_missile"} & set(modes)):
        modes.remove("missile")
    if "uas_armed" in modes and (
        "uas_one_way" in modes
        or (m.attacker is not None and m.attacker.kind != "state_military")
        or (
            m.attacker is None
            and m.target is not None
            and m.target.kind in ("state_military", "coalition")
        )
    ):
        modes.remove("uas_armed")
        if "uas_one_way" not in modes:
            modes.append("uas_one_way")


def _clone(m: IncidentMention) -> IncidentMention:
    """A copy whose lists and casualties can change without changing ``m`` (its values are
    replaced, never changed in place, so they can be shared)."""
    return replace(
        m,
        attack_modes=list(m.attack_modes),
        weapons=list(m.weapons),
        outcome=list(m.outcome),
        evidence=list(m.evidence),
        casualties=replace(m.casualties),
    )


def _copy_at(t: Tagged, m: IncidentMention, pm) -> IncidentMention:
    one = _clone(m)
    one.place = Place(
        **{
            f: getattr(pm.place, f)
            for f in ("name", "country", "admin1", "lat", "lon", "precision")
        }
    )
    one.evidence = [e for e in one.evidence if e.field != "place"] + [t.evidence("place", pm)]
    for f in ("killed", "injured", "serious", "minor", "tbi"):
        r = getattr(one.casualties, f)
        if not (r.min == 0 and r.max == 0):  # "none of which wounded anyone" holds for each
            setattr(one.casualties, f, Range())
    return one


_EVERY = re.compile(
    r"(?i:\b(?:any of the|none of the|neither|either|all (?:of )?the|none of which|each of the|both)\b)"
)


def _apply_scoped_negations(t: Tagged, mentions: list[IncidentMention]) -> None:
    """ "No injuries were reported in any of the attacks" holds for every attack told."""
    for c in t.casualties:
        if not c.negated:
            continue
        i = t.sentence_of(c.start)
        if i is None or not _EVERY.search(t.sentence_text(i)):
            continue
        for m in mentions:
            if getattr(m.casualties, c.category).is_empty():
                setattr(m.casualties, c.category, Range(0, 0))
                m.evidence.append(t.evidence(f"casualties.{c.category}", c))


def _tidy_outcomes(m: IncidentMention) -> None:
    """Outcomes gathered over several sentences must not contradict each other."""
    out = m.outcome
    hurt = any(
        (getattr(m.casualties, f).min or 0) > 0
        for f in ("killed", "injured", "serious", "minor", "tbi")
    )
    if "no_damage" in out and "damage" in out:
        out.remove("damage")
    if "no_damage" in out and "impact" in out and not hurt:
        out.remove("impact")  # "landed outside the perimeter ... no damage"
    stopped = "shot_down" in out or "intercepted" in out
    if ("damage" in out or hurt) and not stopped and "impact" not in out:
        out.insert(0, "impact")  # whatever killed, wounded or damaged struck home


def _finish(m: IncidentMention, doc_id: str) -> None:
    _tidy_modes(m)
    _tidy_outcomes(m)
    filled = sum(
        (
            m.date.start is not None,
            m.place.name is not None,
            bool(m.attack_modes),
            m.attacker is not None,
            m.target is not None,
            not m.casualties.is_empty(),
            m.attribution is not None,
        )
    )
    m.confidence = round(0.3 + 0.1 * filled, 2)
    if m.casualties.injured.is_empty():
        parts = [m.casualties.serious, m.casualties.minor]
        if all(not r.is_empty() for r in parts):
            lo = sum(r.min or 0 for r in parts)
            hi = None if any(r.max is None for r in parts) else sum(r.max for r in parts)
            m.casualties.injured = Range(lo, hi)
    m.evidence.sort(key=lambda e: e.start)
    m.document_id = doc_id
    first = m.evidence[0].start if m.evidence else 0
    parts = [doc_id, "incident", m.date.start, m.place.name, ",".join(m.attack_modes), first]
    if ship(m):
        parts.append(ship(m))  # ships hit in one sentence share everything else
    m.id = content_id(*parts)
