"""The matching rules in one place: families, ranks, weights and the merge threshold.

These are the knobs of incident resolution. Each is documented where it is used; the
scenario tests in ``tests/resolve`` pin the behaviour they produce.
"""

from __future__ import annotations

from sitrep.model import ATTACK_MODES, OUTCOMES

# A pair of mentions is one attack when ``match_score`` reaches this (and the hard gates
# pass: different documents, same country, overlapping dates, compatible places, mode
# families that meet). Scores are weighted means of the components below, so 0.70 means
# "same place and day, nothing against it" comfortably passes (~0.9), while a mention that
# names only the country or only the month needs the other components to agree.
MATCH_THRESHOLD = 0.70

# Weights of the score components (they sum to 1).
WEIGHTS = {"place": 0.35, "date": 0.25, "modes": 0.15, "casualties": 0.15, "actors": 0.10}

# Attack-mode families: blocking never compares two mentions whose modes share no family
# (a mention without modes joins every family). Modes not listed (airstrike, other) are
# their own family.
FAMILIES: dict[str, str] = {
    "rocket": "indirect_fire",
    "mortar": "indirect_fire",
    "artillery": "indirect_fire",
    "indirect_fire": "indirect_fire",
    "uas_one_way": "uas",
    "uas_armed": "uas",
    "ballistic_missile": "missile",
    "cruise_missile": "missile",
    "missile": "missile",
    # one assault told as gunfire by one report and as a ground attack by another
    "small_arms": "assault",
    "rpg_atgm": "assault",
    "ground_assault": "assault",
    # one bombing told as a car bomb, a suicide bombing or a bomb
    "ied": "explosive",
    "vbied": "explosive",
    "suicide_bombing": "explosive",
}
# Unspecified codes that a specific code of the same family makes redundant: a resolved
# incident reported as "rocket" by one source and "indirect fire" by another is a rocket
# attack.
GENERIC_MODES = {"indirect_fire": "indirect_fire", "missile": "missile", "other": None}


def family(mode: str) -> str:
    return FAMILIES.get(mode, mode)


# Family ids: 0 is "any" (a mention without modes); the others follow the taxonomy order.
FAMILY_IDS: dict[str, int] = {}
for _mode in ATTACK_MODES:
    FAMILY_IDS.setdefault(family(_mode), len(FAMILY_IDS) + 1)
ANY_FAMILY = 0
MODE_ORDER = {m: i for i, m in enumerate(ATTACK_MODES)}
OUTCOME_ORDER = {o: i for i, o in enumerate(OUTCOMES)}

# Place precision, most specific first. A named place without a precision counts as a city.
PLACE_RANK = {"facility": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4}
NO_PLACE_RANK = 5
SPECIFIC_PLACE = 1  # ranks up to this one name a point on the map (facility, city)

# Distances (km): a facility and a city, or two cities, are one place within CITY_KM; two
# facilities with different names are two places (the gazetteer already gives one name to
# every alias of a facility).
CITY_KM = 25.0

# Date spans: a mention is "exact" when it is day-precise over at most two days (an
# overnight attack); a span up to SHORT_SPAN_DAYS is blocked by day, a longer one (a
# month, a year) by place and month.
EXACT_SPAN_DAYS = 1  # hi - lo
SHORT_SPAN_DAYS = 7
MAX_MONTHS = 13  # a date vaguer than this (or none) is treated as undated for blocking
DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}

# A busy day: a mention that names only a province or a country (or no place) on a day
# when mentions of its kind name more than BUSY_PLACES distinct places in its country
# stays alone, without scoring: which attack it means is guesswork.
BUSY_PLACES = 6

# Outcomes that contradict each other across sources.
CONTRADICTORY_OUTCOMES = ({"damage", "impact"}, {"no_damage"})

# The fields of a resolved incident, in the order ``Incident.fields`` lists them. Each is
# paired with the evidence fields (``Evidence.field``) that support it.
CASUALTY_FIELDS = ("killed", "injured", "serious", "minor", "tbi")
FIELD_ORDER = (
    "date",
    "place",
    "attack_modes",
    "weapons",
    "payload_kg",
    "attacker",
    "target",
    "outcome",
    *(f"casualties.{c}" for c in CASUALTY_FIELDS),
    "attribution",
    "confidence",
)
EVIDENCE_FIELDS = {name: (name,) for name in FIELD_ORDER}
EVIDENCE_FIELDS["weapons"] = ("weapons", "attack_modes")  # the weapon words are mode evidence
EVIDENCE_FIELDS["confidence"] = ()
