"""Word-class lexicons (a class name and its words) turned into regular expressions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, field_validator

from sitrep.lexicons import load_entries


class WordClass(BaseModel):
    """One entry of a word-class lexicon: a class name and the words or phrases in it."""

    # `class` is the key users write in YAML; `cls` is the Python name.
    model_config = {"populate_by_name": True}
    cls: str
    words: list[str]

    def __init__(self, **data):
        if "class" in data:
            data["cls"] = data.pop("class")
        super().__init__(**data)

    @field_validator("words")
    @classmethod
    def _not_empty(cls, words: list[str]) -> list[str]:
        if not words or any(not w.strip() for w in words):
            raise ValueError("a word class needs non-empty words")
        return words


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, spaces and hyphens interchangeable."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        tokens = re.split(r"[\s-]+", w.strip())
        parts.append(r"[\s-]+".join(re.escape(t) for t in tokens))
    return "(?:" + "|".join(parts) + ")"


def word_classes(filename: str) -> dict[str, list[str]]:
    """All classes of one word-class lexicon, user files' words appended to the shipped ones."""
    out: dict[str, list[str]] = {}
    for entry in load_entries(filename, WordClass):
        out.setdefault(entry.cls, []).extend(entry.words)
    return out
