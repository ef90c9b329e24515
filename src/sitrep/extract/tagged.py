"""All tags of one document, grouped by sentence: the input of the assemblers.

Each tagger runs once over the whole text; this module buckets what they found by
sentence so the assemblers (claims, incidents, interactions, quotes) can ask "what
dates, places, numbers ... are in sentence i?" in constant time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitrep.extract.actors import ActorMention, find_actors
from sitrep.extract.attribution import Attribution, find_attributions
from sitrep.extract.casualties import CasualtyMention, find_casualties
from sitrep.extract.dates import DateMention, find_dates
from sitrep.extract.modes import ModeMention, find_modes
from sitrep.extract.places import PlaceMention, find_places
from sitrep.extract.quantities import Quantity, find_quantities
from sitrep.extract.wordlists import WordIndex, class_matcher
from sitrep.model import Evidence
from sitrep.text import Sentence, split_sentences


@dataclass(frozen=True, slots=True)
class Span:
    """Offsets of a stretch of text that backs a field (for ``Tagged.evidence``)."""

    start: int
    end: int


@dataclass
class Tagged:
    text: str
    published: date | None
    sentences: list[Sentence]
    dates: list[DateMention]
    quantities: list[Quantity]
    places: list[PlaceMention]
    actors: list[ActorMention]
    modes: list[ModeMention]
    casualties: list[CasualtyMention]
    attributions: list[Attribution]
    _starts: list[int] = field(default_factory=list, repr=False)
    _buckets: dict[str, list[list[Any]]] = field(default_factory=dict, repr=False)
    _words: dict[str, WordIndex] = field(default_factory=dict, repr=False)
    # per-sentence answers an assembler asks for again and again (its own keys)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]
        for name in (
            "dates",
            "quantities",
            "places",
            "actors",
            "modes",
            "casualties",
            "attributions",
        ):
            buckets: list[list[Any]] = [[] for _ in self.sentences]
            for item in getattr(self, name):
                i = self.sentence_of(item.start)
                if i is not None:
                    buckets[i].append(item)
            self._buckets[name] = buckets

    def sentence_of(self, offset: int) -> int | None:
        i = bisect_right(self._starts, offset) - 1
        if i < 0 or offset >= self.sentences[i].end:
            return None
        return i

    def in_sentence(self, name: str, i: int) -> list[Any]:
        return self._buckets[name][i]

    def sentence_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.text[s.start : s.end]

    def words(self, filename: str) -> WordIndex:
        """Hits of a word-class lexicon in this text, found once and kept."""
        index = self._words.get(filename)
        if index is None:
            index = self._words[filename] = WordIndex(class_matcher(filename), self.text)
        return index

    def evidence(self, field_name: str, item: Any) -> Evidence:
        return Evidence(field_name, item.start, item.end, self.text[item.start : item.end])


def _overlaps(item: Any, spans: Sequence[tuple[int, int]]) -> bool:
    return any(item.start < b and a < item.end for a, b in spans)


def tag(text: str, published: date | None) -> Tagged:
    """Run every tagger once over ``text``."""
    sentences = split_sentences(text)
    spans = [(s.start, s.end) for s in sentences]
    dates = find_dates(text, published)
    date_spans = [(d.start, d.end) for d in dates]
    # A number inside a date ("Oct. 17", "in 2023") is not a quantity.
    quantities = [q for q in find_quantities(text) if not _overlaps(q, date_spans)]
    places = find_places(text)  # disambiguates cities by the document's own countries
    return Tagged(
        text=text,
        published=published,
        sentences=sentences,
        dates=dates,
        quantities=quantities,
        places=places,
        actors=find_actors(text, on=published),
        modes=find_modes(text),
        casualties=find_casualties(text, quantities, spans),
        attributions=find_attributions(text, spans),
    )


__all__ = ["Span", "Tagged", "tag"]
