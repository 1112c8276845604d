"""Every public page runs a fixed number of queries, whatever the number of ideas, events or units.

Each test warms Wagtail's caches (the site's root paths) with one request first, then
counts the queries of the request a person makes. The numbers are the same on SQLite
and PostgreSQL; a change in them is a change in the cost of every page view.
"""

import pytest
from django.core import mail
from django.core.cache import cache

from sluss_wagtail import process
from sluss_wagtail.models import Idea
from tests.conftest import form_token, valid_idea_data
from tests.factories import IdeaFactory, OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# Wagtail finds the site and routes to the page (site, three pages on the way, aliases,
# view restrictions: 6), then the page reads the site settings and asks whether the
# form should offer units.
SUBMISSION_PAGE_GET = 8
# The same, and the units listed in the form: one query however many units there are.
SUBMISSION_PAGE_GET_WITH_UNITS = 9
# Routing (6); the repeat check on the form's key; in a savepoint the reference counter
# (update, read), the idea, its contact and its first event; then the new session that
# carries the idea to the confirmation (key check, and the insert in a savepoint).
SUBMISSION_POST = 18
# After the commit, the receipt and the note to the coordinators, each: the idea with its
# contact, the default site and its sluice settings.
RECEIPT = 3
COORDINATORS_NOTE = 3
# The idea (with the original it may duplicate), its public events, and the site for
# the base template.
STATUS_PAGE = 3


@pytest.fixture(autouse=True)
def _cold_cache():
    """Tests start from an empty cache, so no test depends on what ran before it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return UserFactory(username="coordinator", is_staff=True)


def test_the_submission_page(client, submission_page, django_assert_num_queries):
    client.get(submission_page.url)
    with django_assert_num_queries(SUBMISSION_PAGE_GET):
        assert client.get(submission_page.url).status_code == 200


@pytest.mark.parametrize("number_of_units", [1, 25])
def test_the_submission_page_with_units(
    client, submission_page, django_assert_num_queries, number_of_units
):
    OrganisationUnitFactory.create_batch(number_of_units)
    client.get(submission_page.url)
    with django_assert_num_queries(SUBMISSION_PAGE_GET_WITH_UNITS):
        response = client.get(submission_page.url)
    assert response.content.decode().count('class="sluss-select"') == 1


def test_sending_an_idea(client, submission_page, django_assert_num_queries):
    IdeaFactory()  # the year's reference counter exists, as on any day but the first
    html = client.get(submission_page.url).content.decode()
    data = valid_idea_data(form_token=form_token(html))
    with django_assert_num_queries(SUBMISSION_POST):
        response = client.post(submission_page.url, data)
    assert response.status_code == 302
    assert Idea.objects.count() == 2


def test_sending_an_idea_and_its_receipt(
    client, submission_page, django_assert_num_queries, django_capture_on_commit_callbacks
):
    IdeaFactory()
    html = client.get(submission_page.url).content.decode()
    data = valid_idea_data(form_token=form_token(html))
    with (
        django_assert_num_queries(SUBMISSION_POST + RECEIPT + COORDINATORS_NOTE),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(submission_page.url, data)
    assert response.status_code == 302
    assert len(callbacks) == 3  # the receipt, the coordinators' note and the hooks
    assert len(mail.outbox) == 1


def idea_with_events(staff, number_of_events):
    """An idea with ``number_of_events`` events, each with feedback the status page shows."""
    idea = IdeaFactory()
    assert number_of_events >= 1  # the first event is the submission
    stages = iter(
        [process.SCREENING, process.DEVELOPMENT, process.PILOT, process.EVALUATION]
        + [process.PILOT, process.EVALUATION] * number_of_events
    )
    for n in range(number_of_events - 1):
        process.move_idea(idea, next(stages), user=staff, public_note=f"Återkoppling {n}")
    assert idea.events.count() == number_of_events
    return idea


@pytest.mark.parametrize("number_of_events", [1, 50])
def test_the_status_page(client, staff, django_assert_num_queries, number_of_events):
    idea = idea_with_events(staff, number_of_events)
    client.get(idea.get_status_url())
    with django_assert_num_queries(STATUS_PAGE):
        response = client.get(idea.get_status_url())
    assert response.content.decode().count('class="sluss-timeline__note"') == number_of_events - 1


def test_the_status_page_of_a_duplicate(client, staff, django_assert_num_queries):
    original = idea_with_events(staff, 20)
    duplicate = IdeaFactory()
    Idea.objects.filter(pk=duplicate.pk).update(duplicate_of=original)
    client.get(duplicate.get_status_url())
    with django_assert_num_queries(STATUS_PAGE):
        response = client.get(duplicate.get_status_url())
    assert response.content.decode().count('class="sluss-timeline__note"') == 19
