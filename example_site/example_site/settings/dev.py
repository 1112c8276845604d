import django

from .base import *

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = "django-insecure-example-site-only-for-local-development"

# SECURITY WARNING: define the correct hosts in production!
ALLOWED_HOSTS = ["*"]

MAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": MAIL_BACKEND}}
else:
    EMAIL_BACKEND = MAIL_BACKEND

# The README's import of the demo's own feed fetches from 127.0.0.1; never on a real site.
SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True

# The task runner logs every task at INFO; the demo keeps the console readable.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.tasks": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}

try:
    from .local import *
except ImportError:
    pass
