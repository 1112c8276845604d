"""Planner statistics for the inbox search on PostgreSQL.

The inbox searches with ``icontains``: ``UPPER(column::text) LIKE UPPER('%word%')`` over
the columns of ``IdeaAdmin.search_fields``. PostgreSQL keeps no statistics for such an
expression unless asked to, guesses that a handful of ideas match, and for a common word
reads and sorts the whole table (45 ms at 100,000 ideas) instead of walking the
``created_at`` index to the first page (under 1 ms). Statistics on each expression
(PostgreSQL 14+) give it the real share. Other databases: nothing to do.
"""

from django.db import migrations

SEARCHED_COLUMNS = ("reference", "title", "description", "need")


def statistics_name(column):
    return f"sluss_idea_search_{column}"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    table = quote("sluss_wagtail_idea")
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {quote(statistics_name(column))} "
            f"ON (UPPER({quote(column)}::text)) FROM {table}"
        )
    # Now rather than at autovacuum's next visit.
    schema_editor.execute(f"ANALYZE {table}")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"DROP STATISTICS IF EXISTS {schema_editor.quote_name(statistics_name(column))}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0013_stage_listing_index"),
    ]

    operations = [
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
