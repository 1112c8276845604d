"""SQLite only: a full-text index (FTS5) over the ideas' titles and texts, for the
similar-idea hint (``sluss_wagtail.similar``).

An external-content FTS5 table (``sluss_wagtail_idea_fts``: the words only, the text
stays in ``sluss_wagtail_idea``), three triggers that keep it in step when an idea is
added, its title or text changed (a correction, an erasure) or it is deleted, and a
``rebuild`` that fills it from the ideas already there.

Tokenizer: ``unicode61 remove_diacritics 0``. Case is folded (``Bänk`` finds
``bänkar``), but diacritics are kept: in Swedish å, ä and ö are letters of their own,
not a with a mark (``sjo`` is not ``sjö``, ``far`` is not ``får``). The price: ``ide``
does not find ``idé``.

Where SQLite has no FTS5 the migration does nothing and the hint counts words, as
on other databases; PostgreSQL has trigrams (0003). A later migration that makes
Django remake ``sluss_wagtail_idea`` on SQLite (it copies the table, which drops its
triggers) must run ``create_index`` again: the hint checks that all three triggers
are there and otherwise counts words rather than read an index out of step.
"""

from django.db import migrations

TABLE = "sluss_wagtail_idea_fts"
TRIGGERS = (f"{TABLE}_insert", f"{TABLE}_delete", f"{TABLE}_update")

CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "title, description, content='sluss_wagtail_idea', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON sluss_wagtail_idea BEGIN "
    f"INSERT INTO {TABLE}(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON sluss_wagtail_idea BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF title, description "
    "ON sluss_wagtail_idea BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); "
    f"INSERT INTO {TABLE}(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
)


def fts5_available(connection):
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.sluss_fts5_probe USING fts5(x)")
        except Exception as error:  # sqlite3's "no such module: fts5", wrapped by Django
            if "no such module" in str(error):
                return False
            raise
        cursor.execute("DROP TABLE temp.sluss_fts5_probe")
    return True


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or not fts5_available(connection):
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    for trigger in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    # Made only where FTS5 is, so dropping it needs nothing more.
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0003_assessment_coach_dialogue_benefits_following_portfolio"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
