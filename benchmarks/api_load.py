"""Load test of the HTTP API on loopback: the incident list under concurrent clients.

A SQLite store gets --incidents synthetic incidents (written through the Store API, with
their attack modes, places, targets and casualties), the app is served by uvicorn in its
own process on 127.0.0.1, and --clients concurrent clients (httpx, asyncio) request the
incident list for --seconds after a short warm-up. Prints one JSON line (latency
percentiles in milliseconds, requests per second, errors) and writes it to
benchmarks/out/api_load.json. Target: p95 under 100 ms with no errors.

    .venv/bin/python benchmarks/api_load.py [--incidents 100000] [--clients 50] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "api_load.json"
HOST = "127.0.0.1"  # loopback only, always

MODES = [
    "rocket",
    "mortar",
    "uas_one_way",
    "indirect_fire",
    "ballistic_missile",
    "ied",
    "small_arms",
]
PLACES = [  # (name, country, lat, lon)
    ("Al-Asad Airbase", "IQ", 33.7856, 42.4412),
    ("Erbil Air Base", "IQ", 36.2376, 43.9632),
    ("Al-Tanf Garrison", "SY", 33.496, 38.635),
    ("Mission Support Site Conoco", "SY", 35.1, 40.3),
    ("Tower 22", "JO", 33.32, 38.69),
    ("Baghdad Diplomatic Support Center", "IQ", 33.26, 44.23),
    ("Harir Air Base", "IQ", 36.53, 44.35),
    ("Rumalyn Landing Zone", "SY", 36.87, 42.03),
]


def synthetic_incidents(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    start = date(2023, 10, 17)
    out = []
    for i in range(n):
        name, country, lat, lon = PLACES[rnd.randrange(len(PLACES))]
        modes = rnd.sample(MODES, rnd.choice((1, 1, 1, 2)))
        injured = rnd.choice((None, None, None, 0, 1, 2, 5))
        day = start + timedelta(days=rnd.randrange(730))
        out.append(
            {
                "id": f"bench{i:08d}",
                "date_start": day,
                "date_end": day,
                "date_precision": "day",
                "place_name": name,
                "country": country,
                "lat": lat,
                "lon": lon,
                "place_precision": "facility",
                "attack_modes": modes,
                "weapons": [m.replace("_", " ") for m in modes],
                "target_id": "us_forces",
                "target_name": "US forces",
                "target_kind": "state_military",
                "outcome": [rnd.choice(("impact", "intercepted", "no_damage"))],
                "injured_min": injured,
                "injured_max": injured,
                "minor_min": injured,
                "minor_max": injured,
                "confidence": round(rnd.uniform(0.5, 0.99), 2),
                "fields_json": {
                    "fields": {},
                    "conflicts": [],
                    "document_ids": [f"doc{i % 5000:06d}"],
                },
            }
        )
    return out


def build_store(path: Path, n: int) -> float:
    from sitrep.store import open_store

    t0 = time.perf_counter()
    with open_store(path) as store:
        store.replace_incidents(synthetic_incidents(n))
        assert store.counts()["incidents"] == n
    return time.perf_counter() - t0


def stored_incidents(path: Path) -> int:
    if not path.exists():
        return 0
    from sitrep.store import open_store

    with open_store(path) as store:
        return store.counts()["incidents"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "SITREP_DB": str(db)}
    env.pop("SITREP_READ_TOKEN", None)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "sitrep.web.app:app_from_env",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if (
                httpx.get(f"http://{HOST}:{port}/api/incidents?limit=1", timeout=2).status_code
                == 200
            ):
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not start within 60 s")


async def run_clients(url: str, clients: int, seconds: float, warmup: float) -> dict:
    """``clients`` closed-loop clients, each its own httpx.AsyncClient holding one
    keep-alive connection (one shared pool of 50 costs the client more CPU than the
    server spends on the request, on a small machine)."""
    latencies: list[float] = []
    in_app: list[float] = []  # the server's own time (its Server-Timing header)
    errors: dict[str, int] = {}
    begin = time.perf_counter()
    measure_from = begin + warmup
    stop = measure_from + seconds

    async def one_client() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            while True:
                t0 = time.perf_counter()
                if t0 >= stop:
                    return
                try:
                    r = await client.get(url)
                    body = r.content
                    ok = (
                        r.status_code == 200
                        and body.startswith(b'{"filters"')
                        and b'"count":0,' not in body
                    )
                    problem = None if ok else f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    problem = type(exc).__name__
                t1 = time.perf_counter()
                if t0 >= measure_from:
                    latencies.append(t1 - t0)
                    if problem:
                        errors[problem] = errors.get(problem, 0) + 1
                    elif "server-timing" in r.headers:
                        in_app.append(float(r.headers["server-timing"].split("dur=")[1]) / 1000)

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return {"latencies": latencies, "in_app": in_app, "errors": errors}


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--path", default="/api/incidents", help="the list URL (default page size)")
    parser.add_argument(
        "--db", type=Path, help="reuse or create the store here (default: a temporary file)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        build_s = None
        if stored_incidents(db) != args.incidents:  # missing, empty or another size
            db.unlink(missing_ok=True)
            build_s = build_store(db, args.incidents)
        port = free_port()
        server = start_server(db, port, args.workers)
        try:
            url = f"http://{HOST}:{port}{args.path}"
            got = asyncio.run(run_clients(url, args.clients, args.seconds, args.warmup))
        finally:
            server.terminate()
            server.wait(timeout=30)

    lat = sorted(got["latencies"])
    app = sorted(got["in_app"])
    n_errors = sum(got["errors"].values())
    ms = lambda x: round(x * 1000, 2)  # noqa: E731
    result = {
        "benchmark": "api_load",
        "path": args.path,
        "incidents": args.incidents,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "requests": len(lat),
        "requests_per_s": round(len(lat) / args.seconds, 1),
        "p50_ms": ms(percentile(lat, 50)),
        "p95_ms": ms(percentile(lat, 95)),
        "p99_ms": ms(percentile(lat, 99)),
        "max_ms": ms(lat[-1]) if lat else None,
        "mean_ms": ms(statistics.fmean(lat)) if lat else None,
        "in_app_p50_ms": ms(percentile(app, 50)),
        "in_app_p95_ms": ms(percentile(app, 95)),
        "errors": n_errors,
        "error_kinds": got["errors"],
        "target_p95_ms": 100,
        "meets_target": bool(lat) and percentile(lat, 95) < 0.100 and n_errors == 0,
        "store_build_s": round(build_s, 1) if build_s is not None else None,
        "cpus": os.cpu_count(),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    line = json.dumps(result)
    print(line)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
