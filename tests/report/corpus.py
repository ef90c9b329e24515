"""A small corpus for the ledger tests, written by the project in its own words.

Two reports of the same rocket attack on Al-Asad Air Base (Monday 23 October 2023, two
lightly injured), one of a drone attack on Tower 22 (Thursday 26 October 2023, nobody
hurt) and an official tally: at least 40 attacks on US and coalition forces since
17 October, as of Tuesday 7 November 2023.
"""

from __future__ import annotations

import json
from pathlib import Path

REPORTS = {
    "asad_wire.txt": (
        "2023-10-24",
        "https://example.org/sitrep-tests/asad-wire",
        "Example Wire",
        "Rockets strike Al-Asad Air Base in western Iraq\n"
        "BAGHDAD (Example Wire) - The Islamic Resistance in Iraq fired two rockets at US forces "
        "at Al-Asad Air Base in western Iraq on Monday, a US defense official said. Two service "
        "members suffered minor injuries.\n",
    ),
    "asad_post.txt": (
        "2023-10-24",
        "https://example.org/sitrep-tests/asad-post",
        "Example Post",
        "Militia rockets wound two US troops at Al-Asad\n"
        "Militants fired rockets at Al-Asad Air Base in Iraq on Monday, lightly wounding two US "
        "troops, officials said. The base hosts American and coalition forces.\n",
    ),
    "tower22.txt": (
        "2023-10-27",
        "https://example.org/sitrep-tests/tower22",
        "Example Wire",
        "Drone hits Tower 22 outpost in Jordan\n"
        "An Iran-backed militia launched a one-way attack drone at US troops at Tower 22 in "
        "northeastern Jordan on Thursday, a Pentagon spokesperson said. Nobody was hurt.\n",
    ),
    "tally.txt": (
        "2023-11-07",
        "https://example.org/sitrep-tests/tally",
        "Example Wire",
        "Pentagon counts at least 40 attacks on US forces\n"
        "WASHINGTON (Example Wire) - US and coalition forces have come under attack at least 40 "
        "times since Oct. 17, the Pentagon said on Tuesday.\n",
    ),
}


def write_corpus(folder: Path, names: list[str] | None = None) -> Path:
    """The reports (all, or ``names``) and their manifest.jsonl in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for name in names or list(REPORTS):
        published, url, outlet, text = REPORTS[name]
        (folder / name).write_text(text, encoding="utf-8")
        lines.append(
            json.dumps({"path": name, "published": published, "url": url, "outlet": outlet})
        )
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def seed_path() -> Path | None:
    """The reference report in ../shared/seed, when it is beside this checkout."""
    here = Path(__file__).resolve()
    for root in (here.parents[3], here.parents[2]):
        p = root / "shared" / "seed" / "000_eecfeadf03d1135e.txt"
        if p.is_file():
            return p
    return None
