"""Filters, order, paging and full-text search, on both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from sitrep.model import ActorRef, Claim, Extraction, Period, Range
from sitrep.store import queries
from tests.store.records import MILITIA, document, ev, mention

START = date(2023, 10, 17)
UNKNOWN = ActorRef(None, "unidentified militants", "unidentified")
MODES = [("rocket",), ("uas_one_way",), ("rocket", "mortar")]


def _report(i: int) -> Extraction:
    """Report i: one incident on START + i, in Iraq for even i and Syria for odd i."""
    day = START + timedelta(days=i)
    country = "IQ" if i % 2 == 0 else "SY"
    text = f"Bulletin {i}. An attack struck a base in {country} on day {i}. Officials counted {10 + i} attacks."
    doc = document(text, published=day, title=f"Bulletin {i}")
    m = mention(
        doc,
        "An attack struck",
        day=day,
        country=country,
        modes=MODES[i % 3],
        attacker=MILITIA if i < 4 else UNKNOWN,
    )
    claim = Claim(
        "attacks",
        Range.exact(10 + i),
        subject_id="us_coalition",
        period=Period(START, None),
        as_of=day if i % 2 == 0 else None,
        evidence=[ev(f"{10 + i} attacks", doc.text, "value")],
    )
    injured = Claim("injured", Range(i, None), "at_least", evidence=[])
    return Extraction(doc, [m], [claim, injured])


@pytest.fixture
def ledger(store):
    for i in range(6):
        store.save_extraction(_report(i))
    return store


def _days(mentions):
    return [(m.date.start - START).days for m in mentions]


def test_mentions_in_date_order(ledger):
    assert _days(ledger.mentions()) == [0, 1, 2, 3, 4, 5]


def test_mentions_by_date(ledger):
    assert _days(ledger.mentions(since=START + timedelta(days=2))) == [2, 3, 4, 5]
    assert _days(ledger.mentions(until="2023-10-18")) == [0, 1]
    assert _days(ledger.mentions(since="2023-10-18", until="2023-10-20")) == [1, 2, 3]


def test_mentions_by_country(ledger):
    assert _days(ledger.mentions(country="sy")) == [1, 3, 5]
    assert _days(ledger.mentions(country=["IQ", "SY"])) == [0, 1, 2, 3, 4, 5]


def test_mentions_by_mode(ledger):
    assert _days(ledger.mentions(mode="rocket")) == [0, 2, 3, 5]
    assert _days(ledger.mentions(mode="mortar")) == [2, 5]
    assert _days(ledger.mentions(mode=["uas_one_way", "mortar"])) == [1, 2, 4, 5]
    assert ledger.mentions(mode="ied") == []


def test_mentions_by_actor(ledger):
    assert _days(ledger.mentions(actor="irm")) == [0, 1, 2, 3]
    assert _days(ledger.mentions(attacker="Unidentified Militants")) == [4, 5]
    assert _days(ledger.mentions(target="us_forces")) == [0, 1, 2, 3, 4, 5]
    assert ledger.mentions(target="irm") == []


def test_filters_combine(ledger):
    got = ledger.mentions(since="2023-10-18", country="IQ", mode="rocket", actor="irm")
    assert _days(got) == [2]


def test_paging(ledger):
    pages = [_days(ledger.mentions(limit=4, offset=o)) for o in (0, 4, 8)]
    assert pages == [[0, 1, 2, 3], [4, 5], []]
    assert _days(ledger.mentions(offset=5)) == [5]
    assert len(ledger.documents(limit=2, offset=1)) == 2
    assert [c.value.min for c in ledger.claims(measure="attacks", limit=2, offset=1)] == [11, 12]


def test_claims_filters(ledger):
    attacks = ledger.claims(measure="attacks")
    assert [c.value.min for c in attacks] == [10, 11, 12, 13, 14, 15]
    # Without an as-of date a claim speaks for its document's publication day.
    assert [c.value.min for c in ledger.claims(measure="attacks", since="2023-10-19")] == [
        12,
        13,
        14,
        15,
    ]
    assert len(ledger.claims(subject_id="us_coalition")) == 6
    assert len(ledger.claims(measure=["attacks", "injured"])) == 12
    doc_id = ledger.documents(limit=1)[0].id
    assert [c.measure for c in ledger.claims(doc_id=doc_id)] == ["attacks", "injured"]


def test_documents_newest_first_and_by_date(ledger):
    docs = ledger.documents()
    assert [d.published for d in docs] == sorted((d.published for d in docs), reverse=True)
    assert len(ledger.documents(since="2023-10-20")) == 3
    assert len(ledger.documents(since="2023-10-20", until="2023-10-21")) == 2


def test_bad_paging_is_a_store_error(ledger):
    from sitrep.errors import StoreError

    with pytest.raises(StoreError, match="limit must be 0 or more"):
        ledger.mentions(limit=-1)


# -- full-text search -------------------------------------------------------------------

TEXTS = {
    "drone": "A one-way attack drone struck Tower 22 near the border overnight.",
    "rockets": "Rockets were fired at Al-Asad airbase; no injuries were reported.",
    "talks": "The two governments held talks about a withdrawal of coalition troops.",
    "both": "Rockets and a drone hit the garrison within an hour of each other.",
}


@pytest.fixture
def library(store):
    for name, text in TEXTS.items():
        store.save_extraction(Extraction(document(text, title=name.title())))
    return store


def _found(store, q, **kw):
    return sorted(d.title.lower() for d in store.documents(q=q, **kw))


def test_search_words_and_stems(library):
    assert _found(library, "drone") == ["both", "drone"]
    assert _found(library, "rocket") == ["both", "rockets"]  # stemmed: rockets
    assert _found(library, "rockets drone") == ["both"]
    assert _found(library, "Withdrawal") == ["talks"]
    assert _found(library, "talks") == ["talks"]  # the title is searched too


def test_search_operators(library):
    assert _found(library, "drone OR withdrawal") == ["both", "drone", "talks"]
    assert _found(library, "drone -rockets") == ["drone"]
    assert _found(library, '"attack drone"') == ["drone"]
    assert _found(library, '"drone attack"') == []


def test_search_punctuation_is_not_syntax(library):
    assert _found(library, "Al-Asad") == ["rockets"]
    assert _found(library, "tower 22") == ["drone"]
    assert _found(library, 'drone"') == ["both", "drone"]
    assert _found(library, "- ( ) *") == []
    assert _found(library, "nothing-like-this") == []


def test_search_with_filters_and_paging(library):
    assert len(library.documents(q="drone", limit=1)) == 1
    assert len(library.documents(q="drone", limit=1, offset=1)) == 1
    assert library.documents(q="drone", until="2000-01-01") == []


def test_search_ranks_better_matches_first(store):
    store.save_extraction(Extraction(document("A drone was seen.", title="Sighting")))
    store.save_extraction(
        Extraction(document("Drone after drone after drone: a drone swarm.", title="Drone swarm"))
    )
    assert [d.title for d in store.documents(q="drone")] == ["Drone swarm", "Sighting"]


def test_search_follows_deletes(library):
    doc = library.documents(q="withdrawal")[0]
    ex = Extraction(doc)
    ex.document.title = "Talks"
    assert library.save_extraction(ex, replace=True)
    assert _found(library, "withdrawal") == ["talks"]
    with library.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM documents WHERE id = :id"), {"id": doc.id})
    assert _found(library, "withdrawal") == []


def test_fts5_query_translation():
    assert queries.fts5_query("a b") == '"a" AND "b"'
    assert queries.fts5_query("a or b c") == '("a" OR "b") AND "c"'
    assert queries.fts5_query('"x y" -z') == '"x y" NOT "z"'
    assert queries.fts5_query('say "hi') == '"say" AND "hi"'
    assert queries.fts5_query('a"b') == '"a""b"'
    assert queries.fts5_query("-only") is None
    assert queries.fts5_query("or") is None


# -- the filters use indexes ------------------------------------------------------------


def _plan(store, stmt) -> str:
    with store.engine.connect() as conn:
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        if store.dialect == "sqlite":
            return " | ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: make the choice visible
        return " | ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))


def test_search_uses_the_full_text_index(library):
    stmt = queries.documents_stmt(
        library.dialect, since=None, until=None, q="drone", limit=10, offset=0
    )
    plan = _plan(library, stmt)
    assert (
        ("documents_fts VIRTUAL TABLE" in plan)
        if library.dialect == "sqlite"
        else ("ix_documents_search" in plan)
    )


def test_mode_filter_uses_the_side_table_index(ledger):
    from sitrep.store.schema import incident_mentions, mention_modes

    modes = sa.select(mention_modes.c.mention_id).where(mention_modes.c.mode == "rocket")
    stmt = sa.select(incident_mentions.c.id).where(incident_mentions.c.id.in_(modes))
    plan = _plan(ledger, stmt)
    assert "pk_mention_modes" in plan or "INDEX sqlite_autoindex_mention_modes" in plan, plan
