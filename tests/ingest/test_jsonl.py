"""read_jsonl: one document per line; a bad line is reported and the rest go on."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sitrep.errors import InputError
from sitrep.ingest import read_jsonl
from sitrep.model import Document


def test_good_and_bad_lines(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps(
            {
                "text": "Two rockets hit the base.",
                "url": "https://example.org/1",
                "published": "2023-10-24",
                "outlet": "Wire",
            }
        ),
        "{not json",
        "",
        json.dumps({"html": "<p>A drone was shot down near Erbil.</p>", "title": "Erbil"}),
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://example.org/no-text"}),
        json.dumps({"text": "Dated badly.", "published": "last week"}),
        json.dumps({"text": "Bad url.", "url": 7}),
        "[" * 100_000,
        json.dumps({"text": "   "}),
        json.dumps({"text": "Last line, still read.", "published": "2023-11-02T10:00:00Z"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = list(read_jsonl(path))
    assert [type(x).__name__ for x in out] == ["Document", "InputError", "Document"] + [
        "InputError"
    ] * 6 + ["Document"]
    first, page, last = (x for x in out if isinstance(x, Document))
    assert (first.text, first.url, first.published, first.outlet, first.format) == (
        "Two rockets hit the base.",
        "https://example.org/1",
        date(2023, 10, 24),
        "Wire",
        "text",
    )
    assert (page.text, page.title, page.format) == (
        "A drone was shot down near Erbil.",
        "Erbil",
        "html",
    )
    assert last.published == date(2023, 11, 2)
    errors = [str(x) for x in out if isinstance(x, InputError)]
    assert errors[0].startswith(f"{path}:2: not a JSON object")
    assert errors[1] == f"{path}:5: not a JSON object"
    assert errors[2] == f"{path}:6: needs a 'text' or 'html' string"
    assert errors[3] == f"{path}:7: published 'last week' is not a date (YYYY-MM-DD)"
    assert errors[4] == f"{path}:8: 'url' must be a string"
    assert errors[5].startswith(f"{path}:9: not a JSON object")
    assert errors[6] == f"{path}:10: empty document"


def test_an_overlong_line_is_skipped_unread(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "Short."}) + "\n",
        encoding="utf-8",
    )
    out = list(read_jsonl(path, max_bytes=1000))
    assert str(out[0]) == f"{path}:1: line over the 1000 bytes limit"
    assert isinstance(out[1], Document) and out[1].text == "Short."


def test_a_missing_file_raises(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        list(read_jsonl(tmp_path / "missing.jsonl"))
