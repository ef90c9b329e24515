"""The extract stage: one Document in, its incidents, claims, interactions and quotes out.

Extraction is pure (document in, records out), so it parallelises with no shared state.
"""

from __future__ import annotations

import sys
import types
from datetime import date

from sitrep.errors import InputError
from sitrep.model import Document, Extraction


def extract_document(doc: Document) -> Extraction:
    """All records of one document, each value tied to its evidence in ``doc.text``."""
    # Imported here so that `import sitrep` stays fast for commands that never extract.
    from sitrep.extract.claims import assemble_claims
    from sitrep.extract.incidents import assemble_incidents
    from sitrep.extract.interactions import assemble_interactions
    from sitrep.extract.quotes import assemble_quotes
    from sitrep.extract.tagged import tag

    tagged = tag(doc.text, doc.published)
    claims, claim_sentences = assemble_claims(tagged, doc.id)
    return Extraction(
        document=doc,
        incidents=assemble_incidents(tagged, doc.id, claim_sentences),
        claims=claims,
        interactions=assemble_interactions(tagged),
        quotes=assemble_quotes(tagged),
    )


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InputError(f"published: {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def extract_text(
    text: str, published: date | str | None = None, url: str | None = None, title: str | None = None
) -> Extraction:
    """Extract from a report given as a string (plain text or HTML)."""
    from sitrep.ingest import read_document

    doc = read_document(
        text.encode("utf-8"), url=url, published=_as_date(published), title=title, name="text"
    )
    return extract_document(doc)


class _CallableModule(types.ModuleType):
    """``sitrep.extract`` is both this package and the API function DESIGN.md promises:
    importing the subpackage rebinds the name on ``sitrep``, so the package itself is
    made callable as ``sitrep.extract(text, published=..., url=...)``."""

    def __call__(self, text, published=None, url=None, title=None) -> Extraction:
        return extract_text(text, published=published, url=url, title=title)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["extract_document", "extract_text"]
