"""The test settings with a second page type on each mixin (``models.py``). Several page
types play each role, so ``SLUSS_WAGTAIL_PAGE_MODELS`` names the pages app's, unless
``SLUSS_TEST_UNNAMED`` is set (then ``check`` must say which roles are ambiguous)."""

import os

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sites.second_pages"]  # noqa: F405
if not os.environ.get("SLUSS_TEST_UNNAMED"):
    SLUSS_WAGTAIL_PAGE_MODELS = {
        "idea_submission": "sluss_wagtail_pages.IdeaSubmissionPage",
        "challenge_index": "sluss_wagtail_pages.ChallengeIndexPage",
        "challenge": "sluss_wagtail_pages.ChallengePage",
        "showcase": "sluss_wagtail_pages.ShowcaseIndexPage",
        "innovation": "sluss_wagtail_pages.InnovationPage",
    }
