"""JSON Lines corpora -> Documents, one per line; a bad line does not stop the rest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sitrep.errors import InputError
from sitrep.ingest.document import document_from_text
from sitrep.ingest.files import MAX_BYTES, size_text
from sitrep.model import Document

_STRING_FIELDS = ("url", "title", "outlet")


def read_jsonl(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Iterator[Document | InputError]:
    """Each line a JSON object: ``text`` or ``html``, and optionally ``url``, ``title``,
    ``published`` (YYYY-MM-DD), ``outlet``. Yields a Document per good line and an
    InputError naming ``path:line`` per bad one; raises InputError if the file cannot
    be opened."""
    name = str(path)
    try:
        f = Path(path).open("rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    with f:
        for number, line in enumerate(_lines(f, max_bytes), 1):
            where = f"{name}:{number}"
            if line is None:
                yield InputError(f"{where}: line over the {size_text(max_bytes)} limit")
            elif line.strip():
                try:
                    yield _document(line, where)
                except InputError as exc:
                    yield exc


def _lines(f: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """Lines of at most ``max_bytes``; None for a longer line, which is skipped unread."""
    while line := f.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _document(line: bytes, where: str) -> Document:
    try:
        row = json.loads(line)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise InputError(
            f"{where}: not a JSON object ({getattr(exc, 'msg', type(exc).__name__)})"
        ) from None
    if not isinstance(row, dict):
        raise InputError(f"{where}: not a JSON object")
    html, text = row.get("html"), row.get("text")
    if isinstance(html, str) and html.strip():
        body, fmt = html, "html"
    elif isinstance(text, str):
        body, fmt = text, "text"
    else:
        raise InputError(f"{where}: needs a 'text' or 'html' string")
    for key in _STRING_FIELDS:
        if row.get(key) is not None and not isinstance(row[key], str):
            raise InputError(f"{where}: '{key}' must be a string")
    return document_from_text(
        body,
        name=where,
        fmt=fmt,
        url=row.get("url") or None,
        title=row.get("title") or None,
        published=_published(row.get("published"), where),
        outlet=row.get("outlet") or None,
    )


def _published(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{where}: published {value!r} is not a date (YYYY-MM-DD)") from None
