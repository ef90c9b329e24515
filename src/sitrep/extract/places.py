"""Place mentions in report text: facilities, cities, regions and countries.

``find_places(text)`` returns the places a report names, each resolved to a
:class:`~sitrep.model.Place` with offsets into ``text``. How:

1. **Candidates.** One regex finds runs of capitalised words (with Arabic articles as in
   "al-Asad", "Deir ez-Zor", numbers as in "Tower 22", and a few lower-case words as in
   "Anbar province", "Harir air base", "Embassy in Baghdad"). Inside a run the longest
   sub-span whose normalised form (:func:`gazetteer.norm_key`) is in the index wins. The
   index is a dict lookup per span: no scan of the gazetteer's names per text.
2. **Pass 1** resolves facilities, countries, regions and demonyms. With
   ``countries_hint`` they give the document's countries.
3. **Pass 2** resolves city candidates: the document's countries first, then the name
   being the city's main name (not an alternate), then population. It rejects the usual
   false hits: common and organisation words ("Mission", "Victory", "General"), a word
   inside a longer capitalised name ("Lloyd Austin"), a sentence-initial or headline
   word without strong support, "Washington" without "in", and small towns outside the
   document's countries. It runs on big cities first: those it accepts add their country,
   which then helps the small towns of the same story.
4. **Near misses.** rapidfuzz ``ratio`` (not ``WRatio``) with a high cut-off, only
   against facility names and the city names of the document's countries, only for
   capitalised words that matched nothing.

Directional phrases before a country or region ("northeastern Syria", "southern Gaza")
become one mention that keeps the phrase as its name, at the country's (or region's)
precision.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sitrep.extract import gazetteer as gz
from sitrep.extract.gazetteer import (
    ADMIN1,
    COUNTRY,
    DEMONYM,
    FACILITY,
    PIECE_RE,
    Gazetteer,
    join_pieces,
    load_gazetteer,
    norm_key,
    norm_piece,
    schemas,
)
from sitrep.extract.sites import add_local_places
from sitrep.model import Place

__all__ = [
    "PlaceMention",
    "country_code",
    "facility_hosts",
    "find_places",
    "lookup_place",
    "same_place",
]

KINDS = ("facility", "city", "admin1", "region", "country")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    text: str  # text[start:end] of the text passed in
    place: Place
    kind: str  # one of KINDS
    score: float  # 0..1 confidence


# ---------------------------------------------------------------------------------------
# Word lists (normalised by norm_piece / norm_key when used).


def _norms(words: str) -> frozenset[str]:
    return frozenset(norm_key(w) for w in words.split(",") if w.strip())


# Never a city or region on their own: titles, institutions, armed groups, media, days
# and months, directions, function words that open sentences.
NEVER = _norms(
    "general,gen,brigadier,brig,colonel,col,major,maj,captain,capt,lieutenant,lt,sergeant,"
    "sgt,corporal,private,admiral,adm,commander,chief,marshal,president,vice,prime,"
    "minister,secretary,spokesman,spokeswoman,spokesperson,senator,sen,representative,rep,"
    "governor,gov,mayor,king,queen,prince,princess,sheikh,emir,ayatollah,imam,cleric,pope,"
    "mr,mrs,ms,dr,doctor,professor,ambassador,envoy,official,officials,director,deputy,"
    "army,navy,air,force,forces,marine,marines,corps,guard,guards,command,central,joint,task,"
    "operation,operations,security,defense,defence,ministry,department,council,parliament,"
    "congress,senate,house,white house,pentagon,kremlin,capitol,capitol hill,downing street,"
    "government,administration,agency,bureau,service,services,office,embassy,mission,"
    "support,site,camp,base,tower,union,victory,green,red,black,blue,white,golden,united,"
    "national,international,islamic,islam,resistance,front,brigade,brigades,battalion,"
    "division,regiment,unit,units,party,movement,coalition,alliance,league,organization,"
    "organisation,group,network,state,states,republic,democratic,popular,revolutionary,"
    "mobilization,mobilisation,liberation,freedom,justice,peace,unity,progress,hope,liberty,"
    "independence,reform,development,victoria,news,press,associated,reuters,times,post,"
    "journal,daily,telegraph,guardian,herald,tribune,gazette,star,sun,mail,express,observer,"
    "monitor,today,attack,attacks,drone,drones,rocket,rockets,missile,missiles,strike,"
    "strikes,war,conflict,crisis,city,town,village,province,region,district,county,north,"
    "south,east,west,northern,southern,eastern,western,middle,upper,lower,greater,new,old,"
    "great,little,grand,holy,saint,hamas,hezbollah,hizballah,houthi,houthis,isis,isil,daesh,"
    "taliban,qaeda,kataib,nujaba,wagner,shabaab,boko,haram,iswap,ttp,pkk,ypg,sdf,pmf,hashd,"
    "idf,irgc,quds,monday,tuesday,wednesday,thursday,friday,saturday,sunday,january,"
    "february,march,april,may,june,july,august,september,october,november,december,jan,feb,"
    "mar,apr,jun,jul,aug,sep,sept,oct,nov,dec,the,a,an,this,that,these,those,there,here,it,"
    "its,he,she,they,we,i,you,his,her,their,our,but,and,or,so,yet,for,nor,if,when,while,"
    "after,before,since,until,as,at,in,on,by,with,from,about,according,however,meanwhile,"
    "also,earlier,later,last,next,first,second,third,one,two,three,four,five,six,seven,"
    "eight,nine,ten,several,many,some,most,all,both,each,every,other,another,such,what,"
    "which,who,where,why,how,no,not,yes,amid,despite,during,following,under,over,against,"
    "among,between,within,without,god,allah,christmas,easter,ramadan,eid,al,said,says,"
    "officials said,middle east,near east,far east,english,arabic,sunni,shia,shiite,kurd,kurds,kurdish,arab,arabs,druze,"
    "christian,muslim,jewish,persian,pashtun,baloch,media,social media,internet"
)
# Common English words or names of people in this reporting that are also cities: a
# city only after a locative preposition ("in Hit"), never at a sentence's start.
SOFT = _norms(
    "hit,nice,split,reading,bath,mobile,orange,eagle,independence,austin,kirby,jackson,"
    "lincoln,hamilton,sullivan,burns,milton,clinton,johnson,franklin,madison,marshall,"
    "wilson,carter,obama,bush,biden,trump,blinken,ryder,singh,lloyd,mark,paris,sydney,"
    "florence,regina,chester,charlotte,aurora,columbia,troy,homestead,enterprise,"
    "commerce,concord,harmony,unity,friendship,liberty,providence,salem,eden,hope,faith,"
    "grace,joy,normal,superior,surprise,waterloo,more,erdogan,putin,modi,sharif,khan"
)
# Metonyms for governments: a city only with "in" ("in Washington"); docs/gold.md has
# "Washington said" mean the US government.
NEEDS_IN = _norms("washington")
# Words capitalised only because they open a sentence: a city after one ("In Tripoli")
# is not part of a longer name.
OPENERS = _norms(
    "the,a,an,in,on,at,after,before,since,until,as,by,with,from,near,outside,inside,"
    "across,into,to,for,but,and,or,so,yet,when,while,if,although,though,meanwhile,however,"
    "also,elsewhere,today,yesterday,earlier,later,overnight,residents,officials,police,"
    "troops,forces,militants,gunmen,sources"
)
# Country names that are also first names ("Chad Smith", "Jordan Lee").
AMBIGUOUS_COUNTRIES = _norms("chad,jordan,georgia")
# Country abbreviations that are mostly adjectives ("US forces"): a place only after a
# locative preposition ("in the US"), otherwise only a hint at the document's countries.
ADJECTIVAL_COUNTRIES = _norms("us,u.s.,usa,uk,u.k.,uae")
LOCATIVE = frozenset(  # plain lower-case words, compared with the text's
    "in near at outside from to into around across toward towards inside within on over "
    "off targeting targeted hit struck attacked shelled bombed of between via through "
    "northwest northeast southwest southeast north south east west".split()
)
# Words that may follow a city inside a capitalised run without making it a person's or an
# organisation's name ("Erbil Governor", "Kirkuk Operations Command").
PLACE_FOLLOWERS = _norms(
    "city,province,governorate,district,region,oblast,state,airport,international,mayor,"
    "governor,police,operations,command,council,university,hospital,residents,municipality,"
    "countryside,suburbs,outskirts,military,front,direction,axis,sector,area,road,highway,"
    "crossing,dam,port,base,border,offensive,attack,attacks,strike,strikes,bombing,explosion,"
    "blast,massacre,checkpoint,prison,refinery,plant,field,valley,river,sea,airbase,office,"
    "chief,security,health,ministry,provincial,local,citadel"
)
TITLE_ABBREVS = frozenset(
    "gen brig col lt maj sgt capt adm dr mr mrs ms sen rep gov pres sec cpl pvt prof amb "
    "rev cmdr gens lieut spc".split()
)
_DIRECTIONS = (
    r"north|south|east|west|central|northern|southern|eastern|western|"
    r"north[- ]?eastern|north[- ]?western|south[- ]?eastern|south[- ]?western|"
    r"north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west"
)
_DIRECTION_BEFORE = re.compile(rf"(?i)\b({_DIRECTIONS})[ \u00a0]+\Z")
_DIRECTION_PREFIX = re.compile(rf"(?i)^({_DIRECTIONS})[ \u00a0]+(?=\S)")

# Lower-case words a capitalised run may contain (Arabic articles and connectors) or end
# with (what kind of place it is).
_CONNECT = (
    "of the and in de del la le du des di da al el ad ar ash as at az ez es ed an ul bin ibn "
    "bint abu bani beni e i ye"  # "e i ye": the Persian linking particle (Mazar-i-Sharif)
).split()
_TAILS = (
    "province provinces governorate oblast krai state region district agency strip valley "
    "heights strait base airbase air airfield field airport garrison camp embassy consulate "
    "compound oil gas plant power nuclear port crossing dam hospital refinery station outpost "
    "landing zone site facility city town village area"
).split()
_TAIL_NORMS = frozenset(norm_piece(w) for w in _TAILS)

_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
_APOS = "'’‘`ʼʻʾʿ"
_CAP = rf"(?:(?:St|Ft|Mt)\.|(?:[{_UPPER}]\.){{2,}}|[{_UPPER}][^\W_]*(?:[{_APOS}][^\W_]+)*)"
_LOWER = "|".join(sorted(set(_CONNECT + _TAILS), key=len, reverse=True))
_ARTICLE = "al|el|ad|ar|ash|as|at|az|ez|es|ed|an|ul"
CHUNK_RE = re.compile(
    rf"(?<![\w{_APOS}])(?:(?:{_ARTICLE})[-‐‑])?{_CAP}"
    rf"(?:(?:[ \u00a0]|[-‐‑])(?:{_CAP}|\d+[A-Za-z]?\b|(?:{_LOWER})\b))*"
)
_WORD = re.compile(r"[^\W\d_]+")
_TITLE_BEFORE = re.compile(r"\b([A-Za-z]{1,6})\.[ \u00a0]*\Z")
_HEADLINE_WORD = re.compile(r"[^\W\d_]{4,}")

FUZZY_FACILITY_CUTOFF = 90.0
FUZZY_CITY_CUTOFF = 90.0
FUZZY_MAX_WINDOWS = 300  # per document: bounds the cost on long texts


# ---------------------------------------------------------------------------------------
# Candidate spans.


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    norm: str
    cap: bool
    possessive: bool


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    key: str
    fixed: tuple[int, ...]
    pieces: list[_Piece]
    i: int  # first piece of the span in its run
    j: int  # one past its last piece
    run_start: int


def _pieces(run_start: int, run: str) -> list[_Piece]:
    if run.replace(" ", "").isalnum():  # words and single spaces only: no regex needed
        words, pos = [], run_start
        for w in run.split(" "):
            words.append((pos, w))
            pos += len(w) + 1
    else:
        words = [(run_start + m.start(), m.group()) for m in PIECE_RE.finditer(run)]
    out = []
    for start, t in words:
        end = start + len(t)
        possessive = len(t) > 2 and t[-2] in _APOS and t[-1] in "sS"
        if possessive:
            t, end = t[:-2], end - 2
        norm = norm_piece(t)
        if norm:
            out.append(_Piece(start, end, norm, t[0].isupper() or t[0].isdigit(), possessive))
    return out


# "Pul" of "Pul-e-Khumri", "Mazar" of "Mazar-i-Sharif": the first word of a longer name
# joined by a particle is no place of its own.
_PARTICLE_AFTER = re.compile(r"-(?:e|i|o|u|ul|al|el|ud|ad|da|de|ye)-[A-Z]")


def _scan(text: str, gaz: Gazetteer, fuzzy_out: list | None) -> list[_Cand]:
    """Greedy longest match of index keys inside each capitalised run."""
    out: list[_Cand] = []
    fixed, city_keys, multi_first = gaz.fixed_index, gaz.city_keys, gaz.multi_first
    max_span = gaz.max_pieces + 2  # "air base" is two pieces of text, one of a key
    for m in CHUNK_RE.finditer(text):
        run = m.group()
        if run.isalnum():  # one plain word, most runs: no splitting into pieces
            norm = norm_piece(run)
            if not norm:
                continue
            fx = fixed.get(norm)
            if fx is not None or norm in city_keys:
                piece = _Piece(m.start(), m.end(), norm, True, False)
                out.append(_Cand(m.start(), m.end(), norm, fx or (), [piece], 0, 1, m.start()))
            elif fuzzy_out is not None and len(fuzzy_out) < FUZZY_MAX_WINDOWS:
                if len(norm) >= 5 and norm not in NEVER:
                    fuzzy_out.append(
                        ([_Piece(m.start(), m.end(), norm, True, False)], 0, m.start())
                    )
            continue
        pcs = _pieces(m.start(), run)
        n = len(pcs)
        i = 0
        while i < n:
            p = pcs[i]
            startable = (p.cap and not p.norm[0].isdigit()) or (
                p.norm == "al" and i + 1 < n and pcs[i + 1].cap
            )
            if not startable:
                i += 1
                continue
            limit = i + 1
            if p.norm in multi_first:
                limit = min(n, i + max_span)
                for k in range(i, limit):  # a possessive ends a span: "Iraq's Anbar"
                    if pcs[k].possessive:
                        limit = k + 1
                        break
            hit = None
            for j in range(limit, i, -1):
                last = pcs[j - 1]
                if not (last.cap or last.norm in _TAIL_NORMS):
                    continue
                key = pcs[i].norm if j == i + 1 else join_pieces([q.norm for q in pcs[i:j]])
                fx = fixed.get(key)
                if (fx is not None or key in city_keys) and not _PARTICLE_AFTER.match(
                    text, last.end
                ):
                    hit = _Cand(p.start, last.end, key, fx or (), pcs, i, j, m.start())
                    break
            if hit is None:
                # Near-miss candidates start a name: not "Austin" in "Lloyd Austin".
                if (
                    fuzzy_out is not None
                    and len(fuzzy_out) < FUZZY_MAX_WINDOWS
                    and p.cap
                    and len(p.norm) >= 3
                    and p.norm not in NEVER
                    and (i == 0 or not pcs[i - 1].cap or pcs[i - 1].norm in OPENERS)
                ):
                    fuzzy_out.append((pcs, i, m.start()))
                i += 1
            else:
                out.append(hit)
                i = hit.j
    return out


# ---------------------------------------------------------------------------------------
# Context of a span.


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0\"“”‘’'([{«*#>—–-":
        i -= 1
    if i < 0:
        return True
    c = text[i]
    if c in "\n\r!?:;":
        return True
    if c == ".":
        m = _TITLE_BEFORE.search(text, max(0, i - 8), i + 1)
        return not (m and (m.group(1).lower() in TITLE_ABBREVS or len(m.group(1)) == 1))
    return False


def _words_before(text: str, pos: int, n: int = 2) -> list[str]:
    """Up to n lower-cased words before pos on the same line, nearest first."""
    start = max(0, pos - 40)
    seg = text[start:pos]
    nl = seg.rfind("\n")
    words = _WORD.findall(seg[nl + 1 :] if nl >= 0 else seg)
    if nl < 0 and start > 0 and words:
        words = words[1:]  # the first may be cut
    return [w.lower() for w in words[: -n - 1 : -1]]


def _title_before(text: str, pos: int) -> bool:
    m = _TITLE_BEFORE.search(text, max(0, pos - 8), pos)
    return bool(m and m.group(1).lower() in TITLE_ABBREVS)


class _Lines:
    """Whether a position is in a title-cased line (a headline): memo per line."""

    def __init__(self, text: str):
        self.text, self.memo = text, {}

    def headline(self, pos: int) -> bool:
        start = self.text.rfind("\n", 0, pos) + 1
        if start not in self.memo:
            end = self.text.find("\n", pos)
            line = self.text[start : end if end >= 0 else len(self.text)]
            words = _HEADLINE_WORD.findall(line) if len(line) < 300 else []
            caps = sum(w[0].isupper() for w in words)
            self.memo[start] = len(words) >= 4 and caps >= 0.7 * len(words)
        return self.memo[start]


# ---------------------------------------------------------------------------------------
# Resolution.


@dataclass(slots=True)
class _Doc:
    """The document's countries: strong (places, hint) and weak (demonyms, "US forces")."""

    strong: Counter
    weak: Counter


