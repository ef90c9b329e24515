"""The abbreviation table of the sentence splitter, read from ``abbreviations.yaml``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, field_validator

from sitrep.lexicons import load_entries

NEVER_ENDS = "never_ends"
BEFORE_NUMBER = "before_number"
MAY_END = "may_end"

Behaviour = Literal["never_ends", "before_number", "may_end"]


class AbbreviationEntry(BaseModel):
    behaviour: Behaviour
    case_sensitive: bool = False
    words: list[str]

    @field_validator("words")
    @classmethod
    def _end_with_period(cls, words: list[str]) -> list[str]:
        for w in words:
            if not w.endswith(".") or any(ch.isspace() for ch in w):
                raise ValueError(f"{w!r}: an abbreviation is one word ending in '.'")
        return words


@dataclass(frozen=True, slots=True)
class Abbreviations:
    exact: dict[str, str]  # case-sensitive entries, as written
    folded: dict[str, str]  # the rest, lower-cased

    def behaviour(self, token: str) -> str | None:
        return self.exact.get(token) or self.folded.get(token.lower())


def abbreviations() -> Abbreviations:
    """The shipped table plus users' files on ``SITREP_LEXICON_PATH`` (cached per path)."""
    return _table(os.environ.get("SITREP_LEXICON_PATH", ""))


@cache
def _table(_search_path: str) -> Abbreviations:
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for entry in load_entries("abbreviations.yaml", AbbreviationEntry):
        for word in entry.words:
            if entry.case_sensitive:
                exact[word] = entry.behaviour
            else:
                folded[word.lower()] = entry.behaviour
    return Abbreviations(exact, folded)
