"""Attack modes: tag the weapon words of a text with codes of the DESIGN taxonomy.

The words, and each code's ACLED sub-event and GTD weapon type, are data in
``lexicon/attack_modes.yaml``; this module compiles them into one phrase matcher
(built once per lexicon search path) and adds the two judgements words alone cannot
make: whether "IDF" means indirect fire, and whether a weapon is named in an attack.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, field_validator

from sitrep.errors import LexiconError
from sitrep.extract.phrases import BLOCK, PhraseMatcher, expand, phrase_key
from sitrep.lexicons import load_entries
from sitrep.model import ATTACK_MODES

__all__ = [
    "ACLED_SUB_EVENTS",
    "GTD_WEAPON_TYPES",
    "ModeEntry",
    "ModeMention",
    "acled_sub_event",
    "find_modes",
    "gtd_weapon",
    "idf_means_indirect_fire",
]

LEXICON = "attack_modes.yaml"

# The target vocabularies, so that a typo in the data fails at load time.
ACLED_SUB_EVENTS = (
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
)
GTD_WEAPON_TYPES = (
    "Biological",
    "Chemical",
    "Radiological",
    "Nuclear",
    "Firearms",
    "Explosives",
    "Fake Weapons",
    "Incendiary",
    "Melee",
    "Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)",
    "Sabotage Equipment",
    "Other",
    "Unknown",
)


class ModeEntry(BaseModel):
    """One code of the taxonomy as the data file writes it."""

    model_config = ConfigDict(extra="forbid")

    code: str
    acled: str | None = None  # optional only so that user files can just add terms
    gtd: str | None = None
    terms: list[str] = []
    not_attack: list[str] = []
    exclude: list[str] = []
    note: str | None = None

    @field_validator("code")
    @classmethod
    def _known_code(cls, v: str) -> str:
        if v not in ATTACK_MODES:
            raise ValueError(f"unknown attack mode {v!r}")
        return v

    @field_validator("acled")
    @classmethod
    def _known_acled(cls, v: str | None) -> str | None:
        if v is not None and v not in ACLED_SUB_EVENTS:
            raise ValueError(f"unknown ACLED sub-event type {v!r}")
        return v

    @field_validator("gtd")
    @classmethod
    def _known_gtd(cls, v: str | None) -> str | None:
        if v is not None and v not in GTD_WEAPON_TYPES:
            raise ValueError(f"unknown GTD weapon type {v!r}")
        return v


@dataclass(frozen=True, slots=True)
class ModeMention:
    start: int
    end: int
    text: str
    mode: str  # a code of model.ATTACK_MODES
    weapon: str  # the weapon words as written, lower-cased
    attack: bool  # False when the words name the weapon outside an attack


@dataclass(frozen=True, slots=True)
class _Term:
    mode: str
    attack: bool
    idf: bool  # starts with the acronym IDF: indirect fire only in context


_CUE = _Term("", False, False)  # payload of a word that may precede a weapon outside an attack


@dataclass(frozen=True, slots=True)
class _Lexicon:
    matcher: PhraseMatcher
    modes: dict[str, str]  # normalised term -> code
    acled: dict[str, str]
    gtd: dict[str, str]


def _lexicon() -> _Lexicon:
    return _build(os.environ.get("SITREP_LEXICON_PATH", ""))


@cache
def _build(_search_path: str) -> _Lexicon:
    acled: dict[str, str] = {}
    gtd: dict[str, str] = {}
    owner: dict[str, tuple[str, bool | None]] = {}  # key -> (code, attack; None = exclude)
    phrases = []
    for entry in load_entries(LEXICON, ModeEntry):
        for field, table, value in (("acled", acled, entry.acled), ("gtd", gtd, entry.gtd)):
            if value is not None:
                if table.setdefault(entry.code, value) != value:
                    raise LexiconError(f"{LEXICON}: {entry.code}: two {field} mappings")
        for words, attack in (
            (entry.terms, True),
            (entry.not_attack, False),
            (entry.exclude, None),
        ):
            for phrase in words:
                for form in expand(phrase):
                    key, _ = phrase_key(form)
                    if owner.setdefault(key, (entry.code, attack)) != (entry.code, attack):
                        raise LexiconError(
                            f"{LEXICON}: {form!r} is listed twice ({owner[key][0]} and {entry.code})"
                        )
                    idf = key.split(" ", 1)[0] == "idf"
                    payload = BLOCK if attack is None else _Term(entry.code, attack, idf)
                    phrases.append((form, payload))
    for code in ATTACK_MODES:
        if code not in acled or code not in gtd:
            raise LexiconError(f"{LEXICON}: attack mode {code!r} needs an acled and a gtd mapping")
    modes = {key: code for key, (code, attack) in owner.items() if attack is not None}
    phrases += [(word, _CUE) for word in _NOT_ATTACK_BEFORE if phrase_key(word)[0] not in owner]
    return _Lexicon(PhraseMatcher(phrases), modes, acled, gtd)


def acled_sub_event(mode: str) -> str:
    """The ACLED sub-event type of an attack mode ("Air/drone strike")."""
    try:
        return _lexicon().acled[mode]
    except KeyError:
        raise ValueError(f"unknown attack mode: {mode!r}") from None


def gtd_weapon(mode: str) -> str:
    """The GTD weapon type of an attack mode ("Explosives")."""
    try:
        return _lexicon().gtd[mode]
    except KeyError:
        raise ValueError(f"unknown attack mode: {mode!r}") from None


# --- "IDF": indirect fire or the Israel Defense Forces? -------------------------------
# US-military reporting abbreviates indirect fire as IDF inside weapons lists ("rocket,
# mortar and IDF attacks", "IDF/UAS"); everyone else means the Israeli military. The rule,
# shared by the actor tagger so that one "IDF" is never both:
#   IDF is indirect fire when it is a noun, not a modifier or a subject ("IDF troops",
#   "IDF said": it is followed by punctuation, the end, a conjunction, a preposition or
#   attack/round/impact/fire) and either
#   (a) it is an item of a list whose neighbour is a weapon word, or
#   (b) it is followed by attack(s)/round(s)/impact(s) and nothing Israeli is nearby.
_WEAPON = (
    r"(?:rockets?|mortars?|UAS|UAVs?|drones?|artillery|missiles?|RPGs?|IEDs?|gunfire"
    r"|small[- ]arms(?: fire)?|indirect[- ]fire|(?:one[- ]way|OWA)(?: attack)?(?: UAS| drones?)?)"
)
_SEP = r"(?:\s*[,/&]\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)"
_WEAPON_BEFORE = re.compile(r"\b" + _WEAPON + _SEP + r"$", re.IGNORECASE)
_WEAPON_AFTER = re.compile(_SEP + _WEAPON + r"\b", re.IGNORECASE)
_HEAD_NOUN_OK = re.compile(  # what may follow IDF as a noun: not "IDF troops", "IDF said"
    r"\s*(?:$|[,;:/&.)]|(?:and|or|attacks?|rounds?|impacts?|fire|at|on|against|towards?"
    r"|targeting|in|near|from|overnight|during|since|were|was|that|which|landed|impacted"
    r"|targeted)\b)",
    re.IGNORECASE,
)
_EVENT_AFTER = re.compile(r"\s+(?:attacks?|rounds?|impacts?)\b", re.IGNORECASE)
_ISRAEL_CUE = re.compile(
    r"\b(?:Israel\w*|Gaza\w*|Hamas|Hezbollah|Hizb[ou]llah|Leban\w+|West Bank|Palestin\w*"
    r"|Jerusalem|Tel Aviv|Netanyahu|Rafah|Khan Yunis|Khan Younis|Jenin|Golan)\b"
)
_CONTEXT = 60
_CUE_CONTEXT = 250


def idf_means_indirect_fire(text: str, start: int, end: int) -> bool:
    """Whether the "IDF" at ``text[start:end]`` abbreviates indirect fire (see above)."""
    after = text[end : end + _CONTEXT]
    if not _HEAD_NOUN_OK.match(after):
        return False
    before = text[max(0, start - _CONTEXT) : start]
    if _WEAPON_BEFORE.search(before) or _WEAPON_AFTER.match(after):
        return True
    if _EVENT_AFTER.match(after):
        window = text[max(0, start - _CUE_CONTEXT) : end + _CUE_CONTEXT]
        return not _ISRAEL_CUE.search(window)
    return False


# --- attack or not -------------------------------------------------------------------
# Best effort: a weapon followed by a noun of making, trading or watching ("drone
# factory", "missile shipments"), or shortly after a verb of the same ("seized a cache
# of 107mm rockets", "test-fired a ballistic missile"), is named outside an attack.
_NOT_ATTACK_AFTER = re.compile(
    r"\s+(?:launchers?|factor(?:y|ies)|plants?|production|programs?|programmes?|stockpiles?"
    r"|caches?|depots?|warehouses?|components?|parts|shipments?|deliver(?:y|ies)|supplies"
    r"|supplier|technology|footage|videos?|imagery|images|photos?|pilots?|operators?"
    r"|defen[cs]es?|interceptors?|sales?|exports?|deals?|makers?|manufacturers?|tests?)\b",
    re.IGNORECASE,
)
_NOT_ATTACK_BEFORE = (  # matched in the same pass as the weapons (a cue payload)
    "seized seizing captured confiscated smuggled smuggling supply supplied supplying"
    " delivered delivering sold sell sells selling manufacture manufactures manufactured"
    " manufacturing produce produces produced producing acquire acquires acquired acquiring"
    " unveiled displayed test-fired test-launched tested testing bought buy buys buying"
    " transferred shipped stockpiled cache caches stockpile stockpiles shipment shipments"
    " inventory arsenal"
).split()
_CLAUSE_END = re.compile(r"[.;:!?]")
_BEFORE = 50  # characters: about the four words before the weapon


def _named_outside_attack(text: str, start: int, end: int, cues: list[int]) -> bool:
    if _NOT_ATTACK_AFTER.match(text, end, end + 30):
        return True
    i = bisect.bisect_right(cues, start) - 1  # the closest cue before the weapon
    if i < 0 or cues[i] < start - _BEFORE:
        return False  # no cue shortly before: the common case
    between = text[cues[i] : start]  # the cue must be in this clause, at most 3 words back
    return not _CLAUSE_END.search(between) and len(between.split()) <= 3


_TRAILING_EVENT = re.compile(r"[\s-]+attacks?$")


def _weapon_words(span: str, mode: str, lex: _Lexicon) -> str:
    """The span lower-cased, less a trailing "attack(s)" when the rest still names the
    mode ("rocket attacks" -> "rocket", but "suicide attack" stays)."""
    weapon = " ".join(span.lower().split())
    if not weapon.endswith(("attack", "attacks")):
        return weapon
    bare = _TRAILING_EVENT.sub("", weapon)
    return bare if bare != weapon and lex.modes.get(phrase_key(bare)[0]) == mode else weapon


def find_modes(text: str) -> list[ModeMention]:
    """Attack-mode mentions in ``text``: sorted, non-overlapping, longest match wins."""
    lex = _lexicon()
    cues: list[int] = []  # ends of making/trading words, in text order

    def choose(payloads: list[_Term], start: int, end: int) -> _Term | None:
        term = payloads[0]
        if term is _CUE:
            cues.append(end)
            return None
        if term.idf and not idf_means_indirect_fire(text, start, start + 3):
            return None  # the Israeli military: the actor tagger's
        return term

    out = []
    for hit in lex.matcher.find(text, choose):
        span = text[hit.start : hit.end]
        weapon = _weapon_words(span, hit.value.mode, lex)
        attack = hit.value.attack and not _named_outside_attack(text, hit.start, hit.end, cues)
        out.append(ModeMention(hit.start, hit.end, span, hit.value.mode, weapon, attack))
    return out
