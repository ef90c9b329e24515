"""How a number stands to the counts told before it: a part of a total ("20 of them in
Iraq", "including 92 civilians"), the total of parts just told ("for a total of 78"), or
another value of one count ("up from 160", "rose to 52, from the 54 it gave")."""

from __future__ import annotations

import re

from sitrep.extract.claim_patterns import Patterns
from sitrep.extract.tagged import Tagged
from sitrep.model import Claim, Period

_TOTAL_OF = re.compile(r"(?i:\b(?:a|the)\s+(?:combined\s+|overall\s+)?total\s+(?:of\s+)?)$")


_CHAIN_AFTER = re.compile(
    r"(?i:^(?:\s*[,.;:)]|\s+(?:in|on|at|by|as|it|they|that|which|the|a|an|and|before|after|earlier|last|"
    r"this|when|during|over|since|previously)\b|\s*$))"
)
_CHAIN = re.compile(r"(?i:^[^.;:]{0,60}?\b(?:up from|down from|from|to|and)\s+(?:the\s+)?$)")


_UP_FROM = re.compile(
    r"(?i:^\W*(?:that|this|it|the (?:figure|count|total|tally|number))\s+(?:is|was|'s|’s)\s+(?:up|down)\s+from\s+(?:the\s+)?)$"
)


def chained_back(t: Tagged, i: int, q, claims: list[Claim]) -> Claim | None:
    """ "... at least 168 attacks since Oct. 17. That is up from 160 in our Jan. 30 update."
    : an earlier value of the count the sentence before told."""
    if not claims or claims[-1].breakdown_of is not None:
        return None
    if not _UP_FROM.match(t.text[t.sentences[i].start : q.start]):
        return None
    return claims[-1]


def as_earlier_value(t: Tagged, i: int, q, claim: Claim, told: Claim) -> None:
    """An earlier value of a count: its subject and start are the count's; a day right
    after it ("up from 70 at the end of June", "160 in our Jan. 30 update") is its as-of."""
    if claim.subject is None:
        claim.subject, claim.subject_id = told.subject, told.subject_id
    if claim.period.start is None:
        claim.period = Period(told.period.start, told.period.end)
    nxt = min(
        [o.start for o in t.in_sentence("quantities", i) if o.start > q.end] + [t.sentences[i].end]
    )
    for d in t.in_sentence("dates", i):
        if (
            d.kind == "point"
            and d.value is not None
            and d.value.precision == "day"
            and q.end <= d.start < min(nxt, q.end + 40)
        ):
            claim.as_of = d.value.start
            claim.evidence.append(t.evidence("as_of", d))
            break


def chained_to(t: Tagged, q, made) -> Claim | None:
    """A number in a run of one count's values: "rose to 52, from the 54 it gave",
    "up from 103", "from 12 in the morning to 18 by midday": the count just told."""
    if not made:
        return None
    last_claim, last_q = made[-1]
    if last_claim.breakdown_of is not None:
        return None
    if not _CHAIN.match(t.text[last_q.end : q.start]) or not _CHAIN_AFTER.match(
        t.text[q.end : q.end + 20]
    ):
        return None  # "recruits from over 110 countries" counts countries
    return last_claim


# "Our own tally, which adds attacks claimed online, stands at 79": the tally's number
_TALLY_STANDS = re.compile(
    r"(?i:\b(?:tally|count)\b(?P<words>[^.;:]{0,140}?)\s+"
    r"(?:stands|stood|is|is\s+now|now\s+stands|rose|has\s+risen|climbed|has\s+climbed|reached|has\s+reached)"
    r"\s+(?:at\s+|to\s+)?)$"
)
_TALLY_WORDS = (
    ("attacks", re.compile(r"(?i:\b(?:attacks?|strikes?|incidents)\b)")),
    ("killed", re.compile(r"(?i:\b(?:killed|dead|deaths|death)\b)")),
    ("injured", re.compile(r"(?i:\b(?:injured|wounded|injuries|hurt)\b)")),
)


def tally_stands_at(t: Tagged, i: int, q, claims: list[Claim], follows: bool = False) -> str | None:
    """ "Our own tally, which adds attacks claimed online, stands at 79": what the tally
    counts, from its own words (a one-attack "toll" is no tally)."""
    hit = _TALLY_STANDS.search(t.text[t.sentences[i].start : q.start])
    if hit is None:
        return None
    named = next(
        (measure for measure, words in _TALLY_WORDS if words.search(hit.group("words"))), None
    )
    if named is None and follows and claims and not hit.group("words").strip(" ,'’s"):
        # "... attacked US forces 'about 100 times'. The Pentagon's count is at least 170"
        return claims[-1].measure
    return named


def total_of(t: Tagged, i: int, q, made) -> str | None:
    """ "41 attacks in Syria and 37 in Iraq, for a total of 78": the measure just counted."""
    if not made or not _TOTAL_OF.search(t.text[max(t.sentences[i].start, q.start - 30) : q.start]):
        return None
    return made[-1][0].measure


PART_SEVERITY = (  # words after a part of the injured that say how badly
    ("injured_serious", re.compile(r"(?i:\b(?:serious|critical|grave|severe)(?:ly)?\b)")),
    ("injured_minor", re.compile(r"(?i:\bminor\b)")),
    ("tbi", re.compile(r"(?i:\b(?:tbi|brain injur\w*|concussions?)\b)")),
)


