"""`make load`'s site: the example site's load settings (``example_site.settings.load``)
with the ``benchmarks`` app, whose ``wagtail.contrib.forms`` page has the idea form's
fields: the same gunicorn serves both sides of the comparison."""

from example_site.settings.load import *  # noqa: F403

INSTALLED_APPS = ["benchmarks", *INSTALLED_APPS]  # noqa: F405
