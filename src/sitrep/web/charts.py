"""Vega-Lite specs as plain dicts, data inlined: the dashboard's charts and map.

The browser draws them with the Vega, Vega-Lite and vega-embed JavaScript that the
``vl-convert-python`` package carries (``sitrep.web.vendor``); nothing is fetched from
elsewhere. Every chart's data also appears as a table on its page, so a page reads the
same without JavaScript.
"""

from __future__ import annotations

from typing import Any

from sitrep.report.tally import mode_label

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier, never fetched
WIDTH = "container"


def _base(title: str, height: int = 220) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": WIDTH,
        "height": height,
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11}},
    }


def timeline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Incidents per day, stacked by attack mode."""
    values = [{**r, "label": mode_label(r["mode"])} for r in rows]
    spec = _base("Incidents per day by attack mode")
    spec.update(
        {
            "data": {"values": values},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {
                    "field": "day",
                    "type": "temporal",
                    "timeUnit": "yearmonthdate",
                    "title": None,
                },
                "y": {
                    "field": "incidents",
                    "type": "quantitative",
                    "aggregate": "sum",
                    "title": "incidents",
                },
                "color": {"field": "label", "type": "nominal", "title": "attack mode"},
                "tooltip": [
                    {"field": "day", "type": "temporal", "title": "day"},
                    {"field": "label", "title": "mode"},
                    {"field": "incidents", "type": "quantitative", "aggregate": "sum"},
                ],
            },
        }
    )
    return spec


def cumulative(counted: list[dict[str, Any]], claimed: list[dict[str, Any]]) -> dict[str, Any]:
    """Attacks and injured counted in the ledger, cumulative (lines), with the official
    claims of the same measures as points on the same axes."""
    spec = _base("Counted in the ledger (lines) and claimed by officials (points)", 260)
    color = {
        "field": "measure",
        "type": "nominal",
        "title": "measure",
        "scale": {"domain": ["attacks", "injured", "injured_serious", "injured_minor"]},
    }
    spec["layer"] = [
        {
            "data": {"values": counted},
            "mark": {"type": "line", "interpolate": "step-after", "tooltip": True},
            "encoding": {
                "x": {
                    "field": "day",
                    "type": "temporal",
                    "timeUnit": "yearmonthdate",
                    "title": None,
                },
                "y": {"field": "counted", "type": "quantitative", "title": "cumulative"},
                "color": color,
            },
        },
        {
            "data": {"values": claimed},
            "mark": {"type": "point", "filled": True, "size": 70, "shape": "diamond"},
            "encoding": {
                "x": {"field": "day", "type": "temporal", "timeUnit": "yearmonthdate"},
                "y": {"field": "claimed", "type": "quantitative"},
                "color": color,
                "tooltip": [
                    {"field": "day", "type": "temporal", "title": "as of"},
                    {"field": "measure"},
                    {"field": "value_text", "title": "claimed"},
                    {"field": "subject"},
                    {"field": "attribution", "title": "said by"},
                ],
                "href": {"field": "url"},
            },
        },
    ]
    return spec


def series(points: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """One claim series: the claimed value by as-of date, beside the ledger's count."""
    spec = _base(title, 240)
    rows = []
    for p in points:
        if p.get("claimed") is not None and p.get("as_of"):
            rows.append(
                {
                    "day": p["as_of"],
                    "figure": p["claimed"],
                    "kind": "claimed",
                    "label": p["value_text"],
                }
            )
        if p.get("incidents_counted") is not None and p.get("as_of"):
            rows.append(
                {
                    "day": p["as_of"],
                    "figure": p["incidents_counted"],
                    "kind": "counted in the ledger",
                    "label": str(p["incidents_counted"]),
                }
            )
    spec.update(
        {
            "data": {"values": rows},
            "mark": {"type": "line", "point": {"filled": True, "size": 60}, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "day",
                    "type": "temporal",
                    "timeUnit": "yearmonthdate",
                    "title": "as of",
                },
                "y": {"field": "figure", "type": "quantitative", "title": None},
                "color": {"field": "kind", "type": "nominal", "title": None},
                "tooltip": [
                    {"field": "day", "type": "temporal", "title": "as of"},
                    {"field": "kind"},
                    {"field": "label", "title": "figure"},
                ],
            },
        }
    )
    return spec


def incident_map(places: list[dict[str, Any]], outlines_url: str | None = None) -> dict[str, Any]:
    """Incidents by place on a map: a graticule (and country outlines, when the server has
    them), one circle per place sized by incidents, labelled with the place's name."""
    spec = _base("Where (circles: places, by incidents)", 380)
    lats = [p["lat"] for p in places] or [0.0]
    lons = [p["lon"] for p in places] or [0.0]
    pad = 3.0
    extent = [
        [max(-180.0, min(lons) - pad), max(-85.0, min(lats) - pad)],
        [min(180.0, max(lons) + pad), min(85.0, max(lats) + pad)],
    ]
    layers: list[dict[str, Any]] = []
    if outlines_url:
        layers.append(
            {
                "data": {"url": outlines_url, "format": {"type": "json", "property": "features"}},
                "mark": {
                    "type": "geoshape",
                    "fill": "#eef0ea",
                    "stroke": "#9aa39a",
                    "strokeWidth": 0.6,
                    "clip": True,
                },
            }
        )
    layers.append(
        {
            "data": {"graticule": {"step": [1, 1] if _small(extent) else [5, 5]}},
            "mark": {
                "type": "geoshape",
                "stroke": "#d5d9de",
                "strokeWidth": 0.5,
                "filled": False,
                "clip": True,
            },
        }
    )
    point_enc = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
    }
    layers.append(
        {
            "data": {"values": places},
            "mark": {"type": "circle", "color": "#b3261e", "opacity": 0.7, "tooltip": True},
            "encoding": {
                **point_enc,
                "size": {
                    "field": "incidents",
                    "type": "quantitative",
                    "legend": None,
                    "scale": {"range": [40, 900]},
                },
                "tooltip": [
                    {"field": "name", "title": "place"},
                    {"field": "country"},
                    {"field": "incidents", "type": "quantitative"},
                    {"field": "first", "title": "first"},
                    {"field": "last", "title": "last"},
                ],
            },
        }
    )
    layers.append(
        {
            "data": {"values": places[:40]},
            "mark": {
                "type": "text",
                "align": "left",
                "dx": 7,
                "dy": -5,
                "fontSize": 10,
                "color": "#333",
            },
            "encoding": {**point_enc, "text": {"field": "name"}},
        }
    )
    # Fit the view to the places (plus a margin), not to the whole world the graticule and
    # outlines cover; those are clipped to the view.
    box = {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": extent}}
    spec["projection"] = {"type": "equirectangular", "fit": box}
    spec["layer"] = layers
    return spec


def _small(extent: list[list[float]]) -> bool:
    (x0, y0), (x1, y1) = extent
    return (x1 - x0) < 30 and (y1 - y0) < 30
