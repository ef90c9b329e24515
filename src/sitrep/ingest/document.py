"""Decoded text (plain or HTML) -> Document."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sitrep.errors import InputError
from sitrep.model import Document, content_id, normalise_text
from sitrep.text import clean_html, normalise

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_PROLOGUE = (("<!--", "-->"), ("<!doctype", ">"), ("<?xml", ">"))
_HTML_TAG = re.compile(
    r"<(?:html|head|body|title|meta|link|base|script|style|div|p|span|article|section|main|"
    r"header|nav|footer|aside|h[1-6]|table|ul|ol|li|a|img|br|hr|form|iframe|noscript|"
    r"figure|blockquote|pre|b|i|em|strong|center|font)[\s/>]",
    re.I,
)
_TITLE_MAX = 200


def looks_like_html(text: str) -> bool:
    """The text starts, after blanks, a doctype and comments, with an HTML tag."""
    head = text[:65536].lstrip("\ufeff \t\r\n")
    for _ in range(100):  # skip the prologue, one linear find per item
        for opener, closer in _PROLOGUE:
            if head[: len(opener)].lower() == opener:
                end = head.find(closer, len(opener))
                if end < 0:
                    return False
                head = head[end + len(closer) :].lstrip()
                break
        else:
            break
    return _HTML_TAG.match(head) is not None


def document_from_text(
    text: str,
    *,
    name: str,
    fmt: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: date | None = None,
    outlet: str | None = None,
) -> Document:
    """A Document from decoded text; ``fmt`` "html" or "text", else sniffed from the text.

    Arguments win over what the page says about itself (title, date, site name, URL).
    """
    if fmt is None:
        fmt = "html" if looks_like_html(text) else "text"
    if fmt == "html":
        page = clean_html(text, url)
        body = normalise(page.text)
        title = title or page.title
        published = published or page.published
        outlet = outlet or page.outlet
        url = url or page.url
    else:
        body = normalise(text)
        title = title or plain_title(body)
    if not body:
        raise InputError(f"{name}: empty document")
    return Document(
        id=content_id(normalise_text(body)),
        text=body,
        url=url,
        outlet=outlet,
        title=title,
        published=published,
        retrieved=datetime.now(UTC),
        format=fmt,
    )


def plain_title(text: str) -> str | None:
    """A short first line with no closing period, followed by more text, is a headline.

    It stays in the text too: evidence offsets point into the stored text.
    """
    first, newline, rest = text.partition("\n")
    first = first.strip()
    if newline and rest.strip() and first and len(first) < _TITLE_MAX and not first.endswith("."):
        return first
    return None
