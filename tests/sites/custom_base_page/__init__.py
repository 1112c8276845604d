"""A site with its own base page (Wagtail 8's ``WAGTAIL_PAGE_MODEL``) and the sluice's pages
built on it from the mixins, as the README's "Your own base page" shows. CI runs its tests
with ``--ds=tests.sites.custom_base_page.settings``; under the other settings they skip."""
