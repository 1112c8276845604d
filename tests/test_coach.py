"""The idea coach (idécoach): given by a coordinator, told by e-mail, "My ideas" in the inbox
and on the dashboard, and the reminders for their ideas."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sluss_wagtail import actions, process
from sluss_wagtail.admin.coach import CoachForm
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea, IdeaEvent
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_admin_user,
    create_coordinator,
    create_reviewed_unit,
    create_reviewer,
)

pytestmark = pytest.mark.django_db

INDEX_URL = inbox_path()
HOME_URL = reverse("wagtailadmin_home")


def coach_url(idea):
    return idea_admin_path(idea, "coach")


@pytest.fixture
def unit():
    return create_reviewed_unit("Parkförvaltningen")


@pytest.fixture
def coordinator():
    return create_coordinator(first_name="Cecilia", last_name="Koordinator")


@pytest.fixture
def reviewer(unit):
    return create_reviewer(unit, username="granskare", first_name="Gustav", last_name="Granskare")


# Who may give an idea a coach, and who may be one ------------------------------------------


def test_a_coordinator_gives_an_idea_a_coach_who_is_told_by_e_mail(
    client, coordinator, reviewer, unit, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(unit=unit)
    client.force_login(coordinator)
    page = client.get(coach_url(idea))
    assert page.status_code == 200
    assert "Gustav Granskare" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            coach_url(idea), {"coach-coach": reviewer.pk, "coach-internal_note": "Du kan parker."}
        )
    assert response.status_code == 302
    assert response["Location"] == idea_admin_path(idea)
    idea.refresh_from_db()
    assert idea.coach == reviewer
    event = idea.events.get(kind=IdeaEvent.Kind.COACH)
    assert event.user == coordinator
    assert event.changes == {"coach": {"old": "", "new": "Gustav Granskare"}}
    (message,) = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert idea.reference in message.subject
    assert "Du kan parker." in message.body
    assert idea_admin_path(idea) in message.body
    # A unit reviewer may not see personal data: none in their message.
    assert "Karin Lund" not in message.body
    # The idea's page names the coach, and its history the change.
    text = client.get(idea_admin_path(idea)).content.decode()
    assert "Gustav Granskare" in text


def test_the_coach_must_be_an_admin_user_who_may_see_the_idea(coordinator, unit):
    other_unit = create_reviewed_unit("Skolförvaltningen")
    outsider = create_reviewer(other_unit, username="skolan")
    no_admin = UserFactory(username="ingen")
    idea = IdeaFactory(unit=unit)
    form = CoachForm(idea, coordinator)
    offered = {value for value, _label in form.fields["coach"].choices}
    assert coordinator.pk in offered
    assert outsider.pk not in offered
    assert no_admin.pk not in offered
    form = CoachForm(idea, coordinator, data={"coach-coach": str(outsider.pk)}, prefix="coach")
    assert not form.is_valid()
    assert "coach" in form.errors
    with pytest.raises(ValidationError):
        actions.assign_coach(idea, outsider, user=coordinator)
    with pytest.raises(ValidationError):
        actions.assign_coach(idea, no_admin, user=coordinator)
    inactive = create_coordinator(username="slutat", is_active=False)
    with pytest.raises(ValidationError):
        actions.assign_coach(idea, inactive, user=coordinator)
    assert Idea.objects.get(pk=idea.pk).coach is None


def test_only_coordinators_give_ideas_a_coach(client, reviewer, unit):
    idea = IdeaFactory(unit=unit)
    client.force_login(reviewer)
    # The reviewer may act on the idea, but not choose its coach.
    assert client.get(idea_admin_path(idea)).status_code == 200
    assert coach_url(idea) not in client.get(idea_admin_path(idea)).content.decode()
    response = client.post(coach_url(idea), {"coach-coach": reviewer.pk})
    assert response.status_code == 302 and response["Location"] == HOME_URL
    assert Idea.objects.get(pk=idea.pk).coach is None
    # Nor the form, whoever builds it.
    form = CoachForm(idea, reviewer, data={"coach-coach": str(reviewer.pk)}, prefix="coach")
    assert not form.is_valid()


def test_taking_the_coach_back_is_recorded_and_tells_nobody(
    coordinator, reviewer, unit, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(unit=unit)
    actions.assign_coach(idea, reviewer, user=coordinator)
    assert actions.assign_coach(idea, reviewer, user=coordinator) is None  # unchanged
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = actions.assign_coach(idea, None, user=coordinator)
    assert event.changes == {"coach": {"old": "Gustav Granskare", "new": ""}}
    assert mail.outbox == []


def test_a_coach_without_an_address_gets_no_e_mail_and_nothing_fails(
    coordinator, unit, django_capture_on_commit_callbacks
):
    coach = create_reviewer(unit, username="utanpost", email="")
    idea = IdeaFactory(unit=unit)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_coach(idea, coach, user=coordinator)
    assert mail.outbox == []
    assert Idea.objects.get(pk=idea.pk).coach == coach


# "My ideas" ---------------------------------------------------------------------------------


def test_my_ideas_in_the_inbox(client, coordinator, reviewer, unit):
    mine = IdeaFactory(unit=unit, title="Min idé om parken")
    IdeaFactory(unit=unit, title="Någon annans idé")
    actions.assign_coach(mine, reviewer, user=coordinator)
    client.force_login(reviewer)
    text = client.get(INDEX_URL + "?coach=me").content.decode()
    assert "Min idé om parken" in text
    assert "Någon annans idé" not in text
    # The filter is offered, and a value it does not know is refused, not guessed.
    assert "coach=me" in client.get(INDEX_URL).content.decode()
    response = client.get(INDEX_URL + "?coach=1")
    assert response.status_code == 302 and response["Location"] == INDEX_URL


def test_my_ideas_on_the_dashboard(client, coordinator, reviewer, unit):
    client.force_login(reviewer)
    assert "sluss-coached" not in client.get(HOME_URL).content.decode()  # coaches nothing
    ideas = [IdeaFactory(unit=unit, title=f"Parkidé {n}") for n in range(12)]
    for idea in ideas:
        actions.assign_coach(idea, reviewer, user=coordinator)
    process.move_idea(ideas[0], process.CLOSED, user=coordinator, public_note="Nej tack.")
    IdeaFactory(unit=unit, title="Inte min")
    text = client.get(HOME_URL).content.decode()
    assert "sluss-coached" in text
    assert "11 öppna idéer" in text or "11 open ideas" in text
    assert text.count("Parkidé") == 10  # the panel lists ten, links to the rest
    assert "Parkidé 0<" not in text  # closed
    assert "Inte min" not in text
    assert INDEX_URL + "?coach=me" in text


def test_the_dashboard_panel_shows_only_ideas_the_coach_still_may_see(
    client, coordinator, reviewer, unit
):
    idea = IdeaFactory(unit=unit, title="Flyttad idé")
    actions.assign_coach(idea, reviewer, user=coordinator)
    actions.assign_unit(idea, create_reviewed_unit("Skolan"), user=coordinator)
    client.force_login(reviewer)
    assert "Flyttad idé" not in client.get(HOME_URL).content.decode()


# The reminders ------------------------------------------------------------------------------


def test_the_reminders_go_to_the_coach_of_each_idea(coordinator, reviewer, unit):
    other = create_reviewer(unit, username="annan", email="annan@exempelby.invalid")
    waiting = IdeaFactory(unit=unit, title="Väntar länge")
    others = IdeaFactory(unit=unit, title="Annans idé")
    fresh = IdeaFactory(unit=unit, title="Ny idé")
    actions.assign_coach(waiting, reviewer, user=coordinator)
    actions.assign_coach(others, other, user=coordinator)
    actions.assign_coach(fresh, reviewer, user=coordinator)
    Idea.objects.filter(pk__in=[waiting.pk, others.pk]).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    mail.outbox.clear()
    out = StringIO()
    call_command("sluss_reminders", stdout=out)
    (to_coach,) = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert waiting.reference in to_coach.body
    assert others.reference not in to_coach.body
    assert fresh.reference not in to_coach.body
    (to_other,) = [m for m in mail.outbox if m.to == [other.email]]
    assert others.reference in to_other.body and waiting.reference not in to_other.body
    assert reviewer.email in out.getvalue()


def test_a_coach_who_left_gets_no_reminders(coordinator, reviewer, unit):
    idea = IdeaFactory(unit=unit)
    actions.assign_coach(idea, reviewer, user=coordinator)
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=60))
    reviewer.is_active = False
    reviewer.save()
    mail.outbox.clear()
    call_command("sluss_reminders", stdout=StringIO())
    assert [reviewer.email] not in [m.to for m in mail.outbox]


def test_the_dialogue_can_find_the_coach():
    """The dialogue with the idea giver asks ``idea.coach_id``."""
    editor = create_admin_user("wagtailadmin.access_admin", "sluss_wagtail.view_all_ideas")
    idea = IdeaFactory()
    assert getattr(idea, "coach_id", "missing") is None
    actions.assign_coach(idea, editor, user=None)
    assert Idea.objects.get(pk=idea.pk).coach_id == editor.pk


def test_a_coach_who_may_no_longer_see_the_idea_gets_no_reminder_of_it(coordinator, reviewer, unit):
    idea = IdeaFactory(unit=unit, title="Flyttad till skolan")
    actions.assign_coach(idea, reviewer, user=coordinator)
    actions.assign_unit(idea, create_reviewed_unit("Skolan"), user=coordinator)
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=60))
    mail.outbox.clear()
    call_command("sluss_reminders", stdout=StringIO())
    assert [reviewer.email] not in [m.to for m in mail.outbox]
