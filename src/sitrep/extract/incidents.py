"""Incident assembler: each attack a document reports, with its date, place, means,
parties, outcome, casualties and source, every field tied to its sentence.

An incident starts at a sentence that reports an attack happening (an attack word or
weapon, plus a date, a place or casualties) and is not a running total. Sentences that
follow with casualties only ("Three soldiers were killed") add to the incident before
them. Mentions of one attack told twice (headline and body) are merged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache

from sitrep.extract.actors import actor_by_id, forces_of
from sitrep.extract.places import facility_hosts, same_place
from sitrep.extract.tagged import Span, Tagged
from sitrep.model import (
    ActorRef,
    Casualties,
    DateSpan,
    IncidentMention,
    Place,
    Range,
    content_id,
)

_LEXICON = "incidents.yaml"
_PLACE_RANK = {"facility": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5}
_OUTCOMES = ("intercepted", "shot_down", "impact", "damage", "no_damage")
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


def _is_dateline(t: Tagged, pm) -> bool:
    """ "BAGHDAD (Wire) -": where the story was filed, not where the attack was."""
    line_start = t.text.rfind("\n", 0, pm.start) + 1
    return pm.text.isupper() and not t.text[line_start : pm.start].strip()


_LOCATIVE = re.compile(
    r"(?i:\b(?:in|at|near|on|outside|inside|across|around|over|off|into|of|north|south|east|west|"
    r"northern|southern|eastern|western|northeastern|northwestern|southeastern|southwestern)"
    r"\s+(?:the\s+)?(?:[\w'’-]+\s+)?)$"
)


_OFFSET_FROM = re.compile(
    r"(?i:\b\d[\d,.]*\s*(?:-\s*)?(?:nautical\s+miles?|miles?|km|kilometres?|kilometers?|nm)\s+"
    r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"(?:of|off|from)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:(?:port|city|town|coast)\s+of\s+)?)$"
)


_NOT_WHERE_BEFORE = re.compile(
    r"(?i:\b(?:launched|fired|flown|sent|took off)\s+from\s+(?:the\s+)?(?:[\w-]+\s+)?$"
    r"|\b(?:launched|fired)\s+from\s+(?:ships|vessels|warships|submarines|aircraft|bombers)\s+(?:in|over)\s+(?:the\s+)?$"
    # where weapons came from: "from the Kursk and Primorsko-Akhtarsk areas", "from the direction of"
    r"|\bfrom\s+(?:the\s+)?(?:(?:direction|area|areas|vicinity)\s+of\s+(?:the\s+)?)?"
    r"(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s*(?:,|and)\s+)*$"
    # a government addressed, not a place: "pressure on Islamabad", "relations with Kabul"
    r"|\b(?:pressure\s+on|relations\s+with|ties\s+with|talks\s+with|accused|blamed|urged)\s+$"
    # a route: "flying from Amsterdam to Kuala Lumpur"
    r"|\bfrom\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+to\s+$"
    # a ship's name: "USS Carney", "HMS Diamond"
    r"|\b(?:USS|HMS|INS|HMCS|FS|ITS)\s+$"
    # where a launcher was found afterwards
    r"|\b(?:found|discovered|recovered|abandoned)\s+(?:near|in|at|outside)\s+(?:the\s+)?(?:(?:town|village|city)\s+of\s+)?$"
    # where the wounded were taken
    r"|\b(?:taken|rushed|flown|evacuated|transferred|airlifted)\s+to\s+(?:(?:a|the)\s+)?(?:[\w-]+\s+){0,2}?(?:in\s+)?$"
    r"|\b(?:died|treated|recovering|hospitalised|hospitalized)\s+(?:in|at)\s+(?:a\s+|the\s+)?(?:hospitals?|clinics?)\s+in\s+$"
    r"|\b(?:call|calls|called|named|dubbed|code-named)\s+[\"“‘']?$)"
)
# Where the speakers are: not the attack's place, unless the sentence names no other.
_SPEAKERS_IN = re.compile(
    r"(?i:\b(?:officials|spokesman|spokeswoman|spokesperson|sources|authorities|diplomats|reporters|leaders)"
    r"\s+in\s+(?:the\s+)?(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s*(?:,|and)\s+)*)$"
)
# "in the Red Sea west of Hodeidah": a landmark, when the sentence names the place itself.
_DIRECTION_OF = re.compile(
    r"(?i:\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?(?:(?:port|city|town)\s+of\s+)?)$"
)
_SPEAKS = re.compile(
    r"(?:['’]s\s+(?:government|foreign ministry|military|army))?\s+(?:has\s+|had\s+|have\s+)?"
    r"(?:said|says|blamed|blames|accused|accuses|condemned|condemns|denied|denies|warned|warns|vowed|vows|"
    r"demanded|demands|rejected|rejects|summoned|summons|responded|insisted|announced|urged|called on|"
    r"retaliated|protested|threatened)\b"
)
_NOT_WHERE_AFTER = re.compile(r"[\"”’']?\s+time\b|-based\b")


def _is_attack_place(t: Tagged, pm, i: int) -> bool:
    """A place the attack happened at, not a dateline, a demonym-like actor, a government,
    or a landmark it is measured from ("about 50 nautical miles south-east of Aden")."""
    if _is_dateline(t, pm):
        return False
    if _OFFSET_FROM.search(t.text[max(t.sentences[i].start, pm.start - 80) : pm.start]):
        return False
    if _NOT_WHERE_BEFORE.search(t.text[max(t.sentences[i].start, pm.start - 40) : pm.start]):
        return False  # "launched from Yemen", "a drone they call 'Jaffa'"
    if _NOT_WHERE_AFTER.match(t.text, pm.end):
        return False  # "9:15 p.m. Sanaa time"
    if (
        pm.kind in ("city", "country")
        and _SPEAKS.match(t.text, pm.end)
        and not re.search(r"\b(?:in|at|from)\s+$", t.text[max(0, pm.start - 6) : pm.start])
    ):
        return False  # "Islamabad blamed Kabul": a government, not a place ("officials in Kabul said" is)
    if pm.kind == "facility":
        return True
    if pm.kind != "city" and any(a.start <= pm.start < a.end for a in t.in_sentence("actors", i)):
        return False  # "the Islamic Resistance in Iraq"
    lead = t.text[max(t.sentences[i].start, pm.start - 30) : pm.start]
    if _LOCATIVE.search(lead):
        return True
    as_actor = any(a.start <= pm.start < a.end for a in t.in_sentence("actors", i))
    return pm.kind == "city" and not as_actor


_AT_PLACE = re.compile(r"(?i:\b(?:in|at|near|outside|inside|on|into|through|across|off|over)\s+(?:the\s+)?(?:southern\s+|northern\s+|eastern\s+|western\s+)?)$")


def _best_place(t: Tagged, i: int):
    key = ("best_place", i)
    if key not in t.memo:
        t.memo[key] = _find_best_place(t, i)
    return t.memo[key]


def _find_best_place(t: Tagged, i: int):
    places = [pm for pm in t.in_sentence("places", i) if _is_attack_place(t, pm, i)]
    if len(places) > 1:
        s_start = t.sentences[i].start
        places = [
            pm
            for pm in places
            if not _SPEAKERS_IN.search(t.text[max(s_start, pm.start - 60) : pm.start])
            and not _DIRECTION_OF.search(t.text[max(s_start, pm.start - 40) : pm.start])
        ] or places
    if not places:
        return None
    # among places of one rank, one the sentence puts the attack at ("near Besham") before
    # one it only names ("engineers of the Dasu hydropower project")
    best = min(
        places,
        key=lambda pm: (
            _PLACE_RANK.get(pm.kind, 9),
            not _AT_PLACE.search(t.text[max(t.sentences[i].start, pm.start - 30) : pm.start]),
            pm.score < 0.5,
            pm.start,
        ),
    )
    return _facility_named(t, best) or best


def _norm(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def _facility_named(t: Tagged, pm):
    """A short name ("Harir", "Rumalyn") for a facility the report named in full."""
    if pm.kind == "facility":
        return None
    short = _norm(pm.text)
    for other in t.places:
        if other.kind == "facility" and other is not pm and (
            _norm(other.text).startswith(short) or _norm(other.place.name or "").startswith(short)
        ):
            return other
    return None


_SAID_ON = re.compile(
    r"\b(?:said|told(?:\s+[\w'’-]+){1,3}|announced|reported|confirmed|added|stated)\s+(?:on\s+|late\s+|early\s+)?$"
)
_BY = re.compile(r"\bby\s+$")  # "no group had claimed it by Monday": a deadline, not the attack's day


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _event_date(t: Tagged, i: int):
    key = ("event_date", i)
    if key not in t.memo:
        t.memo[key] = _find_event_date(t, i)
    return t.memo[key]


def _find_event_date(t: Tagged, i: int):
    """The date of the attack a sentence tells: the most precise one, and among equals
    the one nearest the attack's site ("early on Wednesday ... Monday's strike on al-Asad")."""
    site = _best_place(t, i)
    anchor = site.start if site is not None else t.sentences[i].start
    best, best_key = None, None
    for d in t.in_sentence("dates", i):
        if d.kind not in ("point", "range") or d.value is None:
            continue
        lead = t.text[max(0, d.start - 40) : d.start]
        if _header_date(t, d):
            continue  # "STATEMENT / August 10, 2024 / <headline>" read as one sentence
        if _SAID_ON.search(lead):
            continue  # "officials said on Tuesday": when it was said, not when it happened
        # "Monday's bombing" names the attack's own day; "rose to 95 on Tuesday" does not.
        possessive = t.text.startswith(("'s", "’s"), d.end)
        if _BY.search(lead) and not possessive:
            continue
        key = (not possessive, _PRECISION_RANK.get(d.value.precision, 4), abs(d.start - anchor))
        if best_key is None or key < best_key:
            best, best_key = d, key
    return best


