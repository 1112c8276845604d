"""The core finds the sluice's concrete pages in one place (``sluss_wagtail.page_types``), and
every mixin takes a second page type built on it without a clash."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from sluss_wagtail import page_types
from sluss_wagtail.checks import check_page_models
from sluss_wagtail.pages import models as pages

ROOT = Path(__file__).resolve().parent.parent


def test_the_pages_app_plays_every_part_on_wagtails_own_page():
    assert {role: page_types.get_model(role) for role in page_types.ROLES} == {
        "idea_submission": pages.IdeaSubmissionPage,
        "challenge_index": pages.ChallengeIndexPage,
        "challenge": pages.ChallengePage,
        "showcase": pages.ShowcaseIndexPage,
        "innovation": pages.InnovationPage,
    }
    assert page_types.innovation_pilot_model() is pages.InnovationPilot
    assert check_page_models(None) == []


def test_the_pages_say_where_they_live_without_naming_each_other():
    assert pages.ChallengeIndexPage.allowed_subpage_models() == [pages.ChallengePage]
    assert pages.ChallengePage.allowed_parent_page_models() == [pages.ChallengeIndexPage]
    assert pages.ShowcaseIndexPage.allowed_subpage_models() == [pages.InnovationPage]
    assert pages.InnovationPage.allowed_parent_page_models() == [pages.ShowcaseIndexPage]
    assert pages.ChallengePage.allowed_subpage_models() == []


@override_settings(SLUSS_WAGTAIL_PAGE_MODELS={"innovation": "sluss_wagtail.Idea", "blog": "x.Y"})
def test_a_page_model_setting_that_names_no_such_page_is_an_error():
    errors = {error.id: error.msg for error in check_page_models(None)}
    assert set(errors) == {"sluss_wagtail.E401", "sluss_wagtail.E402"}
    assert "blog" in errors["sluss_wagtail.E401"]
    assert (
        "'sluss_wagtail.Idea' is not a page model built on InnovationPageMixin"
        in (errors["sluss_wagtail.E402"])
    )
    with pytest.raises(page_types.PageTypeError):
        page_types.innovation_model()


def manage_check(**env):
    """``manage.py check`` with the settings that add a second page type on each mixin."""
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings=tests.sites.second_pages.settings"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.once
def test_a_second_page_type_on_each_mixin_clashes_with_nothing():
    result = manage_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.once
def test_with_two_page_types_of_a_part_check_asks_which_one():
    result = manage_check(SLUSS_TEST_UNNAMED="1")
    assert result.returncode != 0
    for role in page_types.ROLES:
        assert f"sluss_wagtail.E402) The sluice has no page model for '{role}'" in result.stderr
    assert "second_pages.SecondInnovationPage" in result.stderr


def test_the_readme_shows_the_pages_of_the_custom_base_page_site():
    """docs/installing.md "Your own base page" is the test site's code, class for class."""
    readme = (ROOT / "docs" / "installing.md").read_text()
    section = readme[readme.index("## Your own base page") :]
    block = section[section.index("```python\n") + len("```python\n") :]
    block = block[: block.index("```")]
    models = (ROOT / "tests/sites/custom_base_page/sluice/models.py").read_text()
    assert block[block.index("class ") :] == models[models.index("class ") :]


def page_mixins():
    """Every page mixin the package offers (``IdeaFormPageMixin`` is a part of two of them)."""
    from sluss_wagtail import models as sluss

    return sorted(
        name for name in sluss.__all__ if name.endswith("PageMixin") and name != "IdeaFormPageMixin"
    )


@pytest.mark.parametrize(
    "models_path",
    ["tests/sites/second_pages/models.py", "tests/sites/custom_base_page/sluice/models.py"],
)
def test_every_page_mixin_has_its_page_in_the_test_sites(models_path):
    """A second page type on each mixin (second_pages) and a page on the site's own base page
    (custom_base_page, as docs/installing.md shows it) for every mixin, the portfolio's too."""
    models = (ROOT / models_path).read_text()
    assert "PortfolioPageMixin" in page_mixins()
    assert [name for name in page_mixins() if f"(sluss.{name}, " not in models] == []
