"""What ``makemigrations`` cannot write, kept apart from the schema of ``0001_initial`` so that
``0001`` can be generated again: the 17 goals and 3 dimensions, and on PostgreSQL the
planner statistics and trigram indexes of the inbox's search.

- The goals and dimensions are rows, not choices: ideas and pages link to them.
- Statistics: the inbox searches with ``icontains``, ``UPPER(column::text) LIKE
  UPPER('%word%')`` over the columns of ``IdeaAdmin.search_fields``. PostgreSQL keeps no
  statistics for such an expression unless asked to, guesses that a handful of ideas
  match, and for a common word reads and sorts the whole table (45 ms at 100,000 ideas)
  instead of walking the ``created_at`` index to the first page (under 1 ms). Statistics
  on each expression (PostgreSQL 14+) give it the real share.
- Trigram indexes (``sluss_wagtail.search_indexes``): where ``pg_trgm`` cannot be
  installed by this user they are left out with a warning; ``manage.py
  sluss_search_indexes`` builds them later.

Other databases: the goals and dimensions only.
"""

from django.db import migrations

GOAL_NUMBERS = range(1, 18)
DIMENSION_KEYS = ("social", "ecological", "economic")
SEARCHED_COLUMNS = ("reference", "title", "description", "need")


def seed(apps, schema_editor):
    Goal = apps.get_model("sluss_wagtail", "SustainableDevelopmentGoal")
    Dimension = apps.get_model("sluss_wagtail", "SustainabilityDimension")
    for number in GOAL_NUMBERS:
        Goal.objects.get_or_create(number=number)
    for key in DIMENSION_KEYS:
        Dimension.objects.get_or_create(key=key)


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


def create_indexes(apps, schema_editor):
    from sluss_wagtail import search_indexes

    search_indexes.create(schema_editor.connection)


def drop_indexes(apps, schema_editor):
    from sluss_wagtail import search_indexes

    search_indexes.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
