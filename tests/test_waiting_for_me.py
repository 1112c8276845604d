""" "Waiting for me" on the dashboard: the ideas I coach, the assessments I owe, the idea
givers' answers I have not read, the follow-ups due — one panel, only what is mine to see."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from sluss_wagtail import actions, assessing, dialogue, process
from sluss_wagtail.admin.dialogue import mark_read, unread_answers
from sluss_wagtail.models import DialogueReading, Sluice
from tests.factories import (
    IdeaFactory,
    create_benefit,
    create_coordinator,
    create_criteria,
    create_reviewed_unit,
    create_reviewer,
    grant,
)

pytestmark = pytest.mark.django_db

HOME_URL = reverse("wagtailadmin_home")
GIVER = {"name": "Karin Lund", "email": "karin@exempelby.invalid", "phone": "0302-52 10 00"}
ANSWER = "Karin Lund här: sjön vid Kyrkviken."


def inspect_url(idea):
    return reverse("sluss_wagtail_idea_modeladmin_inspect", args=[idea.pk])


def answered(idea, text=ANSWER):
    dialogue.write_to_giver(idea, user=None, text="Vilken sjö?")
    return dialogue.answer(idea, text=text)


def section(html, name):
    """The part ``name`` of the panel, or None."""
    start = html.find(f'id="sluss-{name}-section"')
    if start == -1:
        return None
    return html[start : html.index("</section>", start)]


@pytest.fixture
def unit(db):
    return create_reviewed_unit("Parkförvaltningen")


@pytest.fixture
def coordinator(db):
    user = create_coordinator()
    grant(user, "sluss_wagtail.assess_idea")
    return user


def test_the_panel_gathers_all_four_in_order(client, coordinator, unit):
    coached = IdeaFactory(title="Bänkar vid sjön", unit=unit)
    actions.assign_coach(coached, coordinator, user=coordinator)
    owed = IdeaFactory(title="Lånecyklar", unit=unit)
    create_criteria()
    assessing.request_assessments(
        owed, [coordinator], user=coordinator, due_on=timezone.localdate() + timedelta(days=7)
    )
    answered(IdeaFactory(title="Fler papperskorgar", unit=unit, contact=GIVER))
    create_benefit(IdeaFactory(stage="implemented"), owner=coordinator, title="Färre turer")
    client.force_login(coordinator)
    html = client.get(HOME_URL).content.decode()
    assert 'id="sluss-waiting-for-me-section"' in html
    assert gettext("Waiting for me") in html
    names = ["coached", "assessments-waiting", "unread-answers", "follow-ups-due"]
    positions = [html.find(f'id="sluss-{name}-section"') for name in names]
    assert -1 not in positions and positions == sorted(positions)
    assert "Bänkar vid sjön" in section(html, "coached")
    assert "Lånecyklar" in section(html, "assessments-waiting")
    assert "Fler papperskorgar" in section(html, "unread-answers")
    assert "Färre turer" in section(html, "follow-ups-due")
    # An answer's text is on the idea's page, not here (where anyone looking on might read it).
    assert "Kyrkviken" not in html


def test_nothing_waiting_no_panel(client, coordinator):
    IdeaFactory(title="Ingens")
    client.force_login(coordinator)
    assert "sluss-waiting-for-me" not in client.get(HOME_URL).content.decode()


def test_an_answer_waits_until_the_idea_is_opened_and_again_after_a_new_one(
    client, coordinator, unit
):
    idea = IdeaFactory(title="Fler papperskorgar", unit=unit, contact=GIVER)
    answered(idea)
    client.force_login(coordinator)
    link = inspect_url(idea) + "#sluss-panel-dialogue"
    assert link in section(client.get(HOME_URL).content.decode(), "unread-answers")
    assert client.get(inspect_url(idea)).status_code == 200
    assert section(client.get(HOME_URL).content.decode(), "unread-answers") is None
    (reading,) = DialogueReading.objects.all()
    assert (reading.user, reading.idea) == (coordinator, idea)
    # Read again: the same row, later.
    later = timezone.now() + timedelta(minutes=5)
    dialogue.answer(idea, text="Och en sak till.")
    DialogueReading.objects.update(read_at=timezone.now() - timedelta(minutes=1))
    assert list(unread_answers(coordinator)) == [idea]
    mark_read(coordinator, idea, when=later)
    assert DialogueReading.objects.get().read_at == later
    assert list(unread_answers(coordinator)) == []


def test_one_readers_reading_leaves_it_waiting_for_another(client, coordinator, unit):
    idea = IdeaFactory(title="Fler papperskorgar", unit=unit, contact=GIVER)
    answered(idea)
    reviewer = create_reviewer(unit, username="granskare")
    client.force_login(coordinator)
    client.get(inspect_url(idea))
    assert list(unread_answers(coordinator)) == []
    assert list(unread_answers(reviewer)) == [idea]


def test_closed_ideas_and_staffs_own_messages_do_not_wait(coordinator, unit):
    closed = IdeaFactory(title="Avslutad", unit=unit)
    answered(closed)
    process.move_idea(closed, process.CLOSED, user=coordinator, public_note="Nej tack.")
    asked_only = IdeaFactory(title="Bara frågad", unit=unit)
    dialogue.write_to_giver(asked_only, user=coordinator, text="Hur tänker du?")
    assert list(unread_answers(coordinator)) == []


def test_a_reviewer_sees_their_units_answers_de_identified(client, coordinator, unit):
    idea = IdeaFactory(title="Fler papperskorgar", unit=unit, contact=GIVER)
    answered(idea)
    elsewhere = IdeaFactory(title="Annan enhets idé", unit=create_reviewed_unit("Skolan"))
    answered(elsewhere)
    reviewer = create_reviewer(unit, username="granskare")
    client.force_login(reviewer)
    html = client.get(HOME_URL).content.decode()
    part = section(html, "unread-answers")
    assert "Fler papperskorgar" in part and "Annan enhets idé" not in html
    for value in (*GIVER.values(), "Kyrkviken"):
        assert value not in html
    # Opening the idea de-identified reads the answer too.
    page = client.get(inspect_url(idea)).content.decode()
    assert "Karin" not in page
    assert section(client.get(HOME_URL).content.decode(), "unread-answers") is None


def test_a_confidential_ideas_title_is_masked(client, unit):
    coordinator = create_coordinator()  # without view_confidential_idea
    idea = IdeaFactory(title="Hemlig plan", unit=unit, confidential=True)
    answered(idea)
    client.force_login(coordinator)
    part = section(client.get(HOME_URL).content.decode(), "unread-answers")
    assert idea.reference in part
    assert "Hemlig plan" not in part and gettext("(confidential)") in part


def test_a_coach_without_rights_to_act_sees_only_what_they_coach(client, coordinator, unit):
    reviewer = create_reviewer(unit, username="coach")
    reviewer.user_permissions.remove(
        *reviewer.user_permissions.filter(codename="change_idea")  # may only look
    )
    mine = IdeaFactory(title="Min idé", unit=unit)
    actions.assign_coach(mine, reviewer, user=coordinator)
    answered(mine)
    answered(IdeaFactory(title="Inte min", unit=unit))
    assert list(unread_answers(reviewer)) == [mine]


def test_only_the_sluices_one_coordinates(coordinator, unit):
    other = Sluice.objects.create(name="Alingsås")
    group = Group.objects.create(name="Innovationsledare Alingsås")
    other.coordinator_groups.add(group)
    theirs = create_coordinator(username="alingsas", groups=[group])
    ours = IdeaFactory(title="Lerums idé", unit=unit)
    answered(ours)
    alingsas = IdeaFactory(title="Alingsås idé", sluice=other)
    answered(alingsas)
    assert list(unread_answers(theirs)) == [alingsas]
    assert list(unread_answers(coordinator)) == [ours]
