"""One claim told twice in a report (headline and body) kept once."""

from __future__ import annotations

from sitrep.extract.tagged import Tagged
from sitrep.model import Claim, Evidence


def fold_headline(t: Tagged, claims: list[Claim]) -> list[Claim]:
    """A figure in the headline that the body states again is one claim: the body's."""
    if not t.sentences or "\n" not in t.text[t.sentences[0].end : t.sentences[0].end + 2]:
        return claims
    head_end = t.sentences[0].end
    out = []
    for c in claims:
        if c.evidence and c.evidence[0].start < head_end:
            body = next(
                # "UN counts 5,601 killed" over "at least 5,601 people were killed": one figure
                (
                    b
                    for b in claims
                    if b is not c
                    and b.measure == c.measure
                    and (
                        b.value == c.value or c.value.min is not None and b.value.min == c.value.min
                    )
                    and b.evidence
                    and b.evidence[0].start >= head_end
                ),
                None,
            )
            if body is not None:
                body.evidence.extend(c.evidence)
                continue
        out.append(c)
    return out


def dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim told twice in a report (headline and body) is kept once."""
    seen: dict[tuple, Claim] = {}
    replaced: dict[str, str] = {}
    out: list[Claim] = []
    for c in claims:
        if c.breakdown_of in replaced:
            c.breakdown_of = replaced[c.breakdown_of]
        key = (c.measure, c.value.min, c.value.max, c.subject_id, c.period.start, tuple(c.region))
        first = seen.get(key)
        if first is None:
            seen[key] = c
            out.append(c)
            continue
        replaced[c.id] = first.id
        if len({e.field for e in c.evidence}) > len({e.field for e in first.evidence}):
            # The fuller telling (usually the body's sentence, not a subheading) speaks for both.
            first.subject, first.subject_id = c.subject, c.subject_id
            first.attribution = c.attribution or first.attribution
            first.attack_modes = c.attack_modes or first.attack_modes
            first.payload_kg = c.payload_kg if not c.payload_kg.is_empty() else first.payload_kg
            first.evidence = c.evidence + first.evidence
            continue
        first.evidence.extend(Evidence(e.field, e.start, e.end, e.text) for e in c.evidence)
        first.attribution = first.attribution or c.attribution
        first.attack_modes = first.attack_modes or c.attack_modes
    return out
