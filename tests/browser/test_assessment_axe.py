"""Assessment in the admin: axe-core finds no WCAG 2.1 A or AA violation in what waits
for an assessor, in the assessment form (with its errors), in the idea's assessment
panel and in the decision page.

Only the package's own parts are checked: Wagtail's admin around them is Wagtail's.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sluss_wagtail.links import idea_admin_path
from tests.browser.helpers import describe_violations, logged_in, violations_in
from tests.factories import IdeaFactory, create_assessor, create_coordinator, create_criteria

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_accessible(page, selector):
    violations = violations_in(page, selector)
    assert not violations, describe_violations(violations)


def test_the_assessors_pages_the_panel_and_the_decision_page(new_page, base_url):
    from sluss_wagtail import assessing

    criteria = create_criteria()
    coordinator = create_coordinator()
    assessor = create_assessor()
    idea = IdeaFactory(title="Lånecyklar för hemtjänsten")
    second = IdeaFactory(title="Fler bänkar")
    due = timezone.localdate() + timedelta(days=7)
    (request,) = assessing.request_assessments(idea, [assessor], user=coordinator, due_on=due)
    (other,) = assessing.request_assessments(second, [assessor], user=coordinator, due_on=due)
    assessing.submit_assessment(
        other,
        user=assessor,
        scores={criterion.pk: 4 for criterion in criteria},
        comments={criteria[0].pk: "Bra."},
    )
    page = logged_in(new_page, base_url, assessor)
    page.goto(base_url + reverse("sluss_wagtail_assessments"))
    assert_accessible(page, ".nice-padding")
    page.goto(base_url + reverse("wagtailadmin_home"))
    assert_accessible(page, "#sluss-assessments-waiting-section")  # in "Waiting for me"
    page.goto(base_url + reverse("sluss_wagtail_assess", args=[request.pk]))
    assert_accessible(page, ".sluss-admin-assess")
    # Sent empty: the errors, each tied to its field.
    with page.expect_navigation():
        page.locator(".sluss-admin-assess button[type=submit]").click()
    assert page.locator(".sluss-admin-assess [role=alert], .error-message").count() >= 1
    assert_accessible(page, ".sluss-admin-assess")
    page = logged_in(new_page, base_url, coordinator)
    page.goto(base_url + idea_admin_path(second))
    assert_accessible(page, "#sluss-panel-assessment")
    page.goto(base_url + idea_admin_path(second, "decide"))
    assert_accessible(page, ".sluss-admin-action-page")
