"""The `sitrep` command: a thin shell over the library.

Exit codes: 0 success; 1 some inputs failed (the rest were processed); 2 bad usage or
bad input; 3 a quality gate failed. Errors are one line on stderr: ``sitrep: error: ...``.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sitrep.errors import SitrepError

app = typer.Typer(
    name="sitrep",
    help="Turn conflict reporting into a source-traced ledger of incidents and official tallies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_PARTIAL, EXIT_USAGE, EXIT_GATE = 1, 2, 3


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"sitrep: error: {message}", err=True)
    return typer.Exit(code)


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    from sitrep.extract.dates import parse_date

    span = parse_date(value)
    if span is None or span.start is None:
        raise _fail(f"{option}: cannot read {value!r} as a date (try YYYY-MM-DD)")
    return span.start


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Report files or folders (text or HTML).")],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) that relative dates resolve against."),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="The report's URL, kept with the document.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per document (the output contract).")
    ] = False,
) -> None:
    """Extract incidents and claims from reports; no database involved."""
    from sitrep.extract import extract_document
    from sitrep.ingest import iter_sources, read_document
    from sitrep.ingest.manifest import manifest_for

    day = _parse_day(published, "--published")
    try:
        sources = list(iter_sources(paths))
    except SitrepError as exc:
        raise _fail(str(exc)) from None
    failures = 0
    for path in sources:
        meta = manifest_for(path)
        try:
            doc = read_document(
                path,
                published=day or meta.get("published"),
                url=url or meta.get("url"),
                name=str(path),
            )
            if meta.get("outlet") and not doc.outlet:
                doc.outlet = meta["outlet"]
            result = extract_document(doc)
        except SitrepError as exc:
            typer.echo(f"sitrep: error: {exc}", err=True)
            failures += 1
            continue
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            from sitrep.report.console import print_extraction

            print_extraction(result, source=str(path))
    if failures:
        raise typer.Exit(EXIT_PARTIAL if failures < len(sources) else EXIT_USAGE)


@app.command("eval")
def eval_(
    gold: Annotated[
        Path,
        typer.Argument(
            help="A gold file or a resolution scenarios file (JSON Lines, docs/gold.md)."
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="The figures as one JSON object.")
    ] = False,
    show_misses: Annotated[
        bool,
        typer.Option(
            "--show-misses",
            help="Per document: missed records, false hits, wrong fields (scenarios: missed mentions, wrong merges and splits).",
        ),
    ] = False,
) -> None:
    """Score extraction against a gold set: precision, recall, F1 and per-field accuracy.

    A scenarios file (lines with "documents") scores resolution across reports instead:
    pairwise merge precision, recall and F1, gold vs resolved incidents."""
    from sitrep.evaluate import evaluate, load_gold
    from sitrep.evaluate.merge import (
        evaluate_scenarios,
        format_report,
        is_scenario_file,
        load_scenarios,
    )

    if is_scenario_file(gold):
        try:
            merge_report = evaluate_scenarios(load_scenarios(gold))
        except SitrepError as exc:
            raise _fail(str(exc)) from None
        if as_json:
            typer.echo(
                json.dumps(
                    merge_report.to_dict(misses=show_misses), default=str, ensure_ascii=False
                )
            )
        else:
            typer.echo(format_report(merge_report, title=str(gold), show_misses=show_misses))
        return
    try:
        report = evaluate(load_gold(gold))
    except SitrepError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        out = report.to_dict()
        if show_misses:
            out["diffs"] = [d.__dict__ for d in report.docs if d.missed or d.false_hits or d.wrong]
        typer.echo(json.dumps(out, default=str, ensure_ascii=False))
        return
    from sitrep.report.console import print_eval

    print_eval(report, title=str(gold), show_misses=show_misses)


# -- the ledger: ingest, incidents, claims, tally, report, export ----------------------
# Thin shells over sitrep.ledger and sitrep.report; each opens the store named by --db.

_DB_HELP = "The ledger: a SQLite file or a postgresql:// URL (default: $SITREP_DB, else sitrep.db)."
DbOption = Annotated[str | None, typer.Option("--db", help=_DB_HELP, show_default=False)]
_EXPORT_FORMATS = ("csv", "jsonl", "geojson", "parquet", "acled")


def _open_ledger(db: str | None, *, must_exist: bool = False):
    """The store at --db; read-only commands refuse a SQLite file that is not there."""
    import os

    from sitrep.store import open_store

    target = db or os.environ.get("SITREP_DB") or "sitrep.db"
    if (
        must_exist
        and "://" not in target
        and target != ":memory:"
        and not Path(target).expanduser().exists()
    ):
        raise _fail(f"{target}: no such database (create it with `sitrep ingest`)")
    try:
        return open_store(target)
    except SitrepError as exc:
        raise _fail(str(exc)) from None


def _check_choice(value: str | None, allowed, option: str) -> None:
    if value is not None and value not in allowed:
        raise _fail(f"{option}: unknown value {value!r} (one of: {', '.join(allowed)})")


def _echo_json_lines(items) -> None:
    for item in items:
        typer.echo(json.dumps(item, ensure_ascii=False, default=str))


def _print(*renderables) -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    for r in renderables:
        console.print(r)


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Report files, folders or glob patterns (text or HTML; manifest.jsonl beside them gives dates and URLs)."
        ),
    ],
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The summary as one JSON object.")
    ] = False,
) -> None:
    """Ingest reports into the ledger, then resolve incidents and claim series.

    Documents already stored are skipped before extraction, so ingesting the same files
    again changes nothing. Exit 1 when some files failed and others went in.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from sitrep.ledger import ingest_paths, resolve_store

    err = Console(stderr=True, highlight=False)
    show_bar = not quiet and not as_json and sys.stderr.isatty()
    printed: set[str] = set()

    def report_error(message: str, bar=None) -> None:
        printed.add(message)
        if bar is not None and show_bar:
            bar.console.print(f"sitrep: error: {message}", markup=False, highlight=False)
        else:
            typer.echo(f"sitrep: error: {message}", err=True)

    with _open_ledger(db) as store:
        columns = (
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=err, disable=not show_bar, transient=True) as bar:
            task = bar.add_task("ingest", total=None)

            def on_progress(p) -> None:
                bar.update(task, total=p.total, completed=p.done)
                if p.error:
                    report_error(p.error, bar)

            try:
                result = ingest_paths(store, paths, on_progress=on_progress)
            except SitrepError as exc:
                raise _fail(str(exc)) from None
        for message in result.errors:
            if message not in printed:
                report_error(message)
        try:
            resolved = resolve_store(store)
        except SitrepError as exc:
            raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps({"ingest": result.to_dict(), "resolve": resolved.to_dict()}))
    else:
        rate = result.total / result.seconds if result.seconds > 0 else 0.0
        typer.echo(
            f"{result.new} new, {result.stored} already stored, {result.failed} failed "
            f"({result.seconds:.1f} s, {rate:.1f} documents/s)"
        )
        typer.echo(
            f"{resolved.incidents} incidents ({resolved.written} written, {resolved.removed} merged away), "
            f"{resolved.series} claim series"
        )
    if result.failed:
        raise typer.Exit(EXIT_PARTIAL if result.new + result.stored else EXIT_USAGE)


