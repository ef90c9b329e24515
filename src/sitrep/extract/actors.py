"""Actors: tag the names of armed forces, groups, governments and civilians in a text.

Actors and their names are data in ``lexicon/actors.yaml`` (schema: ``ActorEntry``);
this module compiles every name into one phrase matcher, built once per lexicon search
path. Names change over time, so each alias may be valid only for a period and
``find_actors(text, on=...)`` uses the names valid on the report's date.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from rapidfuzz import fuzz, process

from sitrep.errors import LexiconError
from sitrep.extract.modes import idf_means_indirect_fire
from sitrep.extract.phrases import BLOCK, PhraseMatcher, expand, normalise, phrase_key
from sitrep.lexicons import load_entries
from sitrep.model import ACTOR_KINDS

__all__ = [
    "Actor",
    "ActorEntry",
    "ActorMention",
    "actor_by_id",
    "find_actors",
    "resolve_actor",
]

LEXICON = "actors.yaml"
FUZZY_CUTOFF = 90  # rapidfuzz ratio on normalised aliases; lower lets "Iraqi" find "Iran"


# --- the data file's schema ----------------------------------------------------------
class _Dated(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from is after valid_to")
        return self


class AliasSpec(_Dated):
    """A name as written, optionally valid only from / until a day."""

    name: str = Field(min_length=1)


class CombineSpec(_Dated):
    """Every "prefix noun" pair is an alias ("American" x "troops")."""

    prefixes: list[str] = Field(min_length=1)
    nouns: list[str] = Field(min_length=1)


class ActorEntry(BaseModel):
    """One actor as the data file writes it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str | None = None  # optional only so that user files can extend a shipped actor
    kind: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    parent: str | None = None
    generic: bool = False
    aliases: list[AliasSpec] = []
    combine: list[CombineSpec] = []
    exclude: list[str] = []
    note: str | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str | None) -> str | None:
        if v is not None and v not in ACTOR_KINDS:
            raise ValueError(f"unknown actor kind {v!r}")
        return v

    @field_validator("aliases", mode="before")
    @classmethod
    def _plain_names(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"name": a} if isinstance(a, str) else a for a in v]
        return v


# --- the public records --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...]
    parent: str | None


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int  # offsets into the text passed in
    end: int
    text: str
    actor_id: str
    name: str
    kind: str
    country: str | None
    generic: bool  # a nationality-less word ("troops") the assembler places from context


# --- the compiled lexicon ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Alias:
    actor: Actor
    generic: bool
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    def overlaps(self, other: _Alias) -> bool:
        lo = max(self.valid_from or date.min, other.valid_from or date.min)
        hi = min(self.valid_to or date.max, other.valid_to or date.max)
        return lo <= hi


@dataclass(frozen=True, slots=True)
class _Lexicon:
    matcher: PhraseMatcher
    actors: dict[str, Actor]
    exact: dict[str, list[_Alias]]  # lookup key (spaces collapsed) -> aliases


def _lexicon() -> _Lexicon:
    return _build(os.environ.get("SITREP_LEXICON_PATH", ""))


def _merge(entries: list[ActorEntry]) -> dict[str, ActorEntry]:
    """One entry per id: a later entry with a known id extends it (a user's file)."""
    merged: dict[str, ActorEntry] = {}
    for entry in entries:
        base = merged.get(entry.id)
        if base is None:
            merged[entry.id] = entry.model_copy(deep=True)
            continue
        for field in entry.model_fields_set - {"id", "aliases", "combine", "exclude"}:
            setattr(base, field, getattr(entry, field))
        base.aliases += entry.aliases
        base.combine += entry.combine
        base.exclude += entry.exclude
    for entry in merged.values():
        if entry.name is None or entry.kind is None:
            raise LexiconError(f"{LEXICON}: actor {entry.id!r} needs a name and a kind")
        if entry.parent is not None and entry.parent not in merged:
            raise LexiconError(f"{LEXICON}: actor {entry.id!r}: unknown parent {entry.parent!r}")
    for entry in merged.values():  # parents must form a tree
        seen, at = {entry.id}, entry.parent
        while at is not None:
            if at in seen:
                raise LexiconError(f"{LEXICON}: actor {entry.id!r}: parent cycle through {at!r}")
            seen.add(at)
            at = merged[at].parent
    return merged


def _written_forms(entry: ActorEntry) -> list[tuple[str, date | None, date | None]]:
    forms = []
    for alias in entry.aliases:
        forms += [(f, alias.valid_from, alias.valid_to) for f in expand(alias.name)]
    for combo in entry.combine:
        for prefix in combo.prefixes:
            for noun in combo.nouns:
                forms += [(f, combo.valid_from, combo.valid_to) for f in expand(f"{prefix} {noun}")]
    return forms


