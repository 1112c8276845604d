"""Test sites of other shapes than the example site: each has its own settings and is run
with them (``DJANGO_SETTINGS_MODULE=tests.sites.<name>.settings``); see ``.ci/run``."""
