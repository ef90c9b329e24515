"""Word-class lexicons (a class name and its words) turned into regular expressions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

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


class WordIndex:
    """Every hit of every class of one word-class lexicon in one text, found in a single
    Aho-Corasick pass (``phrases.PhraseMatcher``), then asked per sentence by offsets.

    Far cheaper than searching each sentence with one big regex alternation per class.
    Overlapping hits are kept (a class may want "no damage" inside "no injuries or damage").
    """

    __slots__ = ("_hits",)

    def __init__(self, matcher, text: str):
        from bisect import insort

        hits: dict[str, list[tuple[int, int]]] = {}
        for start, end, payloads in matcher.scan(text):
            for cls in set(payloads):
                insort(hits.setdefault(cls, []), (start, end))
        self._hits = hits

    def spans(self, cls: str, start: int, end: int) -> list[tuple[int, int]]:
        """Hits of ``cls`` inside ``[start, end)``, in order."""
        from bisect import bisect_left

        spans = self._hits.get(cls, ())
        i = bisect_left(spans, (start, -1))
        out = []
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] <= end:
                out.append(spans[i])
            i += 1
        return out

    def first(self, cls: str, start: int, end: int) -> tuple[int, int] | None:
        found = self.spans(cls, start, end)
        return found[0] if found else None

    def has(self, cls: str, start: int, end: int) -> bool:
        return self.first(cls, start, end) is not None


@cache
def class_matcher(filename: str):
    """One phrase matcher over every class of a word-class lexicon (payload: the class)."""
    from sitrep.extract.phrases import PhraseMatcher

    return PhraseMatcher(
        (word, cls) for cls, words in word_classes(filename).items() for word in words
    )
