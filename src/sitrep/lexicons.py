"""Load lexicon data files: YAML with a provenance header, validated by a schema.

Every file in ``src/sitrep/extract/lexicon/`` looks like::

    provenance:
      source: "written by the sitrep project from public reporting"
      date: "2026-11-25"
      licence: Apache-2.0
    entries:
      - {...}

Users extend a lexicon without editing the package: every directory named in
``SITREP_LEXICON_PATH`` (os.pathsep-separated) may hold a file of the same name whose
entries are appended to the shipped ones.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sitrep.errors import LexiconError

# The data files live beside the extract stage that uses most of them; text/ reads a few.
LEXICON_DIR = Path(__file__).parent / "extract" / "lexicon"

E = TypeVar("E", bound=BaseModel)


class Provenance(BaseModel):
    source: str
    date: str
    licence: str


def lexicon_files(filename: str) -> list[Path]:
    """The shipped file, then each user file of the same name, in search-path order."""
    paths = [LEXICON_DIR / filename]
    for folder in filter(None, os.environ.get("SITREP_LEXICON_PATH", "").split(os.pathsep)):
        candidate = Path(folder) / filename
        if candidate.is_file():
            paths.append(candidate)
    return paths


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc}") from exc
    if not isinstance(data, dict) or "entries" not in data:
        raise LexiconError(f"{path}: a lexicon needs a 'provenance' header and 'entries'")
    try:
        Provenance.model_validate(data.get("provenance"))
    except ValidationError as exc:
        raise LexiconError(f"{path}: bad provenance header: {exc.errors()[0]['msg']}") from exc
    return data


def load_entries(filename: str, schema: type[E]) -> list[E]:
    """All entries of one lexicon (shipped + user files), each validated by ``schema``."""
    search_path = os.environ.get("SITREP_LEXICON_PATH", "")
    return list(_load_entries_cached(filename, schema, search_path))


@cache
def _load_entries_cached(filename: str, schema: type[E], _search_path: str) -> tuple[E, ...]:
    out: list[E] = []
    for path in lexicon_files(filename):
        for i, raw in enumerate(_read(path)["entries"] or []):
            try:
                out.append(schema.model_validate(raw))
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"])
                raise LexiconError(f"{path}: entry {i} ({where}): {err['msg']}") from exc
    return tuple(out)
