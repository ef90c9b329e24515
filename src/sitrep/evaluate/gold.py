"""Read a gold file (JSON Lines; format in docs/gold.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sitrep.errors import GoldError


@dataclass
class GoldDoc:
    id: str
    text: str
    published: date | None
    title: str | None = None
    style: str | None = None
    incidents: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    source: str = ""  # "file:line", for messages


def _repo_root(gold_path: Path) -> Path:
    """Gold paths are relative to the repository root (the folder holding gold/)."""
    here = gold_path.resolve().parent
    return here.parent if here.name == "gold" else here


def load_gold(path: str | Path) -> list[GoldDoc]:
    """All documents of a gold file; a bad line raises GoldError naming it."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldError(f"{path}: cannot read gold file ({exc.strerror})") from exc
    root = _repo_root(path)
    docs: list[GoldDoc] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or "id" not in row:
            raise GoldError(f"{where}: a gold line is an object with an 'id'")
        text = row.get("text")
        if text is None and row.get("path"):
            doc_path = (root / row["path"]).resolve()
            try:
                text = doc_path.read_text(encoding="utf-8")
            except OSError as exc:
                raise GoldError(f"{where}: cannot read {row['path']} ({exc.strerror})") from exc
        if not text:
            raise GoldError(f"{where}: needs 'text' or a readable 'path'")
        try:
            published = date.fromisoformat(row["published"]) if row.get("published") else None
        except ValueError as exc:
            raise GoldError(f"{where}: published {row['published']!r} is not YYYY-MM-DD") from exc
        for key in ("incidents", "claims"):
            if not isinstance(row.get(key, []), list):
                raise GoldError(f"{where}: '{key}' must be a list")
        docs.append(
            GoldDoc(
                id=str(row["id"]),
                text=text,
                published=published,
                title=row.get("title"),
                style=row.get("style"),
                incidents=row.get("incidents", []),
                claims=row.get("claims", []),
                source=where,
            )
        )
    if not docs:
        raise GoldError(f"{path}: no gold documents")
    return docs


def fingerprint(path: str | Path) -> str:
    """A hash of the gold file and the documents it points to: floors are pinned to it."""
    path = Path(path)
    h = hashlib.sha256(path.read_bytes())
    for doc in load_gold(path):
        h.update(doc.text.encode("utf-8"))
    return h.hexdigest()[:16]
