"""Ingest stage: bytes from files, byte strings, JSON Lines and URLs -> Documents."""

from sitrep.ingest.document import document_from_text
from sitrep.ingest.fetch import fetch_url
from sitrep.ingest.files import iter_sources, read_document
from sitrep.ingest.jsonl import read_jsonl

__all__ = ["document_from_text", "fetch_url", "iter_sources", "read_document", "read_jsonl"]
