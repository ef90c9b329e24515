"""store/ sits after extract in the pipeline: it may import model and errors, and no stage."""

from __future__ import annotations

import ast
from pathlib import Path

import sitrep.store

ALLOWED = {"sitrep.model", "sitrep.errors", "sitrep.store"}


def _sitrep_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {n for n in names if n == "sitrep" or n.startswith("sitrep.")}
    return found


def test_store_imports_only_model_errors_and_itself():
    root = Path(sitrep.store.__file__).parent
    for path in root.rglob("*.py"):
        for name in _sitrep_imports(path):
            assert any(name == a or name.startswith(a + ".") for a in ALLOWED), (path, name)


def test_public_api():
    assert sitrep.store.__all__ == ["Store", "open_store"]