@app.command()
def incidents(
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day (YYYY-MM-DD).")] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO 3166-1 alpha-2 country code (IQ, SY).")
    ] = None,
    mode: Annotated[
        str | None, typer.Option(help="Attack mode (rocket, uas_one_way, ...).")
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(help="Target actor: an id (us_forces) or a name; includes its parts."),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many.")] = None,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per incident (JSON Lines).")
    ] = False,
) -> None:
    """Resolved incidents in the ledger, by date."""
    from sitrep.model import ATTACK_MODES
    from sitrep.report.tally import select_incidents

    _check_choice(mode, ATTACK_MODES, "--mode")
    first, last = _parse_day(since, "--since"), _parse_day(until, "--until")
    with _open_ledger(db, must_exist=True) as store:
        try:
            found = select_incidents(
                store,
                since=first,
                until=last,
                country=country,
                mode=mode,
                target=target,
                limit=limit,
            )
        except SitrepError as exc:
            raise _fail(str(exc)) from None
    if as_json:
        _echo_json_lines(inc.to_dict() for inc in found)
        return
    from sitrep.report.tables import incidents_table

    _print(incidents_table(found, title=f"{len(found)} incidents"))


@app.command()
def claims(
    measure: Annotated[
        str | None, typer.Option(help="Measure: attacks, injured, injured_serious, killed, ...")
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(help="Subject actor: an id (us_forces) or a name; includes its parts."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Claims dated from this day; with --series, series starting on or after it."
        ),
    ] = None,
    series: Annotated[
        bool,
        typer.Option(
            "--series",
            help="Claim series: each official tally in as-of order, beside the ledger's count.",
        ),
    ] = False,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per claim or series (JSON Lines).")
    ] = False,
) -> None:
    """Claims (official tallies) in the ledger, or with --series how each evolved."""
    from sitrep.model import MEASURES
    from sitrep.report.tally import actor_scope, document_headers, select_series

    _check_choice(measure, MEASURES, "--measure")
    first = _parse_day(since, "--since")
    scope = actor_scope(subject)
    with _open_ledger(db, must_exist=True) as store:
        try:
            if not series:
                found = [
                    c
                    for c in store.claims(measure=measure, since=first)
                    if scope is None or scope.covers(c.subject_id, c.subject)
                ]
            else:
                found_series = select_series(store, measure=measure, subject=subject, since=first)
                docs = document_headers(
                    store, (p.document_id for s in found_series for p in s.points)
                )
        except SitrepError as exc:
            raise _fail(str(exc)) from None
    if not series:
        if as_json:
            _echo_json_lines(c.to_dict() for c in found)
        else:
            from sitrep.report.console import claims_table

            _print(claims_table(found, title=f"{len(found)} claims"))
        return
    if as_json:
        rows = []
        for s in found_series:
            data = s.to_dict()
            for point in data["points"]:
                point["document"] = docs.get(point["document_id"] or "")
            rows.append(data)
        _echo_json_lines(rows)
        return
    from sitrep.report.tables import series_table

    if not found_series:
        typer.echo("no claim series")
    _print(*(series_table(s, docs) for s in found_series))


