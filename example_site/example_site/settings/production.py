import os

import django

from .base import *

DEBUG = False

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")

# ManifestStaticFilesStorage prevents outdated assets being served from cache.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"

# A cache shared by every app server (rate limits and fragments).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
    }
}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only: `manage.py check --deploy` has nothing to warn about (tests/test_security.py).
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# sluss_wagtail: the rate limits count in the shared cache above. SECURE_PROXY_SSL_HEADER
# says the site runs behind a reverse proxy, which appends the client's address to
# X-Forwarded-For: trust that one (with 0 every resident would be the proxy's address and
# share one rate-limit bucket; `check --deploy` warns). Two proxies in a row: set 2.
SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT = int(os.environ.get("SLUSS_TRUSTED_PROXY_COUNT", 1))

# Links in e-mails (status links, the admin) need the public https address of the site;
# `check --deploy` warns while it is unset, loopback, an example domain or plain http.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")

# A strict Content-Security-Policy (Django 6.0 and later): everything from this site, no
# inline script or style; the package's templates need none. Django 5.2 has no CSP
# middleware: set the same header in the web server there.
if django.VERSION >= (6, 0):
    from django.utils.csp import CSP

    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    )
    SECURE_CSP = {
        "default-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.SELF],
    }

# ---- Running at scale (README: "Running at scale"). Everything below is read from the
# environment, so the same settings serve one machine and several app servers.

# DATABASE_URL (PostgreSQL) is read in base.py; persistent connections for app servers.
if os.environ.get("DATABASE_URL"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


def search_backend_from_env():
    """WAGTAILSEARCH_URL (or ELASTICSEARCH_URL / OPENSEARCH_URL) selects Elasticsearch 8 or
    OpenSearch; without one, Wagtail's database backend (PostgreSQL full-text search)."""
    url = os.environ.get("WAGTAILSEARCH_URL") or os.environ.get("ELASTICSEARCH_URL")
    opensearch_url = os.environ.get("OPENSEARCH_URL")
    engine = os.environ.get("WAGTAILSEARCH_ENGINE", "opensearch" if opensearch_url else "")
    url = url or opensearch_url
    if not url:
        return {"BACKEND": "wagtail.search.backends.database"}
    backend = (
        "wagtail.search.backends.opensearch2"
        if engine.startswith("opensearch")
        else "wagtail.search.backends.elasticsearch8"
    )
    return {
        "BACKEND": backend,
        "URLS": [url],
        "INDEX": os.environ.get("WAGTAILSEARCH_INDEX", "sluss"),
        "TIMEOUT": 5,
        "OPTIONS": {},
        "INDEX_SETTINGS": {},
    }


WAGTAILSEARCH_BACKENDS = {"default": search_backend_from_env()}

# TASKS_BACKEND: a worker backend for notifications (e-mails), e.g.
# "django_tasks_db.DatabaseBackend" (the worker extra) with its `manage.py db_worker`
# process. Unset, the tasks run at once in the request, after the commit.
if os.environ.get("TASKS_BACKEND"):
    TASKS = {"default": {"BACKEND": os.environ["TASKS_BACKEND"]}}
    if os.environ["TASKS_BACKEND"].startswith("django_tasks_db."):
        INSTALLED_APPS.append("django_tasks_db")  # its table of tasks

try:
    from .local import *
except ImportError:
    pass