_PREPOSITIONS = frozenset("in to from into inside across within throughout toward towards".split())
# Words after "the US" that show it is a noun ("troops left the US on Monday").
_NOUN_FOLLOWERS = frozenset(
    "and or but is was has had have said says will would to for on in at by with after "
    "before since as of that which who where when while because last this".split()
)
_NEXT_WORD = re.compile(r"[ \u00a0]*([^\W\d_]+)")


def _adjectival(text: str, c: _Cand) -> bool:
    """Whether "US"/"UK" is an adjective here ("US forces", "in the US military")."""
    before = _words_before(text, c.start)
    if before[:1] == ["the"]:
        before = before[1:]
    if not before or before[0] not in _PREPOSITIONS:
        return True
    m = _NEXT_WORD.match(text, c.end)
    return bool(m) and m.group(1) not in _NOUN_FOLLOWERS


def _locative(before: list[str]) -> bool:
    if not before:
        return False
    if before[0] == "the" and len(before) > 1:
        return before[1] in LOCATIVE
    return before[0] in LOCATIVE


def _record_mention(gaz: Gazetteer, c: _Cand, rec: int, text: str, bare: bool) -> PlaceMention:
    kind, name, cc, admin1, lat, lon, precision = gaz.records[rec]
    place = Place(name=name, country=cc, admin1=admin1, lat=lat, lon=lon, precision=precision)
    out_kind = {FACILITY: "facility", COUNTRY: "country", ADMIN1: "admin1"}.get(kind, "region")
    score = {FACILITY: 0.95, COUNTRY: 0.9}.get(kind, 0.8 if bare else 0.9)
    return PlaceMention(c.start, c.end, text[c.start : c.end], place, out_kind, score)


