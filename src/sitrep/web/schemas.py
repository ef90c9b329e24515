"""The shape of the incident list's JSON, for the OpenAPI document.

The list builds its JSON directly (validating every row on the way out cost more than
the query), so these models only describe it; a test checks real pages against them,
unknown keys refused, so the document and the payload cannot drift apart.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DateSpan(_Out):
    start: str | None = Field(description="ISO 8601 date")
    end: str | None
    precision: str | None = Field(description="day, week, month or year")


class Place(_Out):
    name: str | None
    country: str | None = Field(description="ISO 3166-1 alpha-2")
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None = Field(description="facility, city, admin2, admin1 or country")


class Range(_Out):
    min: float | None
    max: float | None


class Party(_Out):
    id: str | None = Field(description="the resolved actor id (us_forces)")
    name: str | None = Field(description="the name as written")
    kind: str | None


class Casualties(_Out):
    killed: Range
    injured: Range
    serious: Range
    minor: Range
    tbi: Range


class IncidentSummary(_Out):
    """One resolved incident as the list shows it: its values, no provenance. ``url`` is
    its page; ``/api/incidents/{id}`` has every field with its sources and evidence."""

    id: str
    url: str
    date: DateSpan
    place: Place
    attack_modes: list[str]
    weapons: list[str]
    payload_kg: Range
    attacker: Party | None
    target: Party | None
    outcome: list[str]
    casualties: Casualties
    confidence: float | None
    conflicts: list[str] = Field(description="fields whose sources disagree")
    corrected: list[str] = Field(description="fields an analyst corrected")
    documents: int = Field(description="documents that report it")
    mentions: int = Field(description="incident mentions merged into it")


class ListFilters(_Out):
    since: str | None
    until: str | None
    country: list[str]
    mode: list[str]
    actor: str | None
    attacker: str | None
    target: str | None
    q: str | None


class IncidentPage(_Out):
    """A page of the incident list; ``next`` and ``previous`` are the neighbouring pages
    (path and query), null at either end."""

    filters: ListFilters
    order: str
    limit: int
    offset: int
    count: int = Field(description="incidents on this page")
    next: str | None
    previous: str | None
    incidents: list[IncidentSummary]
