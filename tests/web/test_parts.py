"""Settings, chart specs, the chart JavaScript route, map outlines and `sitrep serve`."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import struct

import pytest

from sitrep.web import SETTINGS, Settings, charts, geo, vendor
from tests.web.conftest import make_app, serve

HAS_VEGA = importlib.util.find_spec("vl_convert") is not None


def test_every_setting_is_declared_once_with_env_and_help():
    assert [f.name for f in dataclasses.fields(Settings)] == [s.name for s in SETTINGS]
    for s in SETTINGS:
        assert s.env == "SITREP_" + s.name.upper() and len(s.help) > 20
        assert getattr(Settings(), s.name) == s.default


def test_settings_from_env():
    env = {"SITREP_API_TOKEN": "w", "SITREP_PAGE_SIZE": "20", "SITREP_READ_TOKEN": ""}
    s = Settings.from_env(env, max_page_size=100)
    assert (s.api_token, s.read_token, s.page_size, s.max_page_size) == ("w", None, 20, 100)
    with pytest.raises(ValueError):
        Settings.from_env({"SITREP_PAGE_SIZE": "lots"})


def test_default_page_size_and_limit(db_path):
    for served in serve(make_app(db_path, page_size=2, max_page_size=3)):
        data = served.client.get("/api/incidents").json()
        assert data["limit"] == 2 and data["count"] == 2 and data["next"]
        assert served.client.get("/api/incidents", params={"limit": 4}).status_code == 422


PLACES = [
    {
        "name": "Al-Asad Airbase",
        "country": "IQ",
        "lat": 33.79,
        "lon": 42.44,
        "incidents": 2,
        "first": "2023-10-18",
        "last": "2023-10-27",
    },
    {
        "name": "Al-Tanf Garrison",
        "country": "SY",
        "lat": 33.5,
        "lon": 38.64,
        "incidents": 1,
        "first": "2023-10-19",
        "last": "2023-10-19",
    },
]


def all_specs():
    counted = [{"day": "2023-10-18", "measure": "attacks", "counted": 1}]
    claimed = [
        {
            "day": "2023-10-26",
            "measure": "attacks",
            "claimed": 16,
            "value_text": "at least 16",
            "subject": "US forces",
            "attribution": "Pentagon",
            "url": "/series/x",
        }
    ]
    points = [
        {"as_of": "2023-10-26", "claimed": 16, "value_text": "at least 16", "incidents_counted": 2}
    ]
    return {
        "timeline": charts.timeline([{"day": "2023-10-18", "mode": "rocket", "incidents": 1}]),
        "cumulative": charts.cumulative(counted, claimed),
        "series": charts.series(points, "attacks"),
        "map": charts.incident_map(PLACES),
        "map_outlines": charts.incident_map(PLACES, "/static/world.json"),
        "map_empty": charts.incident_map([]),
    }


def test_chart_specs_are_plain_json_with_their_data_inline():
    for name, spec in all_specs().items():
        assert json.loads(json.dumps(spec)) == spec, name
        assert spec["$schema"].endswith("vega-lite/v6.json")
        text = json.dumps(spec)
        assert "http" not in text.replace(spec["$schema"], ""), (
            name
        )  # nothing fetched from elsewhere


def test_the_map_fits_the_places_and_may_draw_outlines():
    spec = all_specs()["map_outlines"]
    (x0, y0), (x1, y1) = spec["projection"]["fit"]["geometry"]["coordinates"]
    assert x0 < 38.64 < 42.44 < x1 and y0 < 33.5 < 33.79 < y1
    assert spec["layer"][0]["data"]["url"] == "/static/world.json"
    assert "url" not in json.dumps(all_specs()["map"]["layer"])


@pytest.mark.skipif(not HAS_VEGA, reason="vl-convert-python is not installed")
def test_chart_specs_compile_with_vega_lite():
    import vl_convert

    for name, spec in all_specs().items():
        if name == "map_outlines":
            continue  # its outlines are fetched by the browser
        svg = vl_convert.vegalite_to_svg(spec)
        assert svg.startswith("<svg"), name


def test_vendor_route(site):
    r = site.client.get(vendor.PATH)
    if not HAS_VEGA:
        assert r.status_code == 404 and "vl-convert-python" in r.json()["error"]["message"]
        return
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "window.vegaEmbed" in r.text and r.headers["content-encoding"] == "gzip"
    again = site.client.get(vendor.PATH, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_pages_load_the_chart_script_only_when_it_is_there(site):
    html = site.client.get("/").text
    assert ('src="/static/vendor/vega.js"' in html) == HAS_VEGA
    assert 'src="/static/sitrep.js"' in html and "data-spec='" in html


def write_shapefile(path, rings):
    """A minimal polygon shapefile of one record (enough for geo.read_shapefile)."""
    points = [p for ring in rings for p in ring]
    parts = []
    at = 0
    for ring in rings:
        parts.append(at)
        at += len(ring)
    content = struct.pack("<i4d2i", 5, 0, 0, 0, 0, len(parts), len(points))
    content += struct.pack(f"<{len(parts)}i", *parts)
    content += struct.pack(f"<{2 * len(points)}d", *[c for p in points for c in p])
    record = struct.pack(">2i", 1, len(content) // 2) + content
    header = struct.pack(">7i", 9994, 0, 0, 0, 0, 0, (100 + len(record)) // 2)
    header += struct.pack("<2i4d4d", 1000, 5, 0, 0, 0, 0, 0, 0, 0, 0)
    path.write_bytes(header + record)
    return path


def test_read_shapefile_keeps_rings_and_holes(tmp_path):
    outer = [[30, 30], [30, 40], [45, 40], [45, 30], [30, 30]]  # clockwise: land
    hole = [[35, 33], [40, 33], [40, 36], [35, 36], [35, 33]]  # anticlockwise: a hole
    island = [[50, 30], [50, 32], [52, 32], [52, 30], [50, 30]]
    shp = write_shapefile(tmp_path / "world.shp", [outer, hole, island])
    fc = geo.read_shapefile(shp)
    (feature,) = fc["features"]
    assert feature["geometry"]["coordinates"] == [[outer, hole], [island]]


def test_outlines_are_served_when_configured(tmp_path, db_path):
    shp = write_shapefile(
        tmp_path / "world.shp", [[[30, 30], [30, 40], [45, 40], [45, 30], [30, 30]]]
    )
    for served in serve(make_app(db_path, world_shapes=str(shp))):
        r = served.client.get(geo.PATH)
        assert r.status_code == 200 and r.json()["type"] == "FeatureCollection"
        overview = served.client.get("/api/overview").json()
        assert overview["map_outlines"] is True
        assert overview["charts"]["map"]["layer"][0]["data"]["url"] == geo.PATH


def test_no_outlines_is_a_404_in_the_error_shape(site):
    if site.app.state.outlines is None:
        r = site.client.get(geo.PATH)
        assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_cli_serve(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sitrep.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--db" in result.output
    monkeypatch.setenv("SITREP_PAGE_SIZE", "lots")
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "sitrep: error:" in result.output


def test_cli_serve_runs_uvicorn(tmp_path, monkeypatch):
    import uvicorn

    from sitrep.cli import app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: seen.update(target=target, **kw))
    monkeypatch.setenv("SITREP_API_TOKEN", "t")
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["target"].state.settings.api_token == "t"
    seen["target"].state.store.close()
