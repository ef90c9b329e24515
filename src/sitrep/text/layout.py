"""Paragraphs and lines: what a newline means in a given text.

Two layouts reach sitrep. In most texts (cleaned HTML, one-paragraph-per-line .txt files,
transcripts) a newline ends something. In hard-wrapped text (e-mail, some press-release
.txt files) lines are cut at a fixed width and only a blank line ends a paragraph. The
wrap width tells them apart: hard-wrapped lines that run on to a next line are at most
about 100 characters long, while one-paragraph-per-line text has long lines.
"""

from __future__ import annotations

import re

MAX_WRAP = 100  # wider "wrapped" lines are paragraphs in their own right
# Separators start at a newline (spans are stripped afterwards): a search that started
# at every space of a long run of spaces would be quadratic.
_BLANK_LINE = re.compile(r"\n[^\S\n]*+\n\s*+")  # at least one empty line
_NEWLINE = re.compile(r"\n\s*+")
# What starts a new line of its own even in wrapped text: a transcript turn ("Q:",
# "GEN. RYDER:", "Mr. Kirby:") or a list item.
_TURN = re.compile(
    r"[^\S\n]*(?:[QA][:.]"
    r"|[A-Z][A-Z.'’ -]{1,40}:"
    r"|(?:Mr|Mrs|Ms|Dr|Gen|Adm|Col|Maj|Lt|Capt|Sgt|Sec|Amb)\.? [A-Z][\w'’-]+:"
    r"|[-*•–—]|\d{1,3}[.)])\s"
)
_NON_SPACE = re.compile(r"\S")
_TERMINAL = tuple(".!?…:;,\"'”’)")


def wrap_width(text: str) -> int | None:
    """The line width of hard-wrapped text, or None when every line is its own block."""
    lines = text.split("\n")
    lengths = [
        len(a.strip()) for a, b in zip(lines, lines[1:], strict=False) if b.strip() and a.strip()
    ]
    short = sorted(n for n in lengths if n <= MAX_WRAP)
    # Wrapped text: several running lines, hardly any of them long (a stray URL may be).
    if len(short) < 2 or len(lengths) - len(short) > 0.1 * len(lengths):
        return None
    return short[int(0.9 * (len(short) - 1))]


def paragraph_spans(text: str, width: int | None) -> list[tuple[int, int]]:
    """Blocks split by blank lines (wrapped text) or by any newline; stripped spans."""
    sep = _BLANK_LINE if width else _NEWLINE
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in sep.finditer(text):
        _add_stripped(text, pos, m.start(), spans)
        pos = m.end()
    _add_stripped(text, pos, len(text), spans)
    return spans


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, without surrounding whitespace.

    Blank lines always separate paragraphs; single newlines do too unless the text is
    hard-wrapped (see ``wrap_width``).
    """
    return paragraph_spans(text, wrap_width(text))


def line_ends_here(text: str, newline: int, para_start: int, width: int) -> bool:
    """Whether a single newline inside a wrapped paragraph also ends a sentence."""
    if _TURN.match(text, newline + 1):
        return True
    line = text[max(text.rfind("\n", para_start, newline) + 1, para_start) : newline].strip()
    if len(line) < 0.6 * width:  # a short line: heading, dateline, last line of a block
        return True
    return not line.endswith(_TERMINAL) and _looks_like_heading(line)


def _looks_like_heading(line: str) -> bool:
    words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def strip_span(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``(a, b)`` without surrounding whitespace, or None when only whitespace is left."""
    m = _NON_SPACE.search(text, a, b)
    if m is None:
        return None
    a = m.start()
    return a, a + len(text[a:b].rstrip())


def _add_stripped(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    span = strip_span(text, a, b)
    if span:
        out.append(span)
