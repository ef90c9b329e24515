"""Interaction assembler: political events between two parties (PLOVER types).

A sentence that names two different state or government parties and an event word
("US, Iraq hold high-level talks", "withdrawal ... is not on the table") gives one
interaction, source first. Countries named as parties stand for their governments.
"""

from __future__ import annotations

from functools import cache

from sitrep.extract.actors import government_of
from sitrep.extract.tagged import Span, Tagged
from sitrep.extract.wordlists import word_classes
from sitrep.model import ActorRef, DateSpan, Interaction

_PARTY_KINDS = {"government", "state_military", "coalition", "non_state_armed_group"}


@cache
def _event_types() -> tuple[str, ...]:
    """PLOVER types in lexicon order (the first that a sentence names wins)."""
    return tuple(name for name in word_classes("interactions.yaml") if name != "negation")


def _parties(t: Tagged, i: int) -> list[tuple[int, int, ActorRef]]:
    found = []
    for a in t.in_sentence("actors", i):
        if a.kind in _PARTY_KINDS and not a.generic:
            found.append((a.start, a.end, ActorRef(a.actor_id, a.text, a.kind)))
    for pm in t.in_sentence("places", i):
        if pm.kind == "country" and pm.place.country:
            gov = government_of(pm.place.country)
            actor_id = gov.id if gov else f"{pm.place.country.lower()}_government"
            found.append((pm.start, pm.end, ActorRef(actor_id, pm.text, "government")))
    found.sort(key=lambda x: x[0])
    out, seen = [], set()
    for start, end, ref in found:
        key = ref.id.split("_")[0]  # "us_forces" and "us_government" are one party here
        if key not in seen and not any(s < end and start < e for s, e, _ in out):
            seen.add(key)
            out.append((start, end, ref))
    return out


def assemble_interactions(t: Tagged) -> list[Interaction]:
    words = t.words("interactions.yaml")
    out: list[Interaction] = []
    for i, s in enumerate(t.sentences):
        parties = _parties(t, i)
        if len(parties) < 2:
            continue
        for name in _event_types():
            span = words.first(name, s.start, s.end)
            if not span:
                continue
            hit = Span(*span)
            (s1, e1, src), (s2, e2, tgt) = parties[0], parties[1]
            date = next(
                (d for d in t.in_sentence("dates", i) if d.kind == "point" and d.value), None
            )
            when = (
                date.value
                if date
                else DateSpan(t.published, t.published, "day" if t.published else None)
            )
            inter = Interaction(
                type=name,
                source=src,
                target=tgt,
                date=DateSpan(when.start, when.end, when.precision),
                # "not on the table" is itself the REJECT trigger, not a negation of it.
                negated=any(
                    not (a >= hit.start and b <= hit.end)
                    for a, b in words.spans("negation", s.start, s.end)
                ),
            )
            inter.evidence = [
                t.evidence("type", hit),
                t.evidence("source", Span(s1, e1)),
                t.evidence("target", Span(s2, e2)),
            ]
            out.append(inter)
            break  # one event per sentence: the first type in lexicon order wins
    return out
