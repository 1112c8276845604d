"""The coordinators' insight in the admin: axe-core finds no WCAG 2.1 A or AA violation in
the dashboard panel (the funnel chart and its table) nor in the innovation report.

Only the package's own parts are checked: Wagtail's admin around them is Wagtail's.
"""

import pytest
from django.urls import reverse

from tests.browser.helpers import describe_violations, logged_in, violations_in
from tests.factories import IdeaFactory, UserFactory, create_coordinator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def logged_in_page(new_page, base_url):
    from sluss_wagtail.process import move_idea

    staff = UserFactory(username="koordinator")
    for _n in range(3):
        IdeaFactory()
    move_idea(IdeaFactory(), "pilot", user=staff, public_note="Vi testar.")
    return logged_in(new_page, base_url, create_coordinator())


def test_the_dashboard_panel_and_the_report(new_page, base_url):
    page = logged_in_page(new_page, base_url)
    page.goto(base_url + reverse("wagtailadmin_home"))
    assert page.locator("#sluss-insight-section svg[role=img] title").count() == 1
    violations = violations_in(page, "#sluss-insight-section")
    assert not violations, describe_violations(violations)
    page.goto(base_url + reverse("sluss_wagtail_innovation_report"))
    assert page.locator(".sluss-admin-report svg[role=img]").count() == 1
    violations = violations_in(page, ".sluss-admin-report")
    assert not violations, describe_violations(violations)
