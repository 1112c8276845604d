"""De-identified means de-identified: a unit reviewer sees nothing of the idea giver.

Personal data is planted in every place it can enter an idea: the contact details
(name, e-mail, phone, organisation), the account the idea was sent from, the name
of a file sent with it, and a personal identity number in the text, which a
coordinator then corrects (the original stays in the correction's event). Then
every admin URL the package registers is rendered as a reviewer of the idea's unit,
with every export format, and every e-mail the reviewer could get is read: none of
it appears. A coordinator with the personal-data permission sees it, so the test
can tell a page that shows it from one that does not.

The URLs come from the package's ``register_admin_urls`` hooks, so a view added
later is rendered here too; a URL whose arguments the test cannot fill fails until
``url_kwargs`` learns them.
"""

import io
import zipfile
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail import hooks
from wagtail.models import Site

from sluss_wagtail import actions, assessing, attachments, notifications, permissions, roles
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea, SlussSettings
from sluss_wagtail.models.ideas import SubmitterKind
from tests.factories import (
    UserFactory,
    create_admin_user,
    create_adoption,
    create_criteria,
    create_innovation,
    create_reviewed_unit,
    create_showcase_index,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Signe Sarskildsson",
    "email": "signe.sarskild@privat.invalid",
    "phone": "0709-876543",
    "organisation": "Foreningen Hemliga Vanner",
}
ACCOUNT = {
    "username": "sarskild_konto",
    "first_name": "Tyra",
    "last_name": "Kontosdotter",
    "email": "tyra.kontosdotter@exempelby.invalid",
}
FILE_NAME = "lakarintyg-signe.pdf"
PERSONAL_IDENTITY_NUMBER = "19121212-1212"
ORIGINAL_DESCRIPTION = (
    f"Fler bänkar längs promenadstråket. Ring mig, personnummer {PERSONAL_IDENTITY_NUMBER}."
)
CORRECTED_DESCRIPTION = "Fler bänkar längs promenadstråket."

#: Every planted value, as it may be shown (the account by its name and its username).
PLANTED = {
    **{f"contact {key}": value for key, value in CONTACT.items()},
    "account username": ACCOUNT["username"],
    "account name": f"{ACCOUNT['first_name']} {ACCOUNT['last_name']}",
    "account last name": ACCOUNT["last_name"],
    "account e-mail": ACCOUNT["email"],
    "file name": FILE_NAME,
    "file name stem": FILE_NAME.removesuffix(".pdf"),
    "personal identity number": PERSONAL_IDENTITY_NUMBER,
}
#: What the admin shows nobody, not even a coordinator (so not asserted as seen there).
SHOWN_TO_NOBODY = {"account e-mail"}

REVIEWER_EMAIL = "granskare@exempelby.invalid"
COORDINATOR_EMAIL = "samordnare@exempelby.invalid"
HOME_URL = reverse("wagtailadmin_home")


class World:
    """An idea full of personal data, corrected, routed to a unit, promoted and adopted."""

    def __init__(self, capture):
        self.unit = create_reviewed_unit("Parkförvaltningen")
        self.unit.contact_email = REVIEWER_EMAIL
        self.unit.save()
        # The standard groups (roles.py), as a municipality sets them up.
        groups = roles.ensure_groups()
        self.coordinator = create_admin_user(
            groups=[groups[roles.COORDINATORS]], username="samordnare", email=COORDINATOR_EMAIL
        )
        self.reviewer = create_admin_user(
            groups=[groups[roles.REVIEWERS], self.unit.reviewer_group],
            username="granskare",
            email=REVIEWER_EMAIL,
        )
        self.giver = UserFactory(**ACCOUNT)
        # The reviewer's address among the coordinators': every staff e-mail reaches it.
        SlussSettings.objects.update_or_create(
            site=Site.objects.get(is_default_site=True),
            defaults={"coordinator_emails": f"{COORDINATOR_EMAIL}\n{REVIEWER_EMAIL}"},
        )
        upload = SimpleUploadedFile(FILE_NAME, pdf_bytes(), content_type="application/pdf")
        with capture(execute=True):
            self.idea = Idea.objects.submit(
                contact=CONTACT,
                attachments=[attachments.clean_upload(upload)],
                title="Bänkar vid promenadstråket",
                description=ORIGINAL_DESCRIPTION,
                need="Äldre behöver kunna vila.",
                submitter_kind=SubmitterKind.EMPLOYEE,
                submitted_by=self.giver,
                publish_idea=True,
                publish_name=False,
                language="sv",
            )
        self.sent_before_correction = len(mail.outbox)
        with capture(execute=True):
            actions.correct_idea(
                self.idea,
                user=self.coordinator,
                description=CORRECTED_DESCRIPTION,
                internal_note="Personuppgift borttagen.",
            )
            actions.assign_unit(self.idea, self.unit, user=self.coordinator)
        # The new-idea message went out before the correction; rendered again after it,
        # it shows the text as it now is.
        notifications.send_new_idea_to_coordinators(self.idea)
        notifications.send_feedback_reminders(now=timezone.now() + timedelta(days=90))
        self.attachment = self.idea.attachments.get()
        assert self.attachment.original_name == FILE_NAME
        innovation = create_innovation(create_showcase_index(), idea=self.idea)
        self.adoption = create_adoption(innovation)
        # The reviewer is also an assessor, asked (by e-mail) to assess the idea.
        self.reviewer.groups.add(groups[roles.ASSESSORS])
        self.criterion = create_criteria()[0]
        with capture(execute=True):
            (self.assessment_request,) = assessing.request_assessments(
                self.idea, [self.reviewer], user=self.coordinator, due_on=timezone.localdate()
            )
        # The dialogue (``dialogue``): both sides name the giver; the answer is e-mailed to
        # the coordinators' addresses, the reviewer's among them.
        from sluss_wagtail import dialogue

        with capture(execute=True):
            dialogue.write_to_giver(
                self.idea, user=self.coordinator, text=f"Hej {CONTACT['name']}! Vilken sjö?"
            )
            dialogue.answer(
                self.idea,
                text=f"Kyrkviken. Hälsningar {CONTACT['name']}, {CONTACT['phone']}, "
                f"{ACCOUNT['first_name']} {ACCOUNT['last_name']}",
            )
        # Benefits realisation: a benefit of the idea, with its follow-up's page.
        from tests.factories import create_benefit

        self.follow_up = create_benefit(self.idea).follow_ups.first()


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return World(django_capture_on_commit_callbacks)