def _pick_record(gaz: Gazetteer, recs: list[int], doc: _Doc) -> int:
    """Among records sharing a name, the one in the document's countries."""
    return max(recs, key=lambda r: (doc.strong[gaz.records[r][2]], doc.weak[gaz.records[r][2]]))


def _best_city(gaz: Gazetteer, postings: tuple[int, ...], doc: _Doc) -> int:
    """The likeliest city: population, times 300 in the document's countries (a town of
    the story beats a foreign city, but London is not London, Ohio), times 5 in a country
    named only by demonyms, and a fifth for a name that is only an alternate one."""
    if len(postings) == 1:
        return postings[0]

    def rank(p: int) -> float:
        cc, pop = gaz.cc(p >> 1), gaz.city_pop[p >> 1] or 1000  # 0: unknown, not empty
        weight = 300 if doc.strong[cc] else 5 if doc.weak[cc] else 1
        return pop * weight * (0.2 if p & 1 else 1)

    return max(postings, key=rank)


def _city_verdict(
    gaz: Gazetteer, c: _Cand, posting: int, doc: _Doc, text: str, lines: _Lines, fuzzy: bool = False
) -> float | None:
    """The score of a city reading of a candidate, or None to reject it."""
    city, alt = posting >> 1, bool(posting & 1) or fuzzy
    cc, pop, key = gaz.cc(city), gaz.city_pop[city], c.key
    if key in NEVER or len(key) < 3 or _title_before(text, c.start):
        return None
    pcs = c.pieces
    prev = pcs[c.i - 1] if c.i > 0 else None
    if prev and prev.cap and not prev.possessive and prev.norm not in OPENERS:
        return None  # inside a longer name: "Lloyd Austin", "Secretary Austin"
    if c.j < len(pcs) and pcs[c.j].cap and not pcs[c.j - 1].possessive:
        if pcs[c.j].norm not in PLACE_FOLLOWERS:
            return None  # "Austin Tice", "Paris Hilton"
    before = _words_before(text, c.start)
    locative = _locative(before)
    # A country named only by demonyms ("Ukrainian forces") supports towns, not villages.
    in_doc = doc.strong[cc] > 0 or (doc.weak[cc] > 0 and pop >= 20_000)
    if key in NEEDS_IN and (not before or before[0] != "in"):
        return None
    if key in SOFT and not (locative and (in_doc or pop >= 100_000)):
        return None
    if not locative and (
        (c.i == 0 and _sentence_start(text, c.start)) or lines.headline(c.start)
    ):  # a capital that may only mark a sentence's or a headline's words
        if not ((in_doc and pop >= 5000) or pop >= 100_000):
            return None
    if in_doc:
        if not locative and (pop < 5000 or (alt and pop < 100_000)):
            return None
    elif any(doc.strong.values()):  # the story is elsewhere: only well-known places
        if not (pop >= 500_000 or (locative and pop >= 100_000 and not alt)):
            return None
    elif not (
        pop >= 500_000 or (locative and pop >= 100_000) or (locative and pop >= 15_000 and not alt)
    ):
        return None
    score = 0.5 + 0.25 * in_doc + min(0.15, math.log10(pop + 1) / 45) + 0.05 * locative
    countries = {gaz.cc(p >> 1) for p in gaz.cities(key) if gaz.city_pop[p >> 1] >= 1000}
    if len(countries) > 1:
        score -= 0.1
    if fuzzy:
        score *= 0.85
    return round(max(0.3, min(0.99, score)), 3)


