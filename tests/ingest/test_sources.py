"""iter_sources: files, folders and globs from the command line."""

from __future__ import annotations

import pytest

from sitrep.errors import InputError
from sitrep.ingest import iter_sources


@pytest.fixture
def tree(tmp_path):
    for rel in [
        "b.txt",
        "a.html",
        "sub/c.txt",
        "sub/deeper/d.txt",
        ".hidden.txt",
        ".git/config",
        "sub/.cache/e.txt",
        "manifest.jsonl",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Two rockets hit the base.", encoding="utf-8")
    return tmp_path


def names(paths, root):
    return [p.relative_to(root).as_posix() for p in paths]


def test_folders_are_walked_sorted_without_hidden_files(tree):
    assert names(iter_sources([str(tree)]), tree) == [
        "a.html",
        "b.txt",
        "sub/c.txt",
        "sub/deeper/d.txt",
    ]


def test_files_and_globs_each_file_once(tree):
    specs = [str(tree / "b.txt"), str(tree / "**" / "*.txt"), str(tree / "sub")]
    assert names(iter_sources(specs), tree) == ["b.txt", "sub/c.txt", "sub/deeper/d.txt"]


def test_an_explicitly_named_hidden_file_is_read(tree):
    assert names(iter_sources([str(tree / ".hidden.txt")]), tree) == [".hidden.txt"]


@pytest.mark.parametrize("spec", ["missing.txt", "*.pdf", "empty"])
def test_a_spec_that_matches_nothing_raises(tree, spec):
    (tree / "empty").mkdir()
    with pytest.raises(InputError, match="no such file, or no files in it"):
        list(iter_sources([str(tree / "b.txt"), str(tree / spec)]))
