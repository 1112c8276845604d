"""Property-based tests of the public forms: whatever is sent, never a server error,
and whatever is accepted reads back exactly as sent.

500 generated POSTs per form (the "sluss" profile in conftest.py), on SQLite and on
PostgreSQL (``make test`` runs on both in CI). The documented normalisation: white space
around a text is removed (Django's CharField strips), nothing else changes. The
strategies live in ``tests/strategies.py``, for the adoption form too.
"""

import pytest
from hypothesis import event, given

from sluss_wagtail import spam
from sluss_wagtail.models import Idea
from tests.strategies import idea_form_data

pytestmark = pytest.mark.django_db

IDEA_TEXT_FIELDS = ["title", "description", "need", "beneficiaries"]
CONTACT_TEXT_FIELDS = ["name", "organisation", "phone"]


@given(data=idea_form_data)
def test_the_idea_form_never_fails_and_stores_what_it_accepts(
    client, submission_page, no_rate_limits, data
):
    before = Idea.objects.count()
    response = client.post(submission_page.url, {**data, "form_token": spam.new_form_token()})

    # Never a server error: the test client raises on one, and anything else is an answer.
    assert response.status_code in (200, 302)
    event("refused" if response.status_code == 200 else "accepted")
    if response.status_code == 200:
        assert Idea.objects.count() == before  # refused: nothing half-saved
        assert "data-sluss-error-summary" in response.content.decode()
        return

    assert Idea.objects.count() == before + 1
    idea = Idea.objects.select_related("contact").order_by("-pk").first()
    for field in IDEA_TEXT_FIELDS:
        assert getattr(idea, field) == data[field].strip(), field
    for field in CONTACT_TEXT_FIELDS:
        assert getattr(idea.contact, field) == data[field].strip(), field
    assert idea.contact.email == data["email"].strip()
    assert idea.submitter_kind == data["submitter_kind"]
    assert idea.publish_idea == (data["publish_idea"] == "yes")
    assert idea.publish_name == (data["publish_idea"] == data["publish_name"] == "yes")
