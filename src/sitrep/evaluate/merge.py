"""Score incident resolution across reports on resolution scenarios (docs/gold.md).

A scenario is several short reports about a few attacks, each report annotated with the
gold incidents it tells and the label (``event``) of the attack each one is. For each
scenario the evaluator:

1. extracts every report (``sitrep.extract.extract_text``);
2. pairs each report's extracted mentions with that report's gold incident records, with
   the incident pairing ``sitrep eval`` uses (``score._pair`` over
   ``score._incident_candidates``, best agreement first);
3. resolves every extracted mention of the scenario together (``resolve_incidents``);
4. scores the clustering pairwise (``pairwise_scores``) over the paired mentions: the
   predicted clusters are the resolved incidents' mention ids, the gold clusters the
   events. Extracted mentions that pair with no gold record still take part in the
   resolution, but no pair involving them is scored.

Pairs are pooled over all scenarios (micro average). ``mention_recall`` is the share of
gold records that got an extracted mention: a record without one cannot be scored, so a
low figure there means the pairwise figures rest on fewer mentions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.errors import GoldError, SitrepError
from sitrep.evaluate.gold import _repo_root
from sitrep.evaluate.score import (
    INCIDENT_FIELDS,
    _agreement,
    _incident_candidates,
    _incident_field,
    _pair,
)
from sitrep.model import Extraction, IncidentMention

# ---- the scenario file ----------------------------------------------------------------


@dataclass
class ScenarioDoc:
    id: str
    text: str
    published: date | None
    title: str | None = None


@dataclass
class Scenario:
    id: str
    documents: list[ScenarioDoc]
    incidents: list[dict]  # gold records, each with "event" and "document"
    title: str | None = None
    source: str = ""  # "file:line", for messages


def is_scenario_file(path: str | Path) -> bool:
    """Whether a JSON Lines file holds resolution scenarios: its first object has a
    "documents" key. Unreadable or non-JSON files say no (the gold loader reports them)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    return isinstance(row, dict) and "documents" in row
    except (OSError, ValueError):
        return False
    return False


