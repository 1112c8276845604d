"""The sluice's pages on Wagtail's own page model, for sites without a base page of their own.

Add ``"sluss_wagtail.pages"`` to INSTALLED_APPS beside ``"sluss_wagtail"``. A site with its
own base page (``WAGTAIL_PAGE_MODEL``) leaves this app out and builds the same pages from
the mixins in ``sluss_wagtail.models`` (README, "Your own base page").
"""
