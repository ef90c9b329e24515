"""The views: each reads the store and returns one JSON-ready dict, which the routes send
as JSON (``/api/...``, ``....json``, ``?format=json``) or through the page's template.
Nothing here knows which face it will wear."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Any

from sitrep.corrections import FIELDS, corrected_fields, get_path
from sitrep.errors import NotFound
from sitrep.model import Claim, ClaimSeries, Document
from sitrep.report.tally import COUNTABLE, level
from sitrep.store import Store
from sitrep.store.rows import incident_from_row
from sitrep.web import charts, data
from sitrep.web.data import Filters
from sitrep.web.formatting import field_label, range_text, value_text
from sitrep.web.params import Page
from sitrep.web.render import jsonable

SNIPPET = 240
CLAIMED_ON_OVERVIEW = ("attacks", "injured", "injured_serious", "injured_minor")
# The incident page's rows, in order; each is a key of Incident.fields (provenance).
INCIDENT_FIELDS = (
    "date",
    "place",
    "attack_modes",
    "weapons",
    "payload_kg",
    "attacker",
    "target",
    "outcome",
    "casualties.killed",
    "casualties.injured",
    "casualties.serious",
    "casualties.minor",
    "casualties.tbi",
    "attribution",
)


def _header(doc: Document, snippet: bool = False) -> dict[str, Any]:
    out = doc.header()
    out["url_page"] = f"/documents/{doc.id}"
    out["format"] = doc.format
    if snippet:
        text = " ".join(doc.text[: SNIPPET * 2].split())
        out["snippet"] = text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"
    return out


def _documents(store: Store, ids) -> dict[str, Document]:
    out = {}
    for doc_id in dict.fromkeys(i for i in ids if i):
        try:
            out[doc_id] = store.get_document(doc_id)
        except NotFound:
            continue
    return out


def _evidence(spans: list[dict[str, Any]], doc: Document | None) -> dict[str, Any]:
    """Evidence spans (each checked against the stored text) and the quotes that show
    them in their sentences."""
    seen, unique = set(), []
    for e in spans or []:
        key = (e["field"], e["start"], e["end"])
        if key not in seen:
            seen.add(key)
            unique.append(
                {"field": e["field"], "start": e["start"], "end": e["end"], "text": e["text"]}
            )
    if doc is None:
        for e in unique:
            e["matches"] = None  # the document is not in the store
        return {"evidence": unique, "quotes": []}
    for e in unique:
        e["matches"] = doc.text[e["start"] : e["end"]] == e["text"]
    return {"evidence": unique, "quotes": data.quotes(doc.id, doc.text, unique)}


def _series_title(s: ClaimSeries | dict[str, Any]) -> str:
    get = s.get if isinstance(s, dict) else lambda k: getattr(s, k)
    title = str(get("measure")).replace("_", " ")
    subject = get("subject") or get("subject_id")
    if subject:
        title += f", {subject}"
    if get("region"):
        title += f", in {', '.join(get('region'))}"
    start = get("period_start")
    if start:
        title += f", since {start.isoformat() if isinstance(start, date) else start}"
    return title


# -- overview ----------------------------------------------------------------------------


def overview(store: Store, f: Filters, outlines_url: str | None = None) -> dict[str, Any]:
    by_mode = data.per_day_by_mode(store, f)
    # Official figures comparable with the lines: without a country filter the totals
    # (no series made of breakdowns such as "12 of them in Iraq"); with one, the figures
    # for those countries.
    all_series = store.claim_series(measure=list(CLAIMED_ON_OVERVIEW))
    wanted = {c.upper() for c in f.country}
    if wanted:
        all_series = [s for s in all_series if s.region and {r.upper() for r in s.region} <= wanted]
    else:
        parts = {c.id for c in store.claims(measure=list(CLAIMED_ON_OVERVIEW)) if c.breakdown_of}
        all_series = [s for s in all_series if not any(p.claim_id in parts for p in s.points)]
    starts = [s.period_start for s in all_series if s.period_start]
    base = f.since or (min(starts) if starts else None)
    scoped = replace(f, since=base)
    totals = data.per_day_totals(store, scoped)
    counted: list[dict[str, Any]] = []
    running = {"attacks": 0, "injured": 0}
    for row in totals:
        for measure in running:
            running[measure] += row[measure]
            counted.append({"day": row["day"], "measure": measure, "counted": running[measure]})
    claimed = []
    for s in all_series:
        for p in s.points:
            figure = level(p.value)
            if figure is None or p.as_of is None or (base and p.as_of < base):
                continue
            claimed.append(
                {
                    "day": p.as_of.isoformat(),
                    "measure": s.measure,
                    "claimed": figure,
                    "value_text": range_text(p.value.to_dict(), p.qualifier),
                    "subject": s.subject or s.subject_id,
                    "attribution": p.attribution,
                    "series_id": s.id,
                    "url": f"/series/{s.id}",
                }
            )
    located = data.places(store, f)
    latest = [_header(d, snippet=True) for d in store.documents(limit=8)]
    return {
        "filters": f.to_dict(),
        "counts": store.counts(),
        "cumulative_since": base.isoformat() if base else None,
        "timeline": by_mode,
        "counted": counted,
        "claimed": claimed,
        "places": located,
        "latest_documents": latest,
        "charts": {
            "timeline": charts.timeline(by_mode),
            "cumulative": charts.cumulative(counted, claimed),
            "map": charts.incident_map(located, outlines_url),
        },
        "map_outlines": bool(outlines_url),
    }


# -- incidents ----------------------------------------------------------------------------


def incidents(store: Store, f: Filters, page: Page, order: str, links) -> dict[str, Any]:
    rows, more = data.incident_page(store, f, limit=page.limit, offset=page.offset, order=order)
    return {
        "filters": f.to_dict(),
        "order": order,
        **page.to_dict(),
        "count": len(rows),
        **links(more),
        "incidents": rows,
    }


def _corrections_of(store: Store, incident_id: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    marks = set(corrected_fields(row).values())
    mids = set(row["mention_ids"])
    out = []
    for c in store.corrections():
        mine = c["record_id"] == incident_id or c["id"] in marks
        if c["record_type"] == "mention" and c["record_id"] in mids:
            mine = True
        if c["field"] in ("merge", "split") and mids & set(
            (c["new_value"] or {}).get("mention_ids", [])
        ):
            mine = True
        if mine:
            out.append(jsonable(c))
    return out


def _display_name(path: str) -> str:
    """The incident row a correction's field belongs to ("place.name" -> "place")."""
    if path.startswith("casualties."):
        return ".".join(path.split(".")[:2])
    return path.split(".")[0]


