"""Trigram indexes for the inbox's search on PostgreSQL (the ``pg_trgm`` extension).

The inbox searches ideas by substring (``icontains``: ``UPPER(column::text) LIKE
UPPER('%word%')``) over ``SEARCHED_COLUMNS``, the admin's ``search_fields``. A word in
many ideas is read off the ``created_at`` index (migration 0002's statistics tell
the planner how many match); a rare word or a reference number needs an index that
can find a substring: a GIN index of trigrams on each expression. At 100,000 ideas a
rare word went from a scan of every idea (150 ms) to 0.1 ms.

``pg_trgm`` ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): a
user who may create objects in the database may install it. Migration 0002 calls
``create()``; where the extension cannot be installed it leaves the indexes out and
says so, and ``manage.py sluss_search_indexes`` builds them later (without locking the
table) once a database administrator has run ``CREATE EXTENSION pg_trgm``. Other
databases: nothing to do.
"""

import logging

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

TABLE = "sluss_wagtail_idea"
#: The columns the inbox searches (``IdeaAdmin.search_fields``; a test keeps them alike).
SEARCHED_COLUMNS = ("reference", "title", "description", "need")


def index_name(column):
    return f"sluss_idea_trgm_{column}"


def applies(connection):
    return connection.vendor == "postgresql"


def install_extension(connection):
    """True if ``pg_trgm`` is installed (now or before), False if this user may not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            logger.warning(
                "sluss_wagtail: the inbox's search has no trigram indexes: pg_trgm could "
                "not be installed (%s). Have a database administrator run CREATE "
                "EXTENSION pg_trgm, then run manage.py sluss_search_indexes.",
                str(error).strip().splitlines()[0] if str(error).strip() else error,
            )
            return False
    return True


def has_pg_trgm(connection):
    """PostgreSQL, and ``pg_trgm`` installed (now, by this user, or before): where the
    migrations and ``create`` build trigram indexes."""
    return applies(connection) and install_extension(connection)


def missing(connection):
    """The searched columns without a valid trigram index (a build that was interrupted
    leaves an invalid one)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND i.indisvalid AND c.relname = ANY(%s)",
            [TABLE, [index_name(column) for column in SEARCHED_COLUMNS]],
        )
        present = {row[0] for row in cursor.fetchall()}
    return [column for column in SEARCHED_COLUMNS if index_name(column) not in present]


def build_sql(connection, column, *, concurrently=False):
    """Drop what an interrupted build left, then build the index."""
    quote = connection.ops.quote_name
    how = "CONCURRENTLY " if concurrently else ""
    return [
        f"DROP INDEX {how}IF EXISTS {quote(index_name(column))}",
        f"CREATE INDEX {how}{quote(index_name(column))} ON {quote(TABLE)} "
        f"USING gin (UPPER({quote(column)}::text) gin_trgm_ops)",
    ]


def create(connection, *, concurrently=False):
    """Build the missing indexes; the columns built, or None without ``pg_trgm``.

    ``concurrently`` builds them without blocking writes (not inside a transaction:
    the management command's way on a live site).
    """
    if not has_pg_trgm(connection):
        return None
    built = missing(connection)
    with connection.cursor() as cursor:
        for column in built:
            for sql in build_sql(connection, column, concurrently=concurrently):
                cursor.execute(sql)
    return built


def drop(connection):
    if not applies(connection):
        return
    with connection.cursor() as cursor:
        for column in SEARCHED_COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index_name(column))}")
