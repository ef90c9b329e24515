"""The web layer over PostgreSQL: the API tests that read and write the ledger, run again
with the store on PostgreSQL (``SITREP_TEST_POSTGRES_URL``; skipped with the reason when
unset or down). The incident list's fast path and the full-text search differ by dialect."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ENV, _pg_admin, _postgres_unavailable
from tests.web import ledger
from tests.web.conftest import make_app, serve
from tests.web.test_api import (  # noqa: F401  (collected here, with this module's `site`)
    test_claim_series_list_and_detail,
    test_detail_pages_have_json_twins,
    test_document_detail_marks_evidence,
    test_documents_list_and_full_text_search,
    test_incident_detail_traces_every_field_to_its_sentence,
    test_incident_filters,
    test_incidents_list_has_every_incident_newest_first,
    test_incidents_oldest_first,
    test_list_pages_are_what_the_openapi_document_says,
    test_list_summaries_agree_with_the_full_records,
    test_mentions_and_claims,
    test_overview_tally_report,
    test_paging_follows_next_links_to_the_end,
)
from tests.web.test_corrections import (  # noqa: F401
    test_a_correction_records_who_when_old_new_and_why,
    test_a_mention_correction_flows_into_its_incident_and_survives_re_extraction,
    test_corrections_survive_re_resolution_and_re_extraction,
    test_merge_then_split_hold_across_re_resolution,
)
from tests.web.test_escaping import test_every_page_showing_document_text_or_titles_renders_it_inert  # noqa: F401
from tests.web.test_writes import (  # noqa: F401
    test_a_correction_through_the_api_shows_on_the_incident,
    test_ingest_a_document,
    test_merge_and_split_through_the_api,
)

pytestmark = pytest.mark.postgres


def _schema_url():
    import os

    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    schema = f"sitrep_web_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE SCHEMA {schema}")
    url = make_url(os.environ[PG_ENV]).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def _served():
    schema, url = _schema_url()
    try:
        ledger.build(url)
        yield from serve(make_app(url))
    finally:
        _pg_admin(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="module")
def site():
    yield from _served()


@pytest.fixture
def fresh_site():
    yield from _served()


@pytest.fixture
def store():
    from sitrep.store import open_store

    schema, url = _schema_url()
    try:
        ledger.build(url)
        s = open_store(url)
        yield s
        s.close()
    finally:
        _pg_admin(f"DROP SCHEMA {schema} CASCADE")
