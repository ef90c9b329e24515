"""read_document: formats, decoding, ids, and one-line refusals that name the file."""

from __future__ import annotations

import codecs
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import read_document
from sitrep.model import content_id, normalise_text

REPORT = (
    "Rockets hit coalition base near Erbil\n"
    "ERBIL, Iraq - Two rockets struck a coalition base near Erbil on Tuesday, officials said.\n"
    "Nobody was hurt, according to a spokesman.\n"
)
PAGE = (Path(__file__).parents[1] / "text" / "data" / "news_page.html").read_bytes()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(source, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        read_document(source, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_plain_text_with_headline(tmp_path):
    doc = read_document(write(tmp_path, "erbil.txt", REPORT.encode()))
    assert doc.format == "text"
    assert doc.title == "Rockets hit coalition base near Erbil"
    assert doc.text == REPORT.strip()  # the headline stays in the text: offsets point into it
    assert doc.id == content_id(normalise_text(doc.text))
    assert doc.language == "en"
    assert doc.retrieved is not None and doc.retrieved.tzinfo is UTC
    assert (datetime.now(UTC) - doc.retrieved).total_seconds() < 60


@pytest.mark.parametrize(
    "first_line",
    [
        "Two rockets struck a coalition base near Erbil on Tuesday, officials said.",  # ends with a period
        "A" * 200,  # too long for a headline
    ],
)
def test_no_title_when_the_first_line_is_a_sentence(first_line):
    assert read_document(f"{first_line}\nMore text.".encode()).title is None
    assert read_document(b"Only one line, no break").title is None


def test_arguments_are_kept(tmp_path):
    doc = read_document(
        REPORT.encode(),
        url="https://example.org/a",
        published=date(2023, 10, 24),
        title="Given title",
        name="erbil",
    )
    assert (doc.url, doc.published, doc.title) == (
        "https://example.org/a",
        date(2023, 10, 24),
        "Given title",
    )


def test_same_content_gives_the_same_id(tmp_path):
    a = read_document(write(tmp_path, "a.txt", REPORT.encode()))
    b = read_document(write(tmp_path, "b.txt", REPORT.replace("\n", "  \r\n").encode("utf-8-sig")))
    c = read_document(REPORT.encode())
    assert a.id == b.id == c.id
    assert read_document(REPORT.replace("Two", "Three").encode()).id != a.id


def test_html_by_content_with_metadata():
    doc = read_document(PAGE, name="page")
    assert doc.format == "html"
    assert doc.title == "Drones strike two garrisons in eastern Syria"
    assert doc.published == date(2023, 10, 27)
    assert doc.outlet == "Frontier Dispatch"
    assert doc.url == "https://dispatch.example/world/2023/10/27/drones-garrisons"
    assert "Brig. Gen. Pat Ryder" in doc.text and "cookies" not in doc.text
    assert "\n\n" in doc.text
    # Arguments win over the page's own metadata.
    assert read_document(PAGE, published=date(2023, 10, 28)).published == date(2023, 10, 28)


def test_html_after_comments_and_doctype_or_by_file_name(tmp_path):
    doc = read_document(
        b"\xef\xbb\xbf\n<!-- saved page -->\n<!DOCTYPE html>\n<p>Two drones were shot down near the base.</p>"
    )
    assert (doc.format, doc.text) == ("html", "Two drones were shot down near the base.")
    path = write(tmp_path, "statement.htm", b"Two drones were shot down.<br>No damage.")
    assert read_document(path).format == "html"
    assert read_document(b"<Reuters> is not a tag we know").format == "text"


@pytest.mark.parametrize(
    "text",
    [
        "The minister’s statement — “no comment” — followed the attack near the café in Zürich.",
        "Señor Muñoz said the Iran–Iraq border crossing reopened… “Finally,” he said.",
        "Café",
    ],
)
def test_cp1252_file_decodes_right(tmp_path, text):
    assert read_document(write(tmp_path, "legacy.txt", text.encode("cp1252"))).text == text


def test_other_legacy_encodings(tmp_path):
    polish = (
        "Ministerstwo obrony poinformowało, że atak na bazę został odparty i nikt nie został ranny."
    )
    russian = "Министерство обороны сообщило, что атака на базу была отбита, никто не пострадал."
    assert read_document(polish.encode("cp1250")).text == polish
    assert read_document(russian.encode("cp1251")).text == russian


def test_utf16_and_utf8_with_byte_order_marks(tmp_path):
    text = "Drones hit the base “twice”, officials said."
    assert (
        read_document(write(tmp_path, "a.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))).text
        == text
    )
    assert read_document(write(tmp_path, "b.txt", codecs.BOM_UTF8 + text.encode())).text == text


def test_declared_html_charset_is_used():
    page = '<html><head><meta charset="windows-1251"></head><body><p>Атака на базу отбита.</p></body></html>'
    assert read_document(page.encode("cp1251")).text == "Атака на базу отбита."


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", codecs.BOM_UTF8, b"\xe2\x80\x8b\n"])
def test_empty_document(tmp_path, data):
    path = write(tmp_path, "empty.txt", data)
    assert refusal(path) == f"{path}: empty document"


def test_html_without_text_is_empty():
    assert (
        refusal(b"<html><body><script>x()</script></body></html>", name="page.html")
        == "page.html: empty document"
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip-compressed"),
        (b"\x7fELF\x02\x01\x01\x00", "an ELF executable"),
    ],
)
def test_binary_formats_by_magic_number(tmp_path, data, kind):
    path = write(tmp_path, "file.txt", data + b"text" * 10)
    assert refusal(path) == f"{path}: binary file ({kind}), not text"


@pytest.mark.parametrize("data", [b"Some text\x00with a NUL", bytes(range(1, 9)) * 20 + b"text"])
def test_binary_by_content(tmp_path, data):
    path = write(tmp_path, "blob.txt", data)
    assert refusal(path) == f"{path}: binary file, not text"


def test_pdf_is_not_supported_yet(tmp_path):
    path = write(tmp_path, "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert refusal(path) == f"{path}: PDF is not supported yet"


def test_undecodable_text(tmp_path):
    path = write(tmp_path, "odd.txt", b"Report: " + bytes(range(0x80, 0x100)) * 3)
    assert refusal(path) == f"{path}: cannot decode text (unknown encoding)"


def test_bad_text_after_a_byte_order_mark(tmp_path):
    path = write(tmp_path, "bad.txt", codecs.BOM_UTF8 + b"ok \xff\xfe bad")
    assert refusal(path).startswith(f"{path}: cannot decode text")


def test_a_20_mb_file_is_refused_by_its_size_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(20_000_000)  # sparse: instant to make
    opened = []
    monkeypatch.setattr(Path, "open", lambda *a, **k: opened.append(a) or pytest.fail("opened"))
    started = time.perf_counter()
    assert refusal(path) == f"{path}: 20.0 MB is over the 10.0 MB limit"
    assert time.perf_counter() - started < 0.5
    assert opened == []


def test_size_limits_for_bytes_and_custom_limits(tmp_path):
    assert (
        refusal(b"x" * 2_100_000, name="big", max_bytes=2_000_000)
        == "big: 2.1 MB is over the 2.0 MB limit"
    )
    assert read_document(write(tmp_path, "ok.txt", b"fits"), max_bytes=4).text == "fits"


def test_missing_files_and_folders(tmp_path):
    assert refusal(tmp_path / "nope.txt") == f"{tmp_path / 'nope.txt'}: no such file"
    assert refusal(tmp_path) == f"{tmp_path}: is a folder, not a file"
    assert refusal(str(tmp_path / "nope.txt"), name="report 7") == "report 7: no such file"
    assert refusal("bad\x00name.txt") == "bad\x00name.txt: not a valid file name"


def test_bytes_are_named_by_name_then_url():
    assert refusal(b"", name="upload") == "upload: empty document"
    assert refusal(b"", url="https://example.org/x") == "https://example.org/x: empty document"
    assert refusal(b"") == "<bytes>: empty document"
