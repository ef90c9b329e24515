"""Load test of the HTTP API on loopback: the incident list under concurrent clients.

A SQLite store gets --incidents synthetic incidents (written through the Store API, with
their attack modes, places, targets and casualties), the app is served the way a user
would run it in production (``sitrep serve --workers N --no-access-log``, one worker per
core by default) on 127.0.0.1, and --clients concurrent clients request the incident
list for --seconds after a short warm-up. Prints one JSON line (latency percentiles in
milliseconds, requests per second, errors, the server's CPU time per request, the
machine's load) and writes it to benchmarks/out/api_load.json. Target: p95 under 100 ms
with no errors.

The clients are ``wrk`` when it is installed (Debian: ``apt-get install wrk``): written
in C, it leaves the cores to the server, which matters on a small machine. Without it
(or with --generator httpx) they are asyncio httpx clients in this process, which take a
good share of the CPU from the server on two cores; the result names the generator.
wrk checks status codes only, so the page's body is checked once before the run.

--pages N spreads the requests over the first N pages (offset 0, 50, ...) instead of
the first page alone; --cache-mb 0 turns the server's page cache off
(SITREP_PAGE_CACHE_MB), so every request reads the database.

    .venv/bin/python benchmarks/api_load.py [--incidents 100000] [--clients 50] [--seconds 30]
        [--workers CORES] [--generator auto|wrk|httpx] [--pages 1] [--cache-mb 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
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


def start_server(db: Path, port: int, workers: int, cache_mb: int | None, log) -> subprocess.Popen:
    """``sitrep serve`` in a process group of its own (its workers are its children)."""
    env = {**os.environ, "SITREP_DB": str(db)}
    env.pop("SITREP_READ_TOKEN", None)
    if cache_mb is not None:
        env["SITREP_PAGE_CACHE_MB"] = str(cache_mb)
    cmd = [
        sys.executable,
        "-m",
        "sitrep.cli",
        "serve",
        "--db",
        str(db),
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise SystemExit(f"server exited: {log.read().decode()[-2000:]}")
        try:
            if (
                httpx.get(f"http://{HOST}:{port}/api/incidents?limit=1", timeout=2).status_code
                == 200
            ):
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("server did not start within 90 s")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def server_cpu_s(proc: subprocess.Popen) -> float | None:
    """User plus system CPU seconds of the server and its workers so far (Linux)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        pids = [proc.pid]
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks
    except (OSError, ValueError):
        return None


def page_paths(path: str, pages: int, page_size: int = 50) -> list[str]:
    """The first ``pages`` pages of the list at ``path``."""
    if pages <= 1:
        return [path]
    sep = "&" if "?" in path else "?"
    return [f"{path}{sep}offset={k * page_size}" for k in range(pages)]


def check_body(url: str) -> None:
    """The page is the incident list, not empty, before anyone measures it."""
    r = httpx.get(url, timeout=30)
    if r.status_code != 200 or not r.content.startswith(b'{"filters"'):
        raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:200]}")
    if not r.json()["incidents"]:
        raise SystemExit(f"{url}: an empty page")


# wrk's Lua hooks: cycle through the page paths (when more than one) and print the
# figures as one JSON line at the end (wrk's own report has no 95th percentile).
WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
%(request)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p90_us":%%d,"p95_us":%%d,' ..
    '"p99_us":%%d,"max_us":%%d,"mean_us":%%.1f,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""