def _resolve(text: str, gaz: Gazetteer, cands: list[_Cand], hint: list[str]):
    doc = _Doc(Counter(), Counter())
    for cc in hint:
        doc.strong[cc] += 3
    fixed_out: list[tuple[_Cand, list[int], bool]] = []  # (cand, records, bare)
    city_cands: list[_Cand] = []
    for c in cands:  # pass 1: facilities, countries, regions, demonyms
        recs = [p >> 1 for p in c.fixed if not p & 1]
        by_kind: dict[str, list[int]] = {}
        for r in recs:
            by_kind.setdefault(gaz.records[r][0], []).append(r)
        if FACILITY in by_kind:
            chosen = by_kind[FACILITY]
        elif COUNTRY in by_kind:
            # "Georgia" is the US state in a story about US troops: the pick waits for
            # the document's countries.
            chosen = by_kind[COUNTRY] + [p >> 1 for p in c.fixed if p & 1]
            if c.key in ADJECTIVAL_COUNTRIES and _adjectival(text, c):
                doc.weak[gaz.records[chosen[0]][2]] += 1  # "US forces": a hint, not a place
                continue
            pcs = c.pieces
            if c.key in AMBIGUOUS_COUNTRIES and c.j < len(pcs) and pcs[c.j].cap:
                if pcs[c.j].norm not in PLACE_FOLLOWERS:
                    continue  # "Chad Smith"
        elif DEMONYM in by_kind:
            for r in by_kind[DEMONYM]:  # a demonym is a hint, never a place mention
                doc.weak[gaz.records[r][2]] += 1
            continue
        elif recs:
            chosen = recs
        else:
            city_cands.append(c)
            continue
        fixed_out.append((c, chosen, False))
        countries = {gaz.records[r][2] for r in chosen}
        if len(countries) == 1 and None not in countries:
            doc.strong[countries.pop()] += 2

    lines = _Lines(text)
    # Pass 2, first on big cities only: those found with confidence add their country,
    # which then helps the small towns of the same story.
    for c in city_cands:
        postings = gaz.cities(c.key)
        best = _best_city(gaz, postings, doc) if postings else None
        # (not a stem that also names a region elsewhere: "Shan" must not vouch for Anshan, China)
        if (
            best is not None
            and gaz.city_pop[best >> 1] >= 100_000
            and not _region_abroad(gaz, c, best, postings)
        ):
            if _city_verdict(gaz, c, best, doc, text, lines) is not None:
                doc.strong[gaz.cc(best >> 1)] += 1
    cities: list[tuple[_Cand, int, float]] = []
    bare_out: list[tuple[_Cand, list[int], bool]] = []
    for c in city_cands:
        postings = gaz.cities(c.key)
        bare = _bare_regions(gaz, c.fixed, postings)
        if postings:
            best = _best_city(gaz, postings, doc)
            # A region stem beats a namesake town abroad ("Anbar" is not Ambar, Turkey).
            if not (bare and not doc.strong[gaz.cc(best >> 1)]):
                verdict = _city_verdict(gaz, c, best, doc, text, lines)
                if verdict is not None:
                    cities.append((c, best, verdict))
                    continue
        if bare and c.key not in NEVER:
            bare_out.append((c, bare, True))
    return doc, fixed_out + bare_out, cities


