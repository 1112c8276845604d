"""PostgreSQL's plans, for the tests that prove an index serves the SQL Django writes."""

from django.db import connection


def plan_of(sql, params=None, *, plain_index_scans=True, sorts=True):
    """PostgreSQL's plan for ``sql``, the planner told to prefer an index to a scan of the
    few rows a test has (``plain_index_scans=False``: to prefer a bitmap of an index to a
    walk of the primary key, too; ``sorts=False``: to prefer rows read in order, nearest
    first out of an index, to a sort of the few there are).

    The test database's statistics are whatever autovacuum last saw of a worker's many
    tests (rolled back rows included): told only to avoid scans, the planner once read
    the few ideas of a sluice through its key and sorted them, where a site's thousands
    come nearest first out of the GiST index."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not plain_index_scans:
            cursor.execute("SET LOCAL enable_indexscan = off")
        if not sorts:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_indexscan", "enable_sort"):
            cursor.execute(f"RESET {setting}")
    return plan