def incident(store: Store, incident_id: str) -> dict[str, Any]:
    row = store.get_incident(incident_id)
    inc = incident_from_row(row)
    record = inc.to_dict()
    docs = _documents(
        store, [*inc.document_ids, *(s.document_id for ss in inc.fields.values() for s in ss)]
    )
    corrections = _corrections_of(store, incident_id, row)
    by_field: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in corrections:
        if c["record_type"] == "incident" and c["field"] not in ("merge", "split"):
            by_field[_display_name(c["field"])].append(c)
    marks = corrected_fields(row)
    rows = []
    for name in INCIDENT_FIELDS:
        sources = record["fields"].get(name, [])
        value = (
            get_path(record, name)
            if name != "attribution"
            else list(dict.fromkeys(s["value"] for s in sources if s.get("value")))
        )
        rows.append(
            {
                "name": name,
                "label": field_label(name),
                "value": value,
                "text": value_text(name, value),
                "conflict": name in inc.conflicts,
                "corrected": bool(by_field.get(name))
                or any(_display_name(k) == name for k in marks),
                "corrections": by_field.get(name, []),
                "correctable": [
                    p
                    for p in FIELDS
                    if _display_name(p) == name and not p.endswith((".min", ".max"))
                ],
                "sources": [
                    {
                        "mention_id": s["mention_id"],
                        "document_id": s["document_id"],
                        "document_title": docs[s["document_id"]].title
                        if s["document_id"] in docs
                        else None,
                        "value": s["value"],
                        "text": value_text(name, s["value"]),
                        **_evidence(s["evidence"], docs.get(s["document_id"])),
                    }
                    for s in sources
                ],
            }
        )
    record.pop("fields")
    return {
        "incident": record,
        "corrected": sorted(marks),
        "fields": rows,
        "documents": [_header(d) for d in docs.values()],
        "corrections": corrections,
        "mentions": list(inc.mention_ids),
    }


