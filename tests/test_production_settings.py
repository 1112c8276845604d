"""The example site's production settings are ready for several app servers from the environment."""

import importlib
import sys

import pytest

MODULES = ("example_site.settings.production", "example_site.settings.base")


@pytest.fixture
def load_production(monkeypatch):
    """Import the production settings afresh with ``env`` set; the test's own settings stay."""

    def load(**env):
        monkeypatch.setenv("DJANGO_SECRET_KEY", "not-secret")
        for name in (
            "DATABASE_URL",
            "REDIS_URL",
            "WAGTAILSEARCH_URL",
            "ELASTICSEARCH_URL",
            "OPENSEARCH_URL",
            "TASKS_BACKEND",
        ):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        for module in MODULES:
            monkeypatch.delitem(sys.modules, module, raising=False)
        return importlib.import_module(MODULES[0])

    yield load
    for module in MODULES:
        sys.modules.pop(module, None)


def test_everything_from_the_environment(load_production):
    settings = load_production(
        DATABASE_URL="postgres://sluss:hemligt@db.internal:5432/sluss",
        REDIS_URL="redis://cache.internal:6379/2",
        WAGTAILSEARCH_URL="https://search.internal:9200",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_ALLOWED_HOSTS="www.exempelby.se,exempelby.se",
    )
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.internal",
        "sluss",
        "sluss",
    )
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"]
    cache = settings.CACHES["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    search = settings.WAGTAILSEARCH_BACKENDS["default"]
    assert search["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    assert search["URLS"] == ["https://search.internal:9200"]
    assert settings.TASKS == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "django_tasks_db" in settings.INSTALLED_APPS
    assert settings.ALLOWED_HOSTS == ["www.exempelby.se", "exempelby.se"]
    assert settings.DEBUG is False


def test_opensearch_is_chosen_by_its_own_variable(load_production):
    settings = load_production(OPENSEARCH_URL="https://opensearch.internal:9200")
    search = settings.WAGTAILSEARCH_BACKENDS["default"]
    assert search["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert search["URLS"] == ["https://opensearch.internal:9200"]


def test_elasticsearch_url_is_read_too(load_production):
    settings = load_production(ELASTICSEARCH_URL="http://es.internal:9200")
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == (
        "wagtail.search.backends.elasticsearch8"
    )


def test_without_the_variables_one_machine_defaults(load_production):
    settings = load_production()
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == (
        "wagtail.search.backends.database"
    )
    assert not hasattr(settings, "TASKS")


@pytest.mark.parametrize("url", [None, "sqlite:////tmp/sluss-elsewhere.sqlite3"])
def test_sqlite_writers_wait_for_each_other(load_production, url):
    """A worker and the web process share one SQLite file: each write transaction takes the
    lock when it begins and waits for it, else a read-then-write fails at once as locked."""
    settings = load_production(**({"DATABASE_URL": url} if url else {}))
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20


def test_postgresql_gets_no_sqlite_options(load_production):
    settings = load_production(DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert "transaction_mode" not in settings.DATABASES["default"].get("OPTIONS", {})