_OFFSET = re.compile(
    r"(?i:\b(?P<n>\w+|\d+)\s+(?P<unit>day|days|week|weeks)\s+(?P<dir>earlier|later|before|after|afterwards)\b)"
)
_DAY_BEFORE = re.compile(
    r"(?i:\bthe (?P<dir>day before|previous day|following day|next day|day after|same night|same day|"
    r"same evening|same morning|same afternoon)\b)"
)


_BEFORE_AN_ATTACK = re.compile(r"\s+(?:a|an|the)\s")
_DAYS_AFTER = re.compile(r"(?i:\b(?P<n>\w+)\s+(?P<unit>days?|weeks?)\s+after\s+(?:a|an|the)\s)")


def _days_counted(hit: re.Match) -> int | None:
    """The days an exact "<n> days" or "<n> weeks" (groups ``n`` and ``unit``) counts."""
    from sitrep.extract.quantities import parse_quantity

    q = parse_quantity(hit.group("n"))
    if q is None or q.value.min is None or q.value.min != q.value.max:
        return None
    return int(q.value.min) * (7 if hit.group("unit").lower().startswith("week") else 1)


def _count_back(t: Tagged, m: IncidentMention, d) -> None:
    """ "Rescuers finished on Monday, two days after a drone tore into the building": the
    attack's day is counted back from the day the sentence gives."""
    i = t.sentence_of(d.start)
    if i is None:
        return
    hit = _DAYS_AFTER.search(t.text, d.end, t.sentences[i].end)
    if hit is None or m.date.start is None or m.date.precision != "day":
        return
    days = _days_counted(hit)
    if days is None:
        return
    day = m.date.start - timedelta(days=days)
    m.date = DateSpan(day, day, "day")
    m.evidence.append(t.evidence("date", Span(hit.start(), hit.end())))


