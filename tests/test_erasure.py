"""Erasure erases every copy: the status page, the admin and retention all go through
``privacy.COPIES``, and afterwards the idea giver's name is in no revision of an
innovation page, not on the live page, not in the search index, and the original
texts of corrections are redacted in their events.
"""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, Site

from sluss_wagtail import actions, privacy, process
from sluss_wagtail.caching import SHOWCASE
from sluss_wagtail.models import IdeaContact, IdeaEvent, SlussSettings
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import (
    IdeaFactory,
    create_admin_user,
    create_showcase_index,
)
from tests.test_privacy import add_attachment

pytestmark = pytest.mark.django_db

NAME = "Zackarias Quist"
EMAIL = "zq.hemlig@exempelby.invalid"
#: A personal identity number the giver wrote, which a coordinator_user corrected away.
PERSONAL_NUMBER = "19121212-1212"
#: The marker in the site's language ("(raderat)" once the Swedish catalogue has it).
ERASED = privacy.in_site_language(privacy.ERASED_MARKER)
CONTACT = {"name": NAME, "email": EMAIL, "phone": "070-987 65 43", "organisation": ""}


def promoted_idea(coordinator_user, showcase=None):
    """An idea whose giver allowed their name, with a live innovation page that names
    them (in the name field and in the body, as an editor wrote it), a later draft that
    names them too, and a correction that took a personal identity number out."""
    idea = IdeaFactory(
        title="Bänkar vid sjön",
        description=f"Jag heter {NAME}, personnummer {PERSONAL_NUMBER}. Fler bänkar.",
        publish_idea=True,
        publish_name=True,
        contact=CONTACT,
    )
    actions.correct_idea(idea, user=coordinator_user, description="Fler bänkar runt sjön.")
    for stage in (process.SCREENING, process.DEVELOPMENT, process.IMPLEMENTED):
        process.move_idea(idea, stage, user=coordinator_user)
    page = actions.promote_idea(idea, showcase or create_showcase_index(), user=coordinator_user)
    page.body = [
        ("paragraph", f"<p>Idén kom från {NAME} i Exempelby.</p>"),
        ("paragraph", "<p>Parkförvaltningen ställde ut tolv bänkar.</p>"),
    ]
    page.save_revision(user=coordinator_user).publish()
    page.summary = f"Tolv nya bänkar, ett förslag av {NAME}."
    page.save_revision(user=coordinator_user)  # a draft above the live page
    page.refresh_from_db()
    assert page.live and page.has_unpublished_changes and page.idea_giver_name == NAME
    return idea, page


def revision_texts(page):
    return [
        json.dumps(revision.content, ensure_ascii=False)
        for revision in Revision.objects.filter(
            base_content_type=page.get_base_content_type(), object_id=str(page.pk)
        )
    ]


def search_for(text):
    return list(InnovationPage.objects.live().search(text))


def erase_from_the_status_page(client, idea):
    client.post(reverse("sluss_wagtail:idea_erase", args=[idea.status_token]))


def erase_from_the_admin(client, idea):
    client.force_login(
        create_admin_user(
            "wagtailadmin.access_admin",
            "sluss_wagtail.view_all_ideas",
            "sluss_wagtail.view_idea",
            "sluss_wagtail.view_ideacontact",
            "sluss_wagtail.erase_ideacontact",
            username="dataskydd",
        )
    )
    response = client.post(
        reverse("sluss_wagtail_personal_data"), {"email": EMAIL, "action": "erase"}
    )
    assert response.status_code == 302


def erase_by_retention(client, idea):
    from django.core.management import call_command

    settings_row = SlussSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.retention_days = 30
    settings_row.save()
    moved = idea.events.filter(kind=IdeaEvent.Kind.MOVED, to_stage=process.IMPLEMENTED)
    moved.update(created_at=timezone.now() - timedelta(days=31))
    call_command("sluss_retention", "--apply", stdout=io.StringIO())


PATHS = [erase_from_the_status_page, erase_from_the_admin, erase_by_retention]


@pytest.mark.parametrize("erase", PATHS, ids=lambda path: path.__name__)
def test_erasure_takes_the_name_off_every_revision_the_live_page_and_the_search(
    client, coordinator_user, erase
):
    idea, page = promoted_idea(coordinator_user)
    assert any(NAME in text for text in revision_texts(page))
    assert NAME in client.get(page.url).content.decode()
    assert search_for(NAME) == [page]  # the editor wrote the name into the body

    erase(client, idea)

    assert not IdeaContact.objects.filter(idea=idea).exists()
    assert not any(NAME in text for text in revision_texts(page))
    page.refresh_from_db()
    assert page.idea_giver_name == ""
    html = client.get(page.url).content.decode()
    assert NAME not in html
    assert "Parkförvaltningen ställde ut tolv bänkar." in html  # the municipality's text stays
    assert search_for(NAME) == []
    assert search_for("Parkförvaltningen") == [page]


