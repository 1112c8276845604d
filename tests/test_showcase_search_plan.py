"""PostgreSQL: the showcase's search reads Wagtail's index entries through an index
(migration 0010).

Wagtail's database backend matches a search of every field against ``title || body``
of its index entries, and indexes the two columns apart: without an index of the joined
vectors every entry was compared (at 10,000 innovations 30 ms of the first search after
a publish), and the planner, guessing that 50 match, read and sorted every match for
the listing's page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sluss_wagtail import page_types
from sluss_wagtail.caching import SHOWCASE

from .factories import create_innovations_in_bulk, create_showcase_index, index_in_bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

INDEX = "sluss_search_entry_gin"


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): Wagtail's PostgreSQL search backend")


def test_the_joined_vectors_have_a_valid_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s AND i.indisvalid",
            [INDEX],
        )
        (definition,) = cursor.fetchone()
    assert "(title || body)" in definition, definition


def test_the_showcase_search_after_a_publish_reads_the_entries_through_the_index(client):
    # Enough pages that the planner weighs a scan (the showcase's other pages) against
    # the index: one in ten matches, as a word a few innovations share.
    showcase = create_showcase_index()
    create_innovations_in_bulk(showcase, 900, summary="Hemtjänsten öppnar med telefonen.")
    create_innovations_in_bulk(showcase, 100, summary="Lånecyklar vid biblioteket.")
    model = page_types.innovation_model()
    index_in_bulk(model, model.objects.child_of(showcase))
    with connection.cursor() as cursor:
        # What autovacuum would know of the new rows on a site.
        for table in ("wagtailcore_page", model._meta.db_table, "wagtailsearch_indexentry"):
            cursor.execute(f"ANALYZE {table}")
    SHOWCASE.bump()  # the listing asks the search backend, as after a publish
    with CaptureQueriesContext(connection) as queries:
        response = client.get(showcase.url, {"q": "lånecyklar"})
    assert response.status_code == 200
    assert response.context["innovations"].paginator.count == 100
    counted = [
        query["sql"]
        for query in queries.captured_queries
        if " @@ " in query["sql"] and query["sql"].startswith("SELECT COUNT(*)")
    ]
    assert len(counted) == 1, "the showcase did not count what the search backend found"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {counted[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The count sees every match: through the index (the expressions must match exactly
    # for the planner to use it at all), not a comparison of every entry. (The page of
    # twelve may walk the listing's order and test each page's entry by its key.)
    assert INDEX in plan, plan