def _date_from_previous(t: Tagged, i: int, m: IncidentMention, last: IncidentMention) -> None:
    """"Two days earlier, rockets ...": a date counted from the attack told just before."""
    if last.date.start is None or last.date.precision != "day":
        return
    s = t.sentences[i]
    hit = _OFFSET.search(t.text, s.start, s.end)
    days = None
    if hit:
        days = _days_counted(hit)
        if days is not None:
            if hit.group("dir").lower() in ("earlier", "before"):
                days = -days
            if _BEFORE_AN_ATTACK.match(t.text, hit.end()):
                # "16 days after a US drone strike killed ...": this sentence's attack is
                # the earlier one, counted back from the day told before
                days = -days
    else:
        hit = _DAY_BEFORE.search(t.text, s.start, s.end)
        if hit:
            rel = hit.group("dir").lower()
            days = -1 if rel in ("day before", "previous day") else 0 if rel.startswith("same") else 1
    if days is None:
        return
    day = last.date.start + timedelta(days=days)
    m.date = DateSpan(day, day, "day")
    m.evidence.append(t.evidence("date", Span(hit.start(), hit.end())))


_TIMESTAMP = re.compile(
    r"(?m:^[ \t]*\d{1,2}[:.]\d{2}(?:\s*(?:GMT|UTC|local(?: time)?|[A-Z]{2,4}))?\s*(?:[-–—:|]|\n))"
)


def _date_from_entry(t: Tagged, i: int, m: IncidentMention) -> None:
    """A live blog's entries ("10:50 - Okhmatdyt has been hit") tell the day it is
    published unless they say otherwise: the entry's timestamp dates the attack."""
    if t.published is None:
        return
    stamps = [hit for hit in _TIMESTAMP.finditer(t.text)]
    if len(stamps) < 2:
        return
    before = [hit for hit in stamps if hit.start() <= t.sentences[i].start]
    if not before:
        return
    stamp = before[-1]
    day = next(
        (
            d
            for d in reversed(t.dates)
            if d.start < stamp.start() and d.kind == "point" and d.value is not None
            and d.value.precision == "day" and _header_date(t, d)
        ),
        None,
    )
    if day is not None:  # "Saturday 20 July" above the entries: the day they tell
        m.date = DateSpan(day.value.start, day.value.end, "day")
        m.evidence.append(t.evidence("date", day))
        return
    m.date = DateSpan(t.published, t.published, "day")
    m.evidence.append(t.evidence("date", Span(stamp.start() + len(stamp.group()) - len(stamp.group().lstrip()), stamp.end())))


