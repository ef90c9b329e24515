"""Incidents to count, and the tally's counts in Python with the rules
``store.aggregates`` documents: what the SQL is checked against."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from sitrep.model import ActorRef, Casualties, DateSpan, Incident, Place, Range
from sitrep.report.tally import casualty_sums

START = date(2023, 10, 1)
COUNTRIES = ["IQ", "SY", "JO", "iq", "Sy", None, ""]
MODES = [[], ["rocket"], ["uas_one_way"], ["rocket", "uas_one_way"], ["mortar", "mortar"], ["ied"]]
TARGETS = [
    ActorRef("us_forces", "US forces", "state_military"),
    ActorRef("centcom", "CENTCOM", "state_military"),
    ActorRef("us_forces", None, None),
    ActorRef(None, "us forces", None),
    ActorRef(None, "US Forces", None),
    ActorRef("civilians", "civilians", "civilians"),
    ActorRef("not_in_lexicon", "Someone", None),
    ActorRef(None, None, "state_military"),
    None,
]
RANGES = [
    Range(),
    Range(),
    Range(),
    Range(2, 2),
    Range(1, None),
    Range(None, 4),
    Range(0, 3),
    Range(0.5, 1.5),
]


def sample_incidents(n: int = 240, seed: int = 3) -> list[Incident]:
    """Incidents over three months from 2023-10-01, with every case the rules are about:
    undated, no modes, repeated modes, unknown countries (None and ""), countries in
    lower case, targets by id or name only, casualty ranges open at either end."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = START + timedelta(days=rng.randrange(90)) if rng.random() > 0.05 else None
        out.append(
            Incident(
                id=f"inc{i:04d}",
                date=DateSpan(day, day, "day" if day else None),
                place=Place(f"Site {i % 7}", rng.choice(COUNTRIES)),
                attack_modes=list(rng.choice(MODES)),
                target=rng.choice(TARGETS),
                casualties=Casualties(*(rng.choice(RANGES) for _ in range(5))),
            )
        )
    return out


def expected_counts(
    records, *, since=None, until=None, ids=None, names=None, countries=None, grouped=True
):
    """The counts in Python, with the rules ``tally_counts`` documents."""

    def keep(inc: Incident) -> bool:
        day = inc.date.start
        if since is not None and (day is None or day < since):
            return False
        if until is not None and (day is None or day > until):
            return False
        if ids is not None or names is not None:
            t = inc.target
            if t is None or not (t.id in (ids or ()) or t.name in (names or ())):
                return False
        wanted = {c.upper() for c in countries or ()}
        return not wanted or (inc.place.country or "").upper() in wanted

    kept = [i for i in records if keep(i)]
    modes: Counter = Counter()
    places: Counter = Counter()
    for inc in kept:
        modes.update(dict.fromkeys(inc.attack_modes or [None], 1))
        places[inc.place.country] += 1
    return {
        "incidents": len(kept),
        "by_mode": dict(modes) if grouped else {},
        "by_country": dict(places) if grouped else {},
        "casualties": casualty_sums(kept),
    }