def _region_abroad(gaz: Gazetteer, c: _Cand, best: int, postings: tuple[int, ...]) -> bool:
    """The stem also names a region of another country than the city's ("Shan")."""
    regions = _bare_regions(gaz, c.fixed, postings)
    return bool(regions) and gaz.cc(best >> 1) not in {gaz.records[r][2] for r in regions}


def _bare_regions(gaz: Gazetteer, fixed: tuple[int, ...], postings: tuple[int, ...]) -> list[int]:
    """Regions named by a bare stem ("Anbar", "Borno") that no city of their own country
    bears as its main name ("Kharkiv" is the city)."""
    if not fixed:
        return []
    own = {gaz.cc(p >> 1) for p in postings if not p & 1}
    return [p >> 1 for p in fixed if p & 1 and gaz.records[p >> 1][2] not in own]


def find_places(text: str, countries_hint: Iterable[str] = ()) -> list[PlaceMention]:
    """The places a text names, sorted by offset, never overlapping.

    ``countries_hint``: ISO alpha-2 codes (or country names) the document is known to be
    about, e.g. from its outlet or an earlier pass; they steer ambiguous city names.
    """
    if not text:
        return []
    gaz = load_gazetteer()
    hint = [cc for cc in (_hint_code(h) for h in countries_hint) if cc]
    fuzzy_spans: list = []
    cands = _scan(text, gaz, fuzzy_spans)
    doc, fixed_out, cities = _resolve(text, gaz, cands, hint)

    mentions: list[PlaceMention] = []
    for c, recs, bare in fixed_out:
        rec = _pick_record(gaz, recs, doc)
        mentions.append(_record_mention(gaz, c, rec, text, bare))
    for c, best, score in cities:
        place = gaz.city_place(best >> 1)
        mentions.append(PlaceMention(c.start, c.end, text[c.start : c.end], place, "city", score))
    mentions.sort(key=lambda m: m.start)
    mentions = _with_directions(text, mentions)
    if fuzzy_spans:
        mentions = _add_fuzzy(text, gaz, fuzzy_spans, mentions, doc)
    return add_local_places(text, mentions)


