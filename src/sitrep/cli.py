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
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) that relative dates resolve against.")] = None,
    url: Annotated[str | None, typer.Option(help="The report's URL, kept with the document.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document (the output contract).")] = False,
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
    gold: Annotated[Path, typer.Argument(help="A gold file (JSON Lines, docs/gold.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="The figures as one JSON object.")] = False,
    show_misses: Annotated[bool, typer.Option("--show-misses", help="Per document: missed records, false hits, wrong fields.")] = False,
) -> None:
    """Score extraction against a gold set: precision, recall, F1 and per-field accuracy."""
    from sitrep.evaluate import evaluate, load_gold

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