# "If Israel launches a ground offensive in Rafah, ...": an attack that may happen.
_HYPOTHETICAL = re.compile(
    r"(?i:\b(?:if|unless|should)\s+(?:[\w-]+\s+){1,3}?(?:launches|launch|attacks|strikes|invades|hits|targets|goes ahead)\b)"
)
_NEW_ONE = re.compile(r"(?i:\b(?:separately|in a separate|elsewhere)\b)")  # a sentence that starts a new attack
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


_SHIP_NAME = re.compile(r"[ \t]+(?:the[ \t]+)?(?P<name>[A-Z0-9][\w'’.-]*(?:[ \t]+(?:[A-Z0-9][\w'’.-]*|of|de|la|del))*)")
_NOT_SHIP = frozenset(
    "the a an monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december on in at off near was were had has".split()
)


def _vessels(t: Tagged, i: int) -> list[tuple[str, Span]]:
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
        if not words or words[0].lower() in _NOT_SHIP or t.text[hit.start("name") - 1 : hit.start("name")] == "-":
            continue
        name = " ".join(words).rstrip(".")
        if name[0].isupper() and all(name != n for n, _ in out):
            out.append((name, Span(hit.start("name"), hit.start("name") + len(name))))
    return out


def _ship_target(t: Tagged, m: IncidentMention, name: str, span: Span) -> None:
    if m.target is None or m.target.id in (None, "civilians") and not m.target.is_ship:
        m.target = ActorRef(None, name, "civilians")
        m.evidence = [e for e in m.evidence if e.field != "target"] + [t.evidence("target", span)]


def _ship(m: IncidentMention) -> str | None:
    """The name of the merchant ship the attack hit, if its target is one."""
    return m.target.name if m.target is not None and m.target.is_ship else None


def _same_occasion(t: Tagged, i: int) -> bool:
    """ "A few hours later", "In the evening", "In the second attack": the sentence goes on
    with the occasion told before it."""
    s = t.sentences[i]
    return t.words(_LEXICON).has("same_occasion", s.start, s.end)


_ATTACK_NOUN = re.compile(r"(?i:\b(strikes?|attacks?|raid|bombing|blast|explosion|shelling)\b)")


def _date_referred_back(t: Tagged, i: int, m: IncidentMention) -> bool:
    """ "16 people were killed in the strikes": the attack told before, named again, on
    the day the nearest earlier sentence about it gives ("The strikes were carried out
    late on Friday")."""
    s = t.sentences[i]
    hit = t.words(_LEXICON).first("back_reference", s.start, s.end)
    if hit is None:
        return False
    noun = _ATTACK_NOUN.search(t.text, *hit)
    if noun is None:
        return False
    stem = noun.group(1).lower().rstrip("s")
    for j in range(i - 1, -1, -1):
        if stem not in t.sentence_text(j).lower():
            continue
        d = _event_date(t, j)
        if d is not None and d.value.precision == "day":
            m.date = DateSpan(d.value.start, d.value.end, "day")
            m.evidence.append(t.evidence("date", d))
            return True
    return False


def _date_from_last(
    t: Tagged, i: int, m: IncidentMention, last: IncidentMention, cls: str = "same_occasion"
) -> None:
    if last.date.start is None or last.date.precision != "day":
        return
    m.date = DateSpan(last.date.start, last.date.end, "day")
    s = t.sentences[i]
    hit = t.words(_LEXICON).first(cls, s.start, s.end)
    m.evidence.append(t.evidence("date", Span(*hit)))


def _context_date(t: Tagged, i: int):
    """A date the sentence leaves implicit: the last one earlier in its paragraph, else the
    lead's, for an attack told in the first sentences ("On Monday, drones ... The attack ...")."""
    para = t.sentences[i].paragraph
    for j in range(i - 1, -1, -1):
        if t.sentences[j].paragraph != para:
            break
        d = _event_date(t, j)
        if d is not None:
            return d
    if i <= 3:
        for j in range(0, min(len(t.sentences), 4)):
            d = _event_date(t, j)
            if d is not None and d.value.precision == "day" and not _header_date(t, d):
                return d
    return None


_HEADER_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _header_date(t: Tagged, d) -> bool:
    """A date on a line of its own or in a dateline ("August 10, 2024", "BAGHDAD, Dec. 9",
    "Rawalpindi - 16 March 2024", a live blog's "Saturday 20 July"): when the text was
    written or which day's entries follow, not the day of an attack a sentence tells."""
    start = t.text.rfind("\n", 0, d.start) + 1
    end = t.text.find("\n", d.end)
    line = t.text[start : len(t.text) if end < 0 else end]
    rest = line[: d.start - start] + " " + line[d.end - start :]
    words = _HEADER_WORD.findall(rest)
    return len(words) <= 4 and all(w[0].isupper() for w in words)


