"""Personal data: withdrawal and erasure from the status page, retention, and e-mails after.

The idea is a public record and stays; the contact details, the submitting
account and the files go, and an immutable event says so.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Site

from sluss_wagtail import attachments, privacy, process
from sluss_wagtail.models import Idea, IdeaAttachment, IdeaContact, IdeaEvent, SlussSettings
from tests.factories import IdeaFactory, UserFactory, create_submission_page, image_bytes

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Zackarias Quist",
    "email": "zq.hemlig@exempelby.invalid",
    "phone": "070-987 65 43",
    "organisation": "Föreningen Tysta Ekar",
}


@pytest.fixture
def staff(db):
    return UserFactory(username="coordinator", is_staff=True)


@pytest.fixture
def idea(db):
    return IdeaFactory(title="Bänkar vid sjön", contact=CONTACT)


def add_attachment(idea):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clean = attachments.clean_upload(SimpleUploadedFile("bild.png", image_bytes("PNG")))
    return IdeaAttachment.store(idea, clean)


def withdraw_url(idea):
    return reverse("sluss_wagtail:idea_withdraw", args=[idea.status_token])


def erase_url(idea):
    return reverse("sluss_wagtail:idea_erase", args=[idea.status_token])


def csrf_client():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# Withdrawal ---------------------------------------------------------------------------------


def test_the_status_page_links_to_withdrawal_and_erasure(client, idea):
    html = client.get(idea.get_status_url()).content.decode()
    assert f'href="{withdraw_url(idea)}"' in html
    assert f'href="{erase_url(idea)}"' in html


def test_withdrawal_asks_first_and_says_what_stays(client, idea):
    response = client.get(withdraw_url(idea))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<form method="post" action="{withdraw_url(idea)}"' in html
    assert 'id="sluss-public-record"' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store, private"
    idea.refresh_from_db()
    assert idea.stage == process.RECEIVED
    assert not idea.events.filter(kind=IdeaEvent.Kind.WITHDRAWN).exists()


def test_withdrawing_closes_the_idea_through_the_process_and_is_recorded(client, idea):
    mail.outbox = []
    with_csrf = csrf_client()
    token = csrf_token(with_csrf.get(withdraw_url(idea)).content.decode())
    response = with_csrf.post(withdraw_url(idea), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == idea.get_status_url()
    idea.refresh_from_db()
    assert idea.stage == process.CLOSED
    kinds = list(idea.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "moved", "withdrawn"]
    html = client.get(idea.get_status_url()).content.decode()
    assert 'id="sluss-withdrawn"' in html
    assert f'href="{withdraw_url(idea)}"' not in html
    # Contact details stay until the idea giver asks for erasure.
    assert IdeaContact.objects.filter(idea=idea).exists()


def test_withdrawing_an_implemented_idea_records_it_and_leaves_the_stage(client, idea, staff):
    process.move_idea(idea, process.IMPLEMENTED, user=staff)
    client.post(withdraw_url(idea))
    idea.refresh_from_db()
    assert idea.stage == process.IMPLEMENTED
    assert idea.events.filter(kind=IdeaEvent.Kind.WITHDRAWN).count() == 1


def test_withdrawing_an_idea_that_duplicates_follow_leaves_it_open_for_them(client, idea, staff):
    from sluss_wagtail import actions

    follower = IdeaFactory(title="Samma idé")
    actions.mark_duplicate(follower, idea, user=staff)
    client.post(withdraw_url(idea))
    idea.refresh_from_db()
    assert idea.stage == process.RECEIVED
    assert idea.events.filter(kind=IdeaEvent.Kind.WITHDRAWN).count() == 1


def test_the_confirmation_pages_run_a_fixed_number_of_queries(
    client, idea, django_assert_num_queries
):
    # The idea with what the page says about it, its feedback, the site and its
    # implementation plan.
    add_attachment(idea)
    for n in range(5):
        process.move_idea(
            idea, process.FORWARD_PATH[n + 1], user=None, public_note=f"Återkoppling {n}"
        )
    for url in (withdraw_url(idea), erase_url(idea), idea.get_status_url()):
        # And the dialogue (development asked the giver about taking part): the thread,
        # with the giver's answers in the same query; and the implementation plan.
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200


def test_withdrawing_twice_is_harmless(client, idea):
    client.post(withdraw_url(idea))
    response = client.post(withdraw_url(idea))
    assert response.status_code == 200
    assert escape(gettext("You have already withdrawn this idea.")) in response.content.decode()
    assert idea.events.filter(kind=IdeaEvent.Kind.WITHDRAWN).count() == 1


def test_withdrawal_without_the_csrf_token_is_refused(idea):
    response = csrf_client().post(withdraw_url(idea))
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.stage == process.RECEIVED


@pytest.mark.parametrize(
    "token",
    ["x" * 32, "a" * 200, "%00", "..%2F..%2Fadmin", "<script>", "' OR 1=1 --"],
)
@pytest.mark.parametrize("name", ["sluss_wagtail:idea_withdraw", "sluss_wagtail:idea_erase"])
def test_hostile_status_links_are_404s_and_change_nothing(client, idea, token, name):
    from urllib.parse import quote

    url = reverse(name, args=["x" * 32]).replace("x" * 32, quote(token, safe="%"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"anything": "<script>"}).status_code == 404
    assert idea.events.count() == 1
    assert IdeaContact.objects.count() == 1


def test_other_methods_are_refused(client, idea):
    assert client.put(withdraw_url(idea)).status_code == 405
    assert client.delete(erase_url(idea)).status_code == 405


# Erasure from the status page ---------------------------------------------------------------


def test_erasure_asks_first(client, idea):
    html = client.get(erase_url(idea)).content.decode()
    assert f'<form method="post" action="{erase_url(idea)}"' in html
    assert 'id="sluss-public-record"' in html
    assert IdeaContact.objects.filter(idea=idea).exists()


def test_erasure_removes_the_contact_files_and_account_and_keeps_the_idea(
    client, db, django_capture_on_commit_callbacks
):
    giver = UserFactory(username="medarbetare")
    idea = IdeaFactory(title="Bänkar vid sjön", contact=CONTACT, submitted_by=giver)
    attachment = add_attachment(idea)
    path = attachments.get_attachment_storage().path(attachment.file.name)

    with_csrf = csrf_client()
    token = csrf_token(with_csrf.get(erase_url(idea)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = with_csrf.post(erase_url(idea), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Bänkar vid sjön"
    assert idea.submitted_by is None
    assert not IdeaContact.objects.filter(idea=idea).exists()
    assert not IdeaAttachment.objects.filter(idea=idea).exists()
    import os

    assert not os.path.exists(path)
    submitted = idea.events.get(kind=IdeaEvent.Kind.SUBMITTED)
    assert submitted.user is None
    erased = idea.events.get(kind=IdeaEvent.Kind.ERASED)
    assert erased.changes == {"erased": ["contact", "account", "attachments"]}
    html = client.get(idea.get_status_url()).content.decode()
    assert 'id="sluss-erased"' in html
    assert f'href="{erase_url(idea)}"' not in html
    # A second time there is nothing left to erase: no second event.
    assert client.post(erase_url(idea)).status_code == 200
    assert idea.events.filter(kind=IdeaEvent.Kind.ERASED).count() == 1


def test_after_erasure_no_e_mail_reaches_the_idea_giver(
    client, idea, staff, django_capture_on_commit_callbacks
):
    client.post(erase_url(idea))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        process.move_idea(idea, process.SCREENING, user=staff, public_note="Vi tittar på idén.")
    assert not [m for m in mail.outbox if CONTACT["email"] in m.to]


def test_erased_events_cannot_be_edited(idea):
    (event,) = privacy.erase_contact(idea, reason="test")
    event = IdeaEvent.objects.get(pk=event.pk)
    event.internal_note = "ändrad"
    with pytest.raises(ValueError):
        event.save()


# Retention ----------------------------------------------------------------------------------


def ended(idea, staff, days_ago, stage=process.CLOSED):
    kwargs = {"public_note": "Beslut."} if stage == process.CLOSED else {}
    if stage == process.FORWARDED:
        kwargs = {"destination": "Felanmälan"}
    event = process.move_idea(idea, stage, user=staff, **kwargs)
    IdeaEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return idea


def retention_days(days):
    settings_row = SlussSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.retention_days = days
    settings_row.save()


@pytest.mark.parametrize(
    "stage", [process.CLOSED, process.FORWARDED, process.IMPLEMENTED, process.SPREAD]
)
def test_an_idea_that_ended_long_ago_loses_its_contact_details(staff, stage, db):
    retention_days(30)
    old = ended(IdeaFactory(contact=CONTACT), staff, 31, stage)
    recent = ended(IdeaFactory(contact=CONTACT), staff, 29, stage)
    still_open = IdeaFactory(contact=CONTACT, created_at=timezone.now() - timedelta(days=900))

    assert privacy.apply_retention() == [old.pk]  # a dry run
    assert IdeaContact.objects.count() == 3

    assert privacy.apply_retention(apply=True) == [old.pk]
    assert set(IdeaContact.objects.values_list("idea", flat=True)) == {recent.pk, still_open.pk}
    assert old.events.filter(kind=IdeaEvent.Kind.ERASED).count() == 1
    # Idempotent: nothing more to do.
    assert privacy.apply_retention(apply=True) == []
    assert old.events.filter(kind=IdeaEvent.Kind.ERASED).count() == 1


def test_ended_time_is_the_last_move_into_an_ending_stage(staff, db):
    retention_days(30)
    idea = ended(IdeaFactory(contact=CONTACT), staff, 400, process.IMPLEMENTED)
    # Spread yesterday: the idea ended again, yesterday.
    process.move_idea(idea, process.SPREAD, user=staff)
    assert privacy.apply_retention() == []


def test_retention_follows_the_site_the_idea_came_through(staff, db):
    from wagtail.models import Page

    retention_days(1000)
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=Page(title="Grannkommun", slug="grannkommun"))
    other_site = Site.objects.create(hostname="granne.invalid", root_page=other_home)
    other_settings = SlussSettings.for_site(other_site)
    other_settings.retention_days = 10
    other_settings.save()
    other_page = create_submission_page(title="Idé", slug="ide-granne")
    other_page.move(other_home, pos="last-child")
    other_page.refresh_from_db()
    ours = ended(IdeaFactory(contact=CONTACT), staff, 20)
    theirs = ended(IdeaFactory(contact=CONTACT, source_page=other_page), staff, 20)
    assert privacy.apply_retention() == [theirs.pk]
    assert ours.pk not in privacy.apply_retention()


def test_retention_costs_a_fixed_number_of_queries_per_batch(staff, db):
    retention_days(1)

    def run(count):
        ideas = [ended(IdeaFactory(contact=CONTACT), staff, 5) for _ in range(count)]
        for idea in ideas:
            add_attachment(idea)
        with CaptureQueriesContext(connection) as queries:
            privacy.apply_retention(apply=True, batch_size=50)
        return len(queries)

    run(1)  # the sites' settings into the cache, as after any earlier run
    assert run(2) == run(6)


def test_the_command_is_a_dry_run_unless_told_to_apply(staff, db):
    import io

    retention_days(1)
    idea = ended(IdeaFactory(contact=CONTACT), staff, 5)
    out = io.StringIO()
    call_command("sluss_retention", stdout=out)
    assert idea.reference in out.getvalue()
    assert IdeaContact.objects.filter(idea=idea).exists()
    out = io.StringIO()
    call_command("sluss_retention", "--apply", stdout=out)
    assert not IdeaContact.objects.filter(idea=idea).exists()
    assert "1/1" in out.getvalue()
    out = io.StringIO()
    call_command("sluss_retention", "--apply", stdout=out)
    assert not IdeaEvent.objects.filter(kind=IdeaEvent.Kind.ERASED).exclude(idea=idea).exists()
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_the_confirmations_are_rate_limited_per_client_address(client, idea, settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"status": (2, 600)}
    assert client.post(erase_url(idea)).status_code == 302
    assert client.post(erase_url(idea)).status_code == 200  # already erased: the page says so
    response = client.post(withdraw_url(idea))
    assert response.status_code == 429
    assert not idea.events.filter(kind=IdeaEvent.Kind.WITHDRAWN).exists()
    # Reading is never limited.
    assert client.get(withdraw_url(idea)).status_code == 200


def test_retention_erases_the_contact_address_of_adoptions_decided_long_ago(staff, db):
    import io

    from tests.factories import create_adoption, create_innovation, create_showcase_index

    retention_days(30)
    innovation = create_innovation(create_showcase_index())
    old = create_adoption(innovation, status="confirmed", decided_at=timezone.now() - timedelta(31))
    recent = create_adoption(
        innovation, status="rejected", decided_at=timezone.now() - timedelta(29)
    )
    pending = create_adoption(innovation)
    out = io.StringIO()
    call_command("sluss_retention", stdout=out)
    assert "1 adoption(s) past retention" in out.getvalue()
    old.refresh_from_db()
    assert old.contact_email
    call_command("sluss_retention", "--apply", stdout=out)
    assert "1 adoption contact(s) erased" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    pending.refresh_from_db()
    assert old.contact_email == "" and old.status == "confirmed"
    assert recent.contact_email and pending.contact_email


def test_the_withdrawal_note_of_an_idea_without_a_language_is_in_the_sites_language(idea):
    """An idea with no language recorded (sent before it was) hears in the site's language,
    never in the untranslated English of the code, whatever language is active."""
    from django.utils import translation

    Idea.objects.filter(pk=idea.pk).update(language="")
    idea.refresh_from_db()
    with translation.override("en"):
        privacy.withdraw(idea)
    assert idea.events.filter(public_note="Idégivaren drog tillbaka idén.").exists()