# The package's admin URLs --------------------------------------------------------------


def walk(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns)
        else:
            yield pattern


def package_admin_url_names():
    """Every named admin URL the package registers through Wagtail's hook."""
    names = []
    for register in hooks.get_hooks("register_admin_urls"):
        if register.__module__.split(".")[0] == "sluss_wagtail":
            names.extend(pattern.name for pattern in walk(register()) if pattern.name)
    return names


def url_kwargs(name, world):
    """The arguments of the admin URL ``name``, for the world's idea (or what hangs on it)."""
    by_prefix = {
        # Where an action registered after the admin's URLs were built is found; the
        # package's own actions have their own names (``admin.options``).
        "sluss_wagtail_idea_modeladmin_action": {"action": "move", "instance_pk": world.idea.pk},
        "sluss_wagtail_idea_modeladmin_": {"instance_pk": world.idea.pk},
        "sluss_wagtail_organisationunit_modeladmin_": {"instance_pk": world.unit.pk},
        "sluss_wagtail_adoption_modeladmin_": {"instance_pk": world.adoption.pk},
        "sluss_wagtail_attachment_download": {"pk": world.attachment.pk},
        "sluss_wagtail_sluice_modeladmin_": {"instance_pk": world.idea.sluice_id},
        "sluss_wagtail_criterion_modeladmin_": {"instance_pk": world.criterion.pk},
        "sluss_wagtail_assess": {"pk": world.assessment_request.pk},
        "sluss_wagtail_intake_receipt": {"pk": world.idea.pk},
        "sluss_wagtail_dialogue_": {"idea_pk": world.idea.pk},
        "sluss_wagtail_benefit_follow_up": {"pk": world.follow_up.pk},
    }
    for prefix, kwargs in by_prefix.items():
        if name.startswith(prefix):
            return kwargs
    return {}


def admin_urls(world):
    urls = [HOME_URL]
    for name in package_admin_url_names():
        kwargs = url_kwargs(name, world)
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except Exception:  # noqa: BLE001 - a URL the test cannot fill must be taught to it
            try:
                urls.append(reverse(name))
            except Exception as error:
                raise AssertionError(f"Teach url_kwargs() the arguments of {name!r}") from error
    return urls


def response_text(response):
    """Everything a response shows: its headers and body, with spreadsheets and ZIPs read."""
    parts = [f"{key}: {value}" for key, value in response.items()]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                parts.append("\t".join(str(cell) for cell in row if cell is not None))
    elif "zip" in content_type:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                parts.append(info.filename)
                parts.append(archive.read(info).decode("utf-8", "replace"))
    else:
        parts.append(content.decode("utf-8", "replace"))
    text = "\n".join(parts)
    return text + "\n" + unquote(text)


