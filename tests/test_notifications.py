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


# Staff and feedback -----------------------------------------------------------------------


@pytest.fixture
def site_settings():
    from wagtail.models import Site

    from sluss_wagtail.models import SlussSettings

    site_settings = SlussSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.coordinator_emails = "ingrid@exempelby.invalid\n\n  per@exempelby.invalid "
    site_settings.save()
    return site_settings


@pytest.fixture
def coordinator():
    from tests.factories import UserFactory

    return UserFactory(username="koordinator")


def test_coordinators_hear_of_every_new_idea(site_settings, django_capture_on_commit_callbacks):
    idea = submit(django_capture_on_commit_callbacks, title="Bänkar vid sjön")
    to_staff = [m for m in mail.outbox if m.to != ["karin@exempelby.invalid"]]
    assert len(to_staff) == 1
    assert to_staff[0].to == ["ingrid@exempelby.invalid", "per@exempelby.invalid"]
    assert idea.reference in to_staff[0].subject
    assert "Bänkar vid sjön" in to_staff[0].body
    assert "karin@exempelby.invalid" not in to_staff[0].body  # no personal data by e-mail


def test_the_sender_is_the_sites_sender_address(site_settings, django_capture_on_commit_callbacks):
    site_settings.from_email = "noreply@lerum.invalid"
    site_settings.save()
    submit(django_capture_on_commit_callbacks)
    assert {message.from_email for message in mail.outbox} == {"noreply@lerum.invalid"}


def test_the_unit_contact_hears_of_an_assignment_de_identified(
    coordinator, django_capture_on_commit_callbacks
):
    from sluss_wagtail import actions
    from tests.factories import OrganisationUnitFactory

    idea = IdeaFactory(title="Digitala lås")
    unit = OrganisationUnitFactory(
        name="Hemtjänst Norr", contact_email="hemtjanst@exempelby.invalid"
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_unit(idea, unit, user=coordinator, internal_note="Kan ni titta på den?")
    (message,) = mail.outbox
    assert message.to == ["hemtjanst@exempelby.invalid"]
    assert "Hemtjänst Norr" in message.subject
    assert "Digitala lås" in message.body and "Kan ni titta på den?" in message.body
    assert "Karin" not in message.body and "karin@" not in message.body


def test_a_confidential_idea_is_not_written_out_to_the_unit(
    coordinator, django_capture_on_commit_callbacks
):
    from sluss_wagtail import actions
    from tests.factories import OrganisationUnitFactory

    idea = IdeaFactory(title="Hemlig sak", description="Känsliga uppgifter", confidential=True)
    unit = OrganisationUnitFactory(contact_email="enhet@exempelby.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_unit(idea, unit, user=coordinator)
    (message,) = mail.outbox
    assert "Känsliga uppgifter" not in message.body
    assert "Känsliga uppgifter" not in message.alternatives[0][0]


@pytest.mark.parametrize(
    "language,subject,stage_label",
    [("sv", "Nyheter om din idé", "Bedömning"), ("en", "News about your idea", "Screening")],
)
def test_the_idea_giver_hears_every_move_with_feedback_in_their_language(
    coordinator, django_capture_on_commit_callbacks, language, subject, stage_label
):
    from sluss_wagtail.process import move_idea

    idea = IdeaFactory(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        move_idea(idea, "screening", user=coordinator, public_note="Vi tittar på din idé nu.")
        move_idea(idea, "development", user=coordinator, internal_note="Ingen återkoppling")
    # (Development also asks the giver about taking part: ``dialogue``, another e-mail.)
    (message,) = [m for m in mail.outbox if m.subject.startswith(subject)]
    assert message.subject == f"{subject} {idea.reference}"
    assert "Vi tittar på din idé nu." in message.body
    assert stage_label in message.body
    assert f"/idesluss/status/{idea.status_token}/" in message.body
    assert "Ingen återkoppling" not in message.body


def test_the_givers_of_duplicates_hear_about_the_original(
    coordinator, django_capture_on_commit_callbacks
):
    from sluss_wagtail import actions
    from sluss_wagtail.process import move_idea

    original = IdeaFactory(contact={"name": "A", "email": "a@exempelby.invalid"})
    duplicate = IdeaFactory(contact={"name": "B", "email": "b@exempelby.invalid"}, language="en")
    actions.mark_duplicate(duplicate, original, user=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        move_idea(original, "pilot", user=coordinator, public_note="Test i tre månader.")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exempelby.invalid", "b@exempelby.invalid"]
    to_b = next(m for m in mail.outbox if m.to == ["b@exempelby.invalid"])
    assert duplicate.status_token in to_b.body
    assert duplicate.reference in to_b.subject


def test_a_failing_mail_server_never_rolls_back_a_move(
    settings, coordinator, django_capture_on_commit_callbacks
):
    from sluss_wagtail.process import move_idea

    idea = IdeaFactory()
    if django.VERSION >= (6, 1):
        settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.BrokenBackend"}}
    else:
        settings.EMAIL_BACKEND = "tests.mail_backends.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        move_idea(idea, "screening", user=coordinator, public_note="Tack!")
    idea.refresh_from_db()
    assert idea.stage == "screening"
    assert idea.events.count() == 2


def test_reminders_name_the_ideas_waiting_past_the_promise(site_settings, coordinator, capsys):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from sluss_wagtail.process import move_idea
    from tests.factories import OrganisationUnitFactory

    unit = OrganisationUnitFactory(name="Gata och park", contact_email="gata@exempelby.invalid")
    long_ago = timezone.now() - timedelta(days=20)
    waiting = IdeaFactory(title="Väntar", created_at=long_ago, unit=unit)
    answered = IdeaFactory(title="Besvarad", created_at=long_ago)
    move_idea(answered, "screening", user=coordinator, public_note="Tack, vi tittar på den.")
    IdeaFactory(title="Ny", created_at=timezone.now() - timedelta(days=2))
    closed = IdeaFactory(title="Stängd", created_at=long_ago)
    move_idea(closed, "parked", user=coordinator)
    mail.outbox.clear()

    call_command("sluss_reminders")

    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("gata@exempelby.invalid",),
        ("ingrid@exempelby.invalid", "per@exempelby.invalid"),
    ]
    for message in mail.outbox:
        assert waiting.reference in message.body
        assert "Besvarad" not in message.body and "Ny" not in message.body
        assert "Stängd" not in message.body
    assert "2 reminder(s) sent." in capsys.readouterr().out
