"""The demo with a real worker (``pip install sluss-wagtail[worker]``): every e-mail is a
task stored in the database, and a worker process sends it.

    export DJANGO_SETTINGS_MODULE=example_site.settings.worker
    python manage.py migrate
    python manage.py runserver          # takes ideas, enqueues their e-mails
    python manage.py db_worker          # in a second terminal: sends them

The plain demo (``make demo``, settings.dev) sends them in the request instead.
"""

from .dev import *

INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


try:
    from .local import *
except ImportError:
    pass