def _parties(p: _Patterns, t: Tagged, i: int, trigger_start: int):
    """(attacker, target) actor mentions of sentence i, either may be None."""
    s_start = t.sentences[i].start
    attacker = target = None
    for a in t.in_sentence("actors", i):
        lead = t.text[max(s_start, a.start - 30) : a.start]
        if (
            target is None
            and p.target_prep.search(lead)
            and a.kind in _TARGET_KINDS | {"state_military"}
        ):
            target = a
        elif (
            attacker is None
            and a.start < trigger_start
            and a.kind
            in (
                "non_state_armed_group",
                "state_military",
                "unidentified",
            )
            and not a.generic
        ):
            attacker = a
    if target is not None and attacker is not None and target.actor_id == attacker.actor_id:
        attacker = None
    return attacker, target


def _ref(a) -> ActorRef:
    return ActorRef(id=a.actor_id, name=a.text, kind=a.kind)


def _target_ref(a) -> ActorRef:
    """Attacks "on US positions" hit the state's forces, not its government."""
    if a.kind == "government" and a.country:
        forces = forces_of(a.country)
        if forces is not None:
            return ActorRef(id=forces.id, name=a.text, kind=forces.kind)
    return _ref(a)


def _attribution(t: Tagged, i: int):
    own = t.in_sentence("attributions", i)
    if own:
        return own[0]
    para = t.sentences[i].paragraph
    for j in (i + 1, i - 1):
        if 0 <= j < len(t.sentences) and t.sentences[j].paragraph == para:
            found = t.in_sentence("attributions", j)
            if found:
                return found[0]
    return None


def _add_casualties(t: Tagged, m: IncidentMention, i: int) -> None:
    for c in t.in_sentence("casualties", i):
        slot: Range = getattr(m.casualties, c.category)
        if slot.is_empty():
            setattr(m.casualties, c.category, Range(c.value.min, c.value.max))
            m.evidence.append(t.evidence(f"casualties.{c.category}", c))


def _new_mention(p: _Patterns, t: Tagged, i: int, trigger) -> IncidentMention:
    m = IncidentMention()
    d = _event_date(t, i)
    if d is not None:
        m.date = DateSpan(d.value.start, d.value.end, d.value.precision)
        m.evidence.append(t.evidence("date", d))
        _count_back(t, m, d)
    pm = _best_place(t, i)
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
    attacker, target = _parties(p, t, i, trigger.start())
    if attacker is not None:
        m.attacker = _ref(attacker)
        m.evidence.append(t.evidence("attacker", attacker))
    if target is not None:
        m.target = _target_ref(target)
        m.evidence.append(t.evidence("target", target))
    ships = _vessels(t, i)
    if ships:
        _ship_target(t, m, *ships[0])
    _add_outcomes(p, t, m, i)
    _add_casualties(t, m, i)
    source = _attribution(t, i)
    if source is not None:
        m.attribution = source.source
        m.evidence.append(t.evidence("attribution", source))
    return m


def _add_outcomes(p: _Patterns, t: Tagged, m: IncidentMention, i: int) -> None:
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


def _attacks_in_tally(p: _Patterns, t: Tagged, i: int) -> list[IncidentMention]:
    """The dated attacks on named sites a tally sentence tells ("the tally includes three
    attacks on Wednesday against Tall Baydar, the Rumalyn Landing Zone and ..."), one per site."""
    modes = [x for x in t.in_sentence("modes", i) if x.attack]
    day = _event_date(t, i)
    site = _best_place(t, i)
    if not modes or day is None or day.value.precision != "day" or site is None or site.kind != "facility":
        return []
    m = _new_mention(p, t, i, _Match(modes[0].start))
    m.casualties = Casualties()
    m.evidence = [e for e in m.evidence if not e.field.startswith("casualties.")]
    sites = _listed_sites(t, i)
    if len(sites) > 1:
        return [_copy_at(t, m, pm) for pm in sites]
    return [m]


def _has_day(t: Tagged, i: int) -> bool:
    d = _event_date(t, i)
    return d is not None and d.value.precision == "day"


def _has_outcome(p: _Patterns, t: Tagged, i: int) -> bool:
    s = t.sentences[i]
    words = t.words(_LEXICON)
    return any(words.has(f"outcome_{o}", s.start, s.end) for o in ("intercepted", "shot_down", "no_damage"))


