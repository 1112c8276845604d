"""These tests need their own settings: under any other settings they are not collected
(their apps, wagtail-localize's, are not installed there)."""

import os

SETTINGS = "tests.sites.two_locales.settings"

if os.environ.get("DJANGO_SETTINGS_MODULE") != SETTINGS:
    collect_ignore_glob = ["test_*.py"]