@cache
def _build(_search_path: str) -> _Lexicon:
    merged = _merge(load_entries(LEXICON, ActorEntry))
    actors: dict[str, Actor] = {}
    phrases: list[tuple[str, Any]] = []
    by_key: dict[str, list[_Alias]] = {}
    for entry in merged.values():
        forms = _written_forms(entry)
        actor = Actor(
            id=entry.id,
            name=entry.name or entry.id,
            kind=entry.kind or "",
            country=entry.country,
            aliases=tuple(dict.fromkeys(f for f, _, _ in forms)),
            parent=entry.parent,
        )
        actors[entry.id] = actor
        for form, valid_from, valid_to in forms:
            alias = _Alias(actor, entry.generic, valid_from, valid_to)
            key = phrase_key(form)[0]
            for other in by_key.get(key, ()):
                if other.actor.id != actor.id and other.overlaps(alias):
                    raise LexiconError(
                        f"{LEXICON}: alias {form!r} names both {other.actor.id!r} and {actor.id!r}"
                    )
            by_key.setdefault(key, []).append(alias)
            phrases.append((form, alias))
    for entry in merged.values():
        for phrase in entry.exclude:
            for form in expand(phrase):
                key = phrase_key(form)[0]
                if key in by_key:
                    raise LexiconError(
                        f"{LEXICON}: {form!r} is excluded by {entry.id!r} "
                        f"but is an alias of {by_key[key][0].actor.id!r}"
                    )
                phrases.append((form, BLOCK))
    exact: dict[str, list[_Alias]] = {}
    for key, aliases in by_key.items():
        exact.setdefault(" ".join(key.split()), []).extend(aliases)
    return _Lexicon(PhraseMatcher(phrases), actors, exact)


# --- the public functions ------------------------------------------------------------
def actor_by_id(actor_id: str) -> Actor | None:
    """The actor of a lexicon id, or None when the lexicon has no such id."""
    return _lexicon().actors.get(actor_id)


def government_of(country: str) -> Actor | None:
    """The government actor of a country (ISO alpha-2), when the lexicon has one."""
    for actor in _lexicon().actors.values():
        if actor.kind == "government" and actor.country == country.upper() and actor.parent is None:
            return actor
    return None


def forces_of(country: str) -> Actor | None:
    """The state military of a country (ISO alpha-2), when the lexicon has one: the top of
    its military tree (US forces, not the US Navy)."""
    actors = _lexicon().actors
    for actor in actors.values():
        if actor.kind != "state_military" or actor.country != country.upper():
            continue
        parent = actors.get(actor.parent) if actor.parent else None
        if parent is None or parent.kind != "state_military":
            return actor
    return None


_DESCRIBES = re.compile(r"[-‐‑](?:linked|affiliated|allied|aligned|inspired|leaning|style)\b")


def find_actors(text: str, on: date | None = None) -> list[ActorMention]:
    """Actor mentions in ``text``: sorted, non-overlapping, longest match wins.

    ``on`` (the report's date) keeps only the aliases valid that day; None keeps all.
    "IDF" is left to the attack-mode tagger where it abbreviates indirect fire.
    """
    lex = _lexicon()

    def choose(payloads: list[_Alias], start: int, end: int) -> _Alias | None:
        if _DESCRIBES.match(text, end):
            return None  # "the al-Qaeda-linked group JNIM": the group named next is the actor
        for alias in payloads:
            if on is None or alias.valid_on(on):
                if end - start == 3 and text.startswith("IDF", start):
                    if idf_means_indirect_fire(text, start, end):
                        return None
                return alias
        return None

    out = []
    for hit in lex.matcher.find(text, choose):
        a = hit.value.actor
        span = text[hit.start : hit.end]
        out.append(
            ActorMention(
                hit.start, hit.end, span, a.id, a.name, a.kind, a.country, hit.value.generic
            )
        )
    return out


def _lookup_key(name: str) -> str:
    words = normalise(name).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=32)
def _fuzzy_choices(_search_path: str, on: date | None) -> tuple[list[str], list[Actor]]:
    keys, actors = [], []
    for key, aliases in _build(_search_path).exact.items():
        for alias in aliases:
            if alias.valid_on(on):
                keys.append(key)
                actors.append(alias.actor)
                break
    return keys, actors


def resolve_actor(name: str, on: date | None = None) -> Actor | None:
    """The best actor for a free phrase ("US and coalition forces", "American troops").

    In order: an exact alias (case and punctuation ignored, a leading "the" dropped);
    else the closest alias by rapidfuzz ratio >= 90; else the longest non-generic
    actor the phrase mentions ("Pentagon press secretary" -> the Pentagon); else a
    generic one; else None.
    """
    key = _lookup_key(name)
    if not key:
        return None
    lex = _lexicon()
    for alias in lex.exact.get(key, ()):
        if alias.valid_on(on):
            return alias.actor
    keys, actors = _fuzzy_choices(os.environ.get("SITREP_LEXICON_PATH", ""), on)
    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if best is not None:
        return actors[best[2]]
    mentions = find_actors(name, on)
    if mentions:
        top = max(mentions, key=lambda m: (not m.generic, m.end - m.start))
        return lex.actors[top.actor_id]
    return None
