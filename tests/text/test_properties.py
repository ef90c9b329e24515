"""Property tests: the text stage never raises and keeps its offsets sane on any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model import normalise_text
from sitrep.text import CleanPage, clean_html, normalise, split_paragraphs, split_sentences

# Random text, and text built from the pieces the splitter looks at.
_PIECES = st.sampled_from(
    [" ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", ".", "?", "!", "...", "…", "”", '"', "’", "'", "(", ")",
     "Q:", "GEN. RYDER:", "U.S.", "Oct.", "No.", "p.m.", "1.", "S.", "The", "he", "said", "1.5", "a" * 120, "\u200b"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60).map("".join)
)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_sentences_are_ordered_disjoint_stripped_and_inside_their_paragraph(text):
    paragraphs = split_paragraphs(text)
    previous_end = 0
    for s in split_sentences(text):
        assert previous_end <= s.start < s.end <= len(text)
        chunk = text[s.start : s.end]
        assert chunk == chunk.strip()
        p_start, p_end = paragraphs[s.paragraph]
        assert p_start <= s.start and s.end <= p_end
        previous_end = s.end


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_sentences_cover_every_visible_character(text):
    covered = sum(s.end - s.start for s in split_sentences(text))
    visible = sum(1 for c in text if not c.isspace())
    assert covered >= visible


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_paragraphs_are_ordered_disjoint_and_stripped(text):
    previous_end = 0
    for a, b in split_paragraphs(text):
        assert previous_end <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
        previous_end = b


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalise_is_idempotent_and_id_stable(text):
    once = normalise(text)
    assert normalise(once) == once
    assert normalise_text(once) == once


_MARKUP = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<html>",
        "<body>",
        "<br>",
        "<div>",
        "<!--",
        "-->",
        "<script>",
        "<title>",
        "&amp;",
        "&#0;",
        "\x00",
        "\x01",
        "\ufffe",
    ]
)
HTML = st.lists(st.one_of(_MARKUP, _PIECES, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(HTML)
def test_clean_html_never_raises(html):
    page = clean_html(html)
    assert isinstance(page, CleanPage) and isinstance(page.text, str)
