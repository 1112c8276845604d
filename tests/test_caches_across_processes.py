"""Nobody is shown stale data, whatever ``CACHES`` says: the tests' cache is Django's
default ``LocMemCache``, which each process keeps for itself.

Two real processes share one database (a file, copied from the test database): a
coordinator's process (an app server) fills its cache with the inbox, the statistics,
the showcase and the settings; another process (a cron command, a second worker)
changes the ideas, publishes an innovation and changes the feedback promise; the
coordinator's process then shows every change at once. The cache generations are read
from the database (``caching``); what that costs is counted here too.
"""

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from sluss_wagtail import caching, stats
from sluss_wagtail.links import inbox_path
from tests.factories import (
    create_coordinator,
    create_ideas_in_bulk,
    create_showcase_index,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _process_local(process_local_cache):
    """The tests' LocMemCache is what it is here (the processes run with it as well)."""


ALL_TIME = (date(2000, 1, 1), None)
ANSWER = "ANSWER "


# What each process runs (imported by ``python -c`` in a process of its own) ------------


def coordinator_process():
    """Answers each line on stdin with what the coordinator is shown now, as JSON."""
    from django.test import Client

    from sluss_wagtail.models import SlussSettings
    from sluss_wagtail.pages.models import ShowcaseIndexPage

    client = Client()
    client.force_login(get_coordinator())
    for _line in sys.stdin:
        inbox = client.get(inbox_path())
        showcase = client.get(ShowcaseIndexPage.objects.get().url)
        seen = {
            "listed": len(inbox.context["object_list"]),
            "received": stats.compute(*ALL_TIME).received,
            "cards": showcase.content.decode().count('class="sluss-card"'),
            "promise": SlussSettings.for_default_site().feedback_promise_days,
        }
        print(ANSWER + json.dumps(seen), flush=True)


def get_coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="coordinator")


def other_process():
    """What a cron command or a second worker does: each change in a transaction."""
    from django.db import transaction

    from sluss_wagtail.models import Idea, SlussSettings
    from sluss_wagtail.pages.models import ShowcaseIndexPage
    from tests.factories import IdeaFactory, create_innovation

    with transaction.atomic():
        for n in range(3):
            IdeaFactory(title=f"Idé från en annan process {n}")
    with transaction.atomic():
        create_innovation(ShowcaseIndexPage.objects.get(), title="Ny innovation")
    with transaction.atomic():
        settings = SlussSettings.for_default_site()
        settings.feedback_promise_days = 7
        settings.save()
    print(ANSWER + json.dumps({"ideas": Idea.objects.count()}), flush=True)


# The two processes ------------------------------------------------------------------------


def process_env(database_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "example_site"), str(ROOT)]),
    }


@pytest.fixture
def shared_sqlite_database(django_db_setup, django_db_blocker, tmp_path):
    """A file database both processes open: the test database's tables and seed rows,
    plus a coordinator, an idea and a showcase with one innovation."""
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database")
    path = tmp_path / "db.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
    env = process_env(f"sqlite:///{path}")
    run(env, "setup_process")
    return env


@pytest.fixture
def shared_postgresql_database(db):
    """The PostgreSQL test database itself (the test is transactional: the processes see
    what is committed), with what ``shared_sqlite_database`` adds."""
    if connection.vendor != "postgresql":
        pytest.skip("opens the PostgreSQL test database")
    config = connection.settings_dict
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    address = f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
    env = process_env(f"postgres://{credentials}@{address}/{config['NAME']}")
    run(env, "setup_process")
    return env


def setup_process():
    from tests.factories import IdeaFactory, create_innovation

    create_coordinator()
    IdeaFactory(title="Den första idén")
    create_innovation(create_showcase_index(), title="Första innovationen")
    print(ANSWER + "{}", flush=True)


def command(function):
    """``python -c`` that runs ``function`` of this module in a process of its own, set up
    as the tests are (e-mails into ``mail.outbox``, ``response.context``)."""
    return [
        sys.executable,
        "-c",
        "import django; django.setup(); "
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        f"from tests.test_caches_across_processes import {function}; {function}()",
    ]


def answer(stdout):
    for line in stdout.splitlines():
        if line.startswith(ANSWER):
            return json.loads(line[len(ANSWER) :])
    raise AssertionError(f"no answer in {stdout!r}")


