"""The idea coach and assisted intake in the admin: axe-core finds no WCAG 2.1 A or AA
violation in the package's own parts — the intake form (empty and with errors), the
printable receipt (on screen and as printed) and the coach's "My ideas" panel."""

import pytest
from django.urls import reverse

from tests.browser.helpers import describe_violations, logged_in, violations_in
from tests.factories import IdeaFactory, create_admin_user, create_coordinator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_intake_form_and_the_printable_receipt(new_page, base_url):
    centre = create_admin_user(
        "wagtailadmin.access_admin", "sluss_wagtail.register_idea", username="kundcenter"
    )
    page = logged_in(new_page, base_url, centre)
    page.goto(base_url + reverse("sluss_wagtail_intake"))
    violations = violations_in(page, "main")
    assert not violations, describe_violations(violations)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator("[aria-invalid=true]").count() > 0
    violations = violations_in(page, "main")
    assert not violations, describe_violations(violations)

    from sluss_wagtail import actions
    from sluss_wagtail.models import IdeaEvent

    idea = IdeaFactory(channel="phone", contact={"name": "Elsa Berg", "email": ""})
    actions.record(idea, IdeaEvent.Kind.REGISTERED, user=centre, changes={"channel": "Telefon"})
    page.goto(base_url + reverse("sluss_wagtail_intake_receipt", args=[idea.pk]))
    assert idea.reference in page.content()
    violations = violations_in(page, "body")
    assert not violations, describe_violations(violations)
    page.emulate_media(media="print")
    assert not page.locator(".sluss-receipt__tools").is_visible()
    assert page.locator(".sluss-receipt__link").is_visible()


def test_my_ideas_on_the_dashboard(new_page, base_url):
    from sluss_wagtail import actions

    coach = create_coordinator()
    for _n in range(3):
        actions.assign_coach(IdeaFactory(), coach, user=None)
    page = logged_in(new_page, base_url, coach)
    page.goto(base_url + reverse("wagtailadmin_home"))
    assert page.locator("#sluss-coached-section").count() == 1
    violations = violations_in(page, "#sluss-coached-section")
    assert not violations, describe_violations(violations)