@pytest.mark.parametrize("erase", PATHS, ids=lambda path: path.__name__)
def test_erasure_takes_the_files_on_every_path(
    client, coordinator_user, erase, django_capture_on_commit_callbacks
):
    import os

    from sluss_wagtail import attachments
    from sluss_wagtail.models import IdeaAttachment

    idea, _page = promoted_idea(coordinator_user)
    path = attachments.get_attachment_storage().path(add_attachment(idea).file.name)
    assert os.path.exists(path)

    with django_capture_on_commit_callbacks(execute=True):
        erase(client, idea)

    assert not IdeaAttachment.objects.filter(idea=idea).exists()
    assert not os.path.exists(path)
    assert "attachments" in idea.events.get(kind=IdeaEvent.Kind.ERASED).changes["erased"]


@pytest.mark.parametrize("erase", PATHS, ids=lambda path: path.__name__)
def test_erasure_redacts_the_originals_of_corrections_and_keeps_the_events(
    client, coordinator_user, erase
):
    idea, _page = promoted_idea(coordinator_user)
    erase(client, idea)

    corrected = idea.events.get(kind=IdeaEvent.Kind.CORRECTED)
    assert corrected.changes["description"] == {
        "old": ERASED,
        "new": "Fler bänkar runt sjön.",
    }
    every_event = json.dumps(list(idea.events.values("changes")), ensure_ascii=False)
    assert PERSONAL_NUMBER not in every_event and NAME not in every_event
    erased = idea.events.get(kind=IdeaEvent.Kind.ERASED)
    assert erased.changes == {"erased": ["innovation_names", "corrected_originals", "contact"]}


def test_the_page_stays_live_and_the_editors_draft_stays_a_draft(client, coordinator_user):
    idea, page = promoted_idea(coordinator_user)
    live_revision, latest_revision = page.live_revision_id, page.latest_revision_id
    privacy.erase_contact(idea, reason="test")
    page.refresh_from_db()
    assert page.live and page.has_unpublished_changes
    # Rewritten in place: nothing published anew, no moderation cancelled.
    assert (page.live_revision_id, page.latest_revision_id) == (live_revision, latest_revision)
    assert page.latest_revision.content["summary"] == f"Tolv nya bänkar, ett förslag av {ERASED}."
    assert client.get(page.url).status_code == 200


def test_erasure_makes_the_cached_listings_start_afresh(coordinator_user):
    idea, _page = promoted_idea(coordinator_user)
    before = SHOWCASE.current()
    privacy.erase_contact(idea, reason="test")
    assert SHOWCASE.current() != before


def test_erasure_is_all_or_nothing(coordinator_user, monkeypatch):
    idea, page = promoted_idea(coordinator_user)

    def broken(pks):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(
        privacy, "COPIES", [*privacy.COPIES, privacy.PersonalDataCopy("broken", erase=broken)]
    )
    with pytest.raises(RuntimeError):
        privacy.erase_contact(idea, reason="test")
    page.refresh_from_db()
    assert page.idea_giver_name == NAME
    assert any(NAME in text for text in revision_texts(page))
    assert IdeaContact.objects.filter(idea=idea).exists()
    assert not idea.events.filter(kind=IdeaEvent.Kind.ERASED).exists()
    assert PERSONAL_NUMBER in json.dumps(
        idea.events.get(kind=IdeaEvent.Kind.CORRECTED).changes, ensure_ascii=False
    )


def test_retention_finds_an_idea_whose_only_copy_left_is_a_name_on_a_page(coordinator_user):
    idea, page = promoted_idea(coordinator_user)
    IdeaContact.objects.filter(idea=idea).delete()  # erased before erasure knew of pages
    settings_row = SlussSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.retention_days = 30
    settings_row.save()
    idea.events.filter(kind=IdeaEvent.Kind.MOVED).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    assert privacy.apply_retention(apply=True) == [idea.pk]
    page.refresh_from_db()
    assert page.idea_giver_name == ""
    assert privacy.apply_retention(apply=True) == []


def test_every_copy_is_erased_exported_and_named_in_one_list():
    keys = [copy.key for copy in privacy.COPIES]
    assert keys == [
        "innovation_names",
        "corrected_originals",
        "dialogue",
        "contact",
        "account",
        "attachments",
    ]
    assert all(copy.export for copy in privacy.COPIES)


# The right of access (art. 15) --------------------------------------------------------------


def test_the_export_holds_the_corrected_originals_the_names_on_pages_and_the_files(
    client, coordinator_user
):
    idea, page = promoted_idea(coordinator_user)
    attachment = add_attachment(idea)
    with attachment.file.open("rb") as handle:
        content = handle.read()
    client.force_login(
        create_admin_user(
            "wagtailadmin.access_admin",
            "sluss_wagtail.view_all_ideas",
            "sluss_wagtail.view_idea",
            "sluss_wagtail.view_ideacontact",
            username="dataskydd",
        )
    )
    response = client.post(
        reverse("sluss_wagtail_personal_data"), {"email": EMAIL, "action": "zip"}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    (item,) = data["ideas"]
    assert item["contact"]["name"] == NAME
    assert item["corrected_originals"] == [
        {
            "when": item["corrected_originals"][0]["when"],
            "field": "description",
            "original": f"Jag heter {NAME}, personnummer {PERSONAL_NUMBER}. Fler bänkar.",
            "corrected": "Fler bänkar runt sjön.",
        }
    ]
    (named,) = item["innovation_names"]
    assert (named["page"], named["name_shown"], named["names_in_revisions"]) == (
        page.pk,
        NAME,
        [NAME],
    )
    (listed,) = item["attachments"]
    assert archive.read(listed["file"]) == content
