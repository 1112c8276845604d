"""One filled-in form is one idea: a double click, a reload or the back button never make two.

The form's token identifies the opened form; the same token with the same idea is the
same submission (``IdeaForm.get_submission_key``), which the database keeps unique.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from sluss_wagtail.models import Idea
from tests.conftest import form_token, valid_idea_data

pytestmark = pytest.mark.django_db


def open_form(client, page):
    return valid_idea_data(form_token=form_token(client.get(page.url).content.decode()))


def test_a_reload_of_the_sent_form_shows_the_same_idea(client, submission_page):
    data = open_form(client, submission_page)
    first = client.post(submission_page.url, data)
    reference = Idea.objects.get().reference
    assert reference in client.get(first["Location"]).content.decode()

    # The browser's "resend the form?" after the confirmation: the same POST again.
    again = client.post(submission_page.url, data, follow=True)

    assert again.status_code == 200
    assert reference in again.content.decode()
    assert Idea.objects.count() == 1


def test_back_and_send_again_from_a_new_session_is_still_one_idea(client, submission_page):
    """The back button shows the cached form (same token); sent from another session too."""
    data = open_form(client, submission_page)
    assert client.post(submission_page.url, data).status_code == 302
    other_browser = Client()
    response = other_browser.post(submission_page.url, data, follow=True)
    assert response.status_code == 200
    assert Idea.objects.get().reference in response.content.decode()
    assert Idea.objects.count() == 1


def test_a_new_form_opened_after_sending_is_a_new_idea(client, submission_page):
    client.post(submission_page.url, open_form(client, submission_page))
    client.post(submission_page.url, open_form(client, submission_page))
    assert Idea.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_that_arrives_at_the_same_moment_is_one_idea(
    submission_page, no_rate_limits
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises all writers anyway")
    data = open_form(Client(), submission_page)
    clicks = 6
    barrier = threading.Barrier(clicks)
    statuses, errors = [], []

    def click():
        try:
            client = Client()
            barrier.wait(timeout=30)
            statuses.append(client.post(submission_page.url, data).status_code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [302] * clicks
    assert Idea.objects.count() == 1