# -- documents ------------------------------------------------------------------------------


def documents(store: Store, since, until, q: str | None, page: Page, links) -> dict[str, Any]:
    found = store.documents(since=since, until=until, q=q, limit=page.limit + 1, offset=page.offset)
    more = len(found) > page.limit
    rows = [_header(d, snippet=True) for d in found[: page.limit]]
    return {
        "filters": {
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "q": q,
        },
        **page.to_dict(),
        "count": len(rows),
        **links(more),
        "documents": rows,
    }


def document(store: Store, doc_id: str, focus: tuple[int, int] | None = None) -> dict[str, Any]:
    ex = store.extraction(doc_id)
    doc = ex.document
    spans: list[dict[str, Any]] = []
    for kind, records in (
        ("incident", ex.incidents),
        ("claim", ex.claims),
        ("interaction", ex.interactions),
        ("quote", ex.quotes),
    ):
        for r in records:
            for e in r.evidence:
                spans.append({"start": e.start, "end": e.end, "label": f"{kind}:{e.field}"})
    if focus is not None:
        spans.append({"start": focus[0], "end": focus[1], "label": "focus", "focus": True})
    held = data.incidents_of_mentions(store, [m.id for m in ex.incidents if m.id])
    mentions = []
    for m in ex.incidents:
        d = m.to_dict()
        d["incident_id"] = held.get(m.id)
        mentions.append(d)
    return {
        "document": {
            **_header(doc),
            "retrieved": doc.retrieved.isoformat() if doc.retrieved else None,
            "language": doc.language,
            "text": doc.text,
        },
        "focus": {"start": focus[0], "end": focus[1]} if focus else None,
        "segments": data.segments(doc.text, spans),
        "mentions": mentions,
        "claims": [c.to_dict() for c in ex.claims],
        "interactions": [i.to_dict() for i in ex.interactions],
        "quotes": [q.to_dict() for q in ex.quotes],
    }


# -- mentions and claims ----------------------------------------------------------------------


def mentions(store: Store, filters: dict[str, Any], page: Page, links) -> dict[str, Any]:
    found = store.mentions(**filters, limit=page.limit + 1, offset=page.offset)
    more = len(found) > page.limit
    rows = [m.to_dict() for m in found[: page.limit]]
    held = data.incidents_of_mentions(store, [r["id"] for r in rows])
    for r in rows:
        r["incident_id"] = held.get(r["id"])
    return {
        "filters": jsonable(filters),
        **page.to_dict(),
        "count": len(rows),
        **links(more),
        "mentions": rows,
    }


def _claim_row(c: Claim) -> dict[str, Any]:
    d = c.to_dict()
    d["value_text"] = range_text(d["value"], c.qualifier)
    d["document_url"] = f"/documents/{c.document_id}" if c.document_id else None
    return d


def claims(store: Store, filters: dict[str, Any], page: Page, links) -> dict[str, Any]:
    found = store.claims(**filters, limit=page.limit + 1, offset=page.offset)
    more = len(found) > page.limit
    rows = [_claim_row(c) for c in found[: page.limit]]
    return {
        "filters": jsonable(filters),
        **page.to_dict(),
        "count": len(rows),
        **links(more),
        "claims": rows,
    }


# -- claim series -------------------------------------------------------------------------------


def _series_summary(s: ClaimSeries) -> dict[str, Any]:
    last = s.points[-1] if s.points else None
    return {
        "id": s.id,
        "url": f"/series/{s.id}",
        "title": _series_title(s),
        "measure": s.measure,
        "subject": s.subject,
        "subject_id": s.subject_id,
        "region": list(s.region),
        "period_start": s.period_start.isoformat() if s.period_start else None,
        "points": len(s.points),
        "countable": s.measure in COUNTABLE,
        "latest": None
        if last is None
        else {
            "as_of": last.as_of.isoformat() if last.as_of else None,
            "value": last.value.to_dict(),
            "value_text": range_text(last.value.to_dict(), last.qualifier),
            "incidents_counted": last.incidents_counted,
        },
    }