def _with_directions(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Merge a direction with the country or region after it: "northeastern Syria" is one
    mention, named by the phrase, at the country's (or region's) precision."""
    out: list[PlaceMention] = []
    for m in mentions:
        if m.kind in ("country", "admin1", "region") and m.place.country is not None:
            d = _DIRECTION_BEFORE.search(text, max(0, m.start - 24), m.start)
            if d and (not out or out[-1].end <= d.start()):
                direction = re.sub(r"[- ]", "", d.group(1).lower())
                p = m.place
                place = Place(
                    name=f"{direction} {p.name}",
                    country=p.country,
                    admin1=p.admin1,
                    lat=p.lat,
                    lon=p.lon,
                    precision=p.precision,
                )
                m = PlaceMention(d.start(), m.end, text[d.start() : m.end], place, "region", 0.85)
        out.append(m)
    return out


# ---------------------------------------------------------------------------------------
# Near misses (rapidfuzz ratio against small, relevant name lists).


def _fuzzy_facility(gaz: Gazetteer, key: str) -> str | None:
    """The facility key ``key`` nearly spells ("Ain al-Assad"), memoised per process."""
    memo = gaz.memo.setdefault("fuzzy_facility", {})
    if key not in memo:
        by_initial = gaz.memo.get("facility_names")
        if by_initial is None:  # facility keys by first letter: a near miss shares it
            by_initial = gaz.memo["facility_names"] = {}
            for k, postings in gaz.fixed_index.items():
                if any(gaz.records[p >> 1][0] == FACILITY and not p & 1 for p in postings):
                    by_initial.setdefault(k[0], []).append(k)
        if len(memo) > 100_000:
            memo.clear()
        memo[key] = _closest(key, by_initial.get(key[0], ()), FUZZY_FACILITY_CUTOFF)
    return memo[key]


def _fuzzy_city(gaz: Gazetteer, key: str, cc: str) -> int | None:
    """The posting of the city of country ``cc`` whose name ``key`` nearly spells."""
    memo = gaz.memo.setdefault("fuzzy_city", {})
    if (key, cc) not in memo:
        names = gaz.memo.get(("city_names", cc))
        if names is None:  # the country's city keys by first letter, with a posting each
            names = gaz.memo[("city_names", cc)] = {}
            for city in gaz.cities_of_country(cc):
                for k in gz.name_variants(gaz.city_name[city]):
                    names.setdefault(k[0], {}).setdefault(k, 2 * city)
        if len(memo) > 100_000:
            memo.clear()
        bucket = names.get(key[0], {})
        hit = _closest(key, bucket.keys(), FUZZY_CITY_CUTOFF)
        memo[key, cc] = bucket[hit] if hit else None
    return memo[key, cc]


def _closest(key: str, choices: Iterable[str], cutoff: float) -> str | None:
    from rapidfuzz import fuzz, process

    hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return hit[0] if hit else None


def _add_fuzzy(text, gaz, spans, mentions, doc) -> list[PlaceMention]:
    # The document's countries, those named by places first, then by demonyms.
    countries = [cc for cc, n in doc.strong.most_common() if n > 0]
    countries += [cc for cc, n in doc.weak.most_common() if n > 0 and cc not in countries]
    starts = [m.start for m in mentions]
    ends = [m.end for m in mentions]

    def free(start: int, end: int) -> bool:
        k = bisect_right(starts, start)  # the mention before may reach into the span
        return (k == 0 or ends[k - 1] <= start) and (k == len(starts) or starts[k] >= end)

    lines = _Lines(text)
    added: list[PlaceMention] = []
    for pcs, i, run_start in spans:
        for j in range(min(len(pcs), i + 6), i, -1):  # longest first
            if not pcs[j - 1].cap and pcs[j - 1].norm not in _TAIL_NORMS:
                continue
            key = join_pieces([q.norm for q in pcs[i:j]])
            start, end = pcs[i].start, pcs[j - 1].end
            if len(key) < 6 or not free(start, end):
                continue
            c = _Cand(start, end, key, (), pcs, i, j, run_start)
            found = None
            fac = _fuzzy_facility(gaz, key)
            if fac:
                recs = [p >> 1 for p in gaz.fixed_index[fac] if not p & 1]
                m = _record_mention(gaz, c, recs[0], text, False)
                score = round(m.score * 0.85, 3)
                found = PlaceMention(m.start, m.end, m.text, m.place, m.kind, score)
            elif j - i <= 2:
                for cc in countries:
                    posting = _fuzzy_city(gaz, key, cc)
                    if posting is not None:
                        score = _city_verdict(gaz, c, posting, doc, text, lines, fuzzy=True)
                        if score is not None:
                            place = gaz.city_place(posting >> 1)
                            found = PlaceMention(start, end, text[start:end], place, "city", score)
                        break
            if found:
                added.append(found)
                k = bisect_right(starts, start)
                starts.insert(k, start)
                ends.insert(k, end)
                break
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


# ---------------------------------------------------------------------------------------
# Single names: country codes, lookups, comparisons.


def _hint_code(h: str) -> str | None:
    h = h.strip()
    if len(h) == 2 and h.isalpha():
        return h.upper()
    return country_code(h)


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name, short form, code or demonym.

    ``"Iraq"``, ``"Iraqi"`` -> ``"IQ"``; ``"U.S."``, ``"US"``, ``"the United States"``,
    ``"American"`` -> ``"US"``. None when the name is not a country's.
    """
    s = name.strip()
    if not s:
        return None
    gaz = load_gazetteer()
    if s.lower().startswith("the "):
        s = s[4:]
    key = norm_key(s)
    for p in gaz.fixed_index.get(key, ()):
        kind, _, cc, *_ = gaz.records[p >> 1]
        if kind in (COUNTRY, DEMONYM) and not p & 1:
            return cc
    if len(s) in (2, 3) and s.isalpha() and s.isupper():
        return _country_codes(gaz).get(s)
    return None


