"""Bytes -> str, refusing what is not text.

Order: empty, known binary formats by magic number, byte-order mark, binary by content
(NUL bytes, control characters), strict UTF-8, the encoding the page declares, then
charset-normalizer's guess when it is confident. Each refusal is one InputError line
that names the input.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from sitrep.errors import InputError

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.05
_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset|<\?xml[^>]{0,200}?encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""",
    re.I,
)
# Latin-1 as declared on the web means Windows-1252 (the WHATWG encoding standard).
_WEB_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}
_ASCII = bytes(range(0x80))
_SAMPLE = 1 << 16
_LETTER_X_LETTER = re.compile(r"(?<=[A-Za-z])([^\x00-\x7f])(?=[A-Za-z])")
_WORD_JOINERS = ("Pd", "Pi", "Pf", "Zs", "Cf")  # dashes, quotes, spaces, soft hyphen
_MAX_CHAOS = 0.1  # charset-normalizer's "mess" ratio: above this a guess is not trusted


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> str:
    """The text of ``data``; InputError if it is empty, binary or of unknown encoding.

    ``declared`` is an encoding stated outside the bytes (an HTTP Content-Type charset).
    """
    if not data.strip():
        raise InputError(f"{name}: empty document")
    if data.startswith(b"%PDF-"):
        raise InputError(f"{name}: PDF is not supported yet")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: binary file ({kind}), not text")
    text = _decode_marked(data, name)
    if text is None:
        if b"\x00" in data or _ratio(
            len(data) - len(data.translate(None, _CONTROL_BYTES)), len(data)
        ):
            raise InputError(f"{name}: binary file, not text")
        text = _decode_unmarked(data, name, declared)
    elif _ratio(sum(1 for _ in _CONTROL_CHARS.finditer(text)), len(text)):
        raise InputError(f"{name}: binary file, not text")
    if not text.strip():
        raise InputError(f"{name}: empty document")
    return text


def _ratio(controls: int, total: int) -> bool:
    return controls > 0 and controls >= _MAX_CONTROL_RATIO * total


def _decode_marked(data: bytes, name: str) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    f"{name}: cannot decode text (invalid {encoding.upper()} after its byte-order mark)"
                ) from None
    return None


def _decode_unmarked(data: bytes, name: str, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in (declared, *_declared_in(data)):
        text = _try_decode(data, encoding)
        if text is not None:
            return text
    encoding = _guess(data)
    if encoding is not None:
        text = _try_decode(data, encoding)
        if text is not None:
            return text
    raise InputError(f"{name}: cannot decode text (unknown encoding)")


def _declared_in(data: bytes) -> list[str]:
    return [m.group(1).decode("ascii") for m in _DECLARED.finditer(data[:4096])]


def _try_decode(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        codec = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return None
    if codec.startswith(("utf_16", "utf_32")):  # NUL-free bytes are not UTF-16 whatever they say
        return None
    try:
        return data.decode(_WEB_ALIASES.get(codec, codec))
    except UnicodeDecodeError:
        return None


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess that reads plausibly, leaning to Windows-1252
    (English text's legacy encoding): its ranking cannot tell cp1252 from cp1250 when
    they decode the same, and it guesses wildly on short texts."""
    from charset_normalizer import from_bytes

    matches = [
        m
        for m in from_bytes(data)
        if m.chaos <= _MAX_CHAOS
        and not m.encoding.startswith(("utf_16", "utf_32"))
        and not _symbol_inside_word(data[:_SAMPLE].decode(m.encoding, errors="ignore"))
    ]
    if matches:
        least = min(m.chaos for m in matches)
        if any("cp1252" in m.could_be_from_charset for m in matches if m.chaos == least):
            return "cp1252"
        if matches[0].coherence >= 0.2:  # it recognised a language
            return matches[0].encoding
    if _reads_as_western(data):
        return "cp1252"
    return matches[0].encoding if matches else None


def _symbol_inside_word(text: str) -> bool:
    """A non-ASCII symbol between two Latin letters ("poinformowa³o"): the wrong code page.
    Letters, dashes, quotes and spaces may sit there ("café", "Iran–Iraq", "minister’s")."""
    return any(
        not c.isalpha() and c != "·" and unicodedata.category(c) not in _WORD_JOINERS
        for c in _LETTER_X_LETTER.findall(text)
    )


def _reads_as_western(data: bytes) -> bool:
    """Mostly ASCII, valid Windows-1252, and no symbol inside a word."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return len(data.translate(None, _ASCII)) <= 0.5 * len(data) and not _symbol_inside_word(
        text[:_SAMPLE]
    )
