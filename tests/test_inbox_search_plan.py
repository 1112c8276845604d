"""PostgreSQL knows how many ideas an inbox search matches (migration 0002).

Without statistics on ``UPPER(column::text)`` the planner guesses that a few ideas match
any word, and for a common word it reads and sorts the whole table instead of walking
the ``created_at`` index to the first page of the listing.
"""

import functools
import json
import operator

import pytest
from django.db import connection
from django.db.models import Q

from sluss_wagtail import search_indexes
from sluss_wagtail.admin.options import IdeaAdmin
from sluss_wagtail.models import Idea

from .factories import create_ideas_in_bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): planner statistics")


def searched(word):
    """The inbox's search: ``icontains`` over the admin's search fields."""
    lookups = (Q(**{f"{field}__icontains": word}) for field in IdeaAdmin.search_fields)
    return Idea.objects.filter(functools.reduce(operator.or_, lookups))


def estimated_rows(queryset):
    return json.loads(queryset.explain(format="json"))[0]["Plan"]["Plan Rows"]


def test_every_searched_column_has_statistics():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxname FROM pg_statistic_ext WHERE stxrelid = %s::regclass",
            [Idea._meta.db_table],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {f"sluss_idea_search_{field}" for field in IdeaAdmin.search_fields} <= names


def test_the_planner_expects_as_many_matches_as_there_are():
    create_ideas_in_bulk(1500, description="Ett bänkbord vid badplatsen.")
    create_ideas_in_bulk(1500, description="Belysning längs skolvägen.")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Idea._meta.db_table)}")
    queryset = searched("bänkbord")
    actual = queryset.count()
    assert actual == 1500
    # Without the statistics PostgreSQL guesses a few dozen.
    assert actual / 2 <= estimated_rows(queryset) <= actual * 2


# ---- trigram indexes (migration 0002, search_indexes, manage.py sluss_search_indexes) ----


def test_the_admin_searches_the_indexed_columns():
    assert IdeaAdmin.search_fields == search_indexes.SEARCHED_COLUMNS


def test_every_searched_column_has_a_valid_trigram_index():
    assert search_indexes.missing(connection) == []


def test_a_rare_word_and_a_reference_number_are_found_through_the_trigram_indexes():
    create_ideas_in_bulk(300, description="Belysning längs skolvägen.")
    with connection.cursor() as cursor:
        # Whether the planner may use the indexes for Django's own SQL (a small table
        # would be scanned anyway): the expressions must match exactly.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor walk created_at
    for word in ("zebrafink", "IDE-"):
        plan = searched(word).explain()
        for column in search_indexes.SEARCHED_COLUMNS:
            assert search_indexes.index_name(column) in plan, (word, column, plan)


def test_the_command_rebuilds_a_missing_or_invalid_index_and_reports():
    from io import StringIO

    from django.core.management import CommandError, call_command

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {search_indexes.index_name('need')}")
    with pytest.raises(CommandError, match="need"):
        call_command("sluss_search_indexes", "--check", stdout=StringIO())
    # Not concurrently here: the test runs inside a transaction.
    assert search_indexes.create(connection) == ["need"]
    assert search_indexes.missing(connection) == []
    out = StringIO()
    call_command("sluss_search_indexes", "--check", stdout=out)
    assert "Every searched column has its trigram index" in out.getvalue()


def test_without_the_right_to_install_pg_trgm_the_indexes_are_left_out_with_a_warning(caplog):
    from django.core.management import CommandError, call_command

    with connection.cursor() as cursor:  # all rolled back with the test's transaction
        cursor.execute("DROP EXTENSION pg_trgm CASCADE")
        cursor.execute("CREATE ROLE sluss_no_extensions NOLOGIN")
        cursor.execute("SET LOCAL ROLE sluss_no_extensions")
    assert search_indexes.create(connection) is None
    assert "CREATE EXTENSION pg_trgm" in caplog.text
    with pytest.raises(CommandError, match="database administrator"):
        call_command("sluss_search_indexes")
