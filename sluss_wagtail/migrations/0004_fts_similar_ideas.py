"""SQLite only: a full-text index (FTS5) over the ideas' titles and texts, for the
similar-idea hint (``sluss_wagtail.fts_index``, read by ``sluss_wagtail.similar``).

An external-content FTS5 table, three triggers that keep it in step, and a ``rebuild``
from the ideas already there. Where SQLite has no FTS5 it does nothing (the hint counts
words); on PostgreSQL too (the hint uses trigrams, 0003).
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from sluss_wagtail import fts_index

    fts_index.create(schema_editor.connection)


def drop_index(apps, schema_editor):
    from sluss_wagtail import fts_index

    fts_index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0003_assessment_coach_dialogue_benefits_following_portfolio"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
