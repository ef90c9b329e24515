"""Claims become series: the evolving official tally of one measure.

A series is keyed by (measure, subject, region, period start): ``subject`` is the
resolved actor id when known, else the normalised subject as written; ``region`` the
sorted region codes. A breakdown claim ("20 of them in Iraq") takes the subject, period
and as-of of its parent when it lacks them and joins the series of its own region; one
that narrows its parent by attack mode ("12 of them by drones") is keyed by those modes
too, and one that names no narrower region or modes forms a series of its parent's
breakdowns, apart from the parent's own.

Points are ordered by as-of (undated last), then document, then claim id. The same value
on the same as-of from several documents is one point (the first claim's), the others
listed in ``other_claim_ids``. ``revision`` is ``"correction"`` when the claim's text (its
evidence spans and attribution) says so ("revised", "twice the figure previously
disclosed", ...: the ``correction`` class of ``lexicon/resolve.yaml``), else
``"decrease"`` when the value falls below the previous point's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache

from sitrep.extract.wordlists import alternation, word_classes
from sitrep.model import Claim, ClaimSeries, Range, SeriesPoint, content_id

_NON_WORD = re.compile(r"[^0-9a-z]+")


@cache
def _correction_re() -> re.Pattern:
    words = word_classes("resolve.yaml")["correction"]
    return re.compile(rf"(?<![\w-]){alternation(words)}(?![\w-])", re.IGNORECASE)


def is_correction(claim: Claim) -> bool:
    """Whether a claim's own words say that it corrects or revises an earlier figure."""
    pattern = _correction_re()
    texts = [e.text for e in claim.evidence]
    if claim.attribution:
        texts.append(claim.attribution)
    return any(pattern.search(t) for t in texts if t)


def subject_key(subject_id: str | None, subject: str | None) -> str | None:
    if subject_id:
        return subject_id
    if not subject:
        return None
    words = _NON_WORD.sub(" ", subject.lower()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words) or None


def _claim_id(c: Claim, pos: int) -> str:
    # the id the store gives a claim without one (document, position among its claims, ...)
    return c.id or content_id(
        c.document_id, "claim", pos, c.measure, c.value.min, c.value.max, c.subject
    )


def _level(r: Range) -> float | None:
    return r.min if r.min is not None else r.max


def build_series(claims: Iterable[Claim]) -> list[ClaimSeries]:
    """Group claims into series and order, merge and flag their points (see module doc)."""
    claims = list(claims)
    positions: dict[str | None, int] = {}
    ids: list[str] = []
    for c in claims:
        pos = positions[c.document_id] = positions.get(c.document_id, -1) + 1
        ids.append(_claim_id(c, pos))
    by_id = {cid: c for cid, c in zip(ids, claims, strict=True)}

    groups: dict[tuple, list[tuple]] = {}
    for cid, c in zip(ids, claims, strict=True):
        parent = by_id.get(c.breakdown_of) if c.breakdown_of else None
        subject = c.subject or (parent.subject if parent else None)
        subject_id = c.subject_id or (parent.subject_id if parent else None)
        start = c.period.start if c.period else None
        end = c.period.end if c.period else None
        if parent is not None:
            start = start or (parent.period.start if parent.period else None)
            end = end or (parent.period.end if parent.period else None)
        as_of = c.as_of or (parent.as_of if parent else None) or end
        region = tuple(sorted(set(c.region)))
        scope: tuple = ()
        if c.breakdown_of:
            modes = tuple(sorted(set(c.attack_modes)))
            parent_modes = tuple(sorted(set(parent.attack_modes))) if parent else ()
            parent_region = tuple(sorted(set(parent.region))) if parent else ()
            if modes and modes != parent_modes:
                scope = ("modes", *modes)
            elif region == parent_region:
                scope = ("part",)
        key = (c.measure, subject_key(subject_id, subject), region, start, scope)
        groups.setdefault(key, []).append((as_of, c.document_id or "", cid, c, subject, subject_id))

    out: list[ClaimSeries] = []
    for key, items in groups.items():
        measure, skey, region, start, scope = key
        items.sort(key=lambda t: (t[0] is None, t[0] or date.min, t[1], t[2]))
        series = ClaimSeries(
            id=content_id("series", measure, skey, ",".join(region), start, ",".join(scope)),
            measure=measure,
            subject_id=next((t[5] for t in items if t[5]), None),
            subject=next((t[4] for t in items if t[4]), None),
            region=list(region),
            period_start=start,
        )
        seen: dict[tuple, SeriesPoint] = {}
        previous: SeriesPoint | None = None
        for as_of, _, cid, c, _, _ in items:
            value = Range(c.value.min, c.value.max)
            same = seen.get((as_of, value.min, value.max))
            if same is not None:
                same.other_claim_ids.append(cid)
                continue
            revision = None
            if is_correction(c):
                revision = "correction"
            elif previous is not None:
                now, before = _level(value), _level(previous.value)
                if now is not None and before is not None and now < before:
                    revision = "decrease"
            point = SeriesPoint(
                claim_id=cid,
                as_of=as_of,
                value=value,
                qualifier=c.qualifier,
                attribution=c.attribution,
                document_id=c.document_id,
                revision=revision,
            )
            seen[(as_of, value.min, value.max)] = point
            series.points.append(point)
            previous = point
        out.append(series)
    out.sort(
        key=lambda s: (
            s.measure,
            s.subject_id or s.subject or "",
            s.region,
            s.period_start or date.min,
            s.id,
        )
    )
    return out
