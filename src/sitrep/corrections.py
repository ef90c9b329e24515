"""Analyst corrections: records of their own, re-applied whenever the machine re-codes.

A correction says who changed which field of which record, when, from what to what, and
why. It is stored apart from the extracted and resolved records (the ``corrections``
table), so re-extracting a document or re-resolving the ledger never loses it:
:func:`apply_corrections` puts every stored correction back, and is a no-op when they
are all in effect.

    correct(store, "incident", incident_id, "place.name", "Tower 22", "ana", "the base, not the town")
    merge_incidents(store, incident_id, [other_id], author="ana", reason="same attack")
    split_incident(store, incident_id, [mention_id], author="ana", reason="a different night")
    apply_corrections(store)          # after ingest/resolve: how many corrections it re-applied

Records and fields:

- ``incident``: any field in :data:`FIELDS` (dotted paths into the record: ``date.start``,
  ``place.name``, ``casualties.injured`` (a range), ``casualties.injured.min`` ...). The
  incident keeps every source's value in its provenance; the corrected value replaces only
  the resolved one, and ``fields_json["corrected"]`` maps each corrected field to the id of
  the correction, so pages can show it as a correction.
- ``incident`` with field ``merge`` (its mentions and those of other incidents become one
  incident) or ``split`` (some of its mentions become an incident of their own). These
  name *mentions*, so they still hold after re-resolution gives incidents other ids.
- ``mention``: the same fields plus ``attribution``; the stored mention is rewritten and
  the ledger re-resolved, so the correction flows into the incident it belongs to.

An incident correction follows its incident when resolution renames it: a resolved
incident's id is the content id of its first mention, so a correction whose incident is
gone goes to the incident that now holds that mention. A correction whose record is gone
altogether (its document deleted) waits, unapplied, until the record comes back.

Order: mention corrections, then merges and splits, then incident fields, each in the
order they were made, so a later correction of a field wins over an earlier one.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from sitrep.errors import InputError, NotFound
from sitrep.model import (
    ACTOR_KINDS,
    ATTACK_MODES,
    DATE_PRECISIONS,
    OUTCOMES,
    PLACE_PRECISIONS,
    Incident,
    IncidentMention,
    content_id,
)
from sitrep.store import Store

RECORD_TYPES = ("incident", "mention")
STRUCTURAL = ("merge", "split")
MARKS_KEY = "corrected"  # fields_json key: {field: correction id}


# -- field kinds: a value as given (JSON or form text) -> its canonical JSON form --------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    if _blank(value):
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError("expected text")
    return " ".join(str(value).split())


def _number(value: Any, lo: float | None = 0, hi: float | None = None) -> int | float | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        x = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None
    if not math.isfinite(x) or (lo is not None and x < lo) or (hi is not None and x > hi):
        raise ValueError(
            f"expected a number between {lo} and {hi}"
            if hi is not None
            else f"expected a number of at least {lo}"
        )
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _date(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise ValueError("expected a date (YYYY-MM-DD)") from None


def _country(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{2}", text):
        raise ValueError("expected an ISO 3166-1 alpha-2 country code")
    return text.upper()


def _choice(vocab: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        text = _text(value)
        if text is not None and text not in vocab:
            raise ValueError(f"expected one of {', '.join(vocab)}")
        return text

    return check


def _list(vocab: tuple[str, ...] | None) -> Callable[[Any], list[str]]:
    def check(value: Any) -> list[str]:
        if _blank(value):
            return []
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            raise ValueError("expected a list")
        out = [t for t in (_text(i) for i in items) if t]
        bad = [t for t in out if vocab is not None and t not in vocab]
        if bad:
            raise ValueError(f"{', '.join(bad)}: expected any of {', '.join(vocab or ())}")
        return list(dict.fromkeys(out))

    return check


def _range(value: Any) -> dict[str, Any]:
    """A range from a number ("3" is 3 to 3), a "min-max" text, [min, max] or {min, max}."""
    if _blank(value):
        return {"min": None, "max": None}
    if isinstance(value, dict):
        lo, hi = _number(value.get("min")), _number(value.get("max"))
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        lo, hi = _number(value[0]), _number(value[1])
    elif isinstance(value, str) and re.fullmatch(r"\s*[\d.,]*\s*[-–]\s*[\d.,]*\s*", value):
        a, b = re.split(r"[-–]", value, maxsplit=1)
        lo, hi = _number(a), _number(b)
    else:
        lo = hi = _number(value)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError("the minimum is above the maximum")
    return {"min": lo, "max": hi}


def _confidence(value: Any) -> float | None:
    x = _number(value, 0, 1)
    return None if x is None else float(x)


def _fields() -> dict[str, Callable[[Any], Any]]:
    f: dict[str, Callable[[Any], Any]] = {
        "date.start": _date,
        "date.end": _date,
        "date.precision": _choice(DATE_PRECISIONS),
        "place.name": _text,
        "place.country": _country,
        "place.admin1": _text,
        "place.lat": lambda v: _number(v, -90, 90),
        "place.lon": lambda v: _number(v, -180, 180),
        "place.precision": _choice(PLACE_PRECISIONS),
        "attack_modes": _list(ATTACK_MODES),
        "weapons": _list(None),
        "outcome": _list(OUTCOMES),
        "payload_kg": _range,
        "payload_kg.min": _number,
        "payload_kg.max": _number,
        "confidence": _confidence,
    }
    for side in ("attacker", "target"):
        f[f"{side}.id"] = _text
        f[f"{side}.name"] = _text
        f[f"{side}.kind"] = _choice(ACTOR_KINDS)
    for name in ("killed", "injured", "serious", "minor", "tbi"):
        f[f"casualties.{name}"] = _range
        f[f"casualties.{name}.min"] = _number
        f[f"casualties.{name}.max"] = _number
    return f


FIELDS: dict[str, Callable[[Any], Any]] = _fields()
"""Correctable fields of incidents (and mentions), with the function that checks a value."""
MENTION_FIELDS: dict[str, Callable[[Any], Any]] = {**FIELDS, "attribution": _text}


def normalise_value(record_type: str, field: str, value: Any) -> Any:
    """The canonical JSON form of a corrected value; InputError (400) when it is not one."""
    fields = MENTION_FIELDS if record_type == "mention" else FIELDS
    check = fields.get(field)
    if check is None:
        raise InputError(
            f"{record_type} field {field!r} cannot be corrected (known: {', '.join(fields)})"
        )
    try:
        return check(value)
    except ValueError as exc:
        raise InputError(f"{field}: {exc}") from None


# -- reading and writing a field path on a record's dict form ---------------------------

_EMPTY_ACTOR = {"id": None, "name": None, "kind": None}


def get_path(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    node = data
    for key in keys[:-1]:
        if node.get(key) is None:
            node[key] = dict(_EMPTY_ACTOR) if key in ("attacker", "target") else {}
        node = node[key]
    node[keys[-1]] = value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _tidy(data: dict[str, Any]) -> None:
    """An actor with nothing left is no actor (as the store reads it back)."""
    for side in ("attacker", "target"):
        a = data.get(side)
        if isinstance(a, dict) and not any(a.get(k) for k in ("id", "name", "kind")):
            data[side] = None


# -- recording ---------------------------------------------------------------------------


def _current_incident(store: Store, incident_id: str) -> dict[str, Any]:
    from sitrep.store.rows import incident_from_row

    return incident_from_row(store.get_incident(incident_id)).to_dict()


def _mention(store: Store, mention_id: str) -> IncidentMention:
    found = _mentions_by_id(store, [mention_id])
    if mention_id not in found:
        raise NotFound(f"no mention {mention_id}")
    return found[mention_id]


def _record_of(store: Store, correction: dict[str, Any]) -> dict[str, Any]:
    return next(
        c
        for c in store.corrections(
            record_type=correction["record_type"], record_id=correction["record_id"]
        )
        if c["id"] == correction["id"]
    )


def correct(
    store: Store,
    record_type: str,
    record_id: str,
    field: str,
    new_value: Any,
    author: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Record one correction (who, when, old value, new value, why) and apply it.

    Returns the stored correction. InputError for an unknown record type or field, or a
    value the field cannot hold; NotFound when the record does not exist.
    """
    if record_type not in RECORD_TYPES:
        raise InputError(
            f"record type {record_type!r} cannot be corrected (use incident or mention)"
        )
    if field in STRUCTURAL:
        raise InputError(f"{field}: use merge_incidents or split_incident")
    value = normalise_value(record_type, field, new_value)
    if record_type == "incident":
        old = get_path(_current_incident(store, record_id), field)
    else:
        old = get_path(_mention(store, record_id).to_dict(), field)
    ident = store.add_correction(
        record_type, record_id, field, old, value, author=_text(author), reason=_text(reason)
    )
    apply_corrections(store)
    return _record_of(store, {"id": ident, "record_type": record_type, "record_id": record_id})