def _is_event(m: IncidentMention) -> bool:
    """Enough to be an attack that happened, not talk about attacks in general."""
    anchors = sum(
        (
            m.date.start is not None and m.date.precision in ("day", "week"),
            # a named sea or strait (no country) places an attack as well as a town does
            m.place.name is not None and (m.place.precision != "country" or m.place.country is None),
            not m.casualties.is_empty(),
            bool(m.attack_modes),
        )
    )
    return (m.date.start is not None or m.place.name is not None) and anchors >= 2


def assemble_incidents(t: Tagged, doc_id: str, skip: set[int]) -> list[IncidentMention]:
    """Incident mentions of the document; sentences in ``skip`` state claims, not events."""
    p = _patterns()
    mentions: list[IncidentMention] = []
    last: IncidentMention | None = None
    last_i = -10
    for i, s in enumerate(t.sentences):
        if t.words(_LEXICON).has("denial", s.start, s.end):
            # "A US official says there was no such attack": the claim just told is denied.
            if last is not None and mentions and mentions[-1] is last and i - last_i <= 2:
                mentions.pop()
                last = mentions[-1] if mentions else None
            continue
        if t.words(_LEXICON).has("not_event", s.start, s.end) or _HYPOTHETICAL.search(t.text, s.start, s.end):
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
            mentions.extend(_attacks_in_tally(p, t, i))
            continue
        hit = t.words(_LEXICON).first("attack_verb", s.start, s.end)
        trigger = _Match(hit[0] - s.start) if hit else None
        attack_modes = [x for x in t.in_sentence("modes", i) if x.attack]
        if trigger is None and attack_modes:
            trigger = _Match(attack_modes[0].start - s.start)
        if trigger is not None:
            m = _new_mention(p, t, i, _Match(s.start + trigger.start()))
            if m.date.start is None and last is not None:
                _date_from_previous(t, i, m, last)
            if m.date.start is None and last is not None and _same_occasion(t, i):
                _date_from_last(t, i, m, last)
            ships = _vessels(t, i)
            if len(ships) > 1 and (_is_event(m) or last is not None):
                # "the Number 9 was hit, and the Sophie II was hit shortly afterwards": one each
                for name, span in ships:
                    one = _clone(m)
                    one.target = None
                    _ship_target(t, one, name, span)
                    if last is not None and i - last_i <= 3:  # the same story goes on: its sea, its weapon
                        if one.place.name is None:
                            one.place = last.place
                        if not one.attack_modes:
                            one.attack_modes = list(last.attack_modes)
                    mentions.append(one)
                last, last_i = mentions[-1], i
                continue
            sites = _listed_sites(t, i)
            if len(sites) < 2 and m.place.precision == "country":
                sites = _listed_countries(t, i)
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
                    d = _context_date(t, i)
                    if d is not None:
                        m.date = DateSpan(d.value.start, d.value.end, d.value.precision)
                        m.evidence.append(t.evidence("date", d))
                        _count_back(t, m, d)
                    elif not _date_referred_back(t, i, m):
                        _date_from_entry(t, i, m)
                mentions.append(m)
                last, last_i = m, i
                continue
            if (
                last is not None
                and i - last_i <= 3
                and not _NEW_ONE.search(t.sentence_text(i))
                and (_compatible(last, m) or _goes_on(t, i, m, last_i))
            ):
                _merge_into(last, m)
                last_i = i
                continue
        if last is not None and i - last_i <= 3 and t.in_sentence("casualties", i):
            _add_casualties(t, last, i)
            _add_outcomes(p, t, last, i)
            last_i = i
        elif last is not None and i - last_i <= 2 and _has_outcome(p, t, i):
            _add_outcomes(p, t, last, i)  # "It was shot down by our air defenses."
        if last is not None and i - last_i <= 1 and last.target is None:
            ships = _vessels(t, i)
            if len(ships) == 1:  # "Shipping sources identified the vessel as the MSC Clara."
                _ship_target(t, last, *ships[0])
    mentions = _merge_same(mentions)
    _apply_scoped_negations(t, mentions)
    _fill_from_document(p, t, mentions)
    for m in mentions:
        _default_target(t, m)
        _finish(m, doc_id)
    return mentions


@dataclass(frozen=True, slots=True)
class _Match:
    pos: int

    def start(self) -> int:
        return self.pos


_FAMILIES = (
    {"rocket", "mortar", "indirect_fire", "artillery"},
    {"uas_one_way", "uas_armed"},
    {"missile", "ballistic_missile", "cruise_missile"},
    {"small_arms", "ground_assault", "rpg_atgm"},  # gunmen storming a site: one assault
    {"ied", "vbied", "suicide_bombing"},  # "suicide car bombs": one bombing, named two ways
)


def _same_family(a: list[str], b: list[str]) -> bool:
    return any(set(a) & fam and set(b) & fam for fam in _FAMILIES)


