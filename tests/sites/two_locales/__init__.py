"""A site in two languages (Swedish and English) with wagtail-localize.

Run with ``DJANGO_SETTINGS_MODULE=tests.sites.two_locales.settings pytest tests/sites/two_locales``;
the ordinary run leaves these tests out (``conftest.py``).
"""
