"""Sidecar metadata for report files: a ``manifest.jsonl`` beside them.

Each line names one file (``path``, relative to the repository root or to the manifest's
folder) and gives what the file itself cannot: ``published``, ``url``, ``outlet``,
``title``. A folder of reports with no manifest works too; its files just lack that
metadata.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

from sitrep.errors import InputError

MANIFEST = "manifest.jsonl"


@cache
def _load(folder: Path) -> dict[str, dict]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    out: dict[str, dict] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            name = Path(row["path"]).name
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: bad manifest line ({exc})") from exc
        if row.get("published"):
            try:
                row["published"] = date.fromisoformat(row["published"])
            except ValueError as exc:
                raise InputError(
                    f"{path}:{n}: published {row['published']!r} is not YYYY-MM-DD"
                ) from exc
        out[name] = row
    return out


def manifest_for(path: Path | str) -> dict:
    """The manifest entry of one report file, or an empty dict."""
    p = Path(path).resolve()
    return dict(_load(p.parent).get(p.name, {}))
