"""Text stage: HTML -> clean text; text -> paragraphs and sentences as offsets."""

from sitrep.text.html import CleanPage, clean_html
from sitrep.text.layout import split_paragraphs
from sitrep.text.normalise import normalise
from sitrep.text.sentences import Sentence, split_sentences

__all__ = [
    "CleanPage",
    "Sentence",
    "clean_html",
    "normalise",
    "split_paragraphs",
    "split_sentences",
]
