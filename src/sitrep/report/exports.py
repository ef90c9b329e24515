"""Incidents out of the ledger: CSV, JSON Lines, GeoJSON, Parquet and ACLED-style CSV.

    write_incidents(incidents, "geojson", open("out.geojson", "wb"), sources=...)

Every format is written to a binary stream. ``csv``, ``geojson`` and ``parquet`` hold one
flat row per incident (:func:`flat_row`: lists joined with ``;``, ranges as ``_min`` /
``_max`` columns); ``jsonl`` holds the whole record (``Incident.to_dict()``, provenance
included); ``acled`` follows the column names of ACLED's event data:

    event_date, event_type, sub_event_type, actor1, actor2, country, admin1, location,
    latitude, longitude, geo_precision, time_precision, fatalities, source, notes

with ``geo_precision`` 1 (facility or city), 2 (admin2) or 3 (admin1 or country),
``time_precision`` 1 (day), 2 (week) or 3 (month or year), ``fatalities`` the killed
minimum (0 when none is reported, as ACLED writes it), ``sub_event_type`` from the
incident's first attack mode (``sitrep.extract.modes.acled_sub_event``) and ``source``
the outlets (else titles) of its documents.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

from sitrep.errors import InputError
from sitrep.model import Incident

FORMATS = ("csv", "jsonl", "geojson", "parquet", "acled")
SUFFIXES = {
    "csv": ".csv",
    "jsonl": ".jsonl",
    "geojson": ".geojson",
    "parquet": ".parquet",
    "acled": ".csv",
}

_CASUALTIES = ("killed", "injured", "serious", "minor", "tbi")
FLAT_COLUMNS: tuple[str, ...] = (
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "place_name",
    "country",
    "admin1",
    "lat",
    "lon",
    "place_precision",
    "attack_modes",
    "weapons",
    "payload_kg_min",
    "payload_kg_max",
    "attacker_id",
    "attacker_name",
    "attacker_kind",
    "target_id",
    "target_name",
    "target_kind",
    "outcome",
    *(f"{c}_{e}" for c in _CASUALTIES for e in ("min", "max")),
    "confidence",
    "conflicts",
    "mention_ids",
    "document_ids",
    "sources",
)
_LIST_COLUMNS = {
    "attack_modes",
    "weapons",
    "outcome",
    "conflicts",
    "mention_ids",
    "document_ids",
    "sources",
}
_DATE_COLUMNS = {"date_start", "date_end"}
_FLOAT_COLUMNS = {"lat", "lon", "payload_kg_min", "payload_kg_max", "confidence"} | {
    f"{c}_{e}" for c in _CASUALTIES for e in ("min", "max")
}

ACLED_COLUMNS = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "fatalities",
    "source",
    "notes",
)
# ACLED's event types and the sub-event types under each (ACLED codebook).
ACLED_EVENT_TYPES = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
}
GEO_PRECISION = {"facility": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
# Country names as ACLED writes them where ISO's differ.
_COUNTRY_NAMES = {
    "RU": "Russia",
    "PS": "Palestine",
    "KR": "South Korea",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "CD": "Democratic Republic of Congo",
}


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def flat_row(inc: Incident, sources: dict[str, str] | None = None) -> dict[str, Any]:
    """One incident as one flat row (lists stay lists here; writers join them)."""
    row: dict[str, Any] = {
        "id": inc.id,
        "date_start": inc.date.start if inc.date else None,
        "date_end": inc.date.end if inc.date else None,
        "date_precision": inc.date.precision if inc.date else None,
        "place_name": inc.place.name,
        "country": inc.place.country,
        "admin1": inc.place.admin1,
        "lat": inc.place.lat,
        "lon": inc.place.lon,
        "place_precision": inc.place.precision,
        "attack_modes": list(inc.attack_modes),
        "weapons": list(inc.weapons),
        "payload_kg_min": inc.payload_kg.min,
        "payload_kg_max": inc.payload_kg.max,
        "outcome": list(inc.outcome),
        "confidence": inc.confidence,
        "conflicts": list(inc.conflicts),
        "mention_ids": list(inc.mention_ids),
        "document_ids": list(inc.document_ids),
        "sources": [sources[d] for d in inc.document_ids if d in sources] if sources else [],
    }
    for side in ("attacker", "target"):
        ref = getattr(inc, side)
        for part in ("id", "name", "kind"):
            row[f"{side}_{part}"] = getattr(ref, part) if ref else None
    for name in _CASUALTIES:
        r = getattr(inc.casualties, name)
        row[f"{name}_min"], row[f"{name}_max"] = r.min, r.max
    return {c: row[c] for c in FLAT_COLUMNS}


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if value is None:
        return ""
    return _text(value)


def _write_text(out: IO[bytes], write) -> None:
    """Run ``write(text_stream)`` over a UTF-8 wrapper of a binary stream, leaving it open."""
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        write(wrapper)
        wrapper.flush()
    finally:
        wrapper.detach()


def write_csv(incidents: Iterable[Incident], out: IO[bytes], sources=None) -> int:
    n = 0

    def write(f):
        nonlocal n
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FLAT_COLUMNS)
        for inc in incidents:
            row = flat_row(inc, sources)
            w.writerow([_csv_cell(row[c]) for c in FLAT_COLUMNS])
            n += 1

    _write_text(out, write)
    return n


def write_jsonl(incidents: Iterable[Incident], out: IO[bytes], sources=None) -> int:
    n = 0
    for inc in incidents:
        data = inc.to_dict()
        if sources:
            data["sources"] = [sources[d] for d in inc.document_ids if d in sources]
        out.write(json.dumps(data, ensure_ascii=False, default=str).encode("utf-8") + b"\n")
        n += 1
    return n


def write_geojson(incidents: Iterable[Incident], out: IO[bytes], sources=None) -> int:
    """A FeatureCollection: a Point where the incident has coordinates, else a null
    geometry (GeoJSON allows it), so no incident is silently dropped."""
    features = []
    for inc in incidents:
        row = flat_row(inc, sources)
        geometry = None
        if inc.place.lat is not None and inc.place.lon is not None:
            geometry = {"type": "Point", "coordinates": [inc.place.lon, inc.place.lat]}
        props = {k: _text(v) for k, v in row.items()}
        features.append(
            {"type": "Feature", "id": inc.id, "geometry": geometry, "properties": props}
        )
    doc = {"type": "FeatureCollection", "features": features}
    out.write(json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n")
    return len(features)


def parquet_schema():
    import pyarrow as pa

    fields = []
    for c in FLAT_COLUMNS:
        if c in _LIST_COLUMNS:
            t = pa.list_(pa.string())
        elif c in _DATE_COLUMNS:
            t = pa.date32()
        elif c in _FLOAT_COLUMNS:
            t = pa.float64()
        else:
            t = pa.string()
        fields.append(pa.field(c, t))
    return pa.schema(fields)


def write_parquet(incidents: Iterable[Incident], out: IO[bytes], sources=None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    rows = [flat_row(inc, sources) for inc in incidents]
    for row in rows:
        for c in _FLOAT_COLUMNS:
            if row[c] is not None:
                row[c] = float(row[c])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, out)
    return len(rows)


def country_name(code: str | None) -> str:
    if not code:
        return ""
    code = code.upper()
    if code in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[code]
    import pycountry

    c = pycountry.countries.get(alpha_2=code)
    return getattr(c, "common_name", None) or c.name if c else code


def _actor_name(ref) -> str:
    if ref is None:
        return ""
    if ref.id:
        from sitrep.extract.actors import actor_by_id

        actor = actor_by_id(ref.id)
        if actor is not None and not ref.id.startswith("generic_"):
            return actor.name
    return ref.name or ""


def acled_row(inc: Incident, sources: dict[str, str] | None = None) -> dict[str, Any]:
    from sitrep.extract.modes import acled_sub_event

    sub = ""
    for mode in inc.attack_modes:
        try:
            sub = acled_sub_event(mode)
        except ValueError:
            continue
        if sub:
            break
    killed = inc.casualties.killed.min
    names = [sources[d] for d in inc.document_ids if sources and d in sources]
    return {
        "event_date": _text(inc.date.start) if inc.date and inc.date.start else "",
        "event_type": ACLED_EVENT_TYPES.get(sub, ""),
        "sub_event_type": sub,
        "actor1": _actor_name(inc.attacker),
        "actor2": _actor_name(inc.target),
        "country": country_name(inc.place.country),
        "admin1": inc.place.admin1 or "",
        "location": inc.place.name or "",
        "latitude": "" if inc.place.lat is None else inc.place.lat,
        "longitude": "" if inc.place.lon is None else inc.place.lon,
        "geo_precision": GEO_PRECISION.get(inc.place.precision or "", ""),
        "time_precision": TIME_PRECISION.get((inc.date.precision if inc.date else None) or "", ""),
        "fatalities": int(killed) if killed is not None else 0,
        "source": "; ".join(dict.fromkeys(names)),
        "notes": acled_notes(inc),
    }


def acled_notes(inc: Incident) -> str:
    """A one-sentence summary in ACLED's style: "On 23 October 2023, ... ."."""
    from sitrep.report.sitrep_report import casualty_text, day_text, modes_text

    when = f"On {day_text(inc.date.start)}" if inc.date and inc.date.start else "On an unknown date"
    who = inc.attacker.name if inc.attacker and inc.attacker.name else "unidentified attackers"
    whom = inc.target.name if inc.target and inc.target.name else "an unidentified target"
    text = f"{when}, {who} attacked {whom}"
    if inc.place.name:
        text += f" at {inc.place.name}"
    if inc.attack_modes:
        text += f" with {modes_text(inc.attack_modes)}"
    text += "."
    if inc.outcome:
        text += f" Outcome: {', '.join(o.replace('_', ' ') for o in inc.outcome)}."
    cas = casualty_text(inc)
    text += f" Casualties: {cas}." if cas else " No casualties reported."
    return text


