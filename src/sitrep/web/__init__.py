"""The web stage: HTTP API and dashboard over a store (``create_app``; ``sitrep serve``).

Modules: ``app`` (the app and its gate), ``settings``, ``auth``, ``errors`` (the one error
shape), ``params`` (filters and paging), ``data`` (SQL behind the lists and charts),
``views`` (one dict per page), ``routes`` (each view as page, JSON twin and API route),
``cache`` (finished incident-list pages, until the next write), ``schemas`` (the list's
JSON shape, for the OpenAPI document), ``writes`` (ingest, corrections, merge, split),
``render`` (JSON or template), ``charts`` (Vega-Lite specs), ``vendor`` (the chart
JavaScript from vl-convert-python), ``geo`` (optional country outlines).
"""

from sitrep.web.app import create_app
from sitrep.web.settings import SETTINGS, Settings

__all__ = ["SETTINGS", "Settings", "create_app"]
