"""The situation report: a headline, the official tallies, the counted incidents.

:func:`build_report` reads a store into a :class:`SituationReport` (plain data);
:func:`render_markdown` and :func:`render_html` write it out. The headline reads like the
reference report's ("US personnel injured in attacks since 18 October 2023: 1 serious,
70 minor, mostly from rocket, mortar, indirect fire and one-way attack drone attacks with
8 to 50 kg of explosives"): it is built from the latest injured-by-severity claims, their
attack modes and payload, and falls back to the incidents counted in the ledger when no
such claim exists. Then every official tally series with who said what when, beside the
ledger's count for the same scope; then each incident with its sources (document title,
link, and the sentence that reports it).

HTML goes through Jinja2 with autoescaping on, and Markdown escapes every piece of
document text, so that nothing a report says can become markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.errors import NotFound
from sitrep.model import Claim, ClaimSeries, Document, Incident, Range, SeriesPoint
from sitrep.report.tally import (
    COUNTABLE,
    Tally,
    compute_tally,
    latest_point,
    level,
    mode_label,
)
from sitrep.store import Store

INJURY_MEASURES = ("killed", "injured", "injured_serious", "injured_minor", "tbi")
_SEVERITY_ORDER = ("killed", "injured_serious", "injured_minor", "tbi")
_SEVERITY_WORDS = {
    "killed": "killed",
    "injured_serious": "serious",
    "injured_minor": "minor",
    "tbi": "with traumatic brain injury",
}
_QUALIFIER_WORDS = {
    "at_least": "at least",
    "more_than": "more than",
    "about": "about",
    "up_to": "up to",
    "nearly": "nearly",
    "fewer_than": "fewer than",
}
_MOSTLY = re.compile(r"\b(mostly|most of (them|those|the)|the majority|largely|mainly)\b", re.I)
MAX_QUOTE = 400


# -- wording ----------------------------------------------------------------------------


def day_text(d: date | None) -> str:
    """ "18 October 2023"."""
    return "undated" if d is None else f"{d.day} {d:%B} {d.year}"


def number_text(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def value_text(r: Range, qualifier: str | None = None) -> str:
    """A claimed figure as a sentence says it: "at least 38", "8 to 50", "70"."""
    if r.min is None and r.max is None:
        return "?"
    if r.min is not None and r.max is not None and r.min != r.max:
        return f"{number_text(r.min)} to {number_text(r.max)}"
    if r.min is None:
        return f"up to {number_text(r.max)}"
    words = _QUALIFIER_WORDS.get(qualifier or "")
    if r.max is None and words is None:
        words = "at least"
    return f"{words} {number_text(r.min)}" if words else number_text(r.min)


def casualty_text(inc: Incident) -> str:
    """ "1 killed, 5 injured (1 serious, 4 minor)"."""
    c = inc.casualties
    parts = []
    if not c.killed.is_empty():
        parts.append(f"{value_text(c.killed)} killed")
    split = [
        f"{value_text(r)} {word}"
        for r, word in ((c.serious, "serious"), (c.minor, "minor"), (c.tbi, "TBI"))
        if not r.is_empty()
    ]
    if not c.injured.is_empty():
        parts.append(
            f"{value_text(c.injured)} injured" + (f" ({', '.join(split)})" if split else "")
        )
    elif split:
        parts.append("injured: " + ", ".join(split))
    return ", ".join(parts)


def modes_text(modes: list[str]) -> str:
    """ "rocket, mortar and one-way attack drone"."""
    labels = [mode_label(m) for m in dict.fromkeys(modes)]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def payload_text(r: Range) -> str:
    if r.is_empty():
        return ""
    if r.min is not None and r.max is not None and r.min != r.max:
        return f"with {number_text(r.min)} to {number_text(r.max)} kg of explosives"
    if r.min is None:
        return f"with up to {number_text(r.max)} kg of explosives"
    return f"with {number_text(r.min)} kg of explosives"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _reader_case(phrase: str) -> str:
    """A subject written in headline case ("US Personnel") as a sentence writes it ("US
    personnel"): in a phrase whose every word is capitalised, words after the first that
    are not acronyms are lower-cased. Other phrases are left as written."""
    words = phrase.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words if w[:1].isalpha()):
        return phrase
    out = [words[0]]
    for w in words[1:]:
        out.append(w if w.isupper() or not w[:1].isalpha() else w[:1].lower() + w[1:])
    return " ".join(out)


# -- the report's records ---------------------------------------------------------------


@dataclass(slots=True)
class Source:
    """One document that reports a record, and the sentence that does."""

    document_id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "quote": self.quote,
        }


@dataclass(slots=True)
class Headline:
    text: str
    basis: str  # "claims" | "incidents" | "none"
    as_of: date | None = None
    attribution: str | None = None
    sources: list[Source] = field(default_factory=list)
    since: date | None = None  # the period the headline's figures count from


@dataclass(slots=True)
class SeriesRow:
    point: SeriesPoint
    value: str
    source: Source | None


@dataclass(slots=True)
class SeriesView:
    series: ClaimSeries
    title: str
    rows: list[SeriesRow]


@dataclass(slots=True)
class IncidentView:
    incident: Incident
    when: str
    place: str
    modes: str
    parties: str
    casualties: str
    sources: list[Source]


@dataclass(slots=True)
class SituationReport:
    title: str
    generated: date
    since: date | None
    headline: Headline
    tally: Tally | None
    series: list[SeriesView]
    other_figures: list[SeriesView]
    incidents: list[IncidentView]


# -- documents and quotes ---------------------------------------------------------------


class _Documents:
    """Stored documents by id, read once; the sentence around a span."""

    def __init__(self, store: Store):
        self.store = store
        self.cache: dict[str, Document | None] = {}

    def get(self, doc_id: str | None) -> Document | None:
        if not doc_id:
            return None
        if doc_id not in self.cache:
            try:
                self.cache[doc_id] = self.store.get_document(doc_id)
            except NotFound:
                self.cache[doc_id] = None
        return self.cache[doc_id]

    def source(self, doc_id: str, spans: list[tuple[int, int]] = ()) -> Source:
        doc = self.get(doc_id)
        if doc is None:
            return Source(doc_id)
        quote = _quote(doc.text, spans) if spans else None
        return Source(doc_id, doc.title, doc.url, doc.outlet, doc.published, quote)


def _quote(text: str, spans: list[tuple[int, int]]) -> str:
    """The sentence that holds the most evidence spans (the earliest of equals), trimmed
    to MAX_QUOTE characters: the sentence that reports the record."""
    sentences = _sentence_spans(text)
    hits: dict[tuple[int, int], int] = {}
    for start, _end in spans:
        for s in sentences:
            if s[0] <= start < s[1]:
                hits[s] = hits.get(s, 0) + 1
                break
    if hits:
        s_start, s_end = max(hits, key=lambda s: (hits[s], -s[0]))
        quote = text[s_start:s_end]
    else:
        start, end = min(spans)
        quote = text[start:end]
    quote = " ".join(quote.split())
    return quote if len(quote) <= MAX_QUOTE else quote[: MAX_QUOTE - 1].rstrip() + "\u2026"


@lru_cache(maxsize=64)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    from sitrep.text import split_sentences

    return tuple((s.start, s.end) for s in split_sentences(text))


def _incident_spans(inc: Incident) -> dict[str, list[tuple[int, int]]]:
    """Evidence spans per document, from the incident's per-field provenance."""
    spans: dict[str, list[tuple[int, int]]] = {d: [] for d in inc.document_ids}
    for sources in inc.fields.values():
        for fs in sources:
            doc_id = fs.document_id
            if not doc_id:
                continue
            for ev in fs.evidence or ():
                start = ev.start if not isinstance(ev, dict) else ev["start"]
                end = ev.end if not isinstance(ev, dict) else ev["end"]
                spans.setdefault(doc_id, []).append((start, end))
    return spans


# -- the headline -----------------------------------------------------------------------


def _group_key(s: ClaimSeries) -> tuple:
    """Series about the same subject, start and region: one headline's figures."""
    subject = s.subject_id or " ".join(
        re.sub(r"[^0-9a-z]+", " ", (s.subject or "").lower()).split()
    )
    return (subject or None, s.period_start, tuple(sorted(s.region)))


def _claims_headline(
    series: list[ClaimSeries], claims: dict[str, Claim], docs: _Documents
) -> Headline | None:
    """From the latest injured-by-severity claims of one subject, start and region."""
    groups: dict[tuple, dict[str, SeriesPoint]] = {}
    for s in series:
        if s.measure not in INJURY_MEASURES:
            continue
        point = latest_point(s)
        if point is None or level(point.value) is None:
            continue
        chosen = groups.setdefault(_group_key(s), {})
        old = chosen.get(s.measure)
        if old is None or (point.as_of or date.min, level(point.value)) > (
            old.as_of or date.min,
            level(old.value),
        ):
            chosen[s.measure] = point
    if not groups:
        return None

    def rank(item):
        (_subject, start, _region), points = item
        severity = any(m in points for m in ("injured_serious", "injured_minor"))
        newest = max((p.as_of or date.min) for p in points.values())
        return (severity, newest, start is not None, len(points))

    (_subject, start, _region), points = max(groups.items(), key=rank)
    # One moment's figures: a measure last reported weeks earlier is not part of the headline.
    newest = max((p.as_of for p in points.values() if p.as_of), default=None)
    if newest is not None:
        points = {
            m: p for m, p in points.items() if p.as_of is None or (newest - p.as_of).days <= 7
        }
    records = [claims.get(p.claim_id) for p in points.values()]
    records = [c for c in records if c is not None]

    subject = next((c.subject for c in records if c.subject), None) or "Personnel"
    injured = [m for m in points if m != "killed"]
    verb = (
        "killed and injured"
        if "killed" in points and injured
        else ("killed" if "killed" in points else "injured")
    )
    parts = []
    for m in _SEVERITY_ORDER:
        if m in points:
            p = points[m]
            parts.append(f"{value_text(p.value, p.qualifier)} {_SEVERITY_WORDS[m]}")
    if "injured" in points:
        p = points["injured"]
        split = any(m in points for m in ("injured_serious", "injured_minor", "tbi"))
        total = value_text(p.value, p.qualifier) + (" in all" if split else "")
        parts.insert(1 if "killed" in points else 0, total)
    text = f"{_capital(_reader_case(subject))} {verb} in attacks"
    if start is not None:
        text += f" since {day_text(start)}"
    text += ": " + ", ".join(parts)

    modes: list[str] = []
    payload = Range()
    for c in records:
        modes += c.attack_modes
        if payload.is_empty() and not c.payload_kg.is_empty():
            payload = c.payload_kg
    if modes:
        mostly = any(_says_mostly(c, docs) for c in records)
        text += f", {'mostly ' if mostly else ''}from {modes_text(modes)} attacks"
    if not payload.is_empty():
        text += " " + payload_text(payload)

    as_of = max((p.as_of for p in points.values() if p.as_of), default=None)
    attribution = next((p.attribution for p in points.values() if p.attribution), None)
    sources: dict[str, Source] = {}
    for c in records:
        if c.document_id and c.document_id not in sources:
            spans = [(e.start, e.end) for e in c.evidence]
            sources[c.document_id] = docs.source(c.document_id, spans)
    return Headline(text, "claims", as_of, attribution, list(sources.values()), since=start)


def _says_mostly(c: Claim, docs: _Documents) -> bool:
    doc = docs.get(c.document_id)
    if doc is None or not c.evidence:
        return False
    start = min(e.start for e in c.evidence)
    end = max(e.end for e in c.evidence)
    return bool(_MOSTLY.search(doc.text[start:end]))


def _incidents_headline(incidents: list[Incident], since: date | None) -> Headline:
    """From the incidents counted in the ledger, for their most frequent target."""
    from collections import Counter

    from sitrep.report.tally import effective

    hurt = [
        i
        for i in incidents
        if (effective(i, "injured").min or 0) > 0 or (i.casualties.killed.min or 0) > 0
    ]
    if not hurt:
        where = f" since {day_text(since)}" if since else ""
        return Headline(f"No casualties reported in the ledger{where}", "none")
    targets = Counter((i.target.id or i.target.name) if i.target else None for i in hurt)
    top, _ = max(targets.items(), key=lambda kv: (kv[0] is not None, kv[1]))
    mine = [i for i in hurt if ((i.target.id or i.target.name) if i.target else None) == top]
    name = next((i.target.name for i in mine if i.target and i.target.name), None) or "People"
    killed = sum(i.casualties.killed.min or 0 for i in mine)
    injured = sum(effective(i, "injured").min or 0 for i in mine)
    serious = sum(i.casualties.serious.min or 0 for i in mine)
    minor = sum(i.casualties.minor.min or 0 for i in mine)
    verb = "killed and injured" if killed and injured else ("killed" if killed else "injured")
    first = since or min((i.date.start for i in mine if i.date.start), default=None)
    text = f"{_capital(name)} {verb} in {len(mine)} attack{'s' if len(mine) != 1 else ''} counted in the ledger"
    if first:
        text += f" since {day_text(first)}"
    parts = []
    if killed:
        parts.append(f"{number_text(killed)} killed")
    if injured:
        split = [f"{number_text(n)} {w}" for n, w in ((serious, "serious"), (minor, "minor")) if n]
        parts.append(
            f"{number_text(injured)} injured" + (f" ({', '.join(split)})" if split else "")
        )
    text += ": " + ", ".join(parts)
    modes = Counter(m for i in mine for m in dict.fromkeys(i.attack_modes))
    if modes:
        top_modes = [m for m, _ in sorted(modes.items(), key=lambda kv: (-kv[1], kv[0]))[:4]]
        lead = "mostly from" if len(modes) > len(top_modes) else "from"
        text += f", {lead} {modes_text(top_modes)} attacks"
    as_of = max((i.date.start for i in mine if i.date.start), default=None)
    return Headline(text, "incidents", as_of)


# -- the report -------------------------------------------------------------------------


def _series_title(s: ClaimSeries) -> str:
    title = s.measure.replace("_", " ")
    if s.subject:
        title += f", {s.subject}"
    if s.region:
        title += f", in {', '.join(s.region)}"
    if s.period_start:
        title += f", since {day_text(s.period_start)}"
    return title


def _series_view(s: ClaimSeries, docs: _Documents, claims: dict[str, Claim]) -> SeriesView:
    rows = []
    for p in s.points:
        claim = claims.get(p.claim_id)
        spans = [(e.start, e.end) for e in claim.evidence] if claim else []
        source = docs.source(p.document_id, spans) if p.document_id else None
        rows.append(SeriesRow(p, value_text(p.value, p.qualifier), source))
    return SeriesView(s, _series_title(s), rows)


def _incident_view(inc: Incident, docs: _Documents) -> IncidentView:
    when = day_text(inc.date.start) if inc.date and inc.date.start else "undated"
    if inc.date and inc.date.end and inc.date.end != inc.date.start:
        when += f" to {day_text(inc.date.end)}"
    if inc.date and inc.date.precision and inc.date.precision != "day":
        when += f" ({inc.date.precision})"
    place = ", ".join(x for x in (inc.place.name, inc.place.admin1, inc.place.country) if x)
    attacker = inc.attacker.name if inc.attacker and inc.attacker.name else "unidentified"
    target = inc.target.name if inc.target and inc.target.name else "unidentified"
    spans = _incident_spans(inc)
    sources = [docs.source(d, spans.get(d, [])) for d in (inc.document_ids or list(spans))]
    return IncidentView(
        inc,
        when,
        place or "unknown place",
        modes_text(inc.attack_modes) or "unknown means",
        f"{attacker} against {target}",
        casualty_text(inc),
        sources,
    )


def build_report(
    store: Store, *, since: date | None = None, title: str | None = None, today: date | None = None
) -> SituationReport:
    """The situation report of a store, for incidents and tallies since a date (or all)."""
    docs = _Documents(store)
    all_series = store.claim_series()
    wanted = [
        s for s in all_series if since is None or (s.period_start and s.period_start >= since)
    ]
    claim_ids = {p.claim_id for s in wanted for p in s.points}
    claims = {c.id: c for c in store.claims(since=None) if c.id in claim_ids}

    incidents = store.incident_records(since=since)
    headline = _claims_headline(wanted, claims, docs) or _incidents_headline(incidents, since)

    start = (
        since
        or headline.since
        or min(
            [s.period_start for s in wanted if s.measure in COUNTABLE and s.period_start]
            + [i.date.start for i in incidents if i.date and i.date.start],
            default=None,
        )
    )
    tally = None
    if start is not None:
        tally = compute_tally(
            store.incident_records(since=start) if start != since else incidents,
            all_series,
            since=start,
        )
        for o in tally.official:
            doc = docs.get(o.point.document_id)
            o.document = doc.header() if doc else None

    countable = [s for s in wanted if s.measure in COUNTABLE]
    others = [s for s in wanted if s.measure not in COUNTABLE]
    if since is not None:  # figures that name no start ("at its height") are still news
        others += [s for s in all_series if s.measure not in COUNTABLE and s.period_start is None]
    return SituationReport(
        title=title or "Situation report",
        generated=today or date.today(),
        since=since,
        headline=headline,
        tally=tally,
        series=[_series_view(s, docs, claims) for s in countable],
        other_figures=[_series_view(s, docs, claims) for s in others],
        incidents=[_incident_view(i, docs) for i in incidents],
    )


# -- rendering --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")


def md(text: Any) -> str:
    """Document text made inert in Markdown: every markup character backslash-escaped
    (CommonMark renders ``\\<`` as a literal ``<``), line breaks folded."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_link(source: Source | None) -> str:
    if source is None:
        return ""
    label = md(source.title or source.outlet or source.document_id)
    url = source.url or ""
    if url.startswith(("http://", "https://")) and not re.search(r"[\s()<>]", url):
        return f"[{label}]({url})"
    return label


def render_markdown(report: SituationReport) -> str:
    out: list[str] = [f"# {md(report.title)}", ""]
    scope = f"since {day_text(report.since)}" if report.since else "all dates"
    out += [f"Generated {day_text(report.generated)}; {scope}.", ""]
    h = report.headline
    out += [f"**{md(h.text)}**", ""]
    if h.basis == "claims":
        by = f"according to {md(h.attribution)}" if h.attribution else "as reported"
        out.append(f"As of {day_text(h.as_of)}, {by}.")
        for s in h.sources:
            out.append(
                f"Source: {_md_link(s)}" + (f": \u201c{md(s.quote)}\u201d" if s.quote else "")
            )
        out.append("")
    elif h.basis == "incidents":
        out += ["No official casualty figure is stored; this counts the ledger's incidents.", ""]

    if report.tally is not None:
        t = report.tally
        out += [f"## Counted since {day_text(t.since)}", ""]
        out.append(f"{t.incidents} incidents in the ledger.")
        out.append("")
        if t.by_mode:
            out += ["| attack mode | incidents |", "|---|---:|"]
            out += [f"| {md(mode_label(m))} | {n} |" for m, n in t.by_mode.items()]
            out.append("")
        if t.by_country:
            out += ["| country | incidents |", "|---|---:|"]
            out += [f"| {md(c)} | {n} |" for c, n in t.by_country.items()]
            out.append("")
        out += [
            "| casualties | sum of minimums | sum of maximums | incidents | no maximum |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, row in t.casualties.items():
            out.append(
                f"| {name} | {number_text(row['min'])} | {number_text(row['max'])} | {row['incidents']} | {row['unbounded']} |"
            )
        out.append("")
        if t.official:
            out += [
                "| official figure | claimed | as of | counted in ledger | difference |",
                "|---|---:|---|---:|---:|",
            ]
            for o in t.official:
                out.append(
                    f"| {md(_series_title(o.series))} | {md(value_text(o.point.value, o.point.qualifier))} "
                    f"| {day_text(o.point.as_of)} | {number_text(o.counted)} | {number_text(o.difference)} |"
                )
            out.append("")

    if report.series:
        out += ["## Official tallies: who said what, when", ""]
        for view in report.series:
            out += [f"### {md(view.title)}", ""]
            out += [
                "| as of | figure | said by | source | revision | counted in ledger |",
                "|---|---:|---|---|---|---:|",
            ]
            for r in view.rows:
                out.append(
                    f"| {day_text(r.point.as_of)} | {md(r.value)} | {md(r.point.attribution)} "
                    f"| {_md_link(r.source)} | {md(r.point.revision)} | {number_text(r.point.incidents_counted) if r.point.incidents_counted is not None else ''} |"
                )
            out.append("")
    if report.other_figures:
        out += ["## Other reported figures", ""]
        out += ["| figure | value | as of | said by | source |", "|---|---:|---|---|---|"]
        for view in report.other_figures:
            for r in view.rows:
                out.append(
                    f"| {md(view.title)} | {md(r.value)} | {day_text(r.point.as_of)} "
                    f"| {md(r.point.attribution)} | {_md_link(r.source)} |"
                )
        out.append("")

    out += [f"## Incidents ({len(report.incidents)})", ""]
    for v in report.incidents:
        line = f"- **{md(v.when)}**, {md(v.place)}: {md(v.modes)}; {md(v.parties)}"
        if v.casualties:
            line += f"; {md(v.casualties)}"
        out.append(line)
        for s in v.sources:
            quote = f": \u201c{md(s.quote)}\u201d" if s.quote else ""
            out.append(f"  - {_md_link(s)}{quote}")
    out.append("")
    return "\n".join(out)


@lru_cache(maxsize=1)
def _html_env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True,  # every value is escaped unless a template says otherwise (none do)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = day_text
    env.filters["num"] = lambda x: "" if x is None else number_text(x)
    env.filters["mode"] = mode_label
    env.filters["value"] = value_text
    env.filters["safe_url"] = _safe_url
    env.globals["series_title"] = _series_title
    return env


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links become hrefs (no ``javascript:``)."""
    return url if url and url.startswith(("http://", "https://")) else None


def render_html(report: SituationReport) -> str:
    return _html_env().get_template("situation.html").render(r=report)
