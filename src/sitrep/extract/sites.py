"""Places no gazetteer holds, recognised by how a report introduces them.

GeoNames knows towns, the lexicons know bases and regions, but reports also name places
below that: a hotel, a hospital or a station in a known town ("the Hayat Hotel in
Mogadishu", "Quetta's main railway station"), and villages too small to be listed, which
reports introduce as such ("the village of Koshobe", "Kuriga, a town in Kaduna state",
"near Maysalun in Deir ez-Zor province", "an army camp at Boulkessi"). ``add_local_places`` adds them to the mentions
``places.find_places`` found, located by the known place the text ties them to:

- a named site is a ``facility`` at its town's coordinates, in its town's country;
- a village is a ``city`` in the country (and first-level division) of the place that
  locates it, without coordinates: the text does not give them.

The words (site nouns, settlement words, capitalised words that name nothing) live in
``lexicon/sites.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from sitrep.extract.phrases import PhraseMatcher
from sitrep.extract.wordlists import alternation, word_classes
from sitrep.model import Place

_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
_CAP = rf"[{_UPPER}][^\W_]*(?:['’-][^\W_]+)*"
_NAME = rf"(?P<name>(?:(?:al|el|ad|an|ar|as|ash|at|az)-)?{_CAP}(?:[ -](?:al-|el-)?{_CAP}){{0,3}})"
_FUNCTION = frozenset("and or in on at of the a an to by with from near for as is was were".split())
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n")
_DESCRIBED = re.compile(
    r"(?i:-(?:held|controlled|run|backed|led|occupied|owned|flagged|based|operated)$)"
)
_AREA_WORD = re.compile(r"\s+(?:township|area|district)\b")
_SETTLEMENT_NOUN = re.compile(r"(?i:(?:town|village|hamlet|city|settlement)\s)")
_LOCATOR_KINDS = ("admin1", "admin2", "region", "city")


@dataclass(frozen=True, slots=True)
class _Patterns:
    site_head: PhraseMatcher  # a site noun, where a site's name may end
    site: re.Pattern  # "the Hayat Hotel", "Okhmatdyt children's hospital" (ending at a site noun)
    possessive: re.Pattern  # after a town: "'s main railway station"
    possessive_name: re.Pattern  # after a town: "'s Lido Beach", "'s Erdogan hospital"
    name_before_country: re.Pattern  # "in Puerto " before a country's name: one name
    town_site: re.Pattern  # after a town: " air base"
    settle_word: PhraseMatcher  # a settlement word, where the three below may apply
    settlement_of: re.Pattern  # "the village of Koshobe"
    named_settlement: re.Pattern  # "Koshobe village"
    appositive: re.Pattern  # "Kuriga, a town in"
    located: re.Pattern  # "near Maysalun in " (then a known division)
    comma_located: re.Pattern  # "in Mir Ali, " (then a known division or country)
    post_at: re.Pattern  # "an army camp at Boulkessi", "a G5 Sahel position at Mondoro"
    not_a_name: frozenset[str]


@cache
def _patterns() -> _Patterns:
    words = word_classes("sites.yaml")
    heads = alternation(words["site_head"])
    fillers = alternation(words["site_filler"])
    settle = alternation(words["settlement"])
    return _Patterns(
        # searched backwards from each site noun (``site_head``): far cheaper than from
        # every capitalised word of a text
        site_head=PhraseMatcher((w, "site_head") for w in words["site_head"]),
        site=re.compile(
            rf"\b{_NAME}(?P<mid>(?:[ ][a-z][\w'’-]*){{0,2}}?)[ ](?P<head>(?i:{heads}))\Z"
        ),
        possessive=re.compile(rf"['’]s\s+(?:(?i:{fillers})\s+)*(?P<head>(?i:{heads}))\b"),
        possessive_name=re.compile(rf"['’]s\s+{_NAME}(?P<tail>\s+(?i:{heads})\b)?"),
        name_before_country=re.compile(rf"(?i:\b(?:in|at|near|outside))\s+(?P<name>{_CAP})\s+$"),
        town_site=re.compile(rf"\s+(?P<head>{alternation(words['town_site_head'])})\b"),
        # The three below are tried only where a settlement word stands (``settle_word``,
        # one Aho-Corasick pass), the last two searched backwards from it.
        settle_word=PhraseMatcher((w, "settlement") for w in words["settlement"]),
        settlement_of=re.compile(rf"(?i:{settle})\s+of\s+{_NAME}"),
        named_settlement=re.compile(
            rf"\b{_NAME}\s+(?:village|town|hamlet|township|area|district)\Z"
        ),
        appositive=re.compile(rf"\b{_NAME},\s+(?:an?|the)\s+(?:[a-z]+\s+)?(?:{settle})\Z"),
        comma_located=re.compile(rf"(?i:\b(?:in|at|near|outside))\s+{_NAME},\s+(?:the\s+)?"),
        located=re.compile(
            rf"(?i:\b(?:near|in|at|outside))\s+{_NAME},?\s+in\s+(?:the\s+)?"
            rf"(?:(?P<unit_name>{_CAP})\s+(?:district|province|state|county|region|governorate|oblast)\b)?"
        ),
        post_at=re.compile(
            rf"(?i:\b(?:{alternation(words['post_noun'])}))\s+(?:at|in|near)\s+{_NAME}"
        ),
        not_a_name=frozenset(w.lower() for w in words["not_a_name"]),
    )


def add_local_places(text: str, mentions: list) -> list:
    """``mentions`` (``places.PlaceMention``, sorted) with the sites and villages the text
    introduces added, sorted by offset, never overlapping."""
    p = _patterns()
    main = _main_country(mentions)
    found = _town_sites(p, text, mentions) + _towns_named_like_countries(p, text, mentions, main)
    found += _named_sites(p, text, mentions)
    villages, adjectival = _villages(p, text, mentions, main)
    kept = [m for m in mentions if m not in adjectival]
    return _merged(kept, found + villages)


def _town_sites(p: _Patterns, text: str, mentions: list) -> list:
    """Sites named after the town that holds them: "Quetta's main railway station",
    "Morozovsk air base", "Mogadishu's Lido Beach"."""
    from sitrep.extract.places import PlaceMention, country_code

    found = []
    for m in mentions:
        if m.kind != "city":
            continue
        hit = p.possessive.match(text, m.end)
        if hit:  # "Quetta's main railway station": the town's station
            name = f"{m.place.name} {hit.group('head').lower()}"
            found.append(_site(PlaceMention, m.start, hit.end(), text, name, m))
            continue
        hit = p.town_site.match(text, m.end)
        if hit:  # "Morozovsk air base"
            name = f"{text[m.start : m.end]} {hit.group('head')}"
            found.append(_site(PlaceMention, m.start, hit.end(), text, name, m))
            continue
        hit = p.possessive_name.match(text, m.end)
        if hit and _fresh(mentions, hit.start("name"), hit.end("name")):
            start, name = _trimmed(p, hit)
            if name is not None and country_code(name) is None:  # "Mogadishu's Lido Beach"
                end = hit.end()
                found.append(_site(PlaceMention, start, end, text, text[start:end], m))
    return found


def _towns_named_like_countries(p: _Patterns, text: str, mentions: list, main) -> list:
    """ "in Puerto Jordán": a town whose name ends in a country's, in the text's country."""
    from sitrep.extract.places import PlaceMention

    found = []
    for m in mentions:
        if m.kind != "country" or main is None or main is m:
            continue
        hit = p.name_before_country.search(text, max(0, m.start - 40), m.start)
        if hit and hit.end() == m.start and hit.group("name").lower() not in p.not_a_name:
            if _fresh(mentions, hit.start("name"), hit.end("name")):
                start = hit.start("name")
                found.append(_village(PlaceMention, start, m.end, text, text[start : m.end], main))
    return found


def _named_sites(p: _Patterns, text: str, mentions: list) -> list:
    """Sites named before a site noun in a known town: "the Hayat Hotel in Mogadishu"."""
    from sitrep.extract.places import PlaceMention, country_code

    found = []
    for head_start, head_end, _ in p.site_head.scan(text):
        hit = p.site.search(text, max(0, head_start - 120), head_end)
        if hit is None:
            continue
        start, name = _trimmed(p, hit)
        if name is None or not _fresh(mentions, start, hit.start("head")) or not _site_words(hit):
            continue
        if country_code(name) is not None or _DESCRIBED.search(name):
            continue  # "the Yemeni port of Mocha", "the Houthi-held port": words that describe
        town = _locator(text, mentions, start, hit.end(), ("city",))
        if town is not None:
            full = text[start : hit.end()]
            found.append(_site(PlaceMention, start, hit.end(), text, full, town))
    return found


def _villages(p: _Patterns, text: str, mentions: list, main) -> tuple[list, list]:
    """Villages and areas a report introduces as such, and the known mentions that only
    describe one ("the Druze town of ..."), to be dropped."""
    from sitrep.extract.places import PlaceMention, country_code

    found: list = []
    adjectival: list = []
    for pattern, hits in _village_hits(p, text):
        for hit in hits:
            if pattern is p.settlement_of and _SETTLEMENT_NOUN.match(hit.group()):
                # "the Druze town of Majdal Shams": a known name before the word describes
                # (but "the Faladie district of Bamako" names the district).
                adjectival += [
                    m for m in mentions if m.kind == "city" and 0 <= hit.start() - m.end <= 1
                ]
            start, name = _trimmed(p, hit)
            end = hit.end("name")
            if name is None or not _fresh(mentions, start, end) or country_code(name) is not None:
                continue
            where = None
            if pattern is p.comma_located or pattern is p.located:
                after = _next_mention(mentions, hit.end())
                if (
                    after is not None
                    and after.start == hit.end()
                    and after.kind in _LOCATOR_KINDS[:3] + ("country",)
                ):
                    where = after  # "in Mir Ali, North Waziristan", "at Barsalogho in Burkina Faso"
                elif pattern is p.comma_located or not hit.group("unit_name"):
                    continue  # "near X in <a known place or a named district>" only
            where = where or _locator(text, mentions, start, end, _LOCATOR_KINDS) or main
            area = pattern is p.named_settlement and _AREA_WORD.match(text, end)
            if where is not None:
                found.append(
                    _village(
                        PlaceMention, start, end, text, name, where, "admin2" if area else "city"
                    )
                )
    return found, adjectival


def _village_hits(p: _Patterns, text: str):
    """(pattern, its matches) for each way a report introduces a village, in order."""
    settle = [(start, end) for start, end, _ in p.settle_word.scan(text)]
    of, named, appositive = [], [], []
    for start, end in settle:
        hit = p.settlement_of.match(text, start)
        if hit:
            of.append(hit)
        # "Koshobe village", "Naungcho township", "the Barmal district of Paktika" (but
        # "the Druze town of Majdal Shams": there the word before describes)
        small = text.startswith(("village", "town", "hamlet"), start) and not text.startswith(
            "township", start
        )
        if text.startswith(("village", "town", "hamlet", "area", "district"), start) and not (
            small and re.match(r"\s+of\b", text[end : end + 4])
        ):
            hit = p.named_settlement.search(text, max(0, start - 90), end)
            if hit:
                named.append(hit)
        hit = p.appositive.search(text, max(0, start - 120), end)
        if hit:
            appositive.append(hit)
    return (
        (p.settlement_of, of),
        (p.named_settlement, named),
        (p.appositive, appositive),
        (p.located, p.located.finditer(text)),
        (p.post_at, p.post_at.finditer(text)),
        (p.comma_located, p.comma_located.finditer(text)),
    )


def _main_country(mentions: list):
    """The mention of the country a text names most (by its places), or None."""
    counts = Counter(m.place.country for m in mentions if m.place.country)
    if not counts:
        return None
    cc = counts.most_common(1)[0][0]
    return next(m for m in mentions if m.place.country == cc)


def _trimmed(p: _Patterns, hit: re.Match) -> tuple[int, str | None]:
    """The name without the capitalised words before it that name nothing ("The", "On")."""
    start, end = hit.start("name"), hit.end("name")
    for word in re.finditer(r"[^ -]+", hit.group("name")):
        if word.group().lower() not in p.not_a_name:
            break
        start = hit.start("name") + word.end() + 1
    if start >= end:
        return start, None
    return start, hit.string[start:end]


def _site_words(hit: re.Match) -> bool:
    return not any(w in _FUNCTION for w in hit.group("mid").split())


def _fresh(mentions: list, start: int, end: int) -> bool:
    """No known place overlaps the span: a name the gazetteer knows is its business."""
    return not any(m.start < end and start < m.end for m in mentions)


def _next_mention(mentions: list, pos: int):
    return next((m for m in mentions if m.start >= pos), None)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 600), start):
        left = m.end()
    right = _SENTENCE_END.search(text, end)
    return left, right.start() if right else len(text)


def _locator(text: str, mentions: list, start: int, end: int, kinds: tuple[str, ...]):
    """The known place that locates a new one: the nearest of ``kinds`` in its sentence,
    after it first ("in Kyiv"), else before it."""
    left, right = _sentence_bounds(text, start, end)
    after = [m for m in mentions if m.kind in kinds and end <= m.start < right and m.place.country]
    if after:
        return after[0]
    before = [
        m
        for m in mentions
        if m.kind in kinds and left <= m.start and m.end <= start and m.place.country
    ]
    return before[-1] if before else None


def _site(cls, start: int, end: int, text: str, name: str, town):
    p = town.place
    place = Place(
        name=name, country=p.country, admin1=p.admin1, lat=p.lat, lon=p.lon, precision="facility"
    )
    return cls(start, end, text[start:end], place, "facility", 0.6)


def _village(cls, start: int, end: int, text: str, name: str, where, kind: str = "city"):
    """A village (``city``), or with ``admin2`` an area or district ("the Makeen area")."""
    p = where.place
    admin1 = p.name if where.kind == "admin1" else p.admin1 if where.kind != "country" else None
    place = Place(name=name, country=p.country, admin1=admin1, precision=kind)
    return cls(start, end, text[start:end], place, kind, 0.6)


def _merged(mentions: list, found: list) -> list:
    """Known mentions and new ones; a new site replaces the town it is named after
    ("Quetta's main railway station" over "Quetta") and no two new ones overlap."""
    out = list(mentions)
    taken: list = []
    for f in sorted(found, key=lambda m: (m.start, -m.end)):
        if any(t.start < f.end and f.start < t.end for t in taken):
            continue
        out = [m for m in out if not (m.start < f.end and f.start < m.end)]
        taken.append(f)
        out.append(f)
    out.sort(key=lambda m: m.start)
    return out