def merge_incidents(
    store: Store,
    incident_id: str,
    others: Iterable[str],
    *,
    author: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Merge other incidents into ``incident_id`` (one attack reported as several)."""
    others = [o for o in dict.fromkeys(others) if o != incident_id]
    if not others:
        raise InputError("merge: name at least one other incident")
    clusters = {i: store.get_incident(i)["mention_ids"] for i in [incident_id, *others]}
    mids = sorted({m for ms in clusters.values() for m in ms})
    ident = store.add_correction(
        "incident",
        incident_id,
        "merge",
        {"incidents": clusters},
        {"incident": incident_id, "mention_ids": mids},
        author=_text(author),
        reason=_text(reason),
    )
    apply_corrections(store)
    return _record_of(store, {"id": ident, "record_type": "incident", "record_id": incident_id})


def split_incident(
    store: Store,
    incident_id: str,
    mention_ids: Iterable[str],
    *,
    author: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Move some of an incident's mentions into an incident of their own (two attacks
    taken for one); the correction's ``new_value["incident"]`` is the new incident's id."""
    before = store.get_incident(incident_id)["mention_ids"]
    moved = sorted(dict.fromkeys(mention_ids))
    if not moved:
        raise InputError("split: name at least one mention to move out")
    stray = [m for m in moved if m not in before]
    if stray:
        raise InputError(f"split: mention(s) {', '.join(stray)} are not in incident {incident_id}")
    if len(moved) == len(set(before)):
        raise InputError("split: at least one mention must stay in the incident")
    new_id = _fresh_id(store, moved)
    ident = store.add_correction(
        "incident",
        incident_id,
        "split",
        {"mention_ids": list(before)},
        {"incident": new_id, "mention_ids": moved},
        author=_text(author),
        reason=_text(reason),
    )
    apply_corrections(store)
    return _record_of(store, {"id": ident, "record_type": "incident", "record_id": incident_id})


# -- applying ----------------------------------------------------------------------------


def apply_corrections(store: Store) -> int:
    """Re-apply every stored correction (see the module doc for the order); returns how
    many changed a record. Run it after re-extraction or re-resolution; a second run
    returns 0."""
    found = store.corrections()
    if not found:
        return 0
    mention_fixes = [c for c in found if c["record_type"] == "mention"]
    structural = [c for c in found if c["record_type"] == "incident" and c["field"] in STRUCTURAL]
    field_fixes = [
        c for c in found if c["record_type"] == "incident" and c["field"] not in STRUCTURAL
    ]
    changed = _apply_mentions(store, mention_fixes)
    if structural:
        changed += _apply_structural(store, structural)
    changed += _apply_fields(store, field_fixes)
    return changed


def _apply_mentions(store: Store, fixes: list[dict[str, Any]]) -> int:
    if not fixes:
        return 0
    docs = _mention_documents(store, [c["record_id"] for c in fixes])
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in fixes:
        if c["record_id"] in docs:
            by_doc[docs[c["record_id"]]].append(c)
    changed = 0
    for doc_id, items in by_doc.items():
        ex = store.extraction(doc_id)
        by_mention: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in items:
            by_mention[c["record_id"]].append(c)
        n = 0
        for pos, m in enumerate(ex.incidents):
            fixes_of_m = by_mention.get(m.id or "")
            if not fixes_of_m:
                continue
            data = m.to_dict()
            original = {c["field"]: get_path(data, c["field"]) for c in fixes_of_m}
            for c in fixes_of_m:  # in order: the latest correction of a field wins
                _set_path(data, c["field"], c["new_value"])
            moved = sum(not _same(get_path(data, f), v) for f, v in original.items())
            if moved:
                _tidy(data)
                ex.incidents[pos] = IncidentMention.from_dict(data)
                n += moved
        if n:
            store.save_extraction(ex, replace=True)
            changed += n
    if changed:
        from sitrep.ledger import resolve_store

        resolve_store(store)  # rewritten mentions lost their incident links: resolve them
    return changed


def _locate(store: Store, incident_id: str, holders: dict[str, str] | None = None) -> str | None:
    """The incident a correction of ``incident_id`` now belongs to (see the module doc)."""
    try:
        store.get_incident(incident_id)
        return incident_id
    except NotFound:
        pass
    links = holders if holders is not None else _all_links(store)
    for mention_id, holder in links.items():
        if content_id(mention_id) == incident_id:
            return holder
    return None


def _apply_fields(store: Store, fixes: list[dict[str, Any]]) -> int:
    from sitrep.store.rows import incident_from_row, incident_row

    if not fixes:
        return 0
    by_incident: dict[str, list[dict[str, Any]]] = defaultdict(list)
    links: dict[str, str] | None = None
    for c in fixes:
        target = _locate(store, c["record_id"], links)
        if target is None and links is None:
            links = _all_links(store)
            target = _locate(store, c["record_id"], links)
        if target is not None:
            by_incident[target].append(c)
    changed = 0
    for incident_id, items in by_incident.items():
        row = store.get_incident(incident_id)
        extra = row["fields_json"] if isinstance(row["fields_json"], dict) else {}
        marks = dict(extra.get(MARKS_KEY) or {})
        data = incident_from_row(row).to_dict()
        original = {c["field"]: get_path(data, c["field"]) for c in items}
        for c in items:  # in the order they were made: the latest of a field wins
            _set_path(data, c["field"], c["new_value"])
            marks[c["field"]] = c["id"]
        n = sum(not _same(get_path(data, f), v) for f, v in original.items())
        if not n and marks == (extra.get(MARKS_KEY) or {}):
            continue
        _tidy(data)
        new_row = incident_row(Incident.from_dict(data))
        new_row["fields_json"][MARKS_KEY] = marks
        new_row["mention_ids"] = list(row["mention_ids"])
        store.upsert_incidents([new_row])
        changed += n
    return changed


def _apply_structural(store: Store, fixes: list[dict[str, Any]]) -> int:
    """Merges and splits, replayed in order over the clusters that hold their mentions;
    only the incidents whose mentions end up different are rewritten, so a split that
    undoes an earlier merge leaves the ledger as it is."""
    named = sorted({m for c in fixes for m in (c["new_value"] or {}).get("mention_ids", [])})
    holders = _holders(store, named)
    before: dict[str, frozenset[str]] = {
        i: frozenset(store.get_incident(i)["mention_ids"]) for i in sorted(set(holders.values()))
    }
    clusters: dict[str, set[str]] = {i: set(ms) for i, ms in before.items()}
    owner = {m: i for i, ms in clusters.items() for m in ms}
    marks: dict[str, str] = {}
    steps = 0
    for c in fixes:
        present = sorted(m for m in (c["new_value"] or {}).get("mention_ids", []) if m in owner)
        groups = sorted({owner[m] for m in present})
        if not present:
            continue
        if c["field"] == "merge":
            if len(groups) == 1:
                continue
            keep = c["record_id"] if c["record_id"] in groups else groups[0]
            for g in groups:
                if g != keep:
                    clusters[keep] |= clusters.pop(g)
            for m in clusters[keep]:
                owner[m] = keep
            marks[keep] = c["id"]
        else:  # split: the named mentions, and only they, form one incident
            if len(groups) == 1 and clusters[groups[0]] == set(present):
                continue
            for g in groups:
                clusters[g] -= set(present)
                if not clusters[g]:
                    del clusters[g]
                else:
                    marks[g] = c["id"]
            new_id = (c["new_value"] or {}).get("incident")
            if (
                not new_id
                or new_id in clusters
                or (new_id not in before and _exists(store, new_id))
            ):
                new_id = _fresh_id(store, present, set(clusters) | set(before))
            clusters[new_id] = set(present)
            for m in present:
                owner[m] = new_id
            marks[new_id] = c["id"]
        steps += 1
    after = {i: frozenset(ms) for i, ms in clusters.items()}
    if after == before:
        return 0
    rows = []
    for inc_id, ms in sorted(after.items()):
        if before.get(inc_id) != ms:
            row = _build(store, inc_id, sorted(ms))
            if inc_id in marks:
                _mark(row, "mention_ids", marks[inc_id])
            rows.append(row)
    gone = [i for i in before if i not in after]
    if gone:
        store.delete_incidents(gone)
    store.upsert_incidents(rows)
    return steps


def _mark(row: dict[str, Any], field: str, correction_id: str) -> None:
    row["fields_json"].setdefault(MARKS_KEY, {})[field] = correction_id


def _cluster(incident_id: str, mentions: list[IncidentMention], extra: list[str]) -> Incident:
    """The incident that ``mentions`` (sorted by id) make by resolve's own rules.

    A public ``sitrep.resolve.build_incident(incident_id, mentions, extra_ids)`` is used
    when resolve offers one; until then, resolve's merge module (whose internals are
    still moving: two signatures are known)."""
    import sitrep.resolve as resolve

    public = getattr(resolve, "build_incident", None)
    if public is not None:
        return public(incident_id, mentions, extra)
    from sitrep.resolve import merge

    mids = [m.id for m in mentions]
    docs = [m.document_id for m in mentions]
    per_mention = getattr(merge, "mention_fields", None) or merge.mention_sources
    members = [per_mention(m, m.id) for m in mentions]
    return merge.build_incident(incident_id, members, mids, docs, extra)


def _build(store: Store, incident_id: str, mention_ids: list[str]) -> dict[str, Any]:
    """An incidents row for ``mention_ids`` resolved as one incident."""
    from sitrep.store.rows import incident_row

    found = _mentions_by_id(store, mention_ids)
    mids = sorted(m for m in mention_ids if m in found)
    extra = [m for m in mention_ids if m not in found]
    inc = _cluster(incident_id, [found[m] for m in mids], extra)
    row = incident_row(inc)
    row["mention_ids"] = list(inc.mention_ids)
    return row


def _exists(store: Store, incident_id: str) -> bool:
    try:
        store.get_incident(incident_id)
    except NotFound:
        return False
    return True


def _fresh_id(store: Store, mention_ids: list[str], taken: Iterable[str] = ()) -> str:
    """resolve's id for a new incident: the content id of its first mention id."""
    first = sorted(mention_ids)[0]
    taken = set(taken)
    for k in range(1000):
        ident = content_id(first) if k == 0 else content_id(first, k)
        if ident in taken:
            continue
        if not _exists(store, ident):
            return ident
    raise InputError("split: no free incident id")  # pragma: no cover


# -- small reads over the store's tables (Store.engine is there for read-only use) -------


def _holders(store: Store, mention_ids: list[str]) -> dict[str, str]:
    from sitrep.store.schema import incident_links as t

    return _pairs(store, t.c.mention_id, t.c.incident_id, mention_ids)


def _all_links(store: Store) -> dict[str, str]:
    from sitrep.store.schema import incident_links as t

    with store.engine.connect() as conn:
        return {m: inc for m, inc in conn.execute(sa.select(t.c.mention_id, t.c.incident_id))}


def _mention_documents(store: Store, mention_ids: list[str]) -> dict[str, str]:
    from sitrep.store.schema import incident_mentions as t

    return _pairs(store, t.c.id, t.c.document_id, mention_ids)


def _pairs(store: Store, key: sa.Column, value: sa.Column, keys: list[str]) -> dict[str, str]:
    """``{key: value}`` for the rows whose ``key`` is one of ``keys`` (read in chunks)."""
    from sitrep.store.writes import chunks

    out: dict[str, str] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(keys):
            out.update({k: v for k, v in conn.execute(sa.select(key, value).where(key.in_(chunk)))})
    return out


def _mentions_by_id(store: Store, mention_ids: Iterable[str]) -> dict[str, IncidentMention]:
    wanted = set(mention_ids)
    docs = _mention_documents(store, sorted(wanted))
    out: dict[str, IncidentMention] = {}
    for doc_id in sorted(set(docs.values())):
        for m in store.mentions(doc_id=doc_id):
            if m.id in wanted:
                out[m.id] = m
    return out


def corrected_fields(row: dict[str, Any]) -> dict[str, str]:
    """``{field: correction id}`` for an incidents row as ``Store.incidents`` gives it."""
    extra = row.get("fields_json")
    marks = extra.get(MARKS_KEY) if isinstance(extra, dict) else None
    return dict(marks) if isinstance(marks, dict) else {}
