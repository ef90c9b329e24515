"""Human-readable terminal output of extracted records (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sitrep.model import Claim, Extraction, IncidentMention, Range

_console = Console(highlight=False, soft_wrap=False)


def fmt_range(r: Range, qualifier: str | None = None) -> str:
    """ "70", "8-50", ">=38", "<=50" — a range as an analyst writes it."""

    def n(x: float | None) -> str:
        return "?" if x is None else f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"

    if r.min is None and r.max is None:
        return ""
    if r.min == r.max:
        text = n(r.min)
    elif r.max is None:
        text = f">={n(r.min)}"
    elif r.min is None:
        text = f"<={n(r.max)}"
    else:
        text = f"{n(r.min)}-{n(r.max)}"
    if qualifier and qualifier not in ("exact", "between"):
        text += f" ({qualifier.replace('_', ' ')})"
    return text


def _casualties(m: IncidentMention) -> str:
    parts = []
    for f in ("killed", "injured", "serious", "minor", "tbi"):
        r = getattr(m.casualties, f)
        if not r.is_empty():
            parts.append(f"{f} {fmt_range(r)}")
    return ", ".join(parts)


def incidents_table(incidents: list[IncidentMention], title: str = "Incidents") -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for col in ("date", "place", "modes", "attacker -> target", "casualties", "source"):
        table.add_column(col, overflow="fold")
    for m in incidents:
        date = m.date.start.isoformat() if m.date.start else "?"
        if m.date.end and m.date.end != m.date.start:
            date += f"..{m.date.end.isoformat()}"
        place = ", ".join(x for x in (m.place.name, m.place.country) if x) or "?"
        parties = (
            f"{m.attacker.name if m.attacker else '?'} -> {m.target.name if m.target else '?'}"
        )
        table.add_row(
            date, place, ", ".join(m.attack_modes), parties, _casualties(m), m.attribution or ""
        )
    return table


def claims_table(claims: list[Claim], title: str = "Claims") -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("measure", "value", "subject", "region", "since", "as of", "source"):
        table.add_column(col, overflow="fold")
    for c in claims:
        table.add_row(
            c.measure + (" (part)" if c.breakdown_of else ""),
            fmt_range(c.value, c.qualifier),
            c.subject or "",
            ",".join(c.region),
            c.period.start.isoformat() if c.period.start else "",
            c.as_of.isoformat() if c.as_of else "",
            c.attribution or "",
        )
    return table


def print_extraction(ex: Extraction, source: str | None = None) -> None:
    doc = ex.document
    head = doc.title or source or doc.id
    when = doc.published.isoformat() if doc.published else "undated"
    _console.rule(f"[bold]{head}[/bold]  ({when}, {source or doc.id})", align="left")
    if not ex.incidents and not ex.claims:
        _console.print("  no incidents or claims found")
        return
    if ex.incidents:
        _console.print(incidents_table(ex.incidents))
    if ex.claims:
        _console.print(claims_table(ex.claims))


def print_eval(report, title: str, show_misses: bool = False) -> None:
    """The eval table: record-level P/R/F1, then per-field accuracy."""
    table = Table(title=f"sitrep eval {title}", title_justify="left")
    for col in ("records", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(col, justify="right" if col != "records" else "left")
    for name, c in (("incidents", report.incidents), ("claims", report.claims)):
        table.add_row(
            name,
            str(c.tp),
            str(c.fp),
            str(c.fn),
            f"{c.precision:.3f}",
            f"{c.recall:.3f}",
            f"{c.f1:.3f}",
        )
    _console.print(table)
    fields = Table(title="field accuracy on matched records", title_justify="left")
    for col in ("field", "correct", "scored", "accuracy"):
        fields.add_column(col, justify="left" if col == "field" else "right")
    for prefix, scores in (("incident", report.incident_fields), ("claim", report.claim_fields)):
        for name, s in scores.items():
            if s.total:
                fields.add_row(
                    f"{prefix}.{name}", str(s.correct), str(s.total), f"{s.accuracy:.3f}"
                )
    _console.print(fields)
    for err in report.errors:
        _console.print(f"[red]error[/red] {err}")
    if not show_misses:
        return
    for d in report.docs:
        if not (d.missed or d.false_hits or d.wrong):
            continue
        _console.rule(d.id, align="left")
        for m in d.missed:
            _console.print(f"  [yellow]missed[/yellow] {_brief(m)}")
        for x in d.false_hits:
            _console.print(f"  [red]false hit[/red] {_brief(x)}")
        for w in d.wrong:
            _console.print(
                f"  [magenta]wrong[/magenta] {w['type']}[{w['index']}].{w['field']}: gold {w['gold']!r}, got {w['got']!r}"
            )


def _brief(record: dict) -> str:
    if record.get("type") == "claim":
        v = record.get("value") or {}
        return f"claim {record.get('measure')} {v.get('min')}..{v.get('max')} {record.get('subject') or ''}"
    d = (record.get("date") or {}).get("start")
    p = (record.get("place") or {}).get("name")
    return f"incident {d} {p} {record.get('attack_modes')}"