def _country_codes(gaz: Gazetteer) -> dict[str, str]:
    """Alpha-2 and alpha-3 codes to alpha-2."""
    out = gaz.memo.get("country_codes")
    if out is None:
        import pycountry

        known = {r[2] for r in gaz.records if r[0] == COUNTRY}
        out = gaz.memo["country_codes"] = {cc: cc for cc in known}
        for c in pycountry.countries:
            if c.alpha_2 in known:
                out[c.alpha_3] = c.alpha_2
    return out


def lookup_place(name: str, country: str | None = None) -> Place | None:
    """One place name (a CLI filter, a gold record) as a Place, or None.

    Facility names and aliases, countries, regions (with "X province" style variants and
    directional phrases such as "northeastern Syria") and cities; "Erbil, Iraq" reads the
    country after the comma. ``country`` (alpha-2 or a name) restricts the search.
    """
    s = " ".join(name.split())
    if not s:
        return None
    cc_filter = _hint_code(country) if country else None
    if "," in s:
        head, tail = s.rsplit(",", 1)
        tail_cc = country_code(tail)
        if tail_cc and head.strip():
            s, cc_filter = head.strip(), cc_filter or tail_cc
    direction = None
    d = _DIRECTION_PREFIX.match(s)
    if d and norm_key(s) not in load_gazetteer().fixed_index:  # "South Sudan" is a name
        direction, s = re.sub(r"[- ]", "", d.group(1).lower()), s[d.end() :]
    if s.lower().startswith("the "):
        s = s[4:]
    place = _lookup(norm_key(s), cc_filter)
    if place is None or direction is None:
        return place
    if place.precision not in ("country", "admin1", "admin2"):
        return place
    return Place(
        name=f"{direction} {place.name}",
        country=place.country,
        admin1=place.admin1,
        lat=place.lat,
        lon=place.lon,
        precision=place.precision,
    )