def _tidy_modes(m: IncidentMention) -> None:
    """Keep the most specific codes: a "missile" that is also called ballistic is one
    ballistic missile; a "drone strike" by an armed group is a one-way attack drone."""
    modes = m.attack_modes
    if "missile" in modes and ({"ballistic_missile", "cruise_missile"} & set(modes)):
        modes.remove("missile")
    if "uas_armed" in modes and (
        "uas_one_way" in modes or (m.attacker is not None and m.attacker.kind != "state_military")
        or (m.attacker is None and m.target is not None and m.target.kind in ("state_military", "coalition"))
    ):
        modes.remove("uas_armed")
        if "uas_one_way" not in modes:
            modes.append("uas_one_way")


_LOCATOR = re.compile(r"(?i:\b(?:near|outside|close to|next to|beside|by)\s+(?:the\s+)?)$")


def _listed_sites(t: Tagged, i: int) -> list:
    """Distinct facilities named together in one sentence, in order; one that only locates
    the site before it ("Victory Base, near Baghdad airport") is not a site of its own."""
    seen, out = set(), []
    for pm in t.in_sentence("places", i):
        if pm.kind != "facility" or pm.place.name in seen:
            continue
        if out and _LOCATOR.search(t.text[max(out[-1].end, pm.start - 20) : pm.start]):
            continue
        seen.add(pm.place.name)
        out.append(pm)
    return out


_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:in\s+)?$")


def _listed_countries(t: Tagged, i: int) -> list:
    """Countries a sentence lists as where attacks happened ("strikes in Iraq and Syria"):
    one incident each, as the attacks on each country's soil are told apart."""
    out = []
    for pm in t.in_sentence("places", i):
        if pm.kind != "country":
            continue
        if out and not _LIST_GLUE.match(t.text[out[-1].end : pm.start]):
            break
        if not out and not _is_attack_place(t, pm, i):
            continue
        if all(pm.place.country != o.place.country for o in out):
            out.append(pm)
    return out


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
    one.place = Place(**{f: getattr(pm.place, f) for f in ("name", "country", "admin1", "lat", "lon", "precision")})
    one.evidence = [e for e in one.evidence if e.field != "place"] + [t.evidence("place", pm)]
    for f in ("killed", "injured", "serious", "minor", "tbi"):
        r = getattr(one.casualties, f)
        if not (r.min == 0 and r.max == 0):  # "none of which wounded anyone" holds for each
            setattr(one.casualties, f, Range())
    return one


def _compatible(a: IncidentMention, b: IncidentMention) -> bool:
    if (
        a.date.start
        and b.date.start
        and not (
            a.date.start <= (b.date.end or b.date.start)
            and b.date.start <= (a.date.end or a.date.start)
        )
    ):
        return False
    if a.place.country and b.place.country and a.place.country != b.place.country:
        return False
    if (
        a.place.precision in ("facility", "city")
        and b.place.precision in ("facility", "city")
        and a.place.name != b.place.name
        and not _site_in_town(a.place, b.place)
    ):
        return False
    if a.attack_modes and b.attack_modes and not set(a.attack_modes) & set(b.attack_modes):
        if not _same_family(a.attack_modes, b.attack_modes):
            return False
    if _ship(a) and _ship(b) and _ship(a) != _ship(b):
        return False  # two ships hit are two attacks
    return True



def _within(a: Place, b: Place) -> bool:
    """One place is the country the other lies in ("two bases in Syria and Iraq" ... "Al-Asad")."""
    for outer, inner in ((a, b), (b, a)):
        if inner.name and outer.precision == "country" != inner.precision and inner.country == outer.country:
            return True
    return False


def _at_sea(p: Place) -> bool:
    """A named sea or strait (no country), not a stretch of land."""
    return p.name is not None and p.country is None and p.precision in ("region", "country")


def _site_in_town(a: Place, b: Place) -> bool:
    """A site the report placed in a town ("the Hayat Hotel in Mogadishu") and that town,
    or two sites it placed in one town ("the Beach View restaurant" on "Mogadishu's Lido
    Beach"): a site carries its town's coordinates (extract/sites.py)."""
    if not {a.precision, b.precision} <= {"facility", "city"} or a.precision == b.precision == "city":
        return False
    if None in (a.lat, b.lat):
        return False
    return same_place(Place(lat=a.lat, lon=a.lon), Place(lat=b.lat, lon=b.lon), km=1.0)


