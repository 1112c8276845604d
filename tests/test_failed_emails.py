"""E-mails that fail are recorded, shown to coordinators and sent again once by a command.

No task backend retries: ``sluss_wagtail.outbox`` is the one place an e-mail is tried
again. The real worker process is in ``test_worker.py``.
"""

from datetime import timedelta
from io import StringIO

import django
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sluss_wagtail import tasks
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import FailedEmail, SlussSettings
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_coordinator,
    create_reviewed_unit,
    create_reviewer,
)

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("sluss_wagtail_unsent_emails")
GIVER = "karin@exempelby.invalid"


def use_mail_backend(settings, backend):
    if django.VERSION >= (6, 1):
        settings.MAILERS = {"default": {"BACKEND": backend}}
    else:
        settings.EMAIL_BACKEND = backend


@pytest.fixture
def mail_down(settings):
    use_mail_backend(settings, "tests.mail_backends.BrokenBackend")


def mail_up(settings):
    use_mail_backend(settings, "django.core.mail.backends.locmem.EmailBackend")


@pytest.fixture
def coordinators_addresses(db):
    from wagtail.models import Site

    site_settings = SlussSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.coordinator_emails = "ingrid@exempelby.invalid"
    site_settings.save()


def submit(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return IdeaFactory(**kwargs)


def resend():
    out, err = StringIO(), StringIO()
    call_command("sluss_resend_emails", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# Recorded ---------------------------------------------------------------------------------


def test_a_submission_whose_e_mails_fail_records_them(
    mail_down, coordinators_addresses, post_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea()
    assert response.status_code == 302
    records = list(FailedEmail.objects.order_by("kind"))
    assert [record.kind for record in records] == ["new_idea", "receipt"]
    for record in records:
        assert record.status == FailedEmail.Status.FAILED
        assert record.attempts == 1
        assert record.error == "ConnectionRefusedError: mail server down"
        assert record.idea.title == "Bänkar vid sjön"


def test_the_error_is_kept_without_the_address_it_names(
    settings, django_capture_on_commit_callbacks
):
    use_mail_backend(settings, "tests.mail_backends.RefusingBackend")
    submit(django_capture_on_commit_callbacks)
    record = FailedEmail.objects.get()
    assert record.error.startswith("SMTPRecipientsRefused")
    assert "mailbox unavailable" in record.error
    assert GIVER not in record.error and "@" not in record.error


def test_the_failed_task_keeps_no_address_either(settings):
    use_mail_backend(settings, "tests.mail_backends.RefusingBackend")
    idea = IdeaFactory()
    result = tasks.send_idea_receipt.enqueue(idea.pk)
    assert result.status == "FAILED"
    (error,) = result.errors
    assert error.exception_class_path == "sluss_wagtail.outbox.EmailNotSent"
    assert "SMTPRecipientsRefused" in error.traceback
    assert "@" not in error.traceback


def test_feedback_that_fails_is_recorded_for_its_idea(settings, django_capture_on_commit_callbacks):
    from sluss_wagtail.process import move_idea

    idea = IdeaFactory()
    use_mail_backend(settings, "tests.mail_backends.BrokenBackend")
    with django_capture_on_commit_callbacks(execute=True):
        move_idea(idea, "screening", user=UserFactory(), public_note="Tack!")
    record = FailedEmail.objects.get()
    assert (record.kind, record.idea) == ("feedback", idea)
    assert record.object_id == idea.events.get(to_stage="screening").pk


def test_the_task_fails_and_a_notice_failing_again_counts_an_attempt(mail_down):
    idea = IdeaFactory()
    for _ in range(2):
        result = tasks.send_idea_receipt.enqueue(idea.pk)
        assert result.status == "FAILED"  # the backend sees the task fail: nothing hidden
    record = FailedEmail.objects.get()
    assert record.attempts == 2


def test_nothing_is_recorded_when_the_mail_goes_out(django_capture_on_commit_callbacks):
    submit(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert not FailedEmail.objects.exists()


# Sent again ---------------------------------------------------------------------------------


def test_the_command_sends_a_failed_receipt_once_and_marks_it_sent(
    settings, mail_down, django_capture_on_commit_callbacks
):
    idea = submit(django_capture_on_commit_callbacks)
    mail_up(settings)

    out, err = resend()
    assert "1 sent" in out and err == ""
    assert [message.to for message in mail.outbox] == [[GIVER]]
    assert idea.reference in mail.outbox[0].subject
    record = FailedEmail.objects.get()
    assert record.status == FailedEmail.Status.SENT
    assert record.sent_at is not None and record.attempts == 2

    out, _ = resend()  # from cron, again: nothing more
    assert "0 sent" in out
    assert len(mail.outbox) == 1


def test_a_mail_server_still_down_counts_the_attempt_and_says_so(
    mail_down, django_capture_on_commit_callbacks
):
    submit(django_capture_on_commit_callbacks)
    out, err = resend()
    assert "1 failed again" in out
    assert "1 e-mail(s) still not sent" in err
    record = FailedEmail.objects.get()
    assert (record.status, record.attempts) == (FailedEmail.Status.FAILED, 2)


def test_an_address_erased_since_has_nothing_to_send(
    settings, mail_down, django_capture_on_commit_callbacks
):
    from sluss_wagtail.models import IdeaContact

    idea = submit(django_capture_on_commit_callbacks)
    IdeaContact.objects.filter(idea=idea).delete()
    mail_up(settings)
    out, _ = resend()
    assert "1 with nothing to send any more" in out
    assert mail.outbox == []
    assert FailedEmail.objects.get().status == FailedEmail.Status.OBSOLETE


def test_an_e_mail_another_run_is_sending_is_left_to_it(
    settings, mail_down, django_capture_on_commit_callbacks
):
    submit(django_capture_on_commit_callbacks)
    mail_up(settings)
    FailedEmail.objects.update(claimed_until=timezone.now() + timedelta(minutes=5))
    out, _ = resend()
    assert "1 taken by another run" in out
    assert mail.outbox == []
    # A run that died: its claim runs out, and the next run sends the e-mail.
    FailedEmail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    resend()
    assert len(mail.outbox) == 1


def test_a_claim_is_taken_by_one_run_only(mail_down, django_capture_on_commit_callbacks):
    from sluss_wagtail import outbox

    submit(django_capture_on_commit_callbacks)
    record = FailedEmail.objects.get()
    now = timezone.now()
    assert outbox.claim(record.pk, now) is True
    assert outbox.claim(record.pk, now) is False


# Shown to coordinators --------------------------------------------------------------------


@pytest.fixture
def failed_idea(mail_down, django_capture_on_commit_callbacks):
    return submit(django_capture_on_commit_callbacks, title="Bänkar vid sjön")


def test_coordinators_see_which_ideas_e_mails_did_not_go_out(client, failed_idea):
    client.force_login(create_coordinator())
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert failed_idea.reference in html
    assert "Bänkar vid sjön" in html
    assert str(FailedEmail.Kind.RECEIPT.label) in html
    inspect_url = idea_admin_path(failed_idea)
    assert f'href="{inspect_url}"' in html


def test_an_e_mail_sent_again_leaves_the_report(settings, client, failed_idea):
    mail_up(settings)
    resend()
    client.force_login(create_coordinator())
    response = client.get(REPORT_URL)
    assert failed_idea.reference not in response.content.decode()


def test_a_reviewer_sees_only_their_units_ideas_in_the_report(
    client, mail_down, django_capture_on_commit_callbacks
):
    parks, schools = create_reviewed_unit("Park"), create_reviewed_unit("Skola")
    own = submit(django_capture_on_commit_callbacks, unit=parks)
    other = submit(django_capture_on_commit_callbacks, unit=schools)
    client.force_login(create_reviewer(parks))
    html = client.get(REPORT_URL).content.decode()
    assert own.reference in html
    assert other.reference not in html


def test_the_report_is_refused_to_those_without_the_inbox(client, failed_idea):
    from tests.factories import create_admin_user

    client.force_login(create_admin_user("wagtailadmin.access_admin", username="redaktor"))
    response = client.get(REPORT_URL)
    # Wagtail's refusal: back to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


def test_the_ideas_page_names_its_e_mails_not_sent(client, failed_idea):
    client.force_login(create_coordinator())
    url = idea_admin_path(failed_idea)
    html = client.get(url).content.decode()
    assert 'id="sluss-idea-unsent-emails"' in html
    assert str(FailedEmail.Kind.RECEIPT.label) in html
    assert "ConnectionRefusedError: mail server down" in html


def test_an_ideas_page_without_failures_says_nothing_of_e_mails(client, db):
    idea = IdeaFactory()
    client.force_login(create_coordinator())
    url = idea_admin_path(idea)
    assert 'id="sluss-idea-unsent-emails"' not in client.get(url).content.decode()
