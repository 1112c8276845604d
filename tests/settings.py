"""Test settings: the example site's, with what tests need to be fast and exact."""

import os
import tempfile

from example_site.settings.base import *  # noqa: F403

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WAGTAILADMIN_BASE_URL = "https://www.exempelby.invalid"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests send forms at once; the minimum fill time is tested where it matters.
SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
LOGGING_CONFIG = None
# The test run's own database is SQLite in memory, one connection per process: it keeps
# SQLite's default (deferred) transactions, since an immediate one per test would hold the
# write lock that a test copying the database (sqlite3's backup) waits for. The processes the
# tests start (a worker, a second web process: DATABASE_URL names a file) keep the example
# site's immediate transactions, which is what lets them share the file.
if "DATABASE_URL" not in os.environ:
    DATABASES["default"]["OPTIONS"].pop("transaction_mode", None)  # noqa: F405
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR.parent / "tests" / "templates"]  # noqa: F405

# Uploaded test images go to a folder of their own, never into the example site.
MEDIA_ROOT = tempfile.mkdtemp(prefix="sluss-test-media-")

# Attachments to ideas go to a private folder of their own (never MEDIA_ROOT).
SLUSS_WAGTAIL_ATTACHMENT_ROOT = tempfile.mkdtemp(prefix="sluss-test-private-")
