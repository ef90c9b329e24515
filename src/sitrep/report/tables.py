"""Terminal tables (rich) for the ledger commands: incidents, claim series, tallies.

Functions build renderables and never print; the CLI prints them.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from sitrep.model import ClaimSeries, Incident
from sitrep.report.console import fmt_range
from sitrep.report.sitrep_report import casualty_text, value_text
from sitrep.report.tally import Tally, mode_label


def _when(inc: Incident) -> str:
    if not inc.date or not inc.date.start:
        return "?"
    text = inc.date.start.isoformat()
    if inc.date.end and inc.date.end != inc.date.start:
        text += f"..{inc.date.end.isoformat()}"
    if inc.date.precision and inc.date.precision != "day":
        text += f" ({inc.date.precision})"
    return text


def incidents_table(incidents: list[Incident], title: str = "Incidents") -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("date", "place", "modes", "attacker -> target", "casualties", "sources", "id"):
        table.add_column(col, overflow="fold")
    for inc in incidents:
        place = ", ".join(x for x in (inc.place.name, inc.place.country) if x) or "?"
        parties = (
            f"{inc.attacker.name if inc.attacker and inc.attacker.name else '?'} -> "
            f"{inc.target.name if inc.target and inc.target.name else '?'}"
        )
        flags = f" (conflicts: {', '.join(inc.conflicts)})" if inc.conflicts else ""
        table.add_row(
            _when(inc),
            place,
            ", ".join(inc.attack_modes),
            parties,
            casualty_text(inc) + flags,
            str(len(inc.document_ids) or len(inc.mention_ids)),
            inc.id,
        )
    return table


def series_table(series: ClaimSeries, documents: dict[str, dict[str, Any]] | None = None) -> Table:
    """One claim series in as-of order: who said what when, revisions, ledger count."""
    title = series.measure
    if series.subject:
        title += f" · {series.subject}"
    if series.region:
        title += f" · {','.join(series.region)}"
    title += (
        f" · since {series.period_start.isoformat()}" if series.period_start else " · no start date"
    )
    table = Table(title=title, title_justify="left")
    for col in ("as of", "value", "said by", "source", "revision", "ledger"):
        table.add_column(
            col, overflow="fold", justify="right" if col in ("value", "ledger") else "left"
        )
    for p in series.points:
        doc = (documents or {}).get(p.document_id or "")
        source = (
            (doc.get("title") or doc.get("outlet") or doc.get("url"))
            if doc
            else (p.document_id or "")
        )
        table.add_row(
            p.as_of.isoformat() if p.as_of else "?",
            fmt_range(p.value, p.qualifier),
            p.attribution or "",
            source or "",
            p.revision or "",
            "" if p.incidents_counted is None else str(p.incidents_counted),
        )
    return table


def tally_tables(t: Tally) -> list[Table]:
    scope = f"since {t.since.isoformat()}"
    if t.until:
        scope += f" until {t.until.isoformat()}"
    if t.target:
        scope += f", target {t.target}"
    if t.country:
        scope += f", country {t.country}"
    out = []
    modes = Table(title=f"{t.incidents} incidents counted {scope}", title_justify="left")
    modes.add_column("attack mode")
    modes.add_column("incidents", justify="right")
    for m, n in t.by_mode.items():
        modes.add_row(mode_label(m), str(n))
    out.append(modes)
    countries = Table(title="by country", title_justify="left")
    countries.add_column("country")
    countries.add_column("incidents", justify="right")
    for c, n in t.by_country.items():
        countries.add_row(c, str(n))
    out.append(countries)
    cas = Table(title="casualties (sums over incidents)", title_justify="left")
    for col in ("severity", "min", "max", "incidents", "no max"):
        cas.add_column(col, justify="left" if col == "severity" else "right")
    for name, row in t.casualties.items():
        cas.add_row(
            name, str(row["min"]), str(row["max"]), str(row["incidents"]), str(row["unbounded"])
        )
    out.append(cas)
    official = Table(
        title="latest official figures beside the ledger (same scope)", title_justify="left"
    )
    for col in (
        "measure",
        "subject",
        "region",
        "since",
        "as of",
        "claimed",
        "said by",
        "counted",
        "difference",
    ):
        official.add_column(
            col,
            overflow="fold",
            justify="right" if col in ("claimed", "counted", "difference") else "left",
        )
    for o in t.official:
        s, p = o.series, o.point
        official.add_row(
            s.measure,
            s.subject or "",
            ",".join(s.region),
            s.period_start.isoformat() if s.period_start else "",
            p.as_of.isoformat() if p.as_of else "?",
            value_text(p.value, p.qualifier),
            p.attribution or "",
            "" if o.counted is None else str(o.counted),
            "" if o.difference is None else f"{o.difference:+g}",
        )
    out.append(official)
    return out


__all__ = ["incidents_table", "series_table", "tally_tables"]
