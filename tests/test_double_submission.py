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


# One opened form, one idea: other answers on the same token come back ----------------


def resend_message(html):
    return "redan skickats" in html or "already been sent" in html


def test_other_answers_on_a_form_already_sent_come_back_kept_with_a_message(
    client, submission_page
):
    data = open_form(client, submission_page)
    assert client.post(submission_page.url, data).status_code == 302
    first = Idea.objects.get()

    changed = {**data, "title": "Bänkar vid ån", "description": "Och en vid bron."}
    response = client.post(submission_page.url, changed)

    html = response.content.decode()
    assert response.status_code == 200
    assert resend_message(html)
    assert 'class="sluss-error-summary"' in html
    for answer in ("Bänkar vid ån", "Och en vid bron.", "Karin Lund", "karin@exempelby.invalid"):
        assert answer in html
    assert Idea.objects.count() == 1
    assert Idea.objects.get().title == first.title  # the first idea is untouched
    # The form comes back with a new token: sending it now is a new idea.
    new_token = form_token(html)
    assert new_token != data["form_token"]
    assert client.post(submission_page.url, {**changed, "form_token": new_token}).status_code == 302
    assert sorted(Idea.objects.values_list("title", flat=True)) == [
        "Bänkar vid sjön",
        "Bänkar vid ån",
    ]


@pytest.mark.parametrize(
    "changed",
    [
        {"email": "annan@exempelby.invalid"},  # only the contact differs
        {"name": "Någon Annan"},
        {"publish_idea": "no"},
        {"beneficiaries": ""},
    ],
)
def test_any_other_answer_on_a_form_already_sent_is_refused(client, submission_page, changed):
    data = open_form(client, submission_page)
    client.post(submission_page.url, data)
    response = client.post(submission_page.url, {**data, **changed})
    assert response.status_code == 200
    assert resend_message(response.content.decode())
    assert Idea.objects.count() == 1


def test_a_form_already_sent_on_one_page_makes_no_idea_on_another(client, submission_page):
    from tests.factories import create_submission_page

    other = create_submission_page(title="Idéer om skolan", slug="skolan")
    data = open_form(client, submission_page)
    client.post(submission_page.url, data)
    response = client.post(other.url, data)
    assert response.status_code == 200
    assert resend_message(response.content.decode())
    assert Idea.objects.count() == 1


def test_the_same_answers_with_the_same_file_return_the_idea_but_another_file_does_not(
    client, submission_page
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import image_bytes

    def files(color):
        content = image_bytes("PNG", color=color)
        return [SimpleUploadedFile("bild.png", content, content_type="image/png")]

    data = open_form(client, submission_page)
    assert (
        client.post(submission_page.url, {**data, "attachments": files((1, 2, 3))}).status_code
        == 302
    )
    again = client.post(submission_page.url, {**data, "attachments": files((1, 2, 3))})
    assert again.status_code == 302
    other = client.post(submission_page.url, {**data, "attachments": files((9, 9, 9))})
    assert other.status_code == 200
    assert resend_message(other.content.decode())
    assert Idea.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_other_answers_that_arrive_at_the_same_moment_make_one_idea(
    submission_page, no_rate_limits
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises all writers anyway")
    data = open_form(Client(), submission_page)
    clicks = 6
    barrier = threading.Barrier(clicks)
    statuses, errors = [], []

    def click(number):
        try:
            client = Client()
            barrier.wait(timeout=30)
            answers = {**data, "title": f"Idé nummer {number}"}
            statuses.append(client.post(submission_page.url, answers).status_code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(number,)) for number in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [200] * (clicks - 1) + [302]
    assert Idea.objects.count() == 1


# The same for "we use this too" ------------------------------------------------------


@pytest.fixture
def innovation(db):
    from tests.factories import create_innovation, create_showcase_index

    return create_innovation(create_showcase_index())


def test_one_opened_adoption_form_registers_one_use(client, innovation):
    from sluss_wagtail.models import Adoption
    from tests.factories import valid_adoption_data

    url = innovation.url + innovation.reverse_subpage("adopt")
    data = valid_adoption_data(form_token=form_token(client.get(url).content.decode()))
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same answers: the same one
    assert Adoption.objects.count() == 1

    changed = {**data, "municipality": "Lerums kommun", "contact_email": "x@lerum.invalid"}
    response = client.post(url, changed)
    html = response.content.decode()
    assert response.status_code == 200
    assert resend_message(html)
    assert "Lerums kommun" in html and "x@lerum.invalid" in html
    assert Adoption.objects.get().municipality == "Alingsås kommun"
    assert client.post(url, {**changed, "form_token": form_token(html)}).status_code == 302
    assert Adoption.objects.count() == 2
