"""Write routes: ingest a document, correct a field, merge and split incidents.

Every one needs ``Authorization: Bearer <api token>`` (checked before the body is read, by
``sitrep.web.app.Gate``, and again here for the OpenAPI document). Writes run one at a
time in a process (a lock), because resolving reads the ledger and then rewrites it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.responses import Response

from sitrep import corrections as fixes
from sitrep.web.auth import require_write
from sitrep.web.render import json_response, jsonable
from sitrep.web.routes import Id, store_of

bearer = HTTPBearer(auto_error=False, description="The API token (SITREP_API_TOKEN).")


class _Body(BaseModel):
    """A write's body: a key the API does not know is refused (422), never ignored, so a
    misspelt ``value`` cannot silently clear a field."""

    model_config = ConfigDict(extra="forbid")


class DocumentIn(_Body):
    """One report: ``text`` (plain) or ``html`` (a web page; its main text is kept)."""

    text: str | None = Field(None, description="The report as plain text.")
    html: str | None = Field(None, description="The report as an HTML page.")
    published: date | None = Field(
        None, description="Publication date; relative dates resolve against it."
    )
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _one_body(self) -> DocumentIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of text or html")
        return self


class CorrectionIn(_Body):
    record_type: Literal["incident", "mention"] = "incident"
    record_id: str = Field(min_length=1, max_length=200)
    field: str = Field(
        min_length=1,
        max_length=100,
        description="A dotted field path: place.name, date.start, casualties.injured, attack_modes, ...",
    )
    value: Any = Field(
        description="The new value (JSON, or text as a form sends it); null clears the field. Required."
    )
    author: str | None = Field(None, max_length=200, description="Who makes the correction.")
    reason: str | None = Field(None, max_length=2000, description="Why.")


class MergeIn(_Body):
    incidents: list[str] = Field(
        min_length=1, max_length=100, description="Incidents to merge into this one."
    )
    author: str | None = Field(None, max_length=200)
    reason: str | None = Field(None, max_length=2000)


class SplitIn(_Body):
    mentions: list[str] = Field(
        min_length=1, max_length=1000, description="Mentions to move into a new incident."
    )
    author: str | None = Field(None, max_length=200)
    reason: str | None = Field(None, max_length=2000)


def ingest_document(store, body: DocumentIn) -> tuple[dict[str, Any], bool]:
    """Extract, save, resolve and re-apply corrections; (result, whether it was new)."""
    from sitrep.extract import extract_document
    from sitrep.ingest.document import document_from_text
    from sitrep.ledger import resolve_store

    doc = document_from_text(
        body.text if body.text is not None else body.html or "",
        name="posted document",
        fmt="text" if body.text is not None else "html",
        url=body.url,
        title=body.title,
        published=body.published,
        outlet=body.outlet,
    )
    if store.has_document(doc.id):
        return {"document": doc.header(), "new": False, "url": f"/documents/{doc.id}"}, False
    ex = extract_document(doc)
    store.save_extraction(ex)
    resolved = resolve_store(store)  # re-applies analyst corrections too
    reapplied = resolved.corrections
    from sitrep.web.data import incidents_of_mentions

    held = incidents_of_mentions(store, [m.id for m in ex.incidents if m.id])
    return {
        "document": doc.header(),
        "new": True,
        "url": f"/documents/{doc.id}",
        "mentions": [{"id": m.id, "incident_id": held.get(m.id)} for m in ex.incidents],
        "claims": len(ex.claims),
        "resolve": resolved.to_dict(),
        "corrections_reapplied": reapplied,
    }, True


def post_document(request: Request, body: DocumentIn) -> Response:
    """Ingest one document: extract its records, store them, resolve the ledger."""
    with request.app.state.write_lock:
        result, new = ingest_document(store_of(request), body)
    return json_response(result, status=201 if new else 200)


def post_correction(request: Request, body: CorrectionIn) -> Response:
    """Correct one field of an incident or a mention (kept across re-extraction)."""
    with request.app.state.write_lock:
        c = fixes.correct(
            store_of(request),
            body.record_type,
            body.record_id,
            body.field,
            body.value,
            body.author,
            body.reason,
        )
    return json_response({"correction": jsonable(c)}, status=201)


def post_merge(request: Request, incident_id: Id, body: MergeIn) -> Response:
    """Merge other incidents into this one (the same attack reported as several)."""
    with request.app.state.write_lock:
        c = fixes.merge_incidents(
            store_of(request), incident_id, body.incidents, author=body.author, reason=body.reason
        )
    return json_response(
        {"correction": jsonable(c), "incident": f"/api/incidents/{incident_id}"}, status=201
    )


def post_split(request: Request, incident_id: Id, body: SplitIn) -> Response:
    """Move some mentions of this incident into a new incident (two attacks taken for one)."""
    with request.app.state.write_lock:
        c = fixes.split_incident(
            store_of(request), incident_id, body.mentions, author=body.author, reason=body.reason
        )
    new_id = (c["new_value"] or {}).get("incident")
    return json_response(
        {
            "correction": jsonable(c),
            "incident": f"/api/incidents/{incident_id}",
            "new_incident": new_id,
        },
        status=201,
    )


def install(app: FastAPI) -> None:
    for path, endpoint, summary in (
        ("/api/documents", post_document, "Ingest one document"),
        ("/api/corrections", post_correction, "Correct a field"),
        ("/api/incidents/{incident_id}/merge", post_merge, "Merge incidents"),
        ("/api/incidents/{incident_id}/split", post_split, "Split an incident"),
    ):
        app.add_api_route(
            path,
            endpoint,
            methods=["POST"],
            summary=summary,
            tags=["writes"],
            dependencies=[Depends(bearer), Depends(require_write)],
        )
