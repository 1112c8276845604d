"""A world of test data built once per module, each test rolling back to it."""

import copy
import sys

import pytest
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
        with django_db_blocker.unblock(), translation.override("sv"):
            atomic = transaction.atomic()
            # A durable block of the code under test may open inside it, as inside a
            # TestCase's own atomic blocks.
            atomic._from_testcase = True
            with atomic:
                yield build()
                transaction.set_rollback(True)

    # (The module's transaction is opened before the test's own: a module-scoped fixture is
    # set up before a function-scoped one.)
    @pytest.fixture(name="world")
    def each(_world_per_module, db):
        return copy.deepcopy(_world_per_module)

    return built, each
