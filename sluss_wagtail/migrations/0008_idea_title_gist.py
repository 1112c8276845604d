from django.db import migrations

from sluss_wagtail import search_indexes



def gist_on(apps, schema_editor):
    """PostgreSQL with ``pg_trgm``: the ideas' titles' trigram index becomes a GiST one. It
    serves the ``%>`` filter as the GIN one did, and gives the rows nearest first
    (``similar.rank(…, nearest_first_by_index=True)``): "possibly the same as" reads its
    five without comparing and sorting every similar idea. Without ``pg_trgm`` (0002 and
    0003 warned) there is no index to change."""
    if not search_indexes.has_pg_trgm(schema_editor.connection):
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS sluss_idea_title_trgm_gist "
        "ON sluss_wagtail_idea USING gist (title gist_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS sluss_idea_title_trgm")


def gist_off(apps, schema_editor):
    if not search_indexes.has_pg_trgm(schema_editor.connection):
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS sluss_idea_title_trgm "
        "ON sluss_wagtail_idea USING gin (title gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS sluss_idea_title_trgm_gist")


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0007_views_indexes"),
    ]

    operations = [migrations.RunPython(gist_on, gist_off, elidable=False)]
