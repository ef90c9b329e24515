"""Which place a sentence puts an attack at: the place it happened, not a dateline, a
government, a landmark it is measured from or where a launcher was found; and the sites
or countries a sentence lists as attacked one by one."""

from __future__ import annotations

import re

from sitrep.extract.tagged import Tagged

PLACE_RANK = {"facility": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5}


def _is_dateline(t: Tagged, pm) -> bool:
    """ "BAGHDAD (Wire) -": where the story was filed, not where the attack was."""
    line_start = t.text.rfind("\n", 0, pm.start) + 1
    return pm.text.isupper() and not t.text[line_start : pm.start].strip()


_LOCATIVE = re.compile(
    r"(?i:\b(?:in|at|near|on|outside|inside|across|around|over|off|into|of|transiting|crossing|through|sailing|north|south|east|west|"
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

_WARSHIP = re.compile(
    r"\b(?:USS|HMS|INS|HMCS|FS|ITS|HNLMS|FGS)\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)


def _warship_names(t: Tagged) -> frozenset[str]:
    """Names a report gives warships ("USS Carney"): later "the Carney" is the ship."""
    key = ("warships",)
    if key not in t.memo:
        t.memo[key] = frozenset(m.group("name") for m in _WARSHIP.finditer(t.text))
    return t.memo[key]


_OFF = re.compile(r"(?i:\boff\s+(?:the\s+)?(?:(?:coast|port|city|town)\s+of\s+)?(?:[\w-]+\s+)?)$")

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
    if pm.text in _warship_names(t):
        return False  # "the Carney shot down the drones" after "the USS Carney"
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


_AT_PLACE = re.compile(
    r"(?i:\b(?:in|at|near|outside|inside|on|into|through|across|off|over)\s+(?:the\s+)?(?:southern\s+|northern\s+|eastern\s+|western\s+)?)$"
)


def best_place(t: Tagged, i: int):
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
    if len(places) > 1 and any(pm.place.country is None for pm in places):
        # "the Eternity C in the Red Sea off Hodeidah": at sea, the coast only locates it
        s_start = t.sentences[i].start
        places = [
            pm for pm in places if not _OFF.search(t.text[max(s_start, pm.start - 30) : pm.start])
        ] or places
    if not places:
        return None
    # among places of one rank, one the sentence puts the attack at ("near Besham") before
    # one it only names ("engineers of the Dasu hydropower project")
    best = min(
        places,
        key=lambda pm: (
            PLACE_RANK.get(pm.kind, 9),
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
        if (
            other.kind == "facility"
            and other is not pm
            and (
                _norm(other.text).startswith(short)
                or _norm(other.place.name or "").startswith(short)
            )
        ):
            return other
    return None


_LOCATOR = re.compile(r"(?i:\b(?:near|outside|close to|next to|beside|by)\s+(?:the\s+)?)$")


def listed_sites(t: Tagged, i: int) -> list:
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


def listed_countries(t: Tagged, i: int) -> list:
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