WRK_REQUEST = """
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def run_wrk(base: str, paths: list[str], clients: int, seconds: float, warmup: float) -> dict:
    threads = max(1, min(os.cpu_count() or 1, clients))
    lua = WRK_SCRIPT % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "request": WRK_REQUEST if len(paths) > 1 else "",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    try:
        common = ["wrk", f"-t{threads}", f"-c{clients}", "--timeout", "30s", "-s", f.name]
        url = base + paths[0]
        if warmup > 0:
            subprocess.run(
                [*common, f"-d{max(1, round(warmup))}s", url],
                check=True,
                capture_output=True,
            )
        out = subprocess.run(
            [*common, f"-d{max(1, round(seconds))}s", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(f.name)
    got = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    errors = {k: got[k] for k in ("connect", "read", "write", "status", "timeout") if got[k]}
    return {
        "requests": got["requests"],
        "elapsed_s": got["duration_us"] / 1e6,
        "p50": got["p50_us"] / 1e6,
        "p90": got["p90_us"] / 1e6,
        "p95": got["p95_us"] / 1e6,
        "p99": got["p99_us"] / 1e6,
        "max": got["max_us"] / 1e6,
        "mean": got["mean_us"] / 1e6,
        "errors": errors,
        "in_app": [],
    }


async def run_clients(urls: list[str], clients: int, seconds: float, warmup: float) -> dict:
    """``clients`` closed-loop clients, each its own httpx.AsyncClient holding one
    keep-alive connection (one shared pool of 50 costs the client more CPU than the
    server spends on the request, on a small machine)."""
    latencies: list[float] = []
    in_app: list[float] = []  # the server's own time (its Server-Timing header)
    errors: dict[str, int] = {}
    begin = time.perf_counter()
    measure_from = begin + warmup
    stop = measure_from + seconds

    async def one_client(start: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            i = start
            while True:
                t0 = time.perf_counter()
                if t0 >= stop:
                    return
                i += 1
                try:
                    r = await client.get(urls[i % len(urls)])
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

    await asyncio.gather(*(one_client(k) for k in range(clients)))
    return {"latencies": latencies, "in_app": in_app, "errors": errors}


def run_httpx(base: str, paths: list[str], clients: int, seconds: float, warmup: float) -> dict:
    got = asyncio.run(run_clients([base + p for p in paths], clients, seconds, warmup))
    lat = sorted(got["latencies"])
    return {
        "requests": len(lat),
        "elapsed_s": seconds,
        "p50": percentile(lat, 50),
        "p90": percentile(lat, 90),
        "p95": percentile(lat, 95),
        "p99": percentile(lat, 99),
        "max": lat[-1] if lat else float("nan"),
        "mean": statistics.fmean(lat) if lat else float("nan"),
        "errors": got["errors"],
        "in_app": sorted(got["in_app"]),
    }


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
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server worker processes (default: one per core)",
    )
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "httpx"),
        default="auto",
        help="the load generator (auto: wrk when installed, else httpx)",
    )
    parser.add_argument("--path", default="/api/incidents", help="the list URL (default page size)")
    parser.add_argument(
        "--pages", type=int, default=1, help="spread requests over the first N pages"
    )
    parser.add_argument(
        "--cache-mb", type=int, help="the server's page cache (SITREP_PAGE_CACHE_MB; 0: off)"
    )
    parser.add_argument(
        "--db", type=Path, help="reuse or create the store here (default: a temporary file)"
    )
    args = parser.parse_args()
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "httpx"
    elif generator == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        build_s = None
        if stored_incidents(db) != args.incidents:  # missing, empty or another size
            db.unlink(missing_ok=True)
            build_s = build_store(db, args.incidents)
        port = free_port()
        base = f"http://{HOST}:{port}"
        paths = page_paths(args.path, args.pages)
        load_before = os.getloadavg()
        with open(Path(tmp) / "server.log", "w+b") as log:
            server = start_server(db, port, args.workers, args.cache_mb, log)
            try:
                for p in {paths[0], paths[-1]}:
                    check_body(base + p)
                cpu0 = server_cpu_s(server)
                run = run_wrk if generator == "wrk" else run_httpx
                got = run(base, paths, args.clients, args.seconds, args.warmup)
                cpu1 = server_cpu_s(server)
            finally:
                stop_server(server)

    n_errors = sum(got["errors"].values())
    cache_mb = args.cache_mb
    if cache_mb is None:  # what the server ran with: the environment, else the default
        from sitrep.web import Settings

        cache_mb = Settings.from_env().page_cache_mb
    ms = lambda x: round(x * 1000, 2)  # noqa: E731
    cpu_per_request = (
        ms((cpu1 - cpu0) / got["requests"])
        if cpu0 is not None and cpu1 is not None and got["requests"]
        else None
    )
    result = {
        "benchmark": "api_load",
        "generator": generator,
        "path": args.path,
        "pages": args.pages,
        "incidents": args.incidents,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "page_cache_mb": cache_mb,
        "requests": got["requests"],
        "requests_per_s": round(got["requests"] / got["elapsed_s"], 1),
        "p50_ms": ms(got["p50"]),
        "p90_ms": ms(got["p90"]),
        "p95_ms": ms(got["p95"]),
        "p99_ms": ms(got["p99"]),
        "max_ms": ms(got["max"]),
        "mean_ms": ms(got["mean"]),
        "in_app_p50_ms": ms(percentile(got["in_app"], 50)) if got["in_app"] else None,
        "in_app_p95_ms": ms(percentile(got["in_app"], 95)) if got["in_app"] else None,
        "server_cpu_ms_per_request": cpu_per_request,
        "errors": n_errors,
        "error_kinds": got["errors"],
        "target_p95_ms": 100,
        "meets_target": got["requests"] > 0 and got["p95"] < 0.100 and n_errors == 0,
        "store_build_s": round(build_s, 1) if build_s is not None else None,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
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
