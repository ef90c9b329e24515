"""A small test ledger, written for these tests in our own words (the facts are the kind
of thing public reporting says; no sentence is copied), built through the library:
extract, save, resolve."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitrep.model import Document, Extraction, content_id

REPORTS = [
    (
        "2023-10-19",
        "Drones and rockets target Al-Asad Airbase",
        "https://example.org/news/asad-drones",
        "Two one-way attack drones and a salvo of rockets were launched at US forces at "
        "Al-Asad Airbase in Iraq on Wednesday, a US defense official said. Three service "
        "members suffered minor injuries in the attack.\n\n"
        "The base in western Anbar hosts American and coalition troops.",
    ),
    (
        "2023-10-20",
        "Drone attack on Al-Tanf garrison in Syria",
        "https://example.org/news/tanf-drone",
        "A one-way attack drone struck US forces at Al-Tanf Garrison in Syria on Thursday, "
        "the Pentagon said. Two service members were lightly wounded.\n\n"
        "Officials said a second drone was shot down before it reached the garrison.",
    ),
    (
        "2023-10-21",
        "Details emerge of the Al-Tanf drone strike",
        "https://example.org/news/tanf-details",
        "Officials described Thursday's one-way drone attack on US forces at Al-Tanf Garrison "
        "in Syria in more detail. Two US troops received minor injuries and returned to "
        "duty, a defense official said.",
    ),
    (
        "2023-10-26",
        "Pentagon tallies attacks since mid-October",
        "https://example.org/news/tally-oct26",
        "US and coalition forces have been attacked at least 16 times since Oct. 17, the "
        "Pentagon press secretary said on Thursday. Twelve of the attacks took place in Iraq "
        "and four in Syria.\n\n"
        "At least 21 US personnel suffered minor injuries since Oct. 17, he said.",
    ),
    (
        "2023-11-02",
        "Rockets fired at Erbil air base",
        "https://example.org/news/erbil-rockets",
        "Three rockets were fired at US forces at Erbil Air Base in Iraq on Tuesday, causing "
        "no damage, according to a US military official.\n\n"
        "US and coalition forces have now been attacked at least 27 times since Oct. 17, "
        "the Pentagon press secretary said.",
    ),
]

# A document whose title and text carry markup: every page must show it as text.
HOSTILE_TITLE = (
    'Rocket report <script>window.__pwned = "title"</script><img src=x onerror="window.__pwned=1">'
)
HOSTILE_TEXT = (
    "A rocket struck US forces at Al-Asad Airbase in Iraq on Friday, a US defense "
    'official said. <script>window.__pwned = "text"</script> '
    '<b onmouseover="window.__pwned=2">bold?</b> </textarea><iframe src="javascript:alert(1)"></iframe>'
)
HOSTILE_PUBLISHED = "2023-10-28"


def hostile_extraction() -> Extraction:
    """The hostile document, stored as given (no HTML cleaning), with its records."""
    from sitrep.extract import extract_document

    doc = Document(
        id=content_id(HOSTILE_TEXT),
        text=HOSTILE_TEXT,
        title=HOSTILE_TITLE,
        url="javascript:alert(document.cookie)",
        outlet="<i>Outlet</i>",
        published=date.fromisoformat(HOSTILE_PUBLISHED),
    )
    return extract_document(doc)


def build(path: Path) -> Path:
    """A SQLite ledger at ``path``: the reports above plus the hostile one, resolved."""
    import sitrep
    from sitrep.ledger import resolve_store
    from sitrep.store import open_store

    with open_store(path) as store:
        for published, title, url, text in REPORTS:
            store.save_extraction(sitrep.extract(text, published=published, url=url, title=title))
        store.save_extraction(hostile_extraction())
        resolve_store(store)
    return path
