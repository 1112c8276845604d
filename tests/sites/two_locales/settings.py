"""The test settings with two content languages, as a municipality translating its pages
with wagtail-localize runs them: Swedish (the default) and English under /en/."""

from tests.settings import *  # noqa: F403

WAGTAIL_I18N_ENABLED = True
LANGUAGE_CODE = "sv"
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES = [("sv", "Svenska"), ("en", "English")]
INSTALLED_APPS = [  # noqa: F405
    *INSTALLED_APPS,  # noqa: F405
    "wagtail_localize",
    # wagtail-localize's locale admin, in place of wagtail.locales.
    "wagtail_localize.locales",
]
# LocaleMiddleware and i18n_patterns (English under /en/) come from the example site.
assert "django.middleware.locale.LocaleMiddleware" in MIDDLEWARE  # noqa: F405
