"""PostgreSQL knows how many ideas an inbox search matches (migration 0014).

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
