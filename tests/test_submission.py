"""The public idea form, from opening it to the confirmation and the receipt."""

import pytest
from django.core import mail

from sluss_wagtail import process
from sluss_wagtail.models import Idea, IdeaEvent
from tests.conftest import form_token, valid_idea_data
from tests.factories import OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_resident_submits_an_idea_and_gets_a_reference(client, post_idea, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea()
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert response["Location"].endswith("/confirmation/")
    assert idea.stage == process.RECEIVED
    assert idea.reference.startswith("IDE-")
    assert idea.contact.email == "karin@exempelby.invalid"
    assert idea.publish_idea is True and idea.publish_name is False
    assert list(idea.events.values_list("kind", "to_stage")) == [
        (IdeaEvent.Kind.SUBMITTED, process.RECEIVED)
    ]
    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert idea.reference in html
    assert idea.get_status_url() in html
    assert len(mail.outbox) == 1
