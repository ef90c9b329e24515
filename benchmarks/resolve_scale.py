"""Incident resolution at scale: time and peak memory of ``resolve_incidents``.

Synthetic mentions, reproducible from a seed: 300 places (20 facilities and 10 cities in
each of 10 countries), two years of dates, attack modes, casualties and actors; each
attack is reported by 1-4 documents, each report with the noise real reports have (a
week or a month instead of the day, the city or the country instead of the facility,
"indirect fire" instead of "rockets", no modes, casualty figures off by one, undated).

Each size runs in its own process, so peak memory (``ru_maxrss``) is that size's alone;
``rss_before_mb`` is the process after building the mentions, so the difference is what
resolution itself holds at its peak. With ``--incremental`` (default), the last 1,000
mentions are also resolved against the incidents of the others, and timed apart.

Prints one JSON line (the sizes, then the growth ratio of the largest to the smallest)
and writes it to benchmarks/out/resolve_scale.json.

    .venv/bin/python benchmarks/resolve_scale.py [--sizes 100000,1000000] [--seed 7]
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sitrep.model import ActorRef, Casualties, DateSpan, Evidence, IncidentMention, Place, Range
from sitrep.resolve import pairwise_scores, resolve_incidents

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "resolve_scale.json"
COUNTRIES = {  # code: (name, lat, lon) of a box corner; places spread over 4 x 5 degrees
    "IQ": ("Iraq", 30.5, 41.0),
    "SY": ("Syria", 33.0, 36.5),
    "JO": ("Jordan", 29.5, 35.5),
    "LB": ("Lebanon", 33.0, 35.1),
    "YE": ("Yemen", 13.0, 43.5),
    "SA": ("Saudi Arabia", 20.0, 40.0),
    "KW": ("Kuwait", 28.6, 46.6),
    "TR": ("Turkey", 37.0, 36.0),
    "IR": ("Iran", 30.0, 50.0),
    "SO": ("Somalia", 2.0, 43.0),
}
MODES = [  # incident modes and their weights
    (["rocket"], 22),
    (["uas_one_way"], 28),
    (["rocket", "uas_one_way"], 4),
    (["mortar"], 5),
    (["indirect_fire"], 4),
    (["ballistic_missile"], 5),
    (["ied"], 10),
    (["small_arms"], 10),
    (["airstrike"], 8),
    (["rpg_atgm"], 4),
]
GENERIC = {"rocket": "indirect_fire", "mortar": "indirect_fire", "ballistic_missile": "missile"}
ATTACKERS = [f"group-{i}" for i in range(8)]
TARGETS = ["us-forces", "coalition", "civilians", "government-forces"]
START = date(2023, 1, 1)
DAYS = 730
NEW_FOR_INCREMENTAL = 1000


def places(rng: random.Random, scale: int = 1) -> list[tuple[str, str, float, float, str]]:
    """30 places a country (20 facilities, 10 towns), ``scale`` times as many on request."""
    out = []
    size = 1.0 if scale == 1 else scale**0.5  # a bigger world spreads over more ground
    for cc, (_, lat0, lon0) in COUNTRIES.items():
        for i in range(20 * scale):
            lat, lon = lat0 + rng.random() * 4 * size, lon0 + rng.random() * 5 * size
            out.append((f"{cc} Base {i:03d}", cc, lat, lon, "facility"))
        for i in range(10 * scale):
            # half the towns lie next to a facility (within ~10 km), half anywhere
            if i % 2 == 0:
                _, _, blat, blon, _ = out[-20 * scale + i]
                lat, lon = blat + rng.uniform(-0.06, 0.06), blon + rng.uniform(-0.06, 0.06)
            else:
                lat, lon = lat0 + rng.random() * 4 * size, lon0 + rng.random() * 5 * size
            out.append((f"{cc} Town {i:03d}", cc, lat, lon, "city"))
    return out


def synthetic(
    n: int, seed: int = 7, world: str = "fixed"
) -> tuple[list[IncidentMention], list[int]]:
    """``n`` mentions and, for each, the index of the attack it reports (the truth).

    ``world="fixed"``: 300 places whatever ``n`` (so 10x mentions is 10x attacks per place
    and day); ``"scaled"``: 300 places per 100,000 mentions (constant density).
    """
    rng = random.Random(seed)
    sites = places(rng, 1 if world == "fixed" else max(1, round(n / 100_000)))
    towns: dict[str, list] = {}
    for t in sites:
        if t[4] == "city":
            towns.setdefault(t[1], []).append(t)
    twin = {}  # a facility's town: the town beside it, else itself named as a town
    for i, (name, cc, lat, lon, kind) in enumerate(sites):
        if kind == "facility":
            near = next((t for t in towns[cc] if _km(lat, lon, t[2], t[3]) < 15), None)
            twin[i] = near or (name, cc, lat, lon, "city")
        else:
            twin[i] = (name, cc, lat, lon, "city")
    mode_sets = [m for m, _ in MODES]
    mode_weights = [w for _, w in MODES]
    n_docs = max(10, n // 3)
    mentions: list[IncidentMention] = []
    truth: list[int] = []
    attack = 0
    while len(mentions) < n:
        site = rng.randrange(len(sites))
        name, cc, lat, lon, precision = sites[site]
        day = START + timedelta(days=rng.randrange(DAYS))
        modes = rng.choices(mode_sets, mode_weights)[0]
        killed = rng.choice((0, 0, 0, 1, 2, 3, 5))
        injured = rng.choice((0, 0, 1, 2, 4, 8, 20))
        attacker = rng.choice(ATTACKERS) if rng.random() < 0.7 else None
        target = rng.choice(TARGETS)
        k = rng.choices((1, 2, 3, 4), (35, 30, 20, 15))[0]
        docs: set[str] = set()
        while len(docs) < k:
            docs.add(f"doc-{rng.randrange(n_docs):07d}")
        for doc in sorted(docs):
            if len(mentions) >= n:
                break
            r = rng.random()
            if r < 0.85:
                span = DateSpan(day, None, "day")
            elif r < 0.89:
                span = DateSpan(day, day + timedelta(days=1), "day")
            elif r < 0.95:
                monday = day - timedelta(days=day.weekday())
                span = DateSpan(monday, monday + timedelta(days=6), "week")
            elif r < 0.98:
                first = day.replace(day=1)
                span = DateSpan(
                    first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1), "month"
                )
            else:
                span = DateSpan()
            r = rng.random()
            if r < 0.85:
                place = Place(name, cc, None, lat, lon, precision)
            elif r < 0.93:
                place = Place(COUNTRIES[cc][0], cc, None, None, None, "country")
            else:  # the town beside it
                town = twin[site]
                place = Place(town[0], cc, None, town[2], town[3], "city")
            r = rng.random()
            said = list(modes)
            if r < 0.07:
                said = []
            elif r < 0.15:
                said = [GENERIC.get(m, m) for m in modes]
            cas = Casualties()
            if rng.random() < 0.6:
                cas.killed = Range.exact(
                    max(0, killed + (rng.choice((-1, 1)) if rng.random() < 0.2 else 0))
                )
            if rng.random() < 0.5:
                low = max(0, injured + (rng.choice((-1, 1)) if rng.random() < 0.2 else 0))
                cas.injured = Range(low, None) if rng.random() < 0.1 else Range.exact(low)
            ev = [
                Evidence("date", 0, 10, "on Tuesday"),
                Evidence("place", 20, 20 + len(place.name or ""), place.name or ""),
                Evidence("attack_modes", 40, 47, "rockets"),
            ]
            mentions.append(
                IncidentMention(
                    date=span,
                    place=place,
                    attack_modes=said,
                    weapons=[],
                    attacker=ActorRef(attacker, attacker, "non_state_armed_group")
                    if attacker and rng.random() < 0.6
                    else None,
                    target=ActorRef(target, target, None) if rng.random() < 0.7 else None,
                    casualties=cas,
                    evidence=ev,
                    confidence=0.6,
                    id=f"m{len(mentions):08d}",
                    document_id=doc,
                )
            )
            truth.append(attack)
        attack += 1
    return mentions, truth


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.0
    dx = (lon2 - lon1) * 111.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def _cpu() -> float:
    """CPU seconds of this process (user + system) from ``getrusage``: on some virtual
    machines ``time.process_time`` (the process CPU-time clock) runs ahead of the wall
    clock in a single-threaded run."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_one(n: int, seed: int, incremental: bool, world: str) -> dict:
    mentions, truth = synthetic(n, seed, world)
    gc.collect()
    rss_before = _rss_mb()
    t0, c0 = time.perf_counter(), _cpu()
    incidents = resolve_incidents(mentions)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    attack_of = {m.id: a for m, a in zip(mentions, truth, strict=True)}
    gold: dict[int, list[str]] = {}
    for mid, a in attack_of.items():
        gold.setdefault(a, []).append(mid)
    quality = pairwise_scores([i.mention_ids for i in incidents], list(gold.values()))
    out = {
        "mentions": n,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "mentions_per_second": round(n / seconds),
        "peak_rss_mb": round(peak),
        "rss_before_mb": round(rss_before),
        "incidents": len(incidents),
        "attacks": len(gold),
        "pairwise_precision": round(quality["precision"], 4),
        "pairwise_recall": round(quality["recall"], 4),
    }
    if incremental:
        del incidents
        gc.collect()
        head, tail = mentions[:-NEW_FOR_INCREMENTAL], mentions[-NEW_FOR_INCREMENTAL:]
        base = resolve_incidents(head)
        t0 = time.perf_counter()
        again = resolve_incidents(tail, existing=base)
        out["incremental_new_mentions"] = len(tail)
        out["incremental_seconds"] = round(time.perf_counter() - t0, 2)
        out["incremental_same_as_full"] = len(again) == out["incidents"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-incremental", dest="incremental", action="store_false")
    ap.add_argument(
        "--world",
        choices=("fixed", "scaled"),
        default="fixed",
        help="fixed: 300 places at every size (the default); scaled: 300 per 100k mentions",
    )
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size here
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.incremental, args.world)))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    runs = []
    for n in sizes:
        cmd = [
            sys.executable,
            __file__,
            "--one",
            str(n),
            "--seed",
            str(args.seed),
            "--world",
            args.world,
        ]
        if not args.incremental:
            cmd.append("--no-incremental")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            return done.returncode
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    result = {
        "benchmark": "resolve_scale",
        "seed": args.seed,
        "world": args.world,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu": os.cpu_count(),
        "runs": runs,
    }
    if len(runs) > 1:
        small, big = runs[0], runs[-1]
        result["growth"] = {
            "mentions_ratio": big["mentions"] / small["mentions"],
            "time_ratio": round(big["seconds"] / small["seconds"], 2),
            "cpu_time_ratio": round(big["cpu_seconds"] / small["cpu_seconds"], 2),
            "target_time_ratio": round(12 * (big["mentions"] / small["mentions"]) / 10, 2),
        }
    line = json.dumps(result)
    print(line)
    out = OUT if args.world == "fixed" else OUT.with_name(f"resolve_scale_{args.world}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(line + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