def render_everything(client, user, world):
    """``{request: text}`` for every package admin URL as ``user``: each URL by GET, with
    each export format, and by POST where GET is not
    allowed (an empty form, rolled back, so one request never changes what the next sees).
    """
    client.force_login(user)
    rendered = {}
    for url in admin_urls(world):
        for query in ("", "?export=csv", "?export=xlsx"):
            response = client.get(url + query, follow=True)
            if response.status_code == 405:
                with transaction.atomic():
                    response = client.post(url, {"ideas": [world.idea.pk]}, follow=True)
                    transaction.set_rollback(True)
                rendered[f"POST {url}"] = response_text(response)
                break
            rendered[f"GET {url}{query}"] = response_text(response)
    return rendered


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def email_text(message):
    parts = [f"{key}: {value}" for key, value in message.message().items()]
    parts.append(message.body)
    parts.extend(content for content, _mimetype in message.alternatives)
    return "\n".join(parts)


# The reviewer sees nothing of the idea giver -----------------------------------------


def test_the_reviewer_may_see_the_idea_but_not_its_giver(world):
    visibility = permissions.idea_visibility(world.reviewer, world.idea)
    assert visibility.idea
    assert not (
        visibility.contact
        or visibility.giver_account
        or visibility.attachments
        or visibility.corrected_originals
    )


def test_no_admin_view_or_export_shows_the_reviewer_anything_of_the_idea_giver(client, world):
    rendered = render_everything(client, world.reviewer, world)
    # The reviewer did see the idea, its corrected text and its history.
    inspect = f"GET {idea_admin_path(world.idea)}"
    assert CORRECTED_DESCRIPTION in rendered[inspect]
    assert world.idea.reference in rendered[f"GET {inbox_path()}"]
    leaks = [
        (request, what)
        for request, text in rendered.items()
        for what, value in PLANTED.items()
        if value in text
    ]
    assert leaks == []


def test_the_inbox_finds_no_idea_by_its_givers_name(client, world):
    for user in (world.reviewer, world.coordinator):
        client.force_login(user)
        for value in (CONTACT["name"], ACCOUNT["username"], FILE_NAME):
            response = client.get(inbox_path(), {"q": value})
            assert list(response.context["object_list"]) == [], value


def test_no_e_mail_to_the_reviewer_carries_anything_of_the_idea_giver(world):
    # The new idea (when it came, and again after the correction), the unit, and the
    # reminder twice (among the coordinators, and as the unit's contact), the giver's
    # answer in the dialogue, and the request to assess it.
    assert len(emails_to(REVIEWER_EMAIL)) == 7
    for index, message in enumerate(mail.outbox):
        if REVIEWER_EMAIL not in message.to:
            continue
        text = email_text(message)
        assert COORDINATOR_EMAIL not in message.to  # a message of its own
        for what, value in PLANTED.items():
            if what == "personal identity number" and index < world.sent_before_correction:
                # The new-idea message went out with the text as it was sent.
                continue
            assert value not in text, (message.subject, what)


# A coordinator with the personal-data permission sees it -------------------------------


def test_a_coordinator_with_the_right_sees_every_planted_value(client, world):
    rendered = "\n".join(render_everything(client, world.coordinator, world).values())
    for what, value in PLANTED.items():
        if what not in SHOWN_TO_NOBODY:
            assert value in rendered, what


def test_the_coordinators_e_mail_names_the_idea_giver(world):
    texts = [email_text(message) for message in emails_to(COORDINATOR_EMAIL)]
    assert any(CONTACT["name"] in text and CONTACT["organisation"] in text for text in texts)


def test_an_address_without_an_account_gets_nothing_of_the_idea_giver(world):
    assert permissions.idea_visibility_for_email("funktionsbrevlada@exempelby.invalid") == (
        permissions.NOTHING
    )
    assert permissions.idea_visibility_for_email(COORDINATOR_EMAIL, world.idea).contact
    assert not permissions.idea_visibility_for_email(REVIEWER_EMAIL, world.idea).contact


def test_an_address_shared_by_accounts_gets_only_what_all_of_them_may_see(world):
    # A second account with the coordinator's address, without the personal-data right.
    create_admin_user(
        groups=[roles.ensure_groups()[roles.REVIEWERS], world.unit.reviewer_group],
        username="samma_adress",
        email=COORDINATOR_EMAIL.upper(),
    )
    visibility = permissions.idea_visibility_for_email(COORDINATOR_EMAIL, world.idea)
    assert visibility.idea and not visibility.contact
    mail.outbox.clear()
    notifications.send_new_idea_to_coordinators(world.idea)
    for message in mail.outbox:
        assert CONTACT["name"] not in email_text(message)


def test_an_inactive_account_sees_nothing(world):
    world.coordinator.is_active = False
    world.coordinator.save()
    assert permissions.idea_visibility(world.coordinator, world.idea) == permissions.NOTHING
    assert permissions.idea_visibility_for_email(COORDINATOR_EMAIL) == permissions.NOTHING
