"""The dialogue's public forms under hostile input: the answer form and the answers on
taking part, on the status page. Never a server error, never half-saved, always a clear
translated message; whatever is shown is text (``tests/xss_vectors.py``); whatever is
accepted reads back as sent (hypothesis, as ``tests/test_form_properties.py``)."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from hypothesis import event, given
from hypothesis import strategies as st

from sluss_wagtail import dialogue, notifications
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import DialogueMessage, IdeaAttachment, IdeaEvent, SlussSettings
from sluss_wagtail.models.dialogue import MESSAGE_MAX_LENGTH
from sluss_wagtail.spam import new_form_token
from tests.factories import IdeaFactory, create_coordinator, image_bytes
from tests.strategies import form_data, free_text, one_of_or_junk
from tests.xss_vectors import XSS_VECTORS, assert_no_live_vector, assert_shown_as_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(db):
    idea = IdeaFactory(
        title="Bänkar vid sjön", contact={"name": "Karin Lund", "email": "karin@exempelby.invalid"}
    )
    dialogue.write_to_giver(idea, user=None, text="Vilken sjö menar du?")
    return idea


def answer_url(idea):
    return reverse("sluss_wagtail:dialogue_answer", args=[idea.status_token])


def participation_url(idea):
    return reverse("sluss_wagtail:dialogue_participation", args=[idea.status_token])


def post(client, idea, **data):
    return client.post(answer_url(idea), {"form_token": new_form_token(), **data})


def error_summary(html):
    return "data-sluss-error-summary" in html


def nothing_answered():
    return not DialogueMessage.objects.from_giver().exists() and not (
        IdeaEvent.objects.filter(kind=IdeaEvent.Kind.ANSWER).exists()
    )


# Hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your answer."),
        ("   \n  ", "Write your answer."),
        ("Hej\x00då", "Null characters are not allowed."),
        ("å" * (MESSAGE_MAX_LENGTH + 1), str(MESSAGE_MAX_LENGTH)),
    ],
)
def test_a_bad_answer_is_a_clear_error_and_nothing_is_saved(client, idea, text, message):
    response = post(client, idea, text=text)
    assert response.status_code == 200
    html = response.content.decode()
    assert error_summary(html)
    assert 'aria-invalid="true"' in html
    assert escape(gettext(message)) in html  # in the giver's language
    assert nothing_answered()


def test_a_file_that_is_not_allowed_is_a_clear_error_and_nothing_is_saved(client, idea):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 100, content_type="image/jpeg")
    response = post(client, idea, text="Här är en bild.", attachments=[upload])
    assert response.status_code == 200
    assert error_summary(response.content.decode())
    assert nothing_answered()
    assert not IdeaAttachment.objects.exists()


def test_too_many_files_is_a_clear_error(client, idea, settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_MAX_FILES = 1
    uploads = [
        SimpleUploadedFile(f"b{n}.jpg", image_bytes(), content_type="image/jpeg") for n in range(2)
    ]
    response = post(client, idea, text="Två bilder.", attachments=uploads)
    assert response.status_code == 200
    assert error_summary(response.content.decode())
    assert nothing_answered()


def test_a_picture_loses_its_location(client, idea):
    upload = SimpleUploadedFile("sjon.jpg", image_bytes(gps=True), content_type="image/jpeg")
    assert post(client, idea, text="Bild.", attachments=[upload]).status_code == 302
    (attachment,) = IdeaAttachment.objects.all()
    with attachment.file.open("rb") as handle:
        assert b"Kamerafabriken" not in handle.read()


def test_a_post_without_the_csrf_token_is_refused(idea):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        answer_url(idea), {"text": "Hej", "form_token": new_form_token()}
    )
    assert response.status_code == 403
    assert nothing_answered()


@pytest.mark.parametrize("value", ["kanske", "", "yes\x00", "<script>"])
def test_an_answer_on_taking_part_that_was_never_offered_is_a_form_error(client, idea, value):
    dialogue.ask_participation(idea)
    data = {"take_part": value, "publish_name": "yes", "form_token": new_form_token()}
    response = client.post(participation_url(idea), data)
    assert response.status_code == 200
    assert error_summary(response.content.decode())
    assert not IdeaEvent.objects.filter(kind=IdeaEvent.Kind.PARTICIPATION).exists()


# Cross-site scripting -------------------------------------------------------------------------


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_markup_in_an_answer_is_text_on_the_status_page_the_admin_and_the_e_mail(
    client, idea, vector
):
    site_settings = SlussSettings.for_default_site()
    site_settings.coordinator_emails = "ingrid@exempelby.invalid"
    site_settings.save()
    # Taken, or (a vector the form refuses) re-rendered with it as text.
    rerendered = post(client, idea, text=vector)
    assert rerendered.status_code in (200, 302)
    if rerendered.status_code == 200:
        assert_no_live_vector(rerendered.content.decode())
        return
    answer = DialogueMessage.objects.from_giver().get()
    html = client.get(idea.get_status_url()).content.decode()
    assert_shown_as_text(html, answer.text)
    client.force_login(create_coordinator())
    admin = client.get(idea_admin_path(idea))
    assert_shown_as_text(admin.content.decode(), answer.text)
    mail.outbox.clear()
    (message,) = notifications.send_dialogue_answer(answer)
    html_mail, _mimetype = message.alternatives[0]
    assert_shown_as_text(html_mail, answer.text)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_markup_in_a_question_is_text_for_the_giver(client, vector):
    idea = IdeaFactory(contact={"email": "karin@exempelby.invalid"})
    message = dialogue.write_to_giver(idea, user=None, text=vector)
    html = client.get(idea.get_status_url()).content.decode()
    assert_shown_as_text(html, message.text)
    sent = notifications.send_dialogue_message(message)
    assert_shown_as_text(sent.alternatives[0][0], message.text)
    assert "\n" not in sent.subject


@pytest.mark.parametrize("vector", XSS_VECTORS[:12])
def test_markup_comes_back_as_text_in_the_re_rendered_form(client, idea, vector):
    """A refused answer (too long) shows what was written, as text."""
    text = vector + "å" * MESSAGE_MAX_LENGTH
    response = post(client, idea, text=text)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(vector) in html
    assert_no_live_vector(html)


# Properties ------------------------------------------------------------------------------------


answer_form_data = form_data(
    {
        "text": free_text(MESSAGE_MAX_LENGTH),
        "website": st.one_of(st.just(""), st.just(""), free_text(20)),
    }
)


@given(data=answer_form_data)
def test_the_answer_form_never_fails_and_stores_what_it_accepts(client, idea, no_rate_limits, data):
    before = DialogueMessage.objects.from_giver().count()
    response = client.post(answer_url(idea), {**data, "form_token": new_form_token()})
    assert response.status_code in (200, 302)
    after = DialogueMessage.objects.from_giver().count()
    if response.status_code == 200:
        event("refused")
        assert after == before
        assert error_summary(response.content.decode())
        return
    if data["website"]:
        event("bot")
        assert after == before
        return
    event("accepted")
    assert after == before + 1
    answer = DialogueMessage.objects.from_giver().order_by("-pk").first()
    assert answer.text == data["text"].strip()


participation_form_data = form_data(
    {"take_part": one_of_or_junk(["yes", "no"]), "publish_name": one_of_or_junk(["yes", "no"])}
)


@given(data=participation_form_data)
def test_the_participation_form_never_fails_and_records_what_it_accepts(
    client, idea, no_rate_limits, data
):
    dialogue.ask_participation(idea)
    response = client.post(participation_url(idea), {**data, "form_token": new_form_token()})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert error_summary(response.content.decode())
        return
    idea.refresh_from_db()
    answers = dialogue.participation_answers(idea)
    assert answers["take_part"] == (data["take_part"] == "yes")
    assert answers["publish_name"] == (idea.publish_idea and data["publish_name"] == "yes")
