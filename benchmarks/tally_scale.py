"""The tally at scale: ``sitrep tally`` over a million incidents, on SQLite and PostgreSQL.

Synthetic resolved incidents, reproducible from a seed: two years of dates (2023-2024),
300 places (30 in each of 10 countries), attack modes (none, one or two), targets (lexicon
actors such as ``us_forces`` and its part ``centcom``, names without an id, none),
attackers, and casualty ranges (exact, "at least", ranges, injured given only as serious
plus minor), with a provenance record per incident. Four claim series (attacks, injured,
TBI, killed on US forces since 17 October 2023) give the tally official figures to count.

Loading: Core ``executemany`` on SQLite, ``COPY`` on PostgreSQL, into a temporary file or
a uniquely named schema (dropped afterwards; ``public`` is never touched). The incidents'
secondary indexes are dropped for the load and rebuilt from their own definitions after,
and the tally's month totals rebuilt from the incidents (``tally_months.rebuild``), as
bulk loads do; ``load_s`` includes both (and, on PostgreSQL, ``VACUUM ANALYZE``, which
autovacuum would otherwise do). The store is then reopened, so the queries run with
sitrep's own connection settings.

Timed: ``report.tally.tally`` (what ``sitrep tally`` runs, rendering aside) for four
typical queries: since 2023-10-17; the same with --target us_forces; with --country SY;
one month. Each runs once to warm up, then ``--repeat`` times: median and p95 in ms.
The plan of each of the query's main statements (EXPLAIN: the whole months from the
month totals, the days at either end over the covering index) is recorded beside its
times, and ``same_as_direct`` says whether its counts and official figures equal those
counted over the incidents alone, without the month totals.

Prints one JSON line per database and writes them to benchmarks/out/tally_scale.json.

    .venv/bin/python benchmarks/tally_scale.py [--rows 1000000] [--repeat 15] [--seed 7]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--no-sqlite]
        [--baseline]  # also time the old path once: every incident loaded, counted in Python
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from sitrep.model import Claim, ClaimSeries, Document, Extraction, Range, SeriesPoint, content_id
from sitrep.report.tally import (
    COUNTABLE,
    StoreTargets,
    actor_scope,
    compute_tally,
    latest_point,
    matching_series,
    series_scope,
    tally,
)
from sitrep.store import aggregates, open_store, tally_months
from sitrep.store.schema import incident_modes, incidents

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "tally_scale.json"
TARGET_MS = 200
CHUNK = 20_000
START = date(2023, 1, 1)
DAYS = 731  # 2023 and 2024
COUNTRIES = ["IQ", "SY", "JO", "LB", "YE", "SA", "KW", "TR", "IR", "SO"]
MODES = [  # an incident's attack modes, and their weights
    ([], 5),
    (["rocket"], 22),
    (["uas_one_way"], 26),
    (["rocket", "uas_one_way"], 4),
    (["mortar"], 5),
    (["indirect_fire"], 4),
    (["ballistic_missile"], 5),
    (["ied"], 10),
    (["small_arms"], 10),
    (["airstrike"], 8),
    (["rpg_atgm"], 4),
]
TARGETS = [  # (id, name as written, kind), and weights
    (("us_forces", "US forces", "state_military"), 28),
    (("centcom", "CENTCOM", "state_military"), 4),
    (("coalition", "coalition forces", "coalition"), 10),
    (("civilians", "civilians", "civilians"), 15),
    (("isf", "Iraqi security forces", "state_military"), 8),
    (("syria_forces", "Syrian army", "state_military"), 6),
    (("sdf", "SDF", "non_state_armed_group"), 6),
    ((None, "American troops", None), 2),
    ((None, "a convoy", None), 4),
    ((None, None, None), 17),
]
ATTACKERS = [
    ("islamic_resistance_iraq", "Islamic Resistance in Iraq", "non_state_armed_group"),
    ("kataib_hezbollah", "Kataib Hezbollah", "non_state_armed_group"),
    ("houthis", "Houthis", "non_state_armed_group"),
    ("isis", "ISIS", "non_state_armed_group"),
    (None, "militants", None),
    (None, None, None),
]
QUERIES = {
    "since": {"since": date(2023, 10, 17)},
    "target": {"since": date(2023, 10, 17), "target": "us_forces"},
    "country": {"since": date(2023, 10, 17), "country": "SY"},
    "month": {"since": date(2024, 3, 1), "until": date(2024, 3, 31)},
}


# -- synthetic incidents ----------------------------------------------------------------


def _places(rng: random.Random) -> list[tuple[str, str, str, float, float]]:
    out = []
    for cc in COUNTRIES:
        lat0, lon0 = rng.uniform(12, 38), rng.uniform(35, 50)
        for i in range(30):
            kind = "Base" if i < 20 else "Town"
            out.append(
                (f"{cc} {kind} {i:02d}", cc, f"{cc}-{i % 6}", lat0 + rng.random() * 4, lon0 + rng.random() * 5)
            )
    return out


def _casualty(rng: random.Random, p_exact: float, p_open: float, p_range: float, top: int):
    r = rng.random()
    if r < p_exact:
        n = float(rng.choice((0, 0, 1, 1, 2, 3, 5, top)))
        return n, n
    if r < p_exact + p_open:  # "at least n"
        return float(rng.randrange(1, top + 1)), None
    if r < p_exact + p_open + p_range:
        lo = float(rng.randrange(0, top))
        return lo, lo + rng.randrange(1, 5)
    return None, None


def incident_rows(n: int, seed: int) -> Iterator[dict]:
    """``n`` incidents rows (``schema.incidents`` columns), the same for the same seed."""
    rng = random.Random(seed)
    places = _places(rng)
    mode_sets, mode_weights = zip(*MODES, strict=True)
    targets, target_weights = zip(*TARGETS, strict=True)
    for i in range(n):
        name, cc, admin1, lat, lon = places[rng.randrange(len(places))]
        day = START + timedelta(days=rng.randrange(DAYS)) if rng.random() > 0.005 else None
        tid, tname, tkind = rng.choices(targets, target_weights)[0]
        aid, aname, akind = rng.choice(ATTACKERS)
        ident = content_id("bench-incident", seed, i)
        row = {
            "id": ident,
            "date_start": day,
            "date_end": day,
            "date_precision": "day" if day else None,
            "place_name": name,
            "country": cc,
            "admin1": admin1,
            "lat": lat,
            "lon": lon,
            "place_precision": "facility" if "Base" in name else "city",
            "attack_modes": list(rng.choices(mode_sets, mode_weights)[0]),
            "weapons": [],
            "payload_min": None,
            "payload_max": None,
            "attacker_id": aid,
            "attacker_name": aname,
            "attacker_kind": akind,
            "target_id": tid,
            "target_name": tname,
            "target_kind": tkind,
            "outcome": ["impact"] if rng.random() < 0.3 else [],
            "confidence": round(rng.uniform(0.4, 0.95), 2),
        }
        row["killed_min"], row["killed_max"] = _casualty(rng, 0.45, 0.05, 0.05, 6)
        row["injured_min"], row["injured_max"] = _casualty(rng, 0.35, 0.06, 0.04, 30)
        for field in ("serious", "minor"):
            row[f"{field}_min"], row[f"{field}_max"] = _casualty(rng, 0.08, 0.02, 0.01, 8)
        row["tbi_min"], row["tbi_max"] = _casualty(rng, 0.05, 0.03, 0.0, 20)
        docs = [content_id("bench-doc", seed, rng.randrange(n)) for _ in range(rng.choice((1, 1, 2, 3)))]
        row["fields_json"] = {
            "fields": {
                "date": [{"value": str(day), "mention_id": content_id(ident, d), "document_id": d} for d in docs],
            },
            "conflicts": [],
            "document_ids": docs,
        }
        yield row


def claim_series(store) -> int:
    """Four official series about US forces since 17 October 2023 (their claims stored
    with one document), as the tally finds them beside its counts."""
    text = "Synthetic Pentagon briefing: attacks, injuries and TBI among US forces."
    doc = Document(id=content_id(text), text=text, title="Briefing", published=date(2024, 6, 30))
    points = [  # (measure, as_of, value)
        ("attacks", date(2024, 2, 1), 165),
        ("attacks", date(2024, 6, 30), 190),
        ("injured", date(2024, 2, 1), 186),
        ("tbi", date(2024, 1, 30), 130),
        ("killed", date(2024, 1, 28), 3),
    ]
    claims = [
        Claim(
            measure=m,
            value=Range(v, None),
            qualifier="at_least",
            subject="US forces",
            subject_id="us_forces",
            as_of=day,
            attribution="the Pentagon",
            id=content_id(doc.id, "claim", k),
            document_id=doc.id,
        )
        for k, (m, day, v) in enumerate(points)
    ]
    store.save_extraction(Extraction(document=doc, claims=claims))
    series: dict[str, ClaimSeries] = {}
    for claim in claims:
        s = series.setdefault(
            claim.measure,
            ClaimSeries(f"bench-{claim.measure}", claim.measure, "us_forces", "US forces", [], date(2023, 10, 17)),
        )
        s.points.append(
            SeriesPoint(claim.id, claim.as_of, claim.value, claim.qualifier, claim.attribution, doc.id)
        )
    store.replace_claim_series(list(series.values()))
    return len(series)


# -- loading ----------------------------------------------------------------------------


def _secondary_indexes(conn) -> list[tuple[str, str]]:
    """(name, CREATE statement) of each index on incidents that backs no constraint."""
    if conn.dialect.name == "sqlite":
        found = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'incidents' AND sql IS NOT NULL"
        )
    else:
        found = conn.exec_driver_sql(
            "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x "
            "JOIN pg_class c ON c.oid = x.indexrelid "
            "WHERE x.indrelid = 'incidents'::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)"
        )
    return [(name, sql) for name, sql in found]


def _mode_rows(rows: list[dict]) -> list[dict]:
    return [{"mode": m, "incident_id": r["id"]} for r in rows for m in dict.fromkeys(r["attack_modes"])]


def _copy(conn, table: sa.Table, rows: list[dict]) -> None:
    cols = [c.name for c in table.columns]
    json_cols = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([json.dumps(r[c]) if c in json_cols else r[c] for c in cols])


def load(url: str, n: int, seed: int) -> dict:
    """Fill an empty store with ``n`` incidents and the claim series; timings in s."""
    store = open_store(url)
    t0 = time.perf_counter()
    try:
        with store.engine.connect() as conn:
            if store.dialect == "sqlite":  # this connection only; the store is reopened after
                raw = conn.connection.driver_connection  # outside a transaction
                raw.execute("PRAGMA synchronous = OFF")
                raw.execute("PRAGMA cache_size = -262144")
            with conn.begin():
                indexes = _secondary_indexes(conn)
                for name, _sql in indexes:
                    conn.exec_driver_sql(f"DROP INDEX {name}")
                chunk: list[dict] = []
                for row in incident_rows(n, seed):
                    chunk.append(row)
                    if len(chunk) == CHUNK:
                        _write(conn, chunk)
                        chunk = []
                if chunk:
                    _write(conn, chunk)
                t_rows = time.perf_counter()
                for _name, sql in indexes:
                    conn.exec_driver_sql(sql)
                t_indexes = time.perf_counter()
                tally_months.rebuild(conn)
        t_totals = time.perf_counter()
        if store.dialect == "postgresql":
            with store.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql("VACUUM ANALYZE incidents")
                conn.exec_driver_sql("VACUUM ANALYZE incident_modes")
                conn.exec_driver_sql("VACUUM ANALYZE tally_months")
        series = claim_series(store)
        counts = store.counts()
        totals = _totals_rows(store)
    finally:
        store.close()
    t1 = time.perf_counter()
    return {
        "load_s": round(t1 - t0, 1),
        "insert_s": round(t_rows - t0, 1),
        "index_build_s": round(t_indexes - t_rows, 1),
        "totals_build_s": round(t_totals - t_indexes, 1),
        "tally_months_rows": totals,
        "incidents": counts["incidents"],
        "claim_series": series,
        "indexes_rebuilt": [name for name, _ in indexes],
    }


def _write(conn, rows: list[dict]) -> None:
    if conn.dialect.name == "postgresql":
        _copy(conn, incidents, rows)
        _copy(conn, incident_modes, _mode_rows(rows))
    else:
        conn.execute(incidents.insert(), rows)
        conn.execute(incident_modes.insert(), _mode_rows(rows))


# -- timing -----------------------------------------------------------------------------


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]  # nearest rank


def _totals_rows(store) -> int:
    with store.engine.connect() as conn:
        stmt = sa.select(sa.func.count()).select_from(tally_months.tally_months)
        return conn.execute(stmt).scalar()


def _filters(store, scope: dict) -> dict:
    """``aggregates.tally_counts`` keywords for a scope, as ``report.tally.tally`` gives
    them, figures included (the claim series' latest points)."""
    targets = StoreTargets(store)
    main = targets.filters(actor_scope(scope.get("target")))
    figures = []
    for s in matching_series(
        store.claim_series(),
        since=scope["since"],
        until=scope.get("until"),
        target=actor_scope(scope.get("target")),
        country=scope.get("country"),
    ):
        point = latest_point(s, scope.get("until"))
        if point is not None:
            figures.append(
                {
                    "since": s.period_start,
                    "until": point.as_of,
                    "country": s.region,
                    "severity": COUNTABLE[s.measure],
                    **targets.filters(series_scope(s)),
                }
            )
    return {
        "since": scope["since"],
        "until": scope.get("until"),
        "target_ids": main.get("target"),
        "target_names": main.get("target_names"),
        "countries": scope.get("country"),
        "figures": figures,
    }


def _plan(store, scope: dict) -> list[list[str]]:
    """EXPLAIN of each of the query's main statements, as the store runs them."""
    filters = _filters(store, scope)
    del filters["figures"]
    plans = []
    with store.engine.connect() as conn:
        for _sign, stmt in aggregates.tally_statements(store.dialect, **filters):
            sql = stmt.compile(conn, compile_kwargs={"literal_binds": True})
            if store.dialect == "sqlite":
                plans.append([row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")])
            else:
                plans.append([row[0] for row in conn.exec_driver_sql(f"EXPLAIN {sql}")])
    return plans


def _same_as_direct(store, scope: dict) -> bool:
    """Whether the counts from the month totals equal those over the incidents alone."""
    filters = _filters(store, scope)
    with store.engine.connect() as conn:
        by_month = aggregates.tally_counts(conn, **filters)
        direct = aggregates.tally_counts(conn, **filters, by_month=False)
    return by_month == direct


def time_queries(url: str, repeat: int, baseline: bool) -> dict:
    store = open_store(url)
    out = {}
    try:
        for name, scope in QUERIES.items():
            result = tally(store, **scope)  # warm-up (and the figures reported)
            runs = []
            cpu = []
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                tally(store, **scope)
                runs.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            out[name] = {
                "scope": {k: str(v) for k, v in scope.items()},
                "median_ms": round(statistics.median(runs), 1),
                "p95_ms": round(_p95(runs), 1),
                "min_ms": round(min(runs), 1),
                "client_cpu_median_ms": round(statistics.median(cpu), 1),
                "runs": repeat,
                "incidents": result.incidents,
                "official": {o.series.measure: o.counted for o in result.official},
                "plan": _plan(store, scope),
                "same_as_direct": _same_as_direct(store, scope),
            }
            if baseline:
                out[name]["before_ms"] = round(_old_path(store, scope), 1)
    finally:
        store.close()
    return out


def _old_path(store, scope: dict) -> float:
    """The tally as it was: every incident since the date loaded, counted in Python."""
    t0 = time.perf_counter()
    records = store.incident_records(since=scope["since"], until=scope.get("until"))
    compute_tally(records, store.claim_series(), **scope)
    return (time.perf_counter() - t0) * 1000


# -- databases --------------------------------------------------------------------------


@contextmanager
def sqlite_target() -> Iterator[tuple[str, str]]:
    folder = tempfile.mkdtemp(prefix="sitrep-tally-")
    try:
        yield str(Path(folder) / "tally.db"), f"SQLite {__import__('sqlite3').sqlite_version}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_target(url: str) -> Iterator[tuple[str, str]]:
    """A fresh schema of its own on the server at ``url``, dropped afterwards."""
    import psycopg

    base = make_url(url)
    libpq = base.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"sitrep_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq, autocommit=True) as admin:
        version = admin.execute("SHOW server_version").fetchone()[0]
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False), f"PostgreSQL {version}"
    finally:
        with psycopg.connect(libpq, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def run(database: str, target, args) -> dict:
    with target as (url, version):
        loaded = load(url, args.rows, args.seed)
        # the kernel writes the load back to disk for a while after it: not the tally's time
        t0 = time.perf_counter()
        os.sync()
        loaded["sync_s"] = round(time.perf_counter() - t0, 1)
        queries = time_queries(url, args.repeat, args.baseline)
    worst = max(q["p95_ms"] for q in queries.values())
    return {
        "benchmark": "tally_scale",
        "database": database,
        "version": version,
        "rows": args.rows,
        "seed": args.seed,
        **loaded,
        "queries": queries,
        "target_ms": TARGET_MS,
        "all_under_target": worst < TARGET_MS,
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    p.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    p.add_argument("--baseline", action="store_true", help="also time the old path, once")
    args = p.parse_args(argv)
    results = []
    if not args.no_sqlite:
        results.append(run("sqlite", sqlite_target(), args))
        print(json.dumps(results[-1]), flush=True)
    if args.postgres:
        results.append(run("postgresql", postgres_target(args.postgres), args))
        print(json.dumps(results[-1]), flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(json.dumps(r) for r in results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
