"""A confidential idea (*sekretessmarkerad*) never reaches a public page, an export
without permission, or an e-mail to anyone but coordinators.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sluss_wagtail import actions, process
from sluss_wagtail.links import inbox_path
from sluss_wagtail.notifications import send_feedback_reminders
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_reviewed_unit,
    create_reviewer,
    create_showcase_index,
)

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Hemligt skyddat boende"
SECRET_TEXT = "Adressen till det skyddade boendet är Ekvägen 3."
SECRET_NOTE = "Vi har pratat med socialtjänsten om boendet."


@pytest.fixture
def staff(db):
    return UserFactory(username="koordinator", is_staff=True)


def secret_idea(**kwargs):
    kwargs.setdefault("title", SECRET_TITLE)
    kwargs.setdefault("description", SECRET_TEXT)
    return IdeaFactory(confidential=True, **kwargs)


def assert_no_secret(text):
    for secret in (SECRET_TITLE, SECRET_TEXT, SECRET_NOTE):
        assert secret not in text


def test_a_duplicates_status_page_shows_nothing_of_a_confidential_original(client, staff):
    original = secret_idea()
    process.move_idea(original, process.SCREENING, user=staff, public_note=SECRET_NOTE)
    duplicate = IdeaFactory(title="Min egen idé")
    actions.mark_duplicate(duplicate, original, user=staff)
    html = client.get(duplicate.get_status_url()).content.decode()
    assert "Min egen idé" in html
    assert_no_secret(html)


def test_the_confidential_ideas_own_status_page_is_kept_out_of_search_engines(client):
    idea = secret_idea()
    response = client.get(idea.get_status_url())
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "no-store, private"


def test_a_challenge_never_lists_a_confidential_idea_that_went_further(client, staff):
    now = timezone.now()
    challenge = create_challenge(
        create_challenge_index(),
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=10),
    )
    idea = secret_idea(challenge=challenge, publish_idea=True, publish_name=True)
    process.move_idea(idea, process.PILOT, user=staff)
    assert_no_secret(client.get(challenge.url).content.decode())


def test_a_confidential_idea_cannot_be_promoted_to_the_showcase(staff):
    idea = secret_idea(publish_idea=True)
    process.move_idea(idea, process.IMPLEMENTED, user=staff)
    with pytest.raises(ValidationError):
        actions.promote_idea(idea, create_showcase_index(), user=staff)


def test_the_inbox_export_masks_confidential_text_for_a_reviewer(client, staff):
    unit = create_reviewed_unit("Socialförvaltningen")
    secret_idea(unit=unit)
    client.force_login(create_reviewer(unit, username="granskare"))
    response = client.get(inbox_path(), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert SECRET_TEXT not in text


def test_the_unit_is_told_nothing_of_a_confidential_idea(staff, django_capture_on_commit_callbacks):
    idea = secret_idea()
    unit = OrganisationUnitFactory(contact_email="enhet@exempelby.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_unit(idea, unit, user=staff)
    (message,) = mail.outbox
    for part in (message.subject, message.body, message.alternatives[0][0]):
        assert_no_secret(part)


def test_reminders_name_no_confidential_idea_to_the_unit(db):
    from sluss_wagtail.models import Idea

    unit = OrganisationUnitFactory(contact_email="enhet@exempelby.invalid")
    idea = secret_idea(unit=unit)
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=60))
    mail.outbox = []
    messages = send_feedback_reminders()
    to_unit = [m for m in messages if m.to == ["enhet@exempelby.invalid"]]
    assert to_unit
    for message in to_unit:
        assert_no_secret(message.subject + message.body + message.alternatives[0][0])


def test_the_right_of_access_export_needs_the_personal_data_permission(client):
    idea = secret_idea(contact={"name": "Sara", "email": "sara@exempelby.invalid"})
    url = reverse("sluss_wagtail_personal_data")
    reviewer = create_reviewer(create_reviewed_unit("Skola"), username="granskare")
    client.force_login(reviewer)
    response = client.post(url, {"email": "sara@exempelby.invalid", "action": "json"})
    assert response.status_code == 302
    assert SECRET_TEXT not in response.content.decode()
    client.force_login(create_coordinator())
    response = client.post(url, {"email": "sara@exempelby.invalid", "action": "json"})
    assert idea.reference in response.content.decode()


def test_marking_a_published_ideas_idea_confidential_unpublishes_it_everywhere(
    client, staff, settings
):
    from sluss_wagtail.blocks import ShowcaseHighlightsBlock
    from sluss_wagtail.models import IdeaEvent
    from sluss_wagtail.pages.models import InnovationPage

    idea = IdeaFactory(title=SECRET_TITLE, publish_idea=True)
    process.move_idea(idea, process.IMPLEMENTED, user=staff)
    showcase = create_showcase_index()
    page = actions.promote_idea(idea, showcase, user=staff)
    page.title = SECRET_TITLE
    page.save_revision().publish()
    assert SECRET_TITLE in client.get(showcase.url).content.decode()

    actions.set_confidential(idea, True, user=staff)

    page = InnovationPage.objects.get(pk=page.pk)
    assert not page.live
    assert client.get(page.url or "/innovationer/x/").status_code == 404
    assert_no_secret(client.get(showcase.url).content.decode())
    feed = showcase.url + showcase.reverse_subpage("json_feed")
    assert_no_secret(client.get(feed).content.decode())
    block = ShowcaseHighlightsBlock()
    assert_no_secret(block.render(block.to_python({"heading": "Nytt", "max_count": 3})))
    event = idea.events.filter(kind=IdeaEvent.Kind.CONFIDENTIAL).get()
    assert event.changes["unpublished"] == [SECRET_TITLE]
