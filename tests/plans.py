"""PostgreSQL's plans, for the tests that prove an index serves the SQL Django writes."""

from django.db import connection


def plan_of(sql, params=None, *, plain_index_scans=True):
    """PostgreSQL's plan for ``sql``, the planner told to prefer an index to a scan of the
    few rows a test has (``plain_index_scans=False``: to prefer a bitmap of an index to a
    walk of the primary key, too)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not plain_index_scans:
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    return plan