@app.command()
def tally(
    since: Annotated[
        str,
        typer.Option(
            help="Count from this day (YYYY-MM-DD); claim series starting on or after it are compared."
        ),
    ],
    until: Annotated[str | None, typer.Option(help="Count up to this day.")] = None,
    target: Annotated[
        str | None,
        typer.Option(help="Target actor: an id (us_forces) or a name; includes its parts."),
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 country code.")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The tally as one JSON object.")] = False,
) -> None:
    """Counted incidents by attack mode, country and severity, beside the latest official claims."""
    from sitrep.report.tally import tally as compute

    first, last = _parse_day(since, "--since"), _parse_day(until, "--until")
    with _open_ledger(db, must_exist=True) as store:
        try:
            result = compute(store, since=first, until=last, target=target, country=country)
        except SitrepError as exc:
            raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
        return
    from sitrep.report.tables import tally_tables

    _print(*tally_tables(result))


@app.command()
def report(
    since: Annotated[
        str | None, typer.Option(help="Report on incidents and tallies from this day.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md (Markdown) or html.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="The report's title.")] = None,
    db: DbOption = None,
) -> None:
    """The situation report: headline, official tallies with who said what when, incidents with sources."""
    from sitrep.report.sitrep_report import build_report, render_html, render_markdown

    _check_choice(fmt, ("md", "html"), "--format")
    first = _parse_day(since, "--since")
    with _open_ledger(db, must_exist=True) as store:
        try:
            built = build_report(store, since=first, title=title)
        except SitrepError as exc:
            raise _fail(str(exc)) from None
    text = render_html(built) if fmt == "html" else render_markdown(built)
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option("--format", help="csv, jsonl, geojson, parquet or acled (ACLED-style CSV)."),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 country code.")] = None,
    target: Annotated[
        str | None, typer.Option(help="Target actor: an id or a name; includes its parts.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export the ledger's incidents."""
    from sitrep.report.exports import source_names, write_incidents
    from sitrep.report.tally import select_incidents

    _check_choice(fmt, _EXPORT_FORMATS, "--format")
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise _fail("--format parquet: binary output; give --output FILE or redirect stdout")
    first, last = _parse_day(since, "--since"), _parse_day(until, "--until")
    with _open_ledger(db, must_exist=True) as store:
        try:
            found = select_incidents(store, since=first, until=last, country=country, target=target)
            sources = source_names(store, found)
        except SitrepError as exc:
            raise _fail(str(exc)) from None
    try:
        if output is None:
            sys.stdout.flush()
            n = write_incidents(found, fmt, sys.stdout.buffer, sources)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as f:
                n = write_incidents(found, fmt, f, sources)
            typer.echo(f"{n} incidents written to {output}", err=True)
    except OSError as exc:
        raise _fail(f"{output or 'stdout'}: cannot write ({exc.strerror or exc})") from None


@app.command()
def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The ledger: a SQLite file or a postgresql:// URL (default: $SITREP_DB, else sitrep.db).",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes. In production, one per CPU core: each has its own connections and page cache.",
        ),
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option("--access-log/--no-access-log", help="Log one line per request to stderr."),
    ] = True,
) -> None:
    """Serve the dashboard and the HTTP API (writes need $SITREP_API_TOKEN; see docs for settings)."""
    import os

    import uvicorn

    from sitrep.web import Settings, create_app

    target = db or os.environ.get("SITREP_DB") or "sitrep.db"
    try:
        settings = Settings.from_env()
        if workers > 1:  # each worker process builds its own app from the environment
            os.environ["SITREP_DB"] = target
            from sitrep.store import open_store

            open_store(target).close()  # migrate once, and fail here rather than in every worker
            uvicorn.run(
                "sitrep.web.app:app_from_env",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                access_log=access_log,
            )
            return
        web_app = create_app(target, settings)
    except (SitrepError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if not settings.api_token:
        typer.echo("sitrep: writes are disabled (set SITREP_API_TOKEN to enable them)", err=True)
    uvicorn.run(web_app, host=host, port=port, access_log=access_log)


def main() -> None:
    """Console entry point: run the app, turning any stray SitrepError into one line."""
    try:
        app()
    except SitrepError as exc:
        typer.echo(f"sitrep: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        typer.echo("sitrep: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
