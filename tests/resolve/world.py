"""An invented world for resolution tests (PETRARCH-style): the country of Varnia (code XA,
a user-assigned ISO code) with its bases and towns, and Ostmark (XB). Coordinates are
made up; distances between them are what the tests need (Fort Kestrel and Marrow Town are
6 km apart, Camp Heron is 100 km away, Saltpan Station 11 km from Fort Kestrel)."""

from __future__ import annotations

from datetime import date

from sitrep.model import (
    ActorRef,
    Casualties,
    DateSpan,
    Evidence,
    IncidentMention,
    Place,
    Range,
)

KESTREL = Place("Fort Kestrel", "XA", "Lowmarch", 40.100, 20.100, "facility")
SALTPAN = Place("Saltpan Station", "XA", "Lowmarch", 40.180, 20.160, "facility")
HERON = Place("Camp Heron", "XA", "Highmarch", 40.900, 20.700, "facility")
MARROW = Place("Marrow Town", "XA", "Lowmarch", 40.150, 20.140, "city")
VARNIA = Place("Varnia", "XA", None, None, None, "country")
LOWMARCH = Place("Lowmarch", "XA", "Lowmarch", None, None, "admin1")
GULL = Place("Gull Point", "XB", None, 41.000, 21.000, "facility")
NOWHERE = Place()  # a report that names no place, not even a country

GREYCOATS = ActorRef("greycoats", "the Greycoat militia", "non_state_armed_group")
ASHEN = ActorRef("ashen_front", "Ashen Front", "non_state_armed_group")
GARRISON = ActorRef("varnian_army", "Varnian army", "state_military")

D = date(2031, 3, 14)


def day(n: int) -> date:
    return date(2031, 3, n)


def mention(
    mid: str,
    doc: str,
    when: date | DateSpan | None = D,
    place: Place = KESTREL,
    modes: tuple[str, ...] = ("rocket",),
    killed: float | Range | None = None,
    injured: float | Range | None = None,
    attacker: ActorRef | None = None,
    target: ActorRef | None = GARRISON,
    **kw,
) -> IncidentMention:
    """One report of an attack, with evidence spans for the fields it states."""
    span = (
        when if isinstance(when, DateSpan) else DateSpan(when, None, "day") if when else DateSpan()
    )

    def rng(v):
        return v if isinstance(v, Range) else Range() if v is None else Range.exact(v)

    evidence = [Evidence("place", 30, 30 + len(place.name or ""), place.name or "")]
    if span.start:
        evidence.insert(0, Evidence("date", 0, 8, "on Friday"))
    if modes:
        evidence.append(Evidence("attack_modes", 50, 57, "rockets"))
    if killed is not None:
        evidence.append(Evidence("casualties.killed", 70, 78, f"{killed} killed"))
    if injured is not None:
        evidence.append(Evidence("casualties.injured", 80, 90, f"{injured} injured"))
    return IncidentMention(
        date=span,
        place=Place(place.name, place.country, place.admin1, place.lat, place.lon, place.precision),
        attack_modes=list(modes),
        attacker=attacker,
        target=target,
        casualties=Casualties(killed=rng(killed), injured=rng(injured)),
        evidence=evidence,
        confidence=kw.pop("confidence", 0.6),
        id=mid,
        document_id=doc,
        **kw,
    )


def clusters(incidents) -> set[frozenset[str]]:
    return {frozenset(i.mention_ids) for i in incidents}
