from django.conf import settings
from django.db import migrations

from sluss_wagtail import search_indexes

INDEX = "sluss_page_title_trgm_gist"



def _title_table(apps, schema_editor):
    # The site's page model (Wagtail 8's WAGTAIL_PAGE_MODEL: with a base page of its own,
    # wagtailcore's Page has no table), and of it the table that holds the title.
    page = apps.get_model(settings.WAGTAIL_PAGE_MODEL)
    return schema_editor.quote_name(page._meta.get_field("title").model._meta.db_table)


def gist_on(apps, schema_editor):
    """PostgreSQL with ``pg_trgm``: a GiST trigram index of the pages' titles, which the
    similar-idea hint's ``title %> …`` filter of the open challenges and the public
    innovations reads (``similar.rank``) instead of comparing the title of every page:
    at 10,000 innovations that comparison was half the hint's time (42 ms of 84). Wagtail's
    own table: the index is the sluice's, named for it, and dropped when it goes."""
    if not search_indexes.has_pg_trgm(schema_editor.connection):
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {_title_table(apps, schema_editor)} "
        "USING gist (title gist_trgm_ops)"
    )


def gist_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0008_idea_title_gist"),
    ]

    operations = [migrations.RunPython(gist_on, gist_off, elidable=False)]
