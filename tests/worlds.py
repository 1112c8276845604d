"""A world of test data built once per module, each test rolling back to it."""

import copy
import sys

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

#: The modules that build a world with world_per_module() (conftest.py checks their tests).
MODULES_WITH_A_WORLD = set()


def world_per_module(build):
    """Two fixtures for a module whose tests each read (or write and roll back) the same
    world: ``build()`` runs once per module (and worker) inside a transaction that is rolled
    back after the module's last test, and each test gets ``world``, a deep copy of what it
    returned, inside its own savepoint (pytest-django's ``db``), as Django's
    ``TestCase.setUpTestData`` gives each test its class data. A test that writes rolls back
    to the world; a test that changes the world's Python objects changes its own copy.

    Use it in a module of ``db`` tests only: a transactional test (``transactional_db``,
    ``live_server``) cannot run inside the module's transaction, and
    conftest.py refuses such a module.

        _world, world = world_per_module(World)
    """
    MODULES_WITH_A_WORLD.add(sys._getframe(1).f_globals["__name__"])

    @pytest.fixture(scope="module", name="_world_per_module")
    def built(django_db_setup, django_db_blocker):
        def build_in_swedish():
            with translation.override("sv"):
                return build()

        yield from world_rolled_back(django_db_blocker, build_in_swedish)

    # (The module's transaction is opened before the test's own: a module-scoped fixture is
    # set up before a function-scoped one.)
    @pytest.fixture(name="world")
    def each(_world_per_module, db):
        return copy.deepcopy(_world_per_module)

    return built, each


def world_rolled_back(django_db_blocker, build):
    """The body of a class- or module-scoped fixture that builds a world once for its tests:
    ``yield from world_rolled_back(django_db_blocker, build)``.

    ``build()`` runs in a transaction of its own, and what it returns is yielded. Every test
    of the scope runs inside that transaction (each test's own transaction is a savepoint of
    it, rolled back after the test as always: what a test writes never reaches the next one),
    and it is rolled back when the scope ends, so nothing of the world is left for the tests
    of other modules, in any order and under pytest-xdist (a worker that comes back to the
    scope builds it again). Not for transactional tests (``transactional_db``): they commit.

    The database is open only while the world is built and rolled back. Hand the tests
    primary keys, read again in a function-scoped fixture: an instance kept across tests
    carries into the next test what one test cached on it.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # A durable block of the code under test may open inside it, as inside a
        # TestCase's own atomic blocks.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            world = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    cache.clear()  # nothing the build cached outlives the world
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        cache.clear()
