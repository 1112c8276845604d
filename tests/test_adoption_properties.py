"""Property-based test of the adoption form ("we use this too"): whatever is sent, never
a server error, nothing half-saved, and whatever is accepted reads back exactly as sent.

500 generated POSTs (the "sluss" profile in conftest.py; ``SLUSS_HYPOTHESIS_PROFILE=quick``
for 50), on whichever database the run uses. The documented normalisation: white space
around a text is removed, nothing else changes. The strategies are in
``tests/strategies.py``, next to the idea form's.
"""

from datetime import date

import pytest
from hypothesis import event, given

from sluss_wagtail import spam
from sluss_wagtail.models import Adoption, AdoptionStatus
from tests.factories import create_innovation, create_showcase_index
from tests.strategies import adoption_form_data

pytestmark = pytest.mark.django_db

TEXT_FIELDS = ["organisation", "municipality", "adaptation"]


@pytest.fixture
def adopt_url(db):
    innovation = create_innovation(create_showcase_index())
    return innovation.url + innovation.reverse_subpage("adopt")


@given(data=adoption_form_data)
def test_the_adoption_form_never_fails_and_stores_what_it_accepts(
    client, adopt_url, no_rate_limits, data
):
    before = set(Adoption.objects.values_list("pk", flat=True))
    response = client.post(adopt_url, {**data, "form_token": spam.new_form_token()})

    # Never a server error: the test client raises on one, and anything else is an answer.
    assert response.status_code in (200, 302)
    event("refused" if response.status_code == 200 else "accepted")
    after = set(Adoption.objects.values_list("pk", flat=True))
    if response.status_code == 200:
        assert after == before  # refused: nothing half-saved
        assert 'class="sluss-error-summary"' in response.content.decode()
        return

    assert response["Location"].endswith("/adopt/confirmation/")
    [new] = after - before
    adoption = Adoption.objects.get(pk=new)
    for field in TEXT_FIELDS:
        assert getattr(adoption, field) == data[field].strip(), field
    assert adoption.contact_email == data["contact_email"].strip()
    since = data["since"].strip()
    assert adoption.since == (date.fromisoformat(since) if since else None)
    assert adoption.status == AdoptionStatus.PENDING  # shown only once a moderator confirms
