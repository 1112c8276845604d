"""SQLite only: the ideas' full-text index (FTS5) for the similar-idea hint.

An external-content FTS5 table (``sluss_wagtail_idea_fts``: the words only, the text
stays in ``sluss_wagtail_idea``) over the ideas' titles and texts, and three triggers
that keep it in step when an idea is added, its title or text changed (a correction)
or it is deleted. Made by migration 0004 where SQLite has FTS5; ``sluss_wagtail.similar``
reads it.

Tokenizer: ``unicode61 remove_diacritics 0``. Case is folded (``Bänk`` finds
``bänkar``), diacritics are kept: in Swedish å, ä and ö are letters of their own, not a
or o with a mark (``sjo`` is not ``sjö``, ``far`` is not ``får``). The price: ``ide``
does not find ``idé``.

When Django alters ``sluss_wagtail_idea`` on SQLite it often remakes the table (a copy
under a new name, the old one dropped), and the old table's triggers go with it. So
after every ``migrate`` (``post_migrate``) ``repair`` puts back any trigger that is
missing and rebuilds the index from the rows; until then the hint sees a trigger
missing and counts words rather than read an index out of step.
"""

TABLE = "sluss_wagtail_idea_fts"
IDEAS = "sluss_wagtail_idea"

TRIGGERS = {
    f"{TABLE}_insert": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON {IDEAS} BEGIN "
        f"INSERT INTO {TABLE}(rowid, title, description) "
        "VALUES (new.id, new.title, new.description); END"
    ),
    f"{TABLE}_delete": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON {IDEAS} BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, title, description) "
        "VALUES ('delete', old.id, old.title, old.description); END"
    ),
    f"{TABLE}_update": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF title, description "
        f"ON {IDEAS} BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, title, description) "
        "VALUES ('delete', old.id, old.title, old.description); "
        f"INSERT INTO {TABLE}(rowid, title, description) "
        "VALUES (new.id, new.title, new.description); END"
    ),
}

CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    f"title, description, content='{IDEAS}', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')"
)
REBUILD = f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"


def fts5_available(connection):
    """Whether this SQLite has FTS5 (a probe table in ``temp``, dropped at once)."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.sluss_fts5_probe USING fts5(x)")
        except Exception as error:  # sqlite3's "no such module: fts5", wrapped by Django
            if "no such module" in str(error):
                return False
            raise
        cursor.execute("DROP TABLE temp.sluss_fts5_probe")
    return True


def present(connection):
    """The names of the index's table and triggers that the database has."""
    names = (TABLE, *TRIGGERS)
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM sqlite_master WHERE name IN ({placeholders})", names)
        return {row[0] for row in cursor.fetchall()}


def create(connection):
    """The table, its triggers and the words of the ideas already there; SQLite with
    FTS5 only (elsewhere nothing). Returns whether the index is there."""
    if connection.vendor != "sqlite" or not fts5_available(connection):
        return False
    with connection.cursor() as cursor:
        for statement in (CREATE_TABLE, *TRIGGERS.values(), REBUILD):
            cursor.execute(statement)
    return True


def drop(connection):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for trigger in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        # Made only where FTS5 is, so dropping it needs nothing more.
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def repair(connection):
    """Where the table is but a trigger is not (a remade ideas' table lost them): the
    triggers put back and the index rebuilt. Returns whether anything was repaired."""
    if connection.vendor != "sqlite":
        return False
    found = present(connection)
    if TABLE not in found or found >= {TABLE, *TRIGGERS}:
        return False
    with connection.cursor() as cursor:
        for statement in (*TRIGGERS.values(), REBUILD):
            cursor.execute(statement)
    return True
