"""The two faces of a view: the same dict as JSON or through a Jinja2 template.

Templates autoescape everything (no template marks document text safe); the JSON face is
the dict itself. ``jsonable`` turns records, dates and dataclasses into plain JSON.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

TEMPLATES = Path(__file__).parent / "templates"


def jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


# orjson writes compact UTF-8 about ten times faster than the json module, which took
# most of a list page's time in the app. Dates and dataclasses still go through
# ``_default`` so both faces (and every endpoint) write them exactly as ``jsonable`` does.
_ORJSON = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
)


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_default, option=_ORJSON)


def json_bytes(body: bytes, status: int = 200, headers=None) -> Response:
    """A response of JSON already encoded."""
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def json_response(data: Any, status: int = 200, headers=None) -> Response:
    return json_bytes(dumps(data), status, headers)


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from sitrep.web import formatting

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every value escaped; no template uses |safe on data
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(formatting.FILTERS)
    return env


def render_page(
    request: Request, template: str, context: dict[str, Any], status: int = 200, headers=None
) -> Response:
    from sitrep.web.formatting import page_globals

    values = {**context, **page_globals(request), "data": context}  # the page's own names win
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status, headers=headers)
