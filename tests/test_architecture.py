"""The pipeline is the folder tree: no stage imports a later one; the public API is pinned."""

from __future__ import annotations

import ast
from pathlib import Path

import sitrep

SRC = Path(sitrep.__file__).parent
# text/ comes before ingest/ here because reading an HTML page into a Document needs the
# HTML cleaner; otherwise this is DESIGN.md's order.
STAGES = ["text", "ingest", "extract", "resolve", "store", "report", "web", "batch"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_no_stage_imports_a_later_stage():
    offences = []
    for rank, stage in enumerate(STAGES):
        later = {f"sitrep.{s}" for s in STAGES[rank + 1 :]}
        for path in (SRC / stage).rglob("*.py"):
            for name in _imports(path):
                if any(name == m or name.startswith(m + ".") for m in later):
                    offences.append(f"{path.relative_to(SRC)} imports {name}")
    assert offences == []


def test_public_api_is_pinned():
    assert sorted(sitrep.__all__) == [
        "Claim",
        "Document",
        "Extraction",
        "IncidentMention",
        "SitrepError",
        "__version__",
        "extract",
    ]


def test_every_lexicon_has_a_provenance_header():
    import yaml

    for path in (SRC / "extract" / "lexicon").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        prov = data.get("provenance") or {}
        assert {"source", "date", "licence"} <= set(prov), path.name
