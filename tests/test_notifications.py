"""The receipt e-mail to the idea giver, rendered for real through Django's mail outbox."""

import django
import pytest
from django.core import mail

from sluss_wagtail.models import Idea
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def submit(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return IdeaFactory(**kwargs)


def test_the_receipt_has_the_reference_and_the_status_link_in_text_and_html(
    django_capture_on_commit_callbacks,
):
    idea = submit(django_capture_on_commit_callbacks, title="Bänkar vid sjön")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karin@exempelby.invalid"]
    assert idea.reference in message.subject
    status_url = "https://www.exempelby.invalid" + idea.get_status_url()
    assert status_url in message.body
    assert idea.reference in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert status_url in html
    assert '<html lang="sv">' in html
    assert "Bänkar vid sjön" in html


def test_the_receipt_speaks_the_language_the_idea_was_sent_in(django_capture_on_commit_callbacks):
    idea = submit(django_capture_on_commit_callbacks, language="en")
    message = mail.outbox[0]
    assert message.subject == f"We have received your idea {idea.reference}"
    assert "/en/idesluss/status/" in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


def test_the_swedish_receipt_is_in_swedish(django_capture_on_commit_callbacks):
    idea = submit(django_capture_on_commit_callbacks, language="sv")
    message = mail.outbox[0]
    assert message.subject == f"Vi har tagit emot din idé {idea.reference}"
    assert "/en/" not in message.body


def test_without_an_e_mail_address_no_e_mail_is_sent(django_capture_on_commit_callbacks):
    submit(django_capture_on_commit_callbacks, contact={"name": "Karin Lund", "email": ""})
    assert mail.outbox == []


def test_a_failing_mail_server_never_loses_a_submission(
    settings, post_idea, django_capture_on_commit_callbacks
):
    if django.VERSION >= (6, 1):
        settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.BrokenBackend"}}
    else:
        settings.EMAIL_BACKEND = "tests.mail_backends.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea()
    assert response.status_code == 302
    assert Idea.objects.count() == 1


def test_the_feedback_promise_and_contact_address_come_from_the_site_settings(
    django_capture_on_commit_callbacks,
):
    from wagtail.models import Site

    from sluss_wagtail.models import SlussSettings

    site_settings = SlussSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.feedback_promise_days = 21
    site_settings.contact_email = "idesluss@exempelby.invalid"
    site_settings.save()
    submit(django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert "21 dagar" in body
    assert "idesluss@exempelby.invalid" in body
