"""The public API of the text and ingest stages, and the stage rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sitrep.ingest
import sitrep.text

SRC = Path(sitrep.text.__file__).parents[1]
LATER_STAGES = ("extract", "resolve", "store", "report", "web", "batch", "cli")


def test_exported_members():
    assert sitrep.text.__all__ == [
        "CleanPage",
        "Sentence",
        "clean_html",
        "normalise",
        "split_paragraphs",
        "split_sentences",
    ]
    assert sitrep.ingest.__all__ == [
        "document_from_text",
        "fetch_url",
        "iter_sources",
        "read_document",
        "read_jsonl",
    ]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    ("stage", "forbidden"), [("text", (*LATER_STAGES, "ingest")), ("ingest", LATER_STAGES)]
)
def test_no_stage_imports_a_later_one(stage, forbidden):
    for path in sorted((SRC / stage).rglob("*.py")):
        for module in _imports(path):
            assert not module.startswith(tuple(f"sitrep.{f}" for f in forbidden)), (
                f"{path.name} imports {module}"
            )
