"""The coordinators' pictures in the docs, taken of the demo (``manage.py sluss_demo``) as its
coordinator sees it: the dashboard's figures, an idea's assessment, dialogue, small-scale tests and
benefits, and the innovation report. Written to ``docs/admin-<name>.png``; each picture is
of the package's own part of the page, and each part must be there.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import Idea
from tests.browser.helpers import logged_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def first_idea_with(**lookup):
    idea = Idea.objects.filter(**lookup).order_by("pk").distinct().first()
    assert idea is not None, f"the demo has no idea with {lookup}"
    return idea


@pytest.fixture
def demo(transactional_db, capsys):
    call_command("sluss_demo", "--force")
    capsys.readouterr()
    return get_user_model().objects.get(username="koordinator")


def test_pictures_of_the_coordinators_work(new_page, base_url, demo):
    page = logged_in(new_page, base_url, demo, {"width": 1280, "height": 900})
    pictures = {
        "admin-insight": (reverse("wagtailadmin_home"), "#sluss-insight-section"),
        "admin-assessment": (
            idea_admin_path(first_idea_with(assessments__isnull=False)),
            "#sluss-panel-assessment",
        ),
        "admin-dialogue": (
            idea_admin_path(first_idea_with(dialogue_messages__direction="from_giver")),
            "#sluss-panel-dialogue",
        ),
        "admin-tests": (
            idea_admin_path(first_idea_with(pilots__outcome="failed")),
            "#sluss-panel-tests",
        ),
        "admin-benefits": (
            idea_admin_path(first_idea_with(benefits__isnull=False)),
            "#sluss-panel-benefits",
        ),
        "admin-report": (reverse("sluss_wagtail_innovation_report"), ".sluss-admin-report"),
    }
    for name, (url, region) in pictures.items():
        page.goto(base_url + url)
        part = page.locator(region)
        assert part.count() == 1, (name, region)
        path = DOCS / f"{name}.png"
        part.screenshot(path=str(path))
        assert path.stat().st_size > 0, name
