"""A second page type built on each of the sluice's mixins, beside ``sluss_wagtail.pages``
(with the same class names, in another app): ``tests/test_page_types.py`` runs
``manage.py check`` with these settings to prove that nothing clashes."""
