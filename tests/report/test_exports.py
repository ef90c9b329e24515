"""Every export format, written through the CLI and read back."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.errors import InputError
from sitrep.model import Incident
from sitrep.report.exports import ACLED_COLUMNS, FLAT_COLUMNS, write_incidents

runner = CliRunner()


def _export(ledger_db, tmp_path, fmt: str, *args: str):
    out = tmp_path / f"incidents.{fmt}"
    result = runner.invoke(
        app, ["export", "--db", ledger_db, "--format", fmt, "-o", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("2 incidents written to") or args
    return out


def test_csv(ledger_db, tmp_path):
    with _export(ledger_db, tmp_path, "csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    assert [r["attack_modes"] for r in rows] == ["rocket", "uas_one_way"]
    assert [r["country"] for r in rows] == ["IQ", "JO"]
    asad = rows[0]
    assert asad["date_start"] == "2023-10-23" and asad["minor_min"] == "2"
    assert set(asad["sources"].split(";")) == {"Example Wire", "Example Post"}
    assert len(asad["document_ids"].split(";")) == 2


def test_jsonl(ledger_db, tmp_path):
    lines = _export(ledger_db, tmp_path, "jsonl").read_text(encoding="utf-8").splitlines()
    records = [Incident.from_dict(json.loads(line)) for line in lines]
    assert [r.attack_modes for r in records] == [["rocket"], ["uas_one_way"]]
    assert records[0].fields  # provenance travels with the record


def test_geojson(ledger_db, tmp_path):
    doc = json.loads(_export(ledger_db, tmp_path, "geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 2
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and set(feature["properties"]) == set(FLAT_COLUMNS)
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    asad = doc["features"][0]
    assert asad["geometry"]["coordinates"] == [asad["properties"]["lon"], asad["properties"]["lat"]]
    assert (
        30 < asad["properties"]["lat"] < 37 and 38 < asad["properties"]["lon"] < 46
    )  # western Iraq


def test_parquet(ledger_db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(_export(ledger_db, tmp_path, "parquet"))
    assert table.num_rows == 2 and table.column_names == list(FLAT_COLUMNS)
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("attack_modes").type == pa.list_(pa.string())
    rows = table.to_pylist()
    assert rows[0]["attack_modes"] == ["rocket"] and rows[0]["minor_min"] == 2.0


def test_acled(ledger_db, tmp_path):
    with _export(ledger_db, tmp_path, "acled").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == ACLED_COLUMNS
    asad, tower = rows
    assert asad["event_date"] == "2023-10-23"
    assert asad["event_type"] == "Explosions/Remote violence"
    assert asad["sub_event_type"] == "Shelling/artillery/missile attack"
    assert tower["sub_event_type"] == "Air/drone strike"
    assert asad["country"] == "Iraq" and tower["country"] == "Jordan"
    assert asad["actor1"] == "Islamic Resistance in Iraq"
    assert asad["location"] and asad["latitude"] and asad["longitude"]
    assert asad["geo_precision"] == "1" and asad["time_precision"] == "1"  # a facility, a day
    assert asad["fatalities"] == "0"
    assert set(asad["source"].split("; ")) == {"Example Wire", "Example Post"}
    assert asad["notes"].startswith("On 23 October 2023, Islamic Resistance in Iraq attacked")


def test_export_to_stdout_and_filters(ledger_db):
    result = runner.invoke(app, ["export", "--db", ledger_db, "--format", "csv", "--country", "JO"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["place_name"] for r in rows] == ["Tower 22"]
    result = runner.invoke(
        app, ["export", "--db", ledger_db, "--format", "jsonl", "--since", "2023-10-24"]
    )
    assert len(result.stdout.splitlines()) == 1


def test_unknown_format():
    with pytest.raises(InputError, match="unknown export format"):
        write_incidents([], "xml", io.BytesIO())


def test_empty_exports_are_valid():
    import pyarrow.parquet as pq

    for fmt in ("csv", "acled", "jsonl", "geojson", "parquet"):
        buf = io.BytesIO()
        assert write_incidents([], fmt, buf) == 0
        buf.seek(0)
        if fmt == "geojson":
            assert json.load(buf) == {"type": "FeatureCollection", "features": []}
        elif fmt == "parquet":
            assert pq.read_table(buf).num_rows == 0
