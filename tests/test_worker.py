"""A real worker: with ``django_tasks_db`` (the ``worker`` extra), a submission's receipt is
sent by the worker process, not by the process that took the submission.

Three processes share one database (a file copy of the migrated test database on SQLite,
a database of its own on PostgreSQL): the worker (``manage.py db_worker``), the web
process that takes the submission through the public form, and this test. Each process
writes its e-mails as files to a folder of its own.
"""

import email
import email.policy
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connections

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parent.parent
#: The longest the worker may take to send the receipt (it polls every 0.5 s; a loaded CI
#: machine is slow to start processes); it returns as soon as the receipt is there.
RECEIPT_WITHIN_SECONDS = 30
PROCESS_TIMEOUT = 60


@pytest.fixture(scope="module")
def shared_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """``DATABASE_URL`` of a copy of the migrated test database that other processes open.

    Module-scoped, so it is made before the test opens its transaction (on PostgreSQL the
    copy needs the test database to itself) and the test database itself stays as it is.
    """
    with django_db_blocker.unblock():
        yield from copy_of_test_database(tmp_path_factory.mktemp("shared-db"))


def copy_of_test_database(folder):
    connection = connections["default"]
    if connection.vendor == "sqlite":
        path = folder / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        yield f"sqlite:///{path}"
        return
    assert connection.vendor == "postgresql", connection.vendor
    settings = connection.settings_dict
    copy = f"{settings['NAME']}_worker"
    # CREATE DATABASE … TEMPLATE needs the test database to itself.
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{settings["NAME"]}"')
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    try:
        yield f"postgres://{user}{password}@{host}:{port}/{copy}"
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def environment(database_url, mail_dir):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": database_url,
        "SLUSS_TEST_MAIL_DIR": str(mail_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
    }


def run(args, env):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def messages_in(folder):
    """The e-mails the file backend wrote to ``folder``, parsed."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                found.append(email.message_from_bytes(raw, policy=email.policy.default))
    return found


# (The mark has the test database set up; the test reads and writes only the copy.)
@pytest.mark.django_db
def test_the_worker_process_sends_the_receipt_of_a_submission(shared_database, tmp_path):
    web_mail, worker_mail = tmp_path / "web-mail", tmp_path / "worker-mail"
    web_mail.mkdir()
    worker_mail.mkdir()
    web, worker_env = (
        environment(shared_database, web_mail),
        environment(shared_database, worker_mail),
    )
    # The backend's own tables (the test database has only the package's and the site's).
    run(["-m", "django", "migrate", "django_tasks_database", "-v", "0"], web)

    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.5"]
        + ["--no-startup-delay", "--no-reload", "--worker-id", "sluss-test-worker"],
        cwd=ROOT,
        env=worker_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        reference = run(["-m", "tests.worker_submit"], web).strip()
        assert reference.startswith("IDE-")

        deadline = time.monotonic() + RECEIPT_WITHIN_SECONDS
        while not messages_in(worker_mail) and time.monotonic() < deadline:
            assert worker.poll() is None, "the worker stopped"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=PROCESS_TIMEOUT)
    log.seek(0)
    worker_log = log.read()
    log.close()

    receipts = messages_in(worker_mail)
    assert len(receipts) == 1, worker_log
    receipt = receipts[0]
    assert receipt["To"] == "karin@exempelby.invalid"
    assert reference in receipt["Subject"]
    assert reference in receipt.get_body(("plain",)).get_content()
    # The web process only enqueued it.
    assert messages_in(web_mail) == []
    assert "sluss_wagtail.tasks.send_idea_receipt" in worker_log
    assert "FAILED" not in worker_log, worker_log


def test_the_example_sites_worker_settings_pass_the_checks(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.worker",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
    }
    out = run(["-m", "django", "check", "--fail-level", "WARNING"], env)
    assert "no issues" in out
