"""Settings of the processes ``test_worker.py`` starts: the tests' settings with the
database task backend (``django_tasks_db``, the ``worker`` extra), the database named by
``DATABASE_URL`` and e-mails written as files to ``SLUSS_TEST_MAIL_DIR``."""

import os

import django

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": MAIL_BACKEND,
            "OPTIONS": {"file_path": os.environ["SLUSS_TEST_MAIL_DIR"]},
        }
    }
else:
    EMAIL_BACKEND = MAIL_BACKEND
    EMAIL_FILE_PATH = os.environ["SLUSS_TEST_MAIL_DIR"]