def _lookup(key: str, cc: str | None) -> Place | None:
    gaz = load_gazetteer()
    if not key:
        return None

    def ok(code: str | None) -> bool:
        return cc is None or code == cc

    fixed = [(p >> 1, bool(p & 1)) for p in gaz.fixed_index.get(key, ())]
    fixed = [
        (r, bare) for r, bare in fixed if ok(gaz.records[r][2]) and gaz.records[r][0] != DEMONYM
    ]
    for kind in (FACILITY, COUNTRY):
        for r, bare in fixed:
            if gaz.records[r][0] == kind and not bare:
                return gaz.record_place(r)
    for r, bare in fixed:
        if not bare:
            return gaz.record_place(r)
    postings = tuple(p for p in gaz.cities(key) if ok(gaz.cc(p >> 1)))
    bare = _bare_regions(gaz, tuple(2 * r + 1 for r, _ in fixed), postings)
    if bare:
        return gaz.record_place(bare[0])
    if postings:
        best = max(postings, key=lambda p: (not p & 1, gaz.city_pop[p >> 1]))
        return gaz.city_place(best >> 1)
    for r, _ in fixed:
        return gaz.record_place(r)
    return _lookup_fuzzy(gaz, key, cc)


def _lookup_fuzzy(gaz: Gazetteer, key: str, cc: str | None) -> Place | None:
    fac = _fuzzy_facility(gaz, key)
    if fac:
        for p in gaz.fixed_index[fac]:
            if cc is None or gaz.records[p >> 1][2] == cc:
                return gaz.record_place(p >> 1)
    if cc:
        posting = _fuzzy_city(gaz, key, cc)
        if posting is not None:
            return gaz.city_place(posting >> 1)
    return None


def same_place(a: Place, b: Place, km: float = 25.0) -> bool:
    """Whether two places are the same for matching: the same canonical name (and no
    conflicting country), or both with coordinates within ``km`` of each other."""
    if a.name and b.name and norm_key(a.name) == norm_key(b.name):
        if a.country is None or b.country is None or a.country == b.country:
            return True
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    return _haversine_km(a.lat, a.lon, b.lat, b.lon) <= km


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


@cache
def _hosts_by_name(_search_path: str) -> dict[str, tuple[str, ...]]:
    from sitrep.lexicons import load_entries

    facility_schema, _ = schemas()
    out: dict[str, tuple[str, ...]] = {}
    for fac in load_entries("facilities.yaml", facility_schema):
        out[fac.name] = tuple(fac.hosts)
    return out


def facility_hosts(name: str | None) -> tuple[str, ...]:
    """Actor ids of the forces based at a facility (by canonical name); empty if none."""
    if not name:
        return ()
    return _hosts_by_name(os.environ.get("SITREP_LEXICON_PATH", "")).get(name, ())
