"""HTML pages -> article text and metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitrep.text import clean_html
from sitrep.text import html as html_module

PAGE = (Path(__file__).parent / "data" / "news_page.html").read_text(encoding="utf-8")


def test_keeps_the_article_and_drops_the_boilerplate():
    page = clean_html(PAGE)
    assert "Two one-way attack drones hit a coalition garrison" in page.text
    assert "Brig. Gen. Pat Ryder later put the number of attacks" in page.text
    assert "“We will defend our forces,” the spokesman said." in page.text
    for boilerplate in (
        "cookies",
        "Subscribe",
        "Markets",
        "Related stories",
        "Oil prices",
        "All rights reserved",
        "Privacy",
        "analytics",
    ):
        assert boilerplate not in page.text


def test_paragraphs_are_separated_by_blank_lines():
    paragraphs = clean_html(PAGE).text.split("\n\n")
    assert (
        "Q: Were there any casualties? A: Minor injuries only, he said, and everyone is back on duty."
        in paragraphs
    )
    assert all(p == " ".join(p.split()) for p in paragraphs)


def test_metadata():
    page = clean_html(PAGE)
    assert page.title == "Drones strike two garrisons in eastern Syria"
    assert page.published == date(2023, 10, 27)
    assert page.outlet == "Frontier Dispatch"
    assert page.url == "https://dispatch.example/world/2023/10/27/drones-garrisons"
    assert clean_html(PAGE, url="https://mirror.example/a").url == "https://mirror.example/a"


def test_falls_back_to_plain_extraction_when_trafilatura_finds_nothing():
    page = clean_html("<p>Two rockets hit the base.")  # too short for trafilatura
    assert page.text == "Two rockets hit the base."
    assert page.published is None


def test_plain_extraction_keeps_blocks_and_drops_hidden_parts(monkeypatch):
    monkeypatch.setattr(html_module, "_trafilatura", lambda html, url: None)
    page = clean_html(
        "<html><head><title> Statement </title><style>p {}</style></head><body><nav>Home</nav>"
        "<div>Two rockets hit the base.<br>Nobody was hurt.</div><p>Damage was   minor.</p>"
        "<script>track()</script><footer>Contact us</footer></body></html>"
    )
    assert page.text == "Two rockets hit the base.\nNobody was hurt.\n\nDamage was minor."
    assert page.title == "Statement"


def test_broken_and_empty_html_give_empty_text_not_errors():
    for html in (
        "",
        "<html></html>",
        "<",
        "<?xml version='1.0' encoding='latin-1'?>",
        "<div><p>unclosed <b>bold",
        "\x00<p>",
    ):
        assert isinstance(clean_html(html).text, str)
    assert "unclosed bold" in clean_html("<html><body><div><p>unclosed <b>bold").text
    assert clean_html("<p>Two\x01 rockets\x0b hit\ufffe.").text == "Two rockets hit."