def part_measure(t: Tagged, q, total: str, reach: int = 50) -> str:
    """A part of the injured counts a severity when its words say so ("one remains in
    serious condition"); any other part counts what its total counts."""
    if total != "injured":
        return total
    end = next((s.end for s in t.sentences if s.start <= q.start < s.end), q.end)
    after = t.text[q.end : min(end, q.end + reach)]
    return next((measure for measure, words in PART_SEVERITY if words.search(after)), total)


def breakdown_parent(
    p: Patterns, t: Tagged, i: int, q, made, claims: list[Claim], measure: str | None = None
):
    """The claim a number breaks down ("20 of them in Iraq"), or None."""
    s_start = t.sentences[i].start
    after = t.text[q.end : min(t.sentences[i].end, q.end + 40)]
    lead = t.text[s_start : q.start]
    regional = bool(p.regional.match(after))
    if (
        made
        and made[-1][0].breakdown_of is not None
        and measure in (None, *PEOPLE_MEASURES)
        and _LIST_NEXT.match(t.text[made[-1][1].end : q.start])
    ):
        return root_of(made[-1][0], made, claims)
    if made and _INCLUDING.search(t.text[max(s_start, q.start - 16) : q.start]):
        return root_of(
            made[0][0], made, claims
        )  # "more than 500 killed ..., including more than 100 civilians"
    if made and (p.of_them.match(after) or regional):
        root = root_of(made[0][0], made, claims)
        if (
            not p.of_them.match(after)
            and measure is not None
            and measure != root.measure
            and not (
                root.measure == "injured" and measure in ("injured_serious", "injured_minor", "tbi")
            )
        ):
            # "at least 184 killed and at least 856 injured in Ukraine": a count of its own
            return None
        return root
    if (
        not made
        and claims
        and (
            p.breakdown_lead.match(lead)
            or (regional and p.of_them.match(after))
            # "Fifty of them have come since the start of November"
            or (OF_PRONOUN.match(after) and not _QUALIFIER_WORDS.sub("", lead).strip(" \t\"'“‘-—–"))
        )
    ):
        named = _OF_THOSE.match(lead)
        if named:
            # "Of those killed, 27 were children": the last total of the killed
            word = (named.group(1) or named.group(2)).lower()
            wanted = "killed" if word in ("killed", "dead") else "injured"
            for c in reversed(claims):
                if c.measure == wanted and c.breakdown_of is None:
                    return c
        return root_of(claims[-1], made, claims)
    if claims and _SHARE_OF.search(lead):
        # "The majority of those, about 130, were traumatic brain injuries": a share of
        # the last total of people hurt.
        totals = [
            c for c in claims if c.breakdown_of is None and c.measure in ("injured", "killed")
        ]
        if totals:
            return totals[-1]
    return None


_INCLUDING = re.compile(r"(?i:\b(?:including|among them|of whom|of which)\s+)$")
OF_PRONOUN = re.compile(
    r"^\s+(?i:of (?:them|those|these|the\s+\d[\d,]*(?=\s+(?:were|was|had|have|are|suffered)\b)))\b"
)
# a number's own qualifier words before it: "About 100 of the 143" still opens with its number
_QUALIFIER_WORDS = re.compile(
    r"(?i:\b(?:about|some|nearly|roughly|around|almost|approximately|at least|more than|over|"
    r"fewer than|less than|up to)\b)"
)
_OF_THOSE = re.compile(
    r"(?i:^\W*(?:(?:of (?:those|the)|among the)\s+(killed|dead|injured|wounded)\b"
    r"|(?:the|those)\s+(killed|dead|injured|wounded)\s+(?:included|include|comprised|were)\b))"
)
# "including 92 civilians, 54 members of the security forces and 108 militants": the next
# item of a list of parts (a noun phrase with no verb, then a comma or "and")
_LIST_NEXT = re.compile(
    r"^(?:\s+(?!(?:were|was|are|is|have|has|had|been|killed|injured|wounded|hurt|died|dead|since|in|on|at|from)\b)"
    r"[\w'’-]+){1,7}\s*(?:,\s*(?:and\s+)?|\s+and\s+)$"
    # "58 were security personnel, 49 were civilians and 24 were ...": items with their verb
    r"|^\s+(?:were|was)(?:\s+(?!(?:killed|injured|wounded|hurt|in|on|at|from|since)\b)[\w'’-]+){1,7}\s*(?:,\s*(?:and\s+)?|\s+and\s+)$"
)
PEOPLE_MEASURES = ("fighters", "personnel", "population")
_SHARE_OF = re.compile(
    r"(?i:\b(?:the majority|most|half|some|all|many|a third|a quarter) of (?:those|them|these|the injured|the wounded)\b)"
)


def root_of(claim: Claim, made, claims: list[Claim]) -> Claim:
    """The total a part belongs to: a part's parent, not the part itself."""
    if claim.breakdown_of is None:
        return claim
    for other in [c for c, _ in made] + claims:
        if other.id == claim.breakdown_of:
            return other
    return claim
