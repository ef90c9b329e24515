"""Files and byte strings -> Documents; command-line specs -> file paths."""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from sitrep.errors import InputError
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.document import HTML_SUFFIXES, document_from_text
from sitrep.ingest.manifest import MANIFEST
from sitrep.model import Document

MAX_BYTES = 10_000_000
_GLOB_CHARS = frozenset("*?[")


def read_document(
    source: str | Path | bytes,
    *,
    url: str | None = None,
    published: date | None = None,
    title: str | None = None,
    max_bytes: int = MAX_BYTES,
    name: str | None = None,
) -> Document:
    """One report as a Document. ``source`` is a file path (``str`` or ``Path``) or the
    report's bytes; ``name`` is what error messages call it (default: the path or URL).

    Raises InputError, one line naming the input, for anything that is not a readable
    text or HTML report.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = name or url or "<bytes>"
        if len(data) > max_bytes:
            raise InputError(too_large(name, len(data), max_bytes))
        suffix = os.path.splitext(name)[1].lower()
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = name or str(path)
        data = _read_file(path, name, max_bytes)
        suffix = path.suffix.lower()
    else:
        raise TypeError(f"read_document: expected a path or bytes, not {type(source).__name__}")
    text = decode_bytes(data, name)
    fmt = "html" if suffix in HTML_SUFFIXES else None
    return document_from_text(text, name=name, fmt=fmt, url=url, title=title, published=published)


def too_large(name: str, size: int, limit: int) -> str:
    return f"{name}: {size_text(size)} is over the {size_text(limit)} limit"


def size_text(n: int) -> str:
    """Sizes in error messages: "21.0 MB", or bytes when that would read "0.0 MB"."""
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _read_file(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes; its size is checked before anything is read."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{name}: is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{name}: not a regular file")
        if st.st_size > max_bytes:
            raise InputError(too_large(name, st.st_size, max_bytes))
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # bounded even if the file grows meanwhile
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    except ValueError:  # a NUL inside the path
        raise InputError(f"{name}: not a valid file name") from None
    if len(data) > max_bytes:
        raise InputError(f"{name}: over the {size_text(max_bytes)} limit")
    return data


def iter_sources(specs: Iterable[str | Path]) -> Iterator[Path]:
    """The files that specs name: files, folders (recursive, sorted, no hidden files) and
    glob patterns, each file once. A spec that matches no file raises InputError when
    the iteration reaches it."""
    seen: set[Path] = set()
    for spec in specs:
        found = False
        for path in _expand(str(spec)):
            found = True
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield path
        if not found:
            raise InputError(f"{spec}: no such file, or no files in it")


def _expand(spec: str) -> Iterator[Path]:
    path = Path(spec)
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from _walk(path)
    elif _GLOB_CHARS & set(spec):
        for match in sorted(glob.glob(spec, recursive=True)):
            p = Path(match)
            if p.is_dir():
                yield from _walk(p)
            elif p.is_file() and p.name != MANIFEST:
                yield p


def _walk(folder: Path) -> Iterator[Path]:
    """Regular files under ``folder`` in path order, skipping hidden files and folders
    and the metadata sidecar (``manifest.jsonl``)."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(root, f) for f in files if not f.startswith(".") and f != MANIFEST]
    yield from sorted(p for p in found if p.is_file())