def run(env, function):
    done = subprocess.run(
        command(function), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return answer(done.stdout)


class CoordinatorProcess:
    def __init__(self, env):
        self.process = subprocess.Popen(
            command("coordinator_process"),
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def look(self):
        self.process.stdin.write("look\n")
        self.process.stdin.flush()
        while True:
            line = self.process.stdout.readline()
            assert line, "the coordinator's process ended"
            if line.startswith(ANSWER):
                return json.loads(line[len(ANSWER) :])

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def see_what_another_process_changed(env):
    coordinator = CoordinatorProcess(env)
    try:
        before = coordinator.look()
        assert before == {"listed": 1, "received": 1, "cards": 1, "promise": 14}
        assert coordinator.look() == before  # now from its cache
        assert run(env, "other_process") == {"ideas": 4}
        after = coordinator.look()
    finally:
        coordinator.stop()
    assert after == {**before, "listed": 4, "received": 4, "cards": 2, "promise": 7}


# (Marked for the database: pytest-django then runs it before the transactional tests,
# which empty the test database's seed rows.)
@pytest.mark.django_db
def test_a_coordinator_sees_at_once_what_another_process_changed(shared_sqlite_database):
    see_what_another_process_changed(shared_sqlite_database)


# (Its seed rows, which an earlier transactional test may have emptied, are restored.)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_coordinator_sees_at_once_what_another_process_changed_on_postgresql(
    shared_postgresql_database,
):
    see_what_another_process_changed(shared_postgresql_database)


#: A test whose transactions commit. Its seed rows are restored afterwards: a later test
#: with serialized_rollback (tests/test_double_submission.py) fails after a flush that
#: re-created the content types.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# What it costs --------------------------------------------------------------------------


def test_the_cache_of_these_tests_is_process_local():
    assert caching.cache_is_process_local()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Build the data as another process would have: committed, its generations written."""

    def build(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return build


def generation_reads(captured):
    return [q for q in captured if "sluss_wagtail_cachegeneration" in q["sql"]]


def ideas_and_a_coordinator():
    create_ideas_in_bulk(5)
    caching.IDEAS.bump()  # (create_ideas_in_bulk sends no signals)
    create_showcase_index()
    return create_coordinator()


@pytest.mark.django_db
def test_a_request_reads_the_generations_once(client, committed, django_assert_num_queries):
    client.force_login(committed(ideas_and_a_coordinator))
    url = inbox_path()
    client.get(url)
    # The inbox's 15 queries with a shared cache (tests/test_query_budgets.py), and the
    # generations: once, for both counts.
    with django_assert_num_queries(16) as captured:
        assert len(client.get(url).context["object_list"]) == 5
    assert len(generation_reads(captured)) == 1


@pytest.mark.django_db
def test_the_dashboard_reads_the_generations_once(client, committed, django_assert_num_queries):
    client.force_login(committed(ideas_and_a_coordinator))
    url = reverse("wagtailadmin_home")
    client.get(url)
    # The dashboard's 20 with a shared cache ("Waiting for me" among them), and the
    # generations of the figures and the settings in one query.
    with django_assert_num_queries(21) as captured:
        client.get(url)
    assert len(generation_reads(captured)) == 1


@pytest.mark.django_db
def test_outside_a_request_each_use_reads_the_generations(committed, django_assert_num_queries):
    committed(ideas_and_a_coordinator)
    stats.compute(*ALL_TIME)
    with django_assert_num_queries(1):  # the figures' generation; the figures are cached
        stats.compute(*ALL_TIME)


@pytest.mark.django_db
def test_a_change_in_a_transaction_is_seen_by_that_transaction_at_once():
    # (The whole test is one transaction that is never committed.)
    before = caching.IDEAS.current()
    caching.IDEAS.bump()
    during = caching.IDEAS.current()
    assert during != before
    caching.IDEAS.bump()
    assert caching.IDEAS.current() not in (before, during)


@committing
def test_a_rolled_back_change_leaves_nothing_behind():
    from django.db import transaction

    before = caching.IDEAS.current()

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        caching.IDEAS.bump()
        assert caching.IDEAS.current() != before
        raise Rollback
    assert caching.IDEAS.current() == before


@committing
def test_the_next_transaction_forgets_a_rolled_back_change():
    # As in a site with ATOMIC_REQUESTS: a request rolled back, the next one in a
    # transaction of its own. It must read what every process reads, not the old
    # transaction's private generation.
    from django.db import transaction

    before = caching.IDEAS.current()
    with pytest.raises(ValueError), transaction.atomic():
        caching.IDEAS.bump()
        raise ValueError
    with transaction.atomic():
        assert caching.IDEAS.current() == before


@committing
def test_a_rolled_back_savepoint_leaves_nothing_behind():
    from django.db import transaction

    before = caching.IDEAS.current()
    with transaction.atomic():
        with pytest.raises(ValueError), transaction.atomic():
            caching.IDEAS.bump()
            raise ValueError
        assert caching.IDEAS.current() == before


@committing
def test_a_commit_writes_a_new_generation_for_every_process():
    from django.db import transaction

    from sluss_wagtail.models import CacheGeneration

    before = caching.IDEAS.current()
    with transaction.atomic():
        caching.IDEAS.bump()
        during = caching.IDEAS.current()
    stored = CacheGeneration.objects.get(name="ideas").value
    assert caching.IDEAS.current() == stored
    assert stored not in (before, during)  # nothing cached inside the transaction is read


# check --deploy ---------------------------------------------------------------------------


def deploy_warnings():
    return [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.id.startswith("sluss_wagtail.W08")
    ]


@pytest.mark.django_db
def test_check_deploy_warns_about_a_process_local_cache():
    (warning,) = deploy_warnings()
    assert warning.id == "sluss_wagtail.W080"
    assert "LocMemCache" in warning.msg and "one query" in warning.msg
    assert "RedisCache" in warning.hint


@pytest.mark.django_db
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_check_deploy_warns_about_a_cache_that_keeps_nothing():
    assert [warning.id for warning in deploy_warnings()] == ["sluss_wagtail.W081"]


@pytest.mark.django_db
def test_check_deploy_says_nothing_of_a_shared_cache(tmp_path):
    shared = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with override_settings(CACHES={"default": {**shared, "LOCATION": str(tmp_path)}}):
        assert deploy_warnings() == []
        assert not caching.cache_is_process_local()
