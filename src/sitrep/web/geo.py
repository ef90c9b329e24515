"""Country outlines for the map, when the machine has them; otherwise the map draws a
graticule only (places still sit at their true latitude and longitude).

Where they come from, first found wins:

1. ``SITREP_WORLD_SHAPES``: a GeoJSON file (FeatureCollection) or an ESRI shapefile
   (``.shp``) of country polygons, e.g. Natural Earth's 1:110m admin-0 countries
   (public domain);
2. the Natural Earth ``naturalearth_lowres`` shapefile that ``geopandas`` releases before
   1.0 ship inside the package (found on disk; geopandas is not imported).

Nothing is downloaded. Shapefiles are read here (polygons only, no attributes): outer
rings are clockwise and holes anticlockwise, the winding d3-geo (and so Vega) expects.
"""

from __future__ import annotations

import importlib.util
import json
import struct
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.errors import InputError

ENV = "SITREP_WORLD_SHAPES"
PATH = "/static/world.json"


def _geopandas_lowres() -> Path | None:
    try:
        spec = importlib.util.find_spec("geopandas")
    except (ImportError, ValueError):
        return None
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "datasets" / "naturalearth_lowres" / "naturalearth_lowres.shp"
        if path.is_file():
            return path
    return None


def source(configured: str | None = None) -> Path | None:
    """The outlines file to use (``configured``, the setting), or None."""
    raw = configured
    if raw:
        path = Path(raw).expanduser()
        return path if path.is_file() else None
    return _geopandas_lowres()


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def read_shapefile(path: Path) -> dict[str, Any]:
    """Polygons of an ESRI shapefile as a GeoJSON FeatureCollection (geometry only)."""
    data = path.read_bytes()
    if len(data) < 100 or struct.unpack(">i", data[:4])[0] != 9994:
        raise InputError(f"{path}: not a shapefile")
    features = []
    pos = 100
    while pos + 8 <= len(data):
        _num, words = struct.unpack(">2i", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * words]
        pos += 8 + 2 * words
        if len(content) < 44 or struct.unpack("<i", content[:4])[0] not in (5, 15, 25):
            continue  # null shapes, points, lines
        n_parts, n_points = struct.unpack("<2i", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts]))
        at = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", content[at : at + 16 * n_points])
        points = [[round(coords[2 * i], 4), round(coords[2 * i + 1], 4)] for i in range(n_points)]
        polygons: list[list[list[list[float]]]] = []
        for k, start in enumerate(parts):
            ring = points[start : parts[k + 1] if k + 1 < n_parts else n_points]
            if len(ring) < 4:
                continue
            if _signed_area(ring) <= 0 or not polygons:  # clockwise: an outer ring
                polygons.append([ring])
            else:
                polygons[-1].append(ring)
        if polygons:
            features.append(
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                }
            )
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=4)
def outlines(path: Path) -> bytes:
    """The outlines as GeoJSON bytes."""
    if path.suffix.lower() == ".shp":
        collection = read_shapefile(path)
    else:
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: not a GeoJSON file ({exc})") from None
    return json.dumps(collection, separators=(",", ":")).encode("utf-8")
