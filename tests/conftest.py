import re

import pytest
from django.utils import translation

from tests.factories import create_submission_page


@pytest.fixture
def submission_page(db):
    return create_submission_page()


@pytest.fixture(autouse=True)
def _swedish_by_default():
    """Each test starts in the site's default language, as a request would."""
    with translation.override("sv"):
        yield


def form_token(html):
    """The spam token of the form in a rendered page."""
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def valid_idea_data(**overrides):
    data = {
        "title": "Bänkar vid sjön",
        "description": "Ställ bänkar längs promenadstråket runt sjön.",
        "need": "Äldre orkar inte gå hela varvet utan att vila.",
        "beneficiaries": "Äldre och småbarnsföräldrar",
        "submitter_kind": "resident",
        "organisation": "",
        "name": "Karin Lund",
        "email": "karin@exempelby.invalid",
        "phone": "0302-52 10 00",
        "publish_idea": "yes",
        "publish_name": "no",
    }
    data.update(overrides)
    return data


@pytest.fixture
def post_idea(client, submission_page):
    """Open the form like a browser, then send it: ``post_idea(**field_overrides)``."""

    def post(page=None, follow=False, **overrides):
        page = page or submission_page
        response = client.get(page.url)
        data = valid_idea_data(form_token=form_token(response.content.decode()), **overrides)
        return client.post(page.url, data, follow=follow)

    return post


@pytest.fixture
def no_search_indexing(settings):
    """Save pages without updating the search index.

    For tests that build hundreds of pages to count queries: Wagtail's PostgreSQL
    search backend recomputes title norms on every insert, which makes such set-ups
    take minutes without changing what the test measures.
    """
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with cold caches (Wagtail's, the site settings') and with no POST
    counted against the public forms' rate limits, so query counts do not depend on order."""
    from django.core.cache import cache, caches

    from sluss_wagtail.conf import sluss_settings

    cache.clear()
    caches[sluss_settings.RATE_LIMIT_CACHE].clear()
    yield
    cache.clear()


@pytest.fixture
def no_rate_limits(settings):
    """Every rate limit off, for a test that sends a form many times from one address."""
    from sluss_wagtail.rate_limits import RATE_LIMIT_DEFAULTS

    settings.SLUSS_WAGTAIL_RATE_LIMITS = dict.fromkeys(RATE_LIMIT_DEFAULTS)


# Property-based tests (tests/test_form_properties.py): 500 generated inputs per public
# form, on whichever database the run uses; SLUSS_HYPOTHESIS_PROFILE=quick for 50.
def _register_hypothesis_profiles():
    import os

    from hypothesis import HealthCheck
    from hypothesis import settings as hypothesis_settings

    common = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        "derandomize": False,
        "print_blob": True,
    }
    hypothesis_settings.register_profile("sluss", max_examples=500, **common)
    hypothesis_settings.register_profile("quick", max_examples=50, **common)
    hypothesis_settings.load_profile(os.environ.get("SLUSS_HYPOTHESIS_PROFILE", "sluss"))


_register_hypothesis_profiles()


@pytest.fixture(autouse=True)
def _shared_cache(monkeypatch):
    """Queries are counted as with a cache every process shares (Redis, as
    ``check --deploy`` asks); the tests' LocMemCache stands for it. A test of what a
    process-local cache does asks for ``process_local_cache``."""
    from sluss_wagtail import caching

    monkeypatch.setattr(caching, "PROCESS_LOCAL_BACKENDS", ())


@pytest.fixture
def process_local_cache(monkeypatch):
    """The tests' LocMemCache as what it is, a cache each process keeps for itself: the
    cache generations are kept in the database (``sluss_wagtail.caching``)."""
    from django.core.cache.backends.locmem import LocMemCache

    from sluss_wagtail import caching

    monkeypatch.setattr(caching, "PROCESS_LOCAL_BACKENDS", (LocMemCache,))


# ---- people and units of the admin's tests (one declaration, distinct names) ----------------


@pytest.fixture
def reviewed_units(db):
    """Two units, each with its reviewers' group: Parkförvaltningen and Skolförvaltningen."""
    from tests.factories import create_reviewed_unit

    return create_reviewed_unit("Parkförvaltningen"), create_reviewed_unit("Skolförvaltningen")


@pytest.fixture
def coordinator_user(db):
    """An innovation coordinator (``create_coordinator()``)."""
    from tests.factories import create_coordinator

    return create_coordinator()


@pytest.fixture
def coordinator_client(client, coordinator_user):
    """The test client, logged in as ``coordinator_user`` (not pytest-django's
    ``admin_client``, a superuser)."""
    client.force_login(coordinator_user)
    return client


# ---- a world built once for the tests of a class or module ----------------------------------


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
    from django.core.cache import cache
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
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
