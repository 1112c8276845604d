"""`make load`: the production settings, served by gunicorn on loopback over plain HTTP.

What differs from production, and why:
- the minimum fill time and every rate limit are off: the load clients are bots
  from one address by design, and the run measures storing, not refusing;
- plain HTTP on 127.0.0.1, so no HTTPS redirect and no Secure-only cookies, and the
  links in e-mails on http://127.0.0.1 (production sets its https address);
- static files without a manifest (no collectstatic before a run);
- mail: nowhere (SLUSS_LOAD_MAIL=off) or an SMTP server that is down
  (SLUSS_LOAD_MAIL=failing: a closed port on loopback), to show that a failing
  mail server loses no idea.
"""

import os

import django

os.environ.setdefault("DJANGO_SECRET_KEY", "load-test-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# The address links in e-mails name, as production must set it (``check --deploy``):
# without it every e-mail would read the default site for it, which no real site does.
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1")

from .production import *  # noqa: E402

SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
SLUSS_WAGTAIL_RATE_LIMITS = {"default": None, "idea": None, "adoption": None, "status": None}

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
# The rate limits are off, so the run needs no Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if os.environ.get("SLUSS_LOAD_MAIL") == "failing":
    MAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # Port 9 (discard) on loopback: nothing listens, every connection is refused.
    MAIL_OPTIONS = {"host": "127.0.0.1", "port": 9, "timeout": 2}
else:
    MAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    MAIL_OPTIONS = {}
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": MAIL_BACKEND, "OPTIONS": MAIL_OPTIONS}}
else:
    EMAIL_BACKEND = MAIL_BACKEND
    if MAIL_OPTIONS:
        EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = "127.0.0.1", 9, 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