def write_acled(incidents: Iterable[Incident], out: IO[bytes], sources=None) -> int:
    n = 0

    def write(f):
        nonlocal n
        w = csv.DictWriter(f, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        w.writeheader()
        for inc in incidents:
            w.writerow(acled_row(inc, sources))
            n += 1

    _write_text(out, write)
    return n


WRITERS = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "geojson": write_geojson,
    "parquet": write_parquet,
    "acled": write_acled,
}


def write_incidents(
    incidents: Iterable[Incident], fmt: str, out: IO[bytes], sources: dict[str, str] | None = None
) -> int:
    """Write incidents in one of ``FORMATS`` to a binary stream; returns how many.

    ``sources`` maps document ids to what the export names them by (outlet, title or URL).
    """
    writer = WRITERS.get(fmt)
    if writer is None:
        raise InputError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
    return writer(incidents, out, sources)


def source_names(store, incidents: Iterable[Incident]) -> dict[str, str]:
    """Document id -> outlet, else title, else URL, else id: how exports cite a source."""
    from sitrep.errors import NotFound

    out: dict[str, str] = {}
    for doc_id in dict.fromkeys(d for inc in incidents for d in inc.document_ids):
        try:
            doc = store.get_document(doc_id)
        except NotFound:
            continue
        out[doc_id] = doc.outlet or doc.title or doc.url or doc_id
    return out
