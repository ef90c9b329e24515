"""Typographic normalisation of stored document text.

The result stays readable and quotable: curly quotes, dashes and ellipses are kept,
because evidence quotes the text exactly as stored. Only invisible or layout-only
differences go: Unicode composition, line endings, exotic spaces, zero-width characters,
control characters and runs of blanks.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
# ZWSP, word joiner, BOM and soft hyphen hide inside words and break matching. The
# zero-width (non-)joiners stay: they change the spelling of Persian and Arabic words.
_INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_CONTROLS = "".join(
    chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)] if c != 0x85
)

_TABLE: dict[int, str | None] = {ord(c): " " for c in _SPACES}
_TABLE.update({ord(c): None for c in _INVISIBLE + _CONTROLS})
_TABLE.update({0x0B: "\n", 0x0C: "\n\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n\n", 0x0D: "\n"})

_BLANKS = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFC; one kind of newline; one kind of space; no invisible characters; trimmed lines.

    Idempotent, and a fixed point of ``sitrep.model.normalise_text``, so a document's id
    can be computed from its stored text.
    """
    text = text.replace("\r\n", "\n").translate(_TABLE)
    text = unicodedata.normalize("NFC", text)
    text = _BLANKS.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()