def _merge_into(a: IncidentMention, b: IncidentMention) -> None:
    if a.date.start is None or (b.date.precision == "day" and a.date.precision != "day"):
        if b.date.start is not None:
            a.date = b.date
    if b.place.name and _PLACE_RANK.get(b.place.precision or "", 9) < _PLACE_RANK.get(
        a.place.precision or "", 9
    ) and not _at_sea(a.place):
        a.place = b.place  # (an attack at sea stays at sea: a port named later is not its place)
    a.attack_modes = list(dict.fromkeys(a.attack_modes + b.attack_modes))
    a.weapons = list(dict.fromkeys(a.weapons + b.weapons))
    if a.payload_kg.is_empty():
        a.payload_kg = b.payload_kg
    a.attacker = a.attacker or b.attacker
    a.target = a.target or b.target
    a.outcome = list(dict.fromkeys(a.outcome + b.outcome))
    for f in ("killed", "injured", "serious", "minor", "tbi"):
        if getattr(a.casualties, f).is_empty():
            setattr(a.casualties, f, getattr(b.casualties, f))
    a.attribution = a.attribution or b.attribution
    a.evidence.extend(b.evidence)


def _days_overlap(a: DateSpan, b: DateSpan) -> bool:
    """Two day-precise dates that share a day ("overnight into Saturday" and "Saturday")."""
    if a.precision != "day" or b.precision != "day" or None in (a.start, b.start):
        return False
    return a.start <= (b.end or b.start) and b.start <= (a.end or a.start)


def _merge_same(mentions: list[IncidentMention]) -> list[IncidentMention]:
    """The same attack told twice in one report is one incident."""
    out: list[IncidentMention] = []
    for m in mentions:
        for kept in out:
            if _compatible(kept, m) and _same_anchor(kept, m):
                _merge_into(kept, m)
                break
        else:
            out.append(m)
    return out


def _same_anchor(a: IncidentMention, b: IncidentMention) -> bool:
    """Compatible mentions are one attack when they share a place or a date, or one has neither."""
    same_place = a.place.name is not None and (
        a.place.name == b.place.name or _within(a.place, b.place) or _site_in_town(a.place, b.place)
    )
    same_date = a.date.start is not None and (
        a.date.start == b.date.start
        or (a.place.name is None or b.place.name is None) and _days_overlap(a.date, b.date)
    )
    return (
        same_place
        or same_date
        or (a.place.name is None or b.place.name is None)
        and (a.date.start is None or b.date.start is None)
    )


_EVERY = re.compile(
    r"(?i:\b(?:any of the|none of the|neither|either|all (?:of )?the|none of which|each of the|both)\b)"
)


def _apply_scoped_negations(t: Tagged, mentions: list[IncidentMention]) -> None:
    """"No injuries were reported in any of the attacks" holds for every attack told."""
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


def _fill_from_document(p: _Patterns, t: Tagged, mentions: list[IncidentMention]) -> None:
    """Parties named once for the whole report ("X claimed responsibility", "attacks on US forces")."""
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
        if m.attacker is None and suspect is not None and not (
            m.target is not None and m.target.id == suspect.actor_id
        ):
            m.attacker = _ref(suspect)
            m.evidence.append(t.evidence("attacker", suspect))
        attacker_id = m.attacker.id if m.attacker else None
        if m.target is None and len(targets) == 1 and next(iter(targets)) != attacker_id:
            a = refs[next(iter(targets))]
            m.target = _target_ref(a)
            m.evidence.append(t.evidence("target", a))
        elif m.target is None and m.place.precision == "facility" and forces:
            # A military site under attack: its garrison, the forces the report names most.
            a = forces.most_common(1)[0][0]
            if m.attacker is None or refs_all[a].actor_id != m.attacker.id:
                m.target = _target_ref(refs_all[a])
                m.evidence.append(t.evidence("target", refs_all[a]))
    if suspect is None:
        _share_lone_attacker(mentions)


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


def _tidy_outcomes(m: IncidentMention) -> None:
    """Outcomes gathered over several sentences must not contradict each other."""
    out = m.outcome
    hurt = any((getattr(m.casualties, f).min or 0) > 0 for f in ("killed", "injured", "serious", "minor", "tbi"))
    if "no_damage" in out and "damage" in out:
        out.remove("damage")
    if "no_damage" in out and "impact" in out and not hurt:
        out.remove("impact")  # "landed outside the perimeter ... no damage"
    stopped = "shot_down" in out or "intercepted" in out
    if ("damage" in out or hurt) and not stopped and "impact" not in out:
        out.insert(0, "impact")  # whatever killed, wounded or damaged struck home


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


def _default_target(t: Tagged, m: IncidentMention) -> None:
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


def _clause_end(text: str, limit: int, start: int) -> int:
    """Where the clause after ``start`` ends, at most at ``limit``."""
    stop = re.compile(r"[.;:!?\n]|,\s+(?:and|but|while|the|officials?|police)\b")
    found = stop.search(text, start, limit)
    return found.start() if found else min(limit, len(text))


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
    if _ship(m):
        parts.append(_ship(m))  # ships hit in one sentence share everything else
    m.id = content_id(*parts)
