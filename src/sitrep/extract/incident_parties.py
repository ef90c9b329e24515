"""Who attacked whom: the attacker and target a sentence names, the merchant ships it
says were hit, who the report attributes the attack to, and the parties a report names
once for all its attacks or implies (a site's garrison, civilians counted as killed)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from sitrep.extract.actors import actor_by_id, forces_of
from sitrep.extract.attribution import main_source
from sitrep.extract.places import facility_hosts
from sitrep.extract.tagged import Span, Tagged
from sitrep.model import ActorRef, Evidence, IncidentMention

_LEXICON = "incidents.yaml"
_TARGET_KINDS = {"state_military", "coalition", "civilians", "government"}


@dataclass(frozen=True, slots=True)
class _Patterns:
    # The word classes of incidents.yaml are matched through ``Tagged.words``.
    target_prep: re.Pattern


@cache
def _patterns() -> _Patterns:
    return _Patterns(
        target_prep=re.compile(
            r"(?i:\b(?:on|against|targeting|targeted|at|toward|towards|struck|hit|attacked|housing|hosting)\s+(?:the\s+|a\s+|an\s+)?)$"
        ),
    )


_SHIP_NAME = re.compile(
    r"[ \t]+(?:the[ \t]+)?(?P<name>[A-Z0-9][\w'’.-]*(?:[ \t]+(?:[A-Z0-9][\w'’.-]*|of|de|la|del))*)"
)

_NOT_SHIP = frozenset(
    "the a an monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december on in at off near was were had has".split()
)


def vessels(t: Tagged, i: int) -> list[tuple[str, Span]]:
    """Merchant ships a sentence names ("the Panama-flagged Number 9", "the tanker Marlin
    Luanda"), in order, each once."""
    s = t.sentences[i]
    out: list[tuple[str, Span]] = []
    for _start, end in t.words(_LEXICON).spans("vessel_noun", s.start, s.end):
        hit = _SHIP_NAME.match(t.text, end, s.end)
        if hit is None:
            continue
        words = hit.group("name").split()
        while words and words[-1].lower() in _NOT_SHIP:
            words.pop()
        if (
            not words
            or words[0].lower() in _NOT_SHIP
            or t.text[hit.start("name") - 1 : hit.start("name")] == "-"
        ):
            continue
        name = " ".join(words).rstrip(".")
        if name[0].isupper() and all(name != n for n, _ in out):
            out.append((name, Span(hit.start("name"), hit.start("name") + len(name))))
    return out


def ship_target(t: Tagged, m: IncidentMention, name: str, span: Span) -> None:
    if m.target is None or m.target.id in (None, "civilians") and not m.target.is_ship:
        m.target = ActorRef(None, name, "civilians")
        m.evidence = [e for e in m.evidence if e.field != "target"] + [t.evidence("target", span)]


def ship(m: IncidentMention) -> str | None:
    """The name of the merchant ship the attack hit, if its target is one."""
    return m.target.name if m.target is not None and m.target.is_ship else None


_OWN_STRIKE = re.compile(
    r"\s+(?:said|says|announced|reported|confirmed)\s+(?:that\s+)?(?:it|its forces|its aircraft|we|they)\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:conducted|carried out|launched|struck|killed|targeted|hit|destroyed)\b"
)
_PASSIVE = re.compile(
    r"(?:\s+(?:in|at|near|on)\s+[\w\s,'’-]{1,40}?)?\s+(?:were|was|have been|has been|had been|are|is|being)\s+"
    r"(?:\w+ly\s+)?(?:attacked|targeted|struck|hit|shelled|ambushed|fired (?:on|upon|at))\b"
    r"|\s+came under (?:attack|fire)\b"
    # "Three US Army soldiers were killed ... when a drone struck": the dead were the target
    r"|(?:\s+[\w,'’-]+){0,6}?\s+(?:were|was|have been|has been|had been)\s+(?:\w+ly\s+)?"
    r"(?:killed|injured|wounded|hurt)\b"
)


def parties(t: Tagged, i: int, trigger_start: int):
    """(attacker, target) actor mentions of sentence i, either may be None."""
    p = _patterns()
    s_start = t.sentences[i].start
    # "US Central Command said ...": who speaks is neither side of the attack
    speakers = [
        (x.start, x.end)
        for x in t.in_sentence("attributions", i)
        if not _OWN_STRIKE.match(t.text, x.end, x.end + 60)  # "CENTCOM said it struck ...": it did
    ]
    attacker = target = None
    launched_by = None
    for a in t.in_sentence("actors", i):
        if any(x <= a.start < y for x, y in speakers):
            continue
        lead = t.text[max(s_start, a.start - 30) : a.start]
        if (
            launched_by is None
            and _BY_AGENT.search(lead)
            and a.kind in _ATTACKER_KINDS
            and not a.generic
        ):
            launched_by = a  # "missiles launched by Houthi forces": who launched them attacked
            continue
        if _INTERCEPTS.match(t.text, a.end, min(t.sentences[i].end, a.end + 80)):
            continue  # "the destroyer USS Carney shot down three missiles": it defended
        if (
            target is None
            and (
                p.target_prep.search(lead)
                # "U.S. and coalition forces were attacked": the subject of a passive is hit
                or a.start < trigger_start
                and _PASSIVE.match(t.text, a.end, trigger_start + 40)
            )
            and a.kind in _TARGET_KINDS | {"state_military"}
        ):
            target = a
        elif (
            attacker is None
            and a.start < trigger_start
            and a.kind in _ATTACKER_KINDS
            and not a.generic
        ):
            attacker = a
    if launched_by is not None:
        attacker = launched_by
    if target is not None and attacker is not None and target.actor_id == attacker.actor_id:
        attacker = None
    return attacker, target


_ATTACKER_KINDS = ("non_state_armed_group", "state_military", "unidentified")
_BY_AGENT = re.compile(r"(?i:\b(?:launched|fired|sent|flown|carried\s+out)\s+by\s+(?:the\s+)?)$")
_INTERCEPTS = re.compile(
    r"(?i:(?:\s+[\w'’-]+){0,5}?\s+(?:shot\s+down|intercepted|downed|destroyed\s+(?:\w+\s+){0,3}?(?:drones?|missiles?)))\b"
)


# "an army drone strike", "a military air strike": a state's own forces struck, in the
# country where the strike fell.
_FORCES_STRIKE = re.compile(
    r"(?i:\b(?:an?|the)\s+(?:army|military|air force|navy|government|regime)\s+"
    r"(?:drone\s+strike|air\s*strike|airstrike|air raid|strike|raid|shelling|bombardment)s?\b)"
)


def forces_strike(t: Tagged, i: int, m: IncidentMention) -> None:
    """With no attacker named, "an army drone strike" in <country> is that country's forces."""
    if m.attacker is not None or not m.place.country:
        return
    s = t.sentences[i]
    hit = _FORCES_STRIKE.search(t.text, s.start, s.end)
    forces = forces_of(m.place.country) if hit else None
    if forces is not None and not (m.target is not None and m.target.id == forces.id):
        m.attacker = ActorRef(forces.id, hit.group(), forces.kind)
        m.evidence.append(Evidence("attacker", hit.start(), hit.end(), hit.group()))


def ref(a) -> ActorRef:
    return ActorRef(id=a.actor_id, name=a.text, kind=a.kind)


def target_ref(a) -> ActorRef:
    """Attacks "on US positions" hit the state's forces, not its government."""
    if a.kind == "government" and a.country:
        forces = forces_of(a.country)
        if forces is not None:
            return ActorRef(id=forces.id, name=a.text, kind=forces.kind)
    return ref(a)


def attribution(t: Tagged, i: int):
    own = t.in_sentence("attributions", i)
    if own:
        return own[0]
    para = t.sentences[i].paragraph
    for j in (i + 1, i - 1):
        if 0 <= j < len(t.sentences) and t.sentences[j].paragraph == para:
            found = t.in_sentence("attributions", j)
            if found:
                return found[0]
    return main_source(t.attributions)  # the statement's or the briefing's own source


def fill_from_document(t: Tagged, mentions: list[IncidentMention]) -> None:
    """Parties named once for the whole report ("X claimed responsibility", "attacks on US forces")."""
    p = _patterns()
    if not mentions:
        return
    claimed = None
    targets: Counter[str] = Counter()
    forces: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    refs, refs_all = {}, {}
    for i, s in enumerate(t.sentences):
        resp = t.words(_LEXICON).has("responsibility", s.start, s.end)
        for a in t.in_sentence("actors", i):
            if (
                resp
                and claimed is None
                and a.kind in ("non_state_armed_group", "state_military")
                and not a.generic
            ):
                claimed = a
            if a.kind in ("state_military", "coalition") and not a.generic:
                forces[a.actor_id] += 1
                refs_all.setdefault(a.actor_id, a)
            if a.kind == "non_state_armed_group" and not a.generic:
                groups[a.actor_id] += 1
                refs_all.setdefault(a.actor_id, a)
            lead = t.text[max(s.start, a.start - 30) : a.start]
            if a.kind in _TARGET_KINDS and not a.generic and p.target_prep.search(lead):
                targets[a.actor_id] += 1
                refs.setdefault(a.actor_id, a)
    # Without a claim, the armed group the report names most ("Iran-backed militias").
    suspect = claimed
    if suspect is None and groups:
        suspect = refs_all[groups.most_common(1)[0][0]]
    for m in mentions:
        if (
            m.attacker is None
            and suspect is not None
            and not (m.target is not None and m.target.id == suspect.actor_id)
        ):
            m.attacker = ref(suspect)
            m.evidence.append(t.evidence("attacker", suspect))
        attacker_id = m.attacker.id if m.attacker else None
        if m.target is None and len(targets) == 1 and next(iter(targets)) != attacker_id:
            a = refs[next(iter(targets))]
            m.target = target_ref(a)
            m.evidence.append(t.evidence("target", a))
        elif m.target is None and m.place.precision == "facility" and forces:
            # A military site under attack: its garrison, the forces the report names most.
            a = forces.most_common(1)[0][0]
            if m.attacker is None or refs_all[a].actor_id != m.attacker.id:
                m.target = target_ref(refs_all[a])
                m.evidence.append(t.evidence("target", refs_all[a]))
    if suspect is None:
        _share_lone_attacker(mentions)
    _the_enemy_in_ukraine(t, mentions)


def _the_enemy_in_ukraine(t: Tagged, mentions: list[IncidentMention]) -> None:
    """Ukraine's officials call the other side "the enemy", "the occupiers": in a report of
    attacks in Ukraine that is Russia's forces (``enemy_of_ukraine`` in incidents.yaml)."""
    hit = t.words(_LEXICON).first("enemy_of_ukraine", 0, len(t.text))
    actor = actor_by_id("russia_forces") if hit else None
    if actor is None:
        return
    said = t.text[hit[0] : hit[1]]
    for m in mentions:
        if m.attacker is None and m.place.country == "UA":
            m.attacker = ActorRef(actor.id, said, actor.kind)
            m.evidence.append(Evidence("attacker", hit[0], hit[1], said))


def _share_lone_attacker(mentions: list[IncidentMention]) -> None:
    """A report whose attacks all come from one named side (a night of Russian strikes)
    names it once: the other attacks it tells are that side's too."""
    named = [m for m in mentions if m.attacker is not None and m.attacker.id]
    if len({m.attacker.id for m in named}) != 1:
        return
    source = named[0]
    told = next(e for e in source.evidence if e.field == "attacker")
    for m in mentions:
        if m.attacker is None and not (m.target is not None and m.target.id == source.attacker.id):
            m.attacker = source.attacker
            m.evidence.append(told)


_CIVILIAN_WORDS = re.compile(
    r"(?i:\b(?:civilians?|people|residents|worshippers|children|passengers|shoppers|pupils|"
    r"students|patients|families|villagers|diners|passers-by|bystanders|crew members|sailors|seafarers|"
    r"women|men|farmers|fishermen|pilgrims|mourners|guests|worshipers|schoolchildren|commuters|"
    r"workers|miners|traders|employees|staff|customers|tourists|journalists|aid workers)\b)"
)

_COMBATANT_WORDS = re.compile(
    r"(?i:\b(?:soldiers?|troops|servicem[ae]n|service members|personnel|police(?:men)?|officers|"
    r"guards|militants|fighters|insurgents|gunmen|militiamen|rebels|security forces|gendarmes|"
    r"policemen|paramilitar\w+|attackers|jihadists)\b)"
)


def default_target(t: Tagged, m: IncidentMention) -> None:
    """The target a report implies: the forces based at an attacked site, else the
    civilians its casualties are ("killing 12 people")."""
    hosts = facility_hosts(m.place.name) if m.place.precision == "facility" else ()
    if hosts and (m.target is None or m.target.id == "coalition"):
        actor = actor_by_id(hosts[0])
        if actor is not None and (m.attacker is None or m.attacker.id != actor.id):
            m.target = ActorRef(actor.id, m.target.name if m.target else None, actor.kind)
            return
    if m.target is None:
        # The words after a casualty figure say who was hit ("killed 21 people").
        told = " ".join(
            t.text[e.start : _clause_end(t.text, e.end + 40, e.end)]
            for e in m.evidence
            if e.field.startswith("casualties.")
        )
        if _CIVILIAN_WORDS.search(told) and not _COMBATANT_WORDS.search(told):
            m.target = ActorRef("civilians", None, "civilians")
    if m.target is None and _civilian_site(t, m):
        m.target = ActorRef("civilians", None, "civilians")


# "two staff were taken to hospital": where the wounded went, not what was hit
_TAKEN_TO = re.compile(
    r"(?i:\b(?:taken|rushed|admitted|flown|evacuated|treated|brought|transferred|moved|died|"
    r"recovering|discharged)\b(?:\s+[\w-]+){0,4}?\s+(?:to|in|at|from)\s+(?:a\s+|the\s+|local\s+|nearby\s+)?)$"
)
_ARMED_PLACE = re.compile(
    r"(?i:\b(?:army|military|gendarmerie|barracks|checkpoint|police station|garrison|"
    r"television|broadcaster|TV station)\b)"
)


def _civilian_site(t: Tagged, m: IncidentMention) -> bool:
    """The attack's own sentence names a civilian site it hit (an apartment block, a
    market, a wedding) and no soldiers, police or fighters."""
    words = t.words("incidents.yaml")
    seen: set[int] = set()
    for e in m.evidence:
        if e.field not in ("place", "attack_modes") and not e.field.startswith("casualties."):
            continue
        i = t.sentence_of(e.start)
        if i is None or i in seen:
            continue
        seen.add(i)
        s = t.sentences[i]
        said = t.sentence_text(i)
        hit = any(
            not _TAKEN_TO.search(t.text[max(s.start, a - 60) : a])
            for a, _ in words.spans("civilian_site", s.start, s.end)
        )
        if hit and not (_COMBATANT_WORDS.search(said) or _ARMED_PLACE.search(said)):
            return True
    return False


def _clause_end(text: str, limit: int, start: int) -> int:
    """Where the clause after ``start`` ends, at most at ``limit``."""
    stop = re.compile(r"[.;:!?\n]|,\s+(?:and|but|while|the|officials?|police)\b")
    found = stop.search(text, start, limit)
    return found.start() if found else min(limit, len(text))
