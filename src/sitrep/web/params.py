"""Query parameters: declared once (name, kind, help), documented in the OpenAPI document
from that declaration, and read and checked here in one pass per request.

The routes read their query string themselves rather than through FastAPI's per-parameter
machinery, which cost more than the whole database query on the incident list. Dates and
lists arrive as text (a filter form sends ``since=`` when left blank): blank means "no
filter", and a bad value is a 422 in the one error shape. Lists take repeats
(``mode=rocket&mode=mortar``) or commas (``mode=rocket,mortar``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import HTTPException, Request

from sitrep.model import ATTACK_MODES, MEASURES
from sitrep.web.data import Filters

MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str  # date | text | int | choice | modes | countries | measures
    help: str
    choices: tuple[str, ...] = ()
    default: Any = None

    def schema(self) -> dict[str, Any]:
        if self.kind == "date":
            return {"type": "string", "format": "date"}
        if self.kind == "int":
            return {"type": "integer", "minimum": 0}
        if self.kind == "choice":
            out: dict[str, Any] = {"type": "string", "enum": list(self.choices)}
            if self.default is not None:
                out["default"] = self.default
            return out
        if self.kind in ("modes", "countries", "measures"):
            item: dict[str, Any] = {"type": "string"}
            if self.kind == "modes":
                item["enum"] = list(ATTACK_MODES)
            if self.kind == "measures":
                item["enum"] = list(MEASURES)
            return {"type": "array", "items": item}
        return {"type": "string", "maxLength": MAX_TEXT}

    def openapi(self) -> dict[str, Any]:
        doc = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.help,
            "schema": self.schema(),
        }
        if self.schema()["type"] == "array":
            doc.update(style="form", explode=True)
        return doc


_PARAMS = [
    Param("since", "date", "From this date (YYYY-MM-DD), inclusive."),
    Param("until", "date", "Up to this date (YYYY-MM-DD), inclusive."),
    Param("country", "countries", "ISO 3166-1 alpha-2 codes; repeat or comma-separate."),
    Param("mode", "modes", "Attack modes (rocket, uas_one_way, ...); repeat or comma-separate."),
    Param("actor", "text", "Attacker or target, by actor id or by name as written."),
    Param("attacker", "text", "Attacker, by actor id or name."),
    Param("target", "text", "Target, by actor id or name (the tally includes its parts)."),
    Param("q", "text", 'Full-text search over the reports (words, "phrases", OR, -word).'),
    Param(
        "limit", "int", "Rows per page (default and maximum: settings page_size, max_page_size)."
    ),
    Param("offset", "int", "Rows to skip.", default=0),
    Param("order", "choice", "By date: desc (newest first) or asc.", ("asc", "desc"), "desc"),
    Param(
        "measure", "measures", "Claim measures (attacks, injured, ...); repeat or comma-separate."
    ),
    Param("subject_id", "text", "The resolved actor id of a claim's subject (us_forces)."),
    Param("doc_id", "text", "One document's records."),
    Param("start", "int", "Highlight the span from this offset (with end)."),
    Param("end", "int", "Highlight the span up to this offset (with start)."),
    Param("record_type", "choice", "incident or mention.", ("incident", "mention")),
    Param("record_id", "text", "The corrected record's id."),
    Param("format", "choice", "md: the report as Markdown.", ("html", "json", "md")),
]
EXPORT_FORMAT = Param(
    "format", "choice", "The file format.", ("csv", "jsonl", "geojson", "parquet", "acled"), "csv"
)
PARAMS: dict[str, Param] = {p.name: p for p in _PARAMS}
INCIDENT_FILTERS = ("since", "until", "country", "mode", "actor", "attacker", "target", "q")
PAGING = ("limit", "offset")


def _param(p: str | Param) -> Param:
    return p if isinstance(p, Param) else PARAMS[p]


def openapi(*names: str | Param) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads these parameters."""
    return {"parameters": [_param(n).openapi() for n in names]}


def _fail(name: str, message: str) -> HTTPException:
    return HTTPException(422, f"{name}: {message}")


def _items(values: list[str]) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _read(p: Param, values: list[str], settings) -> Any:
    if p.kind in ("modes", "countries", "measures"):
        found = _items(values)
        if p.kind == "countries":
            bad = [c for c in found if len(c) != 2 or not c.isalpha()]
            if bad:
                raise _fail(p.name, f"{', '.join(bad)} is not an ISO 3166-1 alpha-2 code")
            found = [c.upper() for c in found]
        else:
            vocab = ATTACK_MODES if p.kind == "modes" else MEASURES
            bad = [m for m in found if m not in vocab]
            if bad:
                what = "attack mode" if p.kind == "modes" else "measure"
                raise _fail(p.name, f"unknown {what}(s) {', '.join(bad)}")
        return found
    raw = values[-1].strip() if values else ""
    if not raw:
        return p.default
    if len(raw) > MAX_TEXT:
        raise _fail(p.name, f"at most {MAX_TEXT} characters")
    if p.kind == "date":
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            raise _fail(p.name, f"{raw!r} is not a date (YYYY-MM-DD)") from None
    if p.kind == "int":
        if not raw.isdigit():
            raise _fail(p.name, f"{raw!r} is not a whole number of 0 or more")
        n = int(raw)
        if p.name == "limit":
            if n < 1:
                raise _fail(p.name, "at least 1")
            if n > settings.max_page_size:
                raise _fail(p.name, f"at most {settings.max_page_size}")
        return n
    if p.kind == "choice" and raw not in p.choices:
        raise _fail(p.name, f"one of {', '.join(p.choices)}, not {raw!r}")
    return raw


def read(request: Request, *names: str | Param) -> dict[str, Any]:
    """The named query parameters, checked (422 on a bad one); absent ones are their
    defaults (lists: empty)."""
    query = request.query_params
    settings = request.app.state.settings
    out = {}
    for n in names:
        p = _param(n)
        out[p.name] = _read(p, query.getlist(p.name) if p.name in query else [], settings)
    return out


def filters(values: dict[str, Any]) -> Filters:
    f = Filters(**{k: values[k] for k in INCIDENT_FILTERS if k in values})
    if f.since and f.until and f.since > f.until:
        raise _fail("since", "after until")
    return f


@dataclass(slots=True)
class Page:
    limit: int
    offset: int

    @classmethod
    def of(cls, request: Request, values: dict[str, Any]) -> Page:
        return cls(
            values.get("limit") or request.app.state.settings.page_size, values.get("offset") or 0
        )

    def links(self, request: Request, more: bool) -> dict[str, str | None]:
        """``next`` and ``previous`` links (path and query) for this request's URL."""

        def at(offset: int) -> str:
            url = request.url.include_query_params(limit=self.limit, offset=offset)
            return url.path + "?" + url.query

        return {
            "next": at(self.offset + self.limit) if more else None,
            "previous": at(max(0, self.offset - self.limit)) if self.offset > 0 else None,
        }

    def to_dict(self) -> dict[str, int]:
        return {"limit": self.limit, "offset": self.offset}
