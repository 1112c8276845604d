"""The test settings with a base page of the site's own and the sluice's pages built on it,
in place of ``sluss_wagtail.pages`` (and of the example site's home page, built on Wagtail's
``Page``)."""

from tests.settings import *  # noqa: F403

_WITHOUT = ("home", "sluss_wagtail.pages")
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in _WITHOUT] + [  # noqa: F405
    "tests.sites.custom_base_page.basepage",
    "tests.sites.custom_base_page.sluice",
]
WAGTAIL_PAGE_MODEL = "custom_basepage.BasePage"
# The example site's base template needs its home app's tags; this site has a base of its own.
SLUSS_WAGTAIL_BASE_TEMPLATE = "custom_sluice/base.html"
