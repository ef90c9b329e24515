"""How values read on the dashboard: template filters over the JSON forms of records
(ranges as ``{"min", "max"}``, dates as ISO strings), and the globals every page gets."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from sitrep.model import ATTACK_MODES
from sitrep.report.tally import mode_label

NAV = (
    ("/", "Overview"),
    ("/incidents", "Incidents"),
    ("/series", "Claim series"),
    ("/claims", "Claims"),
    ("/documents", "Documents"),
    ("/tally", "Tally"),
    ("/report", "Report"),
    ("/api", "API"),
)

FIELD_LABELS = {
    "date": "Date",
    "place": "Place",
    "attack_modes": "Attack modes",
    "weapons": "Weapons",
    "payload_kg": "Payload (kg)",
    "attacker": "Attacker",
    "target": "Target",
    "outcome": "Outcome",
    "casualties.killed": "Killed",
    "casualties.injured": "Injured",
    "casualties.serious": "Seriously injured",
    "casualties.minor": "Minor injuries",
    "casualties.tbi": "Traumatic brain injury",
    "attribution": "Attribution",
    "confidence": "Confidence",
    "mention_ids": "Mentions",
}


def number(x: Any) -> str:
    if x is None:
        return "?"
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def range_text(r: Any, qualifier: str | None = None) -> str:
    if not isinstance(r, dict) or (r.get("min") is None and r.get("max") is None):
        return ""
    lo, hi = r.get("min"), r.get("max")
    words = {
        "at_least": "at least",
        "more_than": "more than",
        "about": "about",
        "up_to": "up to",
        "nearly": "nearly",
        "fewer_than": "fewer than",
    }.get(qualifier or "")
    if lo is not None and hi is not None and lo != hi:
        return f"{number(lo)} to {number(hi)}"
    if lo is None:
        return f"up to {number(hi)}"
    if hi is None and words is None:
        words = "at least"
    return f"{words} {number(lo)}" if words else number(lo)


def span_text(d: Any) -> str:
    if not isinstance(d, dict) or not d.get("start"):
        return "undated"
    text = d["start"]
    if d.get("end") and d["end"] != d["start"]:
        text += f" to {d['end']}"
    if d.get("precision") and d["precision"] != "day":
        text += f" ({d['precision']})"
    return text


def place_text(p: Any) -> str:
    if not isinstance(p, dict):
        return ""
    parts = [x for x in (p.get("name"), p.get("admin1"), p.get("country")) if x]
    return ", ".join(dict.fromkeys(parts))


def actor_text(a: Any) -> str:
    if not isinstance(a, dict):
        return ""
    name = a.get("name") or a.get("id") or ""
    kind = (a.get("kind") or "").replace("_", " ")
    return f"{name} ({kind})" if name and kind else name or kind


def modes_text(modes: Any) -> str:
    return ", ".join(mode_label(m) for m in modes or [])


def casualties_text(c: Any) -> str:
    if not isinstance(c, dict):
        return ""
    parts = []
    for key, word in (
        ("killed", "killed"),
        ("injured", "injured"),
        ("serious", "serious"),
        ("minor", "minor"),
        ("tbi", "TBI"),
    ):
        text = range_text(c.get(key))
        if text:
            parts.append(f"{text} {word}")
    return ", ".join(parts)


def value_text(field: str, value: Any) -> str:
    """Any field's value, as the incident page shows it."""
    if value is None or value == [] or value == {}:
        return ""
    if field == "date":
        return span_text(value)
    if field == "place":
        return place_text(value)
    if field in ("attacker", "target"):
        return actor_text(value)
    if field == "attack_modes":
        return modes_text(value)
    if isinstance(value, dict) and set(value) <= {"min", "max"}:
        return range_text(value)
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if isinstance(value, float):
        return number(value)
    return str(value)


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    head, _, rest = name.partition(".")
    return f"{FIELD_LABELS.get(head, head)} {rest.replace('.', ' ')}".strip()


def safe_url(url: Any) -> str | None:
    """Only http(s) URLs become links (never ``javascript:``)."""
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


FILTERS = {
    "num": number,
    "range": range_text,
    "span": span_text,
    "place": place_text,
    "actor": actor_text,
    "modes": modes_text,
    "mode": mode_label,
    "casualties": casualties_text,
    "label": field_label,
    "safe_url": safe_url,
}


def page_globals(request: Request) -> dict[str, Any]:
    params = dict(request.query_params)

    def with_query(**changes: Any) -> str:
        """This page's URL with some query parameters changed (None removes one)."""
        merged = {**params, **{k: v for k, v in changes.items()}}
        query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
        return request.url.path + (f"?{query}" if query else "")

    def json_url() -> str:
        path = request.url.path
        path = "/index.json" if path == "/" else f"{path}.json"
        return path + (f"?{request.url.query}" if request.url.query else "")

    return {
        "nav": NAV,
        "path": request.url.path,
        "query": params,
        "with_query": with_query,
        "json_url": json_url(),
        "value_text": value_text,
        "modes": ATTACK_MODES,
        "vega": getattr(request.app.state, "vega_available", False),
    }
