"""HTML page -> the article's text and metadata.

trafilatura finds the main text (dropping navigation, cookie banners, related links and
footers) and the metadata (title, site name, and the date through htmldate). When it
finds nothing (a very short or unusual page), a plain lxml extraction of the visible
block text stands in, so a short official statement is not lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# Characters an lxml tree cannot hold; they carry no text anyway.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLOCKS = (
    "p", "div", "section", "article", "main", "li", "dd", "dt", "blockquote", "pre", "tr",
    "table", "ul", "ol", "dl", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
)  # fmt: skip
_HIDDEN = "//script|//style|//noscript|//template|//nav|//header|//footer|//aside|//form|//svg|//iframe|//head|//select|//button"
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass(frozen=True, slots=True)
class CleanPage:
    text: str  # paragraphs separated by blank lines
    title: str | None
    published: date | None
    outlet: str | None
    url: str | None  # the page's canonical URL when it names one


def clean_html(html: str, url: str | None = None) -> CleanPage:
    """The main text of an HTML page with its title, date and site name."""
    html = _XML_DECLARATION.sub(
        "", _NOT_XML.sub("", html), count=1
    )  # lxml refuses str input that declares an encoding
    found = _trafilatura(html, url)
    if found is not None:
        return found
    text, title = _plain_text(html)
    return CleanPage(text=text, title=title, published=None, outlet=None, url=url)


def _trafilatura(html: str, url: str | None) -> CleanPage | None:
    import trafilatura  # imported here: it takes a quarter of a second, and plain text needs none of it

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except (
        Exception
    ):  # a heuristic third-party parser: on any failure the plain extraction stands in
        return None
    if doc is None or not (doc.text or "").strip():
        return None
    lines = (" ".join(line.split()) for line in doc.text.split("\n"))
    return CleanPage(
        text="\n\n".join(line for line in lines if line),
        title=_clean(doc.title),
        published=_iso_date(doc.date),
        outlet=_clean(doc.sitename),
        url=url or _clean(doc.url),
    )


def _plain_text(html: str) -> tuple[str, str | None]:
    """Visible text by blocks, with lxml alone; ("", None) for what lxml cannot parse."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return "", None
    title = _clean(root.findtext(".//title"))
    for hidden in root.xpath(_HIDDEN):
        hidden.drop_tree()
    for el in root.iter(*_BLOCKS):  # blank lines around blocks keep paragraphs apart
        el.text = "\n\n" + (el.text or "")
        el.tail = "\n\n" + (el.tail or "")
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(root.text_content()):
        lines = (" ".join(line.split()) for line in block.split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs), title


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
