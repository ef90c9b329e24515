"""Property test: any bytes give a Document or a one-line InputError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.errors import InputError
from sitrep.ingest import read_document
from sitrep.model import Document

_PREFIXES = st.sampled_from(
    [b"", b"<html><body><p>", b"<!DOCTYPE html><!-- x -->", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
     b"\xff\xfe\x00\x00", b"%PDF-", b"PK\x03\x04", b"Headline\n", b'<meta charset="koi8-r">', b"<?xml version='1.0'?>"]
)  # fmt: skip
RANDOM_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.tuples(_PREFIXES, st.binary(max_size=500)).map(b"".join),
    st.tuples(_PREFIXES, st.text(max_size=500)).map(
        lambda t: t[0] + t[1].encode("utf-8", "surrogatepass")
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RANDOM_BYTES)
def test_random_bytes_give_a_document_or_an_input_error(data):
    try:
        doc = read_document(data, name="fuzz")
    except InputError as exc:
        assert str(exc).startswith("fuzz: ") and "\n" not in str(exc)
    else:
        assert isinstance(doc, Document) and doc.text and doc.text == doc.text.strip()
