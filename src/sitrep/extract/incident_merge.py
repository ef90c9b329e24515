"""When two mentions tell one attack (compatible day, place, means and ship, and a shared
anchor), and folding one into the other."""

from __future__ import annotations

from sitrep.extract.incident_parties import ship
from sitrep.extract.incident_places import PLACE_RANK
from sitrep.extract.places import same_place
from sitrep.model import DateSpan, IncidentMention, Place

_FAMILIES = (
    {"rocket", "mortar", "indirect_fire", "artillery"},
    {"uas_one_way", "uas_armed"},
    {"missile", "ballistic_missile", "cruise_missile"},
    {"small_arms", "ground_assault", "rpg_atgm"},  # gunmen storming a site: one assault
    {"ied", "vbied", "suicide_bombing"},  # "suicide car bombs": one bombing, named two ways
)


def _same_family(a: list[str], b: list[str]) -> bool:
    return any(set(a) & fam and set(b) & fam for fam in _FAMILIES)


def compatible(a: IncidentMention, b: IncidentMention) -> bool:
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
    if ship(a) and ship(b) and ship(a) != ship(b):
        return False  # two ships hit are two attacks
    return True


def _within(a: Place, b: Place) -> bool:
    """One place is the country the other lies in ("two bases in Syria and Iraq" ... "Al-Asad")."""
    for outer, inner in ((a, b), (b, a)):
        if (
            inner.name
            and outer.precision == "country" != inner.precision
            and inner.country == outer.country
        ):
            return True
    return False


def _at_sea(p: Place) -> bool:
    """A named sea or strait (no country), not a stretch of land."""
    return p.name is not None and p.country is None and p.precision in ("region", "country")


def _site_in_town(a: Place, b: Place) -> bool:
    """A site the report placed in a town ("the Hayat Hotel in Mogadishu") and that town,
    or two sites it placed in one town ("the Beach View restaurant" on "Mogadishu's Lido
    Beach"): a site carries its town's coordinates (extract/sites.py)."""
    if (
        not {a.precision, b.precision} <= {"facility", "city"}
        or a.precision == b.precision == "city"
    ):
        return False
    if None in (a.lat, b.lat):
        return False
    return same_place(Place(lat=a.lat, lon=a.lon), Place(lat=b.lat, lon=b.lon), km=1.0)


def merge_into(a: IncidentMention, b: IncidentMention) -> None:
    if a.date.start is None or (b.date.precision == "day" and a.date.precision != "day"):
        if b.date.start is not None:
            a.date = b.date
    if (
        b.place.name
        and PLACE_RANK.get(b.place.precision or "", 9) < PLACE_RANK.get(a.place.precision or "", 9)
        and not _at_sea(a.place)
    ):
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


def merge_same(
    mentions: list[IncidentMention], apart: set[int] = frozenset()
) -> list[IncidentMention]:
    """The same attack told twice in one report is one incident; a mention whose id is in
    ``apart`` was told as another attack and stays its own."""
    out: list[IncidentMention] = []
    for m in mentions:
        if id(m) in apart:
            out.append(m)
            continue
        for kept in out:
            if compatible(kept, m) and _same_anchor(kept, m):
                merge_into(kept, m)
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
        or (a.place.name is None or b.place.name is None)
        and _days_overlap(a.date, b.date)
    )
    return (
        same_place
        or same_date
        or (a.place.name is None or b.place.name is None)
        and (a.date.start is None or b.date.start is None)
    )
