"""The chart JavaScript, served at run time from the ``vl-convert-python`` package.

``vl_convert.javascript_bundle()`` returns Vega, Vega-Lite and vega-embed as one script
(no imports, nothing fetched) that sets ``window.vegaEmbed``. It is built once per process
(about two seconds), kept in memory with a gzip copy, and served with an ETag. No copy of
third-party code lives in this repository.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache

from sitrep.errors import NotFound

PATH = "/static/vendor/vega.js"
PACKAGE = "vl-convert-python"


def available() -> bool:
    return importlib.util.find_spec("vl_convert") is not None


@dataclass(frozen=True, slots=True)
class Bundle:
    body: bytes
    gzipped: bytes
    etag: str
    versions: dict[str, str]


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _build() -> Bundle:
    import vl_convert

    body = vl_convert.javascript_bundle().encode("utf-8")
    versions = {
        "vega": vl_convert.get_vega_version(),
        "vega-lite": vl_convert.get_vegalite_versions()[-1],
        "vega-embed": vl_convert.get_vega_embed_version(),
    }
    return Bundle(
        body, gzip.compress(body, 6), '"' + hashlib.sha256(body).hexdigest()[:20] + '"', versions
    )


def bundle() -> Bundle:
    """The bundle; NotFound (404) when the package is not installed."""
    if not available():
        raise NotFound(f"charts need the {PACKAGE} package, which is not installed")
    with _lock:  # one build even when many pages ask at once
        return _build()


def warm_up() -> None:
    """Build the bundle in the background so the first page does not wait for it."""
    if available():
        threading.Thread(target=bundle, name="sitrep-vega-bundle", daemon=True).start()