def load_scenarios(path: str | Path) -> list[Scenario]:
    """All scenarios of a file; a bad line raises GoldError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise GoldError(f"{path}: cannot read scenarios file ({why})") from exc
    root = _repo_root(path)
    out: list[Scenario] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        sc = _scenario(line, f"{path}:{n}", root)
        if sc.id in seen:
            raise GoldError(f"{path}:{n}: scenario id {sc.id!r} is used twice")
        seen.add(sc.id)
        out.append(sc)
    if not out:
        raise GoldError(f"{path}: no scenarios")
    return out


def _scenario(line: str, where: str, root: Path) -> Scenario:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(row, dict) or "id" not in row:
        raise GoldError(f"{where}: a scenario line is an object with an 'id'")
    docs_in = row.get("documents")
    if not isinstance(docs_in, list) or not docs_in:
        raise GoldError(f"{where}: 'documents' must be a non-empty list")
    docs: list[ScenarioDoc] = []
    for k, d in enumerate(docs_in):
        if not isinstance(d, dict) or "id" not in d:
            raise GoldError(f"{where}: document {k} is not an object with an 'id'")
        text = d.get("text")
        if text is None and d.get("path"):
            try:
                text = (root / d["path"]).resolve().read_text(encoding="utf-8")
            except OSError as exc:
                raise GoldError(f"{where}: cannot read {d['path']} ({exc.strerror})") from exc
        if not isinstance(text, str) or not text.strip():
            raise GoldError(f"{where}: document {d['id']!r} needs 'text' or a readable 'path'")
        try:
            published = date.fromisoformat(d["published"]) if d.get("published") else None
        except (TypeError, ValueError) as exc:
            raise GoldError(
                f"{where}: document {d['id']!r}: published {d['published']!r} is not YYYY-MM-DD"
            ) from exc
        docs.append(ScenarioDoc(str(d["id"]), text, published, d.get("title")))
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise GoldError(f"{where}: document ids repeat within the scenario")
    incidents = row.get("incidents", [])
    if not isinstance(incidents, list):
        raise GoldError(f"{where}: 'incidents' must be a list")
    for k, g in enumerate(incidents):
        if not isinstance(g, dict) or not g.get("event") or not g.get("document"):
            raise GoldError(f"{where}: incident {k} needs an 'event' label and a 'document' id")
        if g["document"] not in ids:
            raise GoldError(
                f"{where}: incident {k} names document {g['document']!r}, which the scenario does not have"
            )
    return Scenario(str(row["id"]), docs, incidents, row.get("title"), where)


# ---- results ----------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    id: str
    title: str | None
    gold_incidents: int  # distinct events in the gold
    resolved_incidents: int  # incidents resolution made of every extracted mention
    resolved_paired: int  # of those, the ones holding at least one paired mention
    gold_records: int
    paired_records: int
    extracted_mentions: int
    true_pairs: int
    predicted_pairs: int
    gold_pairs: int
    missed: list[dict] = field(default_factory=list)  # gold records no mention paired with
    merged: list[dict] = field(
        default_factory=list
    )  # resolved incidents holding two or more events
    split: list[dict] = field(default_factory=list)  # events spread over two or more incidents
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_pairs / self.gold_pairs if self.gold_pairs else 1.0

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "gold_pairs": self.gold_pairs,
            "gold_incidents": self.gold_incidents,
            "resolved_incidents": self.resolved_incidents,
            "resolved_paired": self.resolved_paired,
            "gold_records": self.gold_records,
            "paired_records": self.paired_records,
            "extracted_mentions": self.extracted_mentions,
        }

    def misses(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "missed": self.missed,
            "merged": self.merged,
            "split": self.split,
            "errors": self.errors,
        }


@dataclass
class MergeReport:
    scenarios: list[ScenarioResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def _sum(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.scenarios)

    @property
    def precision(self) -> float:
        p = self._sum("predicted_pairs")
        return self._sum("true_pairs") / p if p else 1.0

    @property
    def recall(self) -> float:
        g = self._sum("gold_pairs")
        return self._sum("true_pairs") / g if g else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def mention_recall(self) -> float:
        g = self._sum("gold_records")
        return self._sum("paired_records") / g if g else 1.0

    def figures(self) -> dict[str, float]:
        """Flat figures, the keys a floors file can pin (like ``Report.figures``)."""
        out = {
            "merge_precision": self.precision,
            "merge_recall": self.recall,
            "merge_f1": self.f1,
            "mention_recall": self.mention_recall,
        }
        return {k: round(v, 4) for k, v in out.items()}

    def to_dict(self, misses: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "figures": self.figures(),
            "pairs": {
                "true": self._sum("true_pairs"),
                "predicted": self._sum("predicted_pairs"),
                "gold": self._sum("gold_pairs"),
            },
            "incidents": {
                "gold": self._sum("gold_incidents"),
                "resolved": self._sum("resolved_incidents"),
                "resolved_paired": self._sum("resolved_paired"),
            },
            "records": {
                "gold": self._sum("gold_records"),
                "paired": self._sum("paired_records"),
                "extracted_mentions": self._sum("extracted_mentions"),
            },
            "scenarios": [s.summary() for s in self.scenarios],
            "errors": self.errors,
        }
        if misses:
            out["diffs"] = [
                s.misses() for s in self.scenarios if s.missed or s.merged or s.split or s.errors
            ]
        return out


# ---- the evaluation -----------------------------------------------------------------------


def _default_extract(doc: ScenarioDoc) -> Extraction:
    from sitrep.extract import extract_text

    return extract_text(doc.text, published=doc.published, title=doc.title)


def _mention_view(m: IncidentMention) -> dict[str, Any]:
    """What a misses listing shows of an extracted mention."""
    when = m.date.start.isoformat() if m.date.start else None
    if when and m.date.end and m.date.end != m.date.start:
        when += f"..{m.date.end.isoformat()}"
    return {
        "date": when,
        "place": m.place.name,
        "country": m.place.country,
        "attack_modes": list(m.attack_modes),
    }


def _gold_view(g: dict) -> dict[str, Any]:
    d = g.get("date") or {}
    when = d.get("start")
    if when and d.get("end") and d["end"] != when:
        when += f"..{d['end']}"
    p = g.get("place") or {}
    return {
        "event": g["event"],
        "document": g["document"],
        "date": when,
        "place": p.get("name"),
        "country": p.get("country"),
        "attack_modes": g.get("attack_modes"),
    }


def score_scenario(
    sc: Scenario,
    extract: Callable[[ScenarioDoc], Extraction] = _default_extract,
    resolve: Callable[[list[IncidentMention]], list[list[str]]] | None = None,
) -> ScenarioResult:
    """Extract, pair, resolve and score one scenario.

    ``resolve`` (tests) maps the scenario's mentions to clusters of mention keys; by
    default the clusters are those of ``resolve_incidents``.
    """
    from sitrep.resolve import mention_key, pairwise_scores, resolve_incidents

    agree = _agreement(_incident_field, INCIDENT_FIELDS)
    mentions: list[IncidentMention] = []
    keys: list[str] = []
    views: dict[str, dict] = {}  # key -> document and mention, for listings
    event_of: dict[str, str] = {}  # paired mention key -> gold event
    missed: list[dict] = []
    errors: list[str] = []
    paired = 0
    for doc in sc.documents:
        golds = [g for g in sc.incidents if g["document"] == doc.id]
        try:
            ex = extract(doc)
        except SitrepError as exc:
            errors.append(f"{sc.id}/{doc.id}: {exc}")
            missed += [_gold_view(g) for g in golds]
            continue
        doc_mentions = list(ex.incidents)
        doc_keys = []
        for pos, m in enumerate(doc_mentions):
            key = mention_key(m.document_id, pos, m)
            while key in views:  # two reports with the same text: keep the keys apart
                key += "'"
            if key != m.id:
                m.id = key
            doc_keys.append(key)
            views[key] = {"document": doc.id, **_mention_view(m)}
        pairs = _pair(golds, doc_mentions, _incident_candidates, agree)
        got = {gi for gi, _ in pairs}
        for gi, xi in pairs:
            event_of[doc_keys[xi]] = str(golds[gi]["event"])
        paired += len(pairs)
        missed += [_gold_view(g) for i, g in enumerate(golds) if i not in got]
        mentions += doc_mentions
        keys += doc_keys

    if resolve is None:
        clusters = (
            [list(inc.mention_ids) for inc in resolve_incidents(mentions)] if mentions else []
        )
    else:
        clusters = resolve(mentions)
    predicted = [[k for k in c if k in event_of] for c in clusters]
    predicted = [c for c in predicted if c]
    gold_clusters: dict[str, list[str]] = {}
    for k, ev in event_of.items():
        gold_clusters.setdefault(ev, []).append(k)
    scores = pairwise_scores(predicted, list(gold_clusters.values()))

    merged = []
    for c in predicted:
        events = sorted({event_of[k] for k in c})
        if len(events) > 1:
            merged.append(
                {"events": events, "mentions": [{"event": event_of[k], **views[k]} for k in c]}
            )
    split = []
    for ev in sorted(gold_clusters):
        parts = [[views[k] for k in c if event_of[k] == ev] for c in predicted]
        parts = [p for p in parts if p]
        if len(parts) > 1:
            split.append({"event": ev, "incidents": parts})
    return ScenarioResult(
        id=sc.id,
        title=sc.title,
        gold_incidents=len({str(g["event"]) for g in sc.incidents}),
        resolved_incidents=len(clusters),
        resolved_paired=len(predicted),
        gold_records=len(sc.incidents),
        paired_records=paired,
        extracted_mentions=len(mentions),
        true_pairs=scores["true_pairs"],
        predicted_pairs=scores["predicted_pairs"],
        gold_pairs=scores["gold_pairs"],
        missed=missed,
        merged=merged,
        split=split,
        errors=errors,
    )


def evaluate_scenarios(
    scenarios: list[Scenario], extract: Callable[[ScenarioDoc], Extraction] = _default_extract
) -> MergeReport:
    """Score resolution on every scenario; pairs pooled over all of them."""
    report = MergeReport()
    for sc in scenarios:
        result = score_scenario(sc, extract)
        report.scenarios.append(result)
        report.errors += result.errors
    return report


# ---- text output ---------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.3f}"


def _line(v: dict) -> str:
    modes = ",".join(v.get("attack_modes") or []) or "-"
    where = ", ".join(x for x in (v.get("place"), v.get("country")) if x) or "?"
    return f"{v['document']}: {v.get('date') or 'undated'} {where} [{modes}]"


def format_report(report: MergeReport, title: str = "", show_misses: bool = False) -> str:
    """The report as plain text: pooled figures, a table of scenarios, and with
    ``show_misses`` what each scenario got wrong."""
    f = report.figures()
    d = report.to_dict()
    lines = [
        f"Resolution scenarios{': ' + title if title else ''}",
        f"  pairwise precision {_pct(f['merge_precision'])}  recall {_pct(f['merge_recall'])}  F1 {_pct(f['merge_f1'])}"
        f"  (pairs: {d['pairs']['true']} right of {d['pairs']['predicted']} predicted, {d['pairs']['gold']} in the gold)",
        f"  mention recall {_pct(f['mention_recall'])}  ({d['records']['paired']} of {d['records']['gold']} gold records got an extracted mention;"
        f" {d['records']['extracted_mentions']} mentions extracted)",
        f"  incidents: {d['incidents']['gold']} in the gold, {d['incidents']['resolved']} resolved"
        f" ({d['incidents']['resolved_paired']} holding a paired mention)",
        "",
        "  scenario        prec    rec  pairs right/predicted/gold  incidents gold/resolved  records paired/gold",
    ]
    for s in report.scenarios:
        prec = _pct(s.precision) if s.predicted_pairs else "-"
        rec = _pct(s.recall) if s.gold_pairs else "-"
        pairs = f"{s.true_pairs}/{s.predicted_pairs}/{s.gold_pairs}"
        incidents = f"{s.gold_incidents}/{s.resolved_incidents}"
        lines.append(
            f"  {s.id:<13} {prec:>6} {rec:>6}  {pairs:>26}  {incidents:>23}  {s.paired_records:>9}/{s.gold_records}"
        )
    lines.append(
        "  (prec and rec: '-' where the scenario has no predicted, or no gold, pairs among paired mentions)"
    )
    for e in report.errors:
        lines.append(f"  error: {e}")
    if show_misses:
        for s in report.scenarios:
            if not (s.missed or s.merged or s.split):
                continue
            lines += ["", f"{s.id}: {s.title or ''}".rstrip()]
            for g in s.missed:
                lines.append(f"  no mention for {g['event']} in {_line(g)}")
            for m in s.merged:
                lines.append(f"  merged {' + '.join(m['events'])} into one incident:")
                lines += [f"    {v['event']}  {_line(v)}" for v in m["mentions"]]
            for sp in s.split:
                lines.append(f"  split {sp['event']} over {len(sp['incidents'])} incidents:")
                for k, part in enumerate(sp["incidents"], 1):
                    lines += [f"    #{k}  {_line(v)}" for v in part]
    return "\n".join(lines)
