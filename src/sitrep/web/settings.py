"""The web layer's settings, declared once: name, environment variable, default, help.

``Settings.from_env()`` reads them from the environment; ``create_app(db, settings)``
takes them as an object, so tests and the CLI need no environment at all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "api_token",
        "SITREP_API_TOKEN",
        None,
        "Bearer token that every write needs (POST /api/documents, /api/corrections, "
        "merge, split). Unset: writes are refused with 401.",
    ),
    Setting(
        "read_token",
        "SITREP_READ_TOKEN",
        None,
        "When set, reads need a token too: this one or the write token, as "
        "'Authorization: Bearer ...' or the dashboard's sitrep_token cookie. Unset: reads are public.",
    ),
    Setting("page_size", "SITREP_PAGE_SIZE", 50, "Rows per page when a request gives no limit."),
    Setting(
        "max_page_size", "SITREP_MAX_PAGE_SIZE", 500, "The largest limit a request may ask for."
    ),
    Setting(
        "max_body_bytes",
        "SITREP_MAX_BODY_BYTES",
        5_000_000,
        "The largest request body accepted (a posted document); larger ones get 413.",
    ),
    Setting(
        "page_cache_mb",
        "SITREP_PAGE_CACHE_MB",
        32,
        "Memory for finished incident-list pages (JSON), per worker process, served again "
        "until the next write to a SQLite ledger. 0: off. PostgreSQL ledgers are never cached.",
    ),
    Setting(
        "world_shapes",
        "SITREP_WORLD_SHAPES",
        None,
        "Country outlines for the map: a GeoJSON file or an ESRI shapefile (.shp), e.g. "
        "Natural Earth admin-0 countries. Unset: the outlines that geopandas < 1.0 ships, "
        "if installed, else a graticule only.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    api_token: str | None = None
    read_token: str | None = None
    page_size: int = 50
    max_page_size: int = 500
    max_body_bytes: int = 5_000_000
    page_cache_mb: int = 32
    world_shapes: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); keyword arguments win."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for s in SETTINGS:
            raw = env.get(s.env)
            if raw is None or raw == "":
                continue
            values[s.name] = int(raw) if isinstance(s.default, int) else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
