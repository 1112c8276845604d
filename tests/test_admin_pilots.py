"""Small-scale tests and promotion to the showcase, run from the idea's page in the admin."""

import pytest
from django.urls import reverse
from wagtail.models import GroupPagePermission

from sluss_wagtail import process
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import IdeaEvent, Pilot
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import IdeaFactory, create_showcase_index

pytestmark = pytest.mark.django_db


def action_url(idea, action):
    return idea_admin_path(idea, action)


@pytest.fixture
def idea_in_test(coordinator_user):
    idea = IdeaFactory(title="Digitala lås", publish_idea=True)
    process.move_idea(idea, process.PILOT, user=coordinator_user, public_note="Vi testar.")
    return idea


def test_a_coordinator_records_a_test_its_result_and_the_decision(coordinator_client, idea_in_test):
    response = coordinator_client.post(
        action_url(idea_in_test, "add_pilot"),
        {
            "add_pilot-title": "Tio brukare",
            "add_pilot-hypothesis": "Mindre tid till nycklar.",
            "add_pilot-success_criteria": "En halvtimme per dag.",
            "add_pilot-starts_on": "2026-09-01",
            "add_pilot-ends_on": "2026-11-30",
            "add_pilot-estimated_cost": "45000",
        },
    )
    assert response.status_code == 302
    pilot = Pilot.objects.get(idea=idea_in_test)
    coordinator_client.post(
        action_url(idea_in_test, "pilot_result"),
        {
            "pilot_result-pilot": pilot.pk,
            "pilot_result-result": "40 minuter mindre per dag.",
            "pilot_result-outcome": "successful",
            "pilot_result-lessons": "Reservbatteri behövs.",
        },
    )
    pilot.refresh_from_db()
    assert (pilot.outcome, pilot.lessons) == ("successful", "Reservbatteri behövs.")
    coordinator_client.post(
        action_url(idea_in_test, "decide_pilot"),
        {"decide_pilot-pilot": pilot.pk, "decide_pilot-decision": "scale_up"},
    )
    idea_in_test.refresh_from_db()
    assert idea_in_test.stage == "implemented"
    kinds = list(idea_in_test.events.values_list("kind", flat=True))
    assert kinds.count(IdeaEvent.Kind.PILOT_RECORDED) == 2
    assert kinds[-1] == IdeaEvent.Kind.PILOT_DECIDED


def test_a_test_that_ends_before_it_starts_is_a_form_error(coordinator_client, idea_in_test):
    response = coordinator_client.post(
        action_url(idea_in_test, "add_pilot"),
        {
            "add_pilot-title": "Baklänges",
            "add_pilot-hypothesis": "x",
            "add_pilot-success_criteria": "y",
            "add_pilot-starts_on": "2026-09-01",
            "add_pilot-ends_on": "2026-08-01",
        },
    )
    assert response.status_code == 200
    assert not Pilot.objects.exists()


def test_stopping_without_lessons_or_a_note_is_refused_in_the_form(
    coordinator_client, idea_in_test
):
    pilot = Pilot.objects.create(idea=idea_in_test, title="T", hypothesis="h", success_criteria="s")
    response = coordinator_client.post(
        action_url(idea_in_test, "decide_pilot"),
        {"decide_pilot-pilot": pilot.pk, "decide_pilot-decision": "stop"},
    )
    assert response.status_code == 200
    idea_in_test.refresh_from_db()
    assert idea_in_test.stage == "pilot"


def test_a_coordinator_promotes_an_implemented_idea_to_a_showcase_they_may_edit(
    coordinator_client, coordinator_user, idea_in_test
):
    showcase = create_showcase_index()
    process.move_idea(idea_in_test, process.IMPLEMENTED, user=coordinator_user)
    html = coordinator_client.get(idea_admin_path(idea_in_test)).content.decode()
    assert 'name="promote-showcase"' not in html  # no page permission on any showcase yet
    group = coordinator_user.groups.create(name="Redaktörer")
    for permission_type in ("add", "change"):
        GroupPagePermission.objects.create(
            group=group, page=showcase, permission_type=permission_type
        )
    response = coordinator_client.post(
        action_url(idea_in_test, "promote"), {"promote-showcase": showcase.pk, "promote-title": ""}
    )
    assert response.status_code == 302
    page = InnovationPage.objects.get()
    assert (page.title, page.live, page.idea_id) == ("Digitala lås", False, idea_in_test.pk)
    html = coordinator_client.get(response["Location"]).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html


def test_promoting_to_a_showcase_without_permission_is_refused(
    coordinator_client, coordinator_user, idea_in_test
):
    showcase = create_showcase_index()
    process.move_idea(idea_in_test, process.IMPLEMENTED, user=coordinator_user)
    response = coordinator_client.post(
        action_url(idea_in_test, "promote"), {"promote-showcase": showcase.pk}
    )
    assert response.status_code == 200
    assert not InnovationPage.objects.exists()
