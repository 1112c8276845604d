"""The coordinators' insight in the admin: axe-core finds no WCAG 2.1 A or AA violation in
the dashboard panel (the funnel chart and its table) nor in the innovation report.

Only the package's own parts are checked: Wagtail's admin around them is Wagtail's.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.helpers import WCAG_21_AA_TAGS, describe_violations
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
    client = Client()
    client.force_login(create_coordinator())
    page = new_page("sv")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return page


def violations_in(page, selector):
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
        "resultTypes": ["violations"],
    }
    return Axe().run(page, context=selector, options=options).response["violations"]


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