def series_list(
    store: Store, measure: list[str], subject_id: str | None, page: Page, links
) -> dict[str, Any]:
    found = store.claim_series(
        measure=measure or None, subject_id=subject_id, limit=page.limit + 1, offset=page.offset
    )
    more = len(found) > page.limit
    return {
        "filters": {"measure": measure, "subject_id": subject_id},
        **page.to_dict(),
        "count": min(len(found), page.limit),
        **links(more),
        "series": [_series_summary(s) for s in found[: page.limit]],
    }


def series(store: Store, series_id: str) -> dict[str, Any]:
    found = next((s for s in store.claim_series() if s.id == series_id), None)
    if found is None:
        raise NotFound(f"no claim series {series_id}")
    docs = _documents(store, (p.document_id for p in found.points))
    claims_by_id: dict[str, Claim] = {}
    for doc_id in docs:
        for c in store.claims(doc_id=doc_id):
            claims_by_id[c.id] = c
    points = []
    for p in found.points:
        c = claims_by_id.get(p.claim_id)
        doc = docs.get(p.document_id or "")
        points.append(
            {
                "claim_id": p.claim_id,
                "as_of": p.as_of.isoformat() if p.as_of else None,
                "value": p.value.to_dict(),
                "value_text": range_text(p.value.to_dict(), p.qualifier),
                "claimed": level(p.value),
                "qualifier": p.qualifier,
                "attribution": p.attribution,
                "revision": p.revision,
                "incidents_counted": p.incidents_counted,
                "difference": None
                if level(p.value) is None or p.incidents_counted is None
                else level(p.value) - p.incidents_counted,
                "other_claim_ids": list(p.other_claim_ids),
                "document": _header(doc) if doc else None,
                **_evidence([e.to_dict() for e in (c.evidence if c else [])], doc),
            }
        )
    summary = _series_summary(found)
    return {
        "series": summary,
        "points": points,
        "charts": {"series": charts.series(points, summary["title"])},
    }


# -- tally and report ---------------------------------------------------------------------------


def tally(
    store: Store, since: date | None, until: date | None, target: str | None, country: str | None
) -> dict[str, Any]:
    from sitrep.report.tally import tally as compute

    if since is None:  # the earliest start of any countable series, else the first incident
        starts = [
            s.period_start
            for s in store.claim_series()
            if s.measure in COUNTABLE and s.period_start
        ]
        first = store.incidents(limit=1)
        since = (
            min(starts)
            if starts
            else (first[0]["date_start"] if first and first[0]["date_start"] else None)
        )
    if since is None:
        return {"tally": None}
    return {
        "tally": tally_dict(
            compute(store, since=since, until=until, target=target, country=country)
        )
    }


def report(store: Store, since: date | None) -> dict[str, Any]:
    from sitrep.report.sitrep_report import build_report

    r = build_report(store, since=since)

    def source(s) -> dict[str, Any] | None:
        return s.to_dict() if s is not None else None

    def series_view(v) -> dict[str, Any]:
        return {
            "series_id": v.series.id,
            "title": v.title,
            "rows": [
                {
                    "as_of": row.point.as_of.isoformat() if row.point.as_of else None,
                    "value": row.value,
                    "revision": row.point.revision,
                    "incidents_counted": row.point.incidents_counted,
                    "source": source(row.source),
                }
                for row in v.rows
            ],
        }

    return {
        "title": r.title,
        "generated": r.generated.isoformat(),
        "since": r.since.isoformat() if r.since else None,
        "headline": {
            "text": r.headline.text,
            "basis": r.headline.basis,
            "as_of": r.headline.as_of.isoformat() if r.headline.as_of else None,
            "attribution": r.headline.attribution,
            "sources": [source(s) for s in r.headline.sources],
        },
        "tally": tally_dict(r.tally),
        "series": [series_view(v) for v in r.series],
        "other_figures": [series_view(v) for v in r.other_figures],
        "incidents": [
            {
                "id": v.incident.id,
                "url": f"/incidents/{v.incident.id}",
                "when": v.when,
                "place": v.place,
                "modes": v.modes,
                "parties": v.parties,
                "casualties": v.casualties,
                "sources": [source(s) for s in v.sources],
            }
            for v in r.incidents
        ],
    }


def tally_dict(t) -> dict[str, Any] | None:
    if t is None:
        return None
    out = t.to_dict()
    for o in out["official"]:
        o["title"] = _series_title(o)
        o["value_text"] = range_text(o["value"], o["qualifier"])
    return out
