"""Settings of the benchmarks: the example site's, with the comparison pages, and a database
of their own (a temporary SQLite file, or DATABASE_URL)."""

import os

from example_site.settings.base import *  # noqa: F403

INSTALLED_APPS = ["benchmarks", *INSTALLED_APPS]  # noqa: F405
SECRET_KEY = "benchmarks-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WAGTAILADMIN_BASE_URL = "https://www.exempelby.invalid"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
# The benchmark sends the form hundreds of times from one address: no rate limits.
SLUSS_WAGTAIL_RATE_LIMITS = dict.fromkeys(("default", "idea", "adoption", "status", "similar"))
LOGGING_CONFIG = None
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_env(None)}  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["SLUSS_BENCH_SQLITE"],
        }
    }
MAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if django.VERSION >= (6, 1):  # noqa: F405
    MAILERS = {"default": {"BACKEND": MAIL_BACKEND}}
else:
    EMAIL_BACKEND = MAIL_BACKEND
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
