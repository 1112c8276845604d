"""The dialogue with the idea giver: written in the admin, read and answered on the status
page, told by e-mail, part of the history, erased with the giver's identity."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sluss_wagtail import dialogue, permissions, privacy, process
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import DialogueMessage, IdeaAttachment, IdeaEvent, SlussSettings
from sluss_wagtail.spam import new_form_token
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_admin_user,
    create_coordinator,
    create_innovation,
    create_reviewed_unit,
    create_reviewer,
    create_showcase_index,
    image_bytes,
)

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Karin Lund",
    "email": "karin@exempelby.invalid",
    "phone": "0302-52 10 00",
    "organisation": "",
}
QUESTION = "Hej Karin Lund! Vilken sjö tänker du på?"


@pytest.fixture
def unit(db):
    return create_reviewed_unit("Parkförvaltningen")


@pytest.fixture
def idea(unit):
    return IdeaFactory(title="Bänkar vid sjön", contact=CONTACT, unit=unit)


@pytest.fixture
def coordinator(db):
    return create_coordinator(email="ingrid@exempelby.invalid", first_name="Ingrid")


@pytest.fixture
def coordinators_told(db):
    site_settings = SlussSettings.for_default_site()
    site_settings.coordinator_emails = "ingrid@exempelby.invalid"
    site_settings.save()


def write_url(idea):
    return reverse("sluss_wagtail_dialogue_write", args=[idea.pk])


def answer_url(idea):
    return reverse("sluss_wagtail:dialogue_answer", args=[idea.status_token])


def participation_url(idea):
    return reverse("sluss_wagtail:dialogue_participation", args=[idea.status_token])


def answer_data(**overrides):
    return {
        "text": "Sjön vid Kyrkviken, där promenadstråket går.",
        "form_token": new_form_token(),
        **overrides,
    }


def asked(idea, user=None, text=QUESTION):
    return dialogue.write_to_giver(idea, user=user, text=text)


# The admin ---------------------------------------------------------------------------------


def test_a_coordinator_writes_and_the_giver_is_told_with_the_status_link(
    client, idea, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(write_url(idea))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(write_url(idea), {"kind": "question", "text": QUESTION})
    assert response.status_code == 302
    assert response["Location"] == idea_admin_path(idea) + "#sluss-panel-dialogue"
    (message,) = DialogueMessage.objects.all()
    assert (message.direction, message.kind, message.author) == (
        "to_giver",
        "question",
        coordinator,
    )
    event = IdeaEvent.objects.get(idea=idea, kind=IdeaEvent.Kind.MESSAGE)
    assert event.user == coordinator
    (email,) = mail.outbox
    assert email.to == [CONTACT["email"]]
    assert idea.get_absolute_status_url() in email.body
    assert "Vilken sjö" in email.body
    # The idea's page shows the thread and the way to write.
    html = client.get(idea_admin_path(idea)).content.decode()
    assert "Vilken sjö tänker du på?" in html
    assert write_url(idea) in html


def test_an_empty_or_too_long_message_is_refused_and_nothing_sent(client, idea, coordinator):
    client.force_login(coordinator)
    for text in ("   ", "x" * 5001):
        response = client.post(write_url(idea), {"kind": "question", "text": text})
        assert response.status_code == 200
    assert not DialogueMessage.objects.exists()
    assert mail.outbox == []


def test_no_address_no_e_mail_but_the_message_stands(
    idea, coordinator, django_capture_on_commit_callbacks
):
    idea.contact.delete()
    with django_capture_on_commit_callbacks(execute=True):
        asked(idea, coordinator)
    assert mail.outbox == []
    assert DialogueMessage.objects.count() == 1


def test_who_may_write(idea, unit, coordinator):
    other_unit = create_reviewed_unit("Skolförvaltningen")
    reader = create_admin_user(
        "wagtailadmin.access_admin", "sluss_wagtail.view_idea", groups=[unit.reviewer_group]
    )
    assert permissions.may_converse(coordinator, idea)
    assert permissions.may_converse(create_reviewer(unit, username="a"), idea)
    assert not permissions.may_converse(create_reviewer(other_unit, username="b"), idea)
    assert not permissions.may_converse(reader, idea)
    assert not permissions.may_converse(UserFactory(), idea)
    # The idea's coach (the coach feature's ``Idea.coach``), whatever their permissions.
    coach = UserFactory(username="coach")
    idea.coach_id = coach.pk
    assert permissions.may_converse(coach, idea)
    coach.is_active = False
    assert not permissions.may_converse(coach, idea)


def test_a_reviewer_without_personal_data_rights_sees_no_identity_in_the_thread(
    client, idea, unit, coordinator
):
    asked(idea, coordinator)
    dialogue.answer(
        idea, text="Jag heter Karin Lund, ring 0302-52 10 00 eller karin@exempelby.invalid."
    )
    dialogue.answer(idea, text="En bild.", attachments=[clean_image()])
    reviewer = create_reviewer(unit, username="granskare")
    client.force_login(reviewer)
    html = client.get(idea_admin_path(idea)).content.decode()
    assert "Vilken sjö tänker du på?" in html
    for value in (CONTACT["name"], CONTACT["email"], CONTACT["phone"], "bild.jpg"):
        assert value not in html
    assert "Files came with this answer" in html or "Filer kom med" in html
    # A coordinator (who may see personal data) sees it all.
    client.force_login(coordinator)
    html = client.get(idea_admin_path(idea)).content.decode()
    assert CONTACT["phone"] in html
    assert "bild.jpg" in html


def clean_image(name="bild.jpg"):
    from sluss_wagtail import attachments

    upload = SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")
    return attachments.clean_upload(upload)


# The status page ---------------------------------------------------------------------------


def test_the_status_page_shows_the_thread_and_takes_an_answer(
    client, idea, coordinator, coordinators_told, django_capture_on_commit_callbacks
):
    html = client.get(idea.get_status_url()).content.decode()
    assert 'id="sluss-dialogue"' not in html  # nobody wrote yet: no thread, no form
    asked(idea, coordinator)
    html = client.get(idea.get_status_url()).content.decode()
    assert "Vilken sjö tänker du på?" in html
    assert answer_url(idea) in html
    upload = SimpleUploadedFile("sjon.jpg", image_bytes(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(idea), answer_data(attachments=[upload]))
    assert response.status_code == 302
    assert response["Location"].startswith(idea.get_status_url())
    assert response["Referrer-Policy"] == "same-origin"
    answer = DialogueMessage.objects.from_giver().get()
    assert answer.text.startswith("Sjön vid Kyrkviken")
    assert [a.original_name for a in answer.attachments.all()] == ["sjon.jpg"]
    assert IdeaEvent.objects.filter(idea=idea, kind=IdeaEvent.Kind.ANSWER).count() == 1
    (told,) = mail.outbox
    assert told.to == ["ingrid@exempelby.invalid"]
    assert "Kyrkviken" in told.body
    html = client.get(response["Location"]).content.decode()
    assert "Sjön vid Kyrkviken" in html


def test_the_coach_is_told_of_an_answer(
    idea, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from sluss_wagtail import notifications

    coach = UserFactory(username="coach", email="coach@exempelby.invalid")
    monkeypatch.setattr(notifications, "get_coach_email", lambda idea: coach.email)
    asked(idea, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dialogue.answer(idea, text="Ja, gärna.")
    assert [m.to for m in mail.outbox] == [["coach@exempelby.invalid"]]


def test_no_answer_form_before_anyone_wrote(client, idea):
    response = client.post(answer_url(idea), answer_data())
    assert response.status_code == 302
    assert not DialogueMessage.objects.exists()


def test_a_double_click_makes_one_answer(client, idea, coordinator):
    asked(idea, coordinator)
    data = answer_data()
    assert client.post(answer_url(idea), data).status_code == 302
    assert client.post(answer_url(idea), data).status_code == 302
    assert DialogueMessage.objects.from_giver().count() == 1
    # The same opened form with another text: refused, the text kept.
    response = client.post(answer_url(idea), {**data, "text": "Något annat."})
    assert response.status_code == 200
    assert "Något annat." in response.content.decode()
    assert DialogueMessage.objects.from_giver().count() == 1


def test_a_bot_is_answered_normally_and_nothing_is_stored(client, idea, coordinator):
    asked(idea, coordinator)
    response = client.post(answer_url(idea), answer_data(website="http://spam.invalid"))
    assert response.status_code == 302
    response = client.post(answer_url(idea), answer_data(form_token="forged"))
    assert response.status_code == 302
    assert not DialogueMessage.objects.from_giver().exists()


def test_an_unknown_status_link_cannot_answer(client):
    url = reverse("sluss_wagtail:dialogue_answer", args=["x" * 32])
    assert client.post(url, answer_data()).status_code == 404


def test_the_answer_form_is_rate_limited(client, idea, coordinator, settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"dialogue": (2, 600)}
    asked(idea, coordinator)
    for _ in range(2):
        assert client.post(answer_url(idea), answer_data()).status_code == 302
    response = client.post(answer_url(idea), answer_data())
    assert response.status_code == 429
    assert response["Retry-After"]
    assert DialogueMessage.objects.from_giver().count() == 2
    response = client.post(participation_url(idea), {"take_part": "yes"})
    assert response.status_code == 429


def test_a_failure_after_the_files_leaves_nothing_half_saved(idea, coordinator, monkeypatch):
    from sluss_wagtail.attachments import get_attachment_storage

    asked(idea, coordinator)
    stored = []
    store = IdeaAttachment.store.__func__

    def keep_name(cls, idea, clean_file):
        attachment = store(cls, idea, clean_file)
        stored.append(attachment.file.name)
        return attachment

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(IdeaAttachment, "store", classmethod(keep_name))
    monkeypatch.setattr(IdeaEvent, "save", broken)
    with pytest.raises(OSError):
        dialogue.answer(idea, text="Med bild", attachments=[clean_image()])
    assert not DialogueMessage.objects.from_giver().exists()
    assert not IdeaAttachment.objects.exists()
    assert stored and not get_attachment_storage().exists(stored[0])


# Taking part when development starts -------------------------------------------------------


def test_development_asks_the_giver_about_taking_part(
    client, idea, coordinator, django_capture_on_commit_callbacks
):
    idea.publish_idea = True
    idea.save()
    with django_capture_on_commit_callbacks(execute=True):
        process.move_idea(idea, process.DEVELOPMENT, user=coordinator)
    (question,) = DialogueMessage.objects.filter(kind="participation")
    assert any(m.to == [CONTACT["email"]] for m in mail.outbox)
    # Asked once: back and forth between stages asks no more.
    process.move_idea(idea, process.PARKED, user=coordinator)
    process.move_idea(idea, process.DEVELOPMENT, user=coordinator)
    assert DialogueMessage.objects.filter(kind="participation").count() == 1
    html = client.get(idea.get_status_url()).content.decode()
    assert participation_url(idea) in html
    data = {"take_part": "yes", "publish_name": "yes", "form_token": new_form_token()}
    response = client.post(participation_url(idea), data)
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.publish_name is True
    (event,) = IdeaEvent.objects.filter(idea=idea, kind=IdeaEvent.Kind.PARTICIPATION)
    assert event.changes == {
        "take_part": {"old": None, "new": True},
        "publish_name": {"old": False, "new": True},
    }
    # Changed later: one more event, the name off.
    data = {"take_part": "yes", "publish_name": "no", "form_token": new_form_token()}
    client.post(participation_url(idea), data)
    idea.refresh_from_db()
    assert idea.publish_name is False
    last = IdeaEvent.objects.filter(idea=idea, kind=IdeaEvent.Kind.PARTICIPATION).last()
    assert last.changes == {"publish_name": {"old": True, "new": False}}
    assert dialogue.participation_answers(idea) == {"take_part": True, "publish_name": False}
    # The same answers again: nothing new recorded.
    client.post(participation_url(idea), data | {"form_token": new_form_token()})
    assert IdeaEvent.objects.filter(idea=idea, kind=IdeaEvent.Kind.PARTICIPATION).count() == 2


def test_a_name_taken_back_leaves_the_innovation_pages(idea, coordinator):
    idea.publish_idea = idea.publish_name = True
    idea.save()
    showcase = create_showcase_index()
    page = create_innovation(showcase, idea=idea, idea_giver_name=CONTACT["name"])
    dialogue.ask_participation(idea)
    dialogue.record_participation(idea, take_part=False, publish_name=False)
    page.refresh_from_db()
    assert page.idea_giver_name == ""


def test_without_consent_to_publish_the_idea_no_name_question(client, idea):
    idea.publish_idea = idea.publish_name = False
    idea.save()
    dialogue.ask_participation(idea)
    html = client.get(idea.get_status_url()).content.decode()
    assert 'name="publish_name"' not in html
    client.post(participation_url(idea), {"take_part": "no", "form_token": new_form_token()})
    assert dialogue.participation_answers(idea) == {"take_part": False, "publish_name": False}


def test_a_participation_answer_missing_is_a_clear_error(client, idea):
    dialogue.ask_participation(idea)
    response = client.post(participation_url(idea), {"form_token": new_form_token()})
    assert response.status_code == 200
    assert "sluss-error-summary" in response.content.decode()
    assert not IdeaEvent.objects.filter(kind=IdeaEvent.Kind.PARTICIPATION).exists()


# Erasure and retention ---------------------------------------------------------------------


def test_erasure_removes_the_givers_identity_from_the_thread(idea, coordinator):
    asked(idea, coordinator)
    dialogue.answer(
        idea, text="Jag, Karin Lund, nås på karin@exempelby.invalid.", attachments=[clean_image()]
    )
    (event,) = privacy.erase_contact(idea, reason="test")
    assert "dialogue" in event.changes["erased"]
    texts = " ".join(DialogueMessage.objects.values_list("text", flat=True))
    for value in (CONTACT["name"], CONTACT["email"]):
        assert value not in texts
    assert "Vilken sjö" in texts  # the record stays
    assert not IdeaAttachment.objects.filter(idea=idea).exists()
    assert not DialogueMessage.objects.filter(erased_at__isnull=True).exists()
    # Nothing more to erase: retention finds no personal data left.
    assert not privacy.ideas_past_retention().filter(pk=idea.pk).exists()


def test_retention_finds_an_ended_idea_by_its_answers(idea, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    idea.contact.delete()
    asked(idea, coordinator, text="Hej!")
    dialogue.answer(idea, text="Hej själv.")
    process.move_idea(idea, process.CLOSED, user=coordinator, public_note="Vi avslutar.")
    IdeaEvent.objects.filter(idea=idea, kind="moved").update(
        created_at=timezone.now() - timedelta(days=4000)
    )
    assert privacy.ideas_past_retention().filter(pk=idea.pk).exists()
    privacy.apply_retention(apply=True)
    assert not privacy.ideas_past_retention().filter(pk=idea.pk).exists()


def test_the_right_of_access_holds_the_givers_answers(idea, coordinator):
    asked(idea, coordinator)
    dialogue.answer(idea, text="Mitt svar.")
    data = privacy.export_data(privacy.ideas_for_email(CONTACT["email"]))
    assert "Mitt svar." in str(data)


def test_messages_are_immutable(idea, coordinator):
    message = asked(idea, coordinator)
    message.text = "Ändrad"
    with pytest.raises(ValueError):
        message.save()


def test_the_demo_asks_and_answers_through_the_status_link(client, coordinator):
    from types import SimpleNamespace

    from demo.management.commands import _demo_dialogue

    command = SimpleNamespace(stdout=SimpleNamespace(write=lambda text: None))
    idea = _demo_dialogue.build(command)
    assert _demo_dialogue.build(command) == idea  # again: nothing more
    kinds = list(DialogueMessage.objects.filter(idea=idea).values_list("direction", "kind"))
    assert kinds == [
        ("to_giver", "question"),
        ("from_giver", "answer"),
        ("to_giver", "message"),
        ("to_giver", "participation"),
    ]
    html = client.get(idea.get_status_url()).content.decode()
    assert "Kyrkviken" in html and "ryggstöd" in html
    assert dialogue.participation_answers(idea)["take_part"] is True
