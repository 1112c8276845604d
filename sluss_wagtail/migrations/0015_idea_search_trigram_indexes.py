"""Trigram indexes for the inbox's search on PostgreSQL (``sluss_wagtail.search_indexes``).

Where ``pg_trgm`` cannot be installed by this user the indexes are left out with a
warning; ``manage.py sluss_search_indexes`` builds them later. Other databases: nothing.
"""

from django.db import migrations


def create_indexes(apps, schema_editor):
    from sluss_wagtail import search_indexes

    search_indexes.create(schema_editor.connection)


def drop_indexes(apps, schema_editor):
    from sluss_wagtail import search_indexes

    search_indexes.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0014_idea_search_statistics"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
