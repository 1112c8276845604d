"""The idea giver withdraws the publishing consent from the status page, at any time.

Their text and name then leave every public page: the challenge page's list of ideas,
and every innovation page made from the idea (in all its revisions, and the search).
What the municipality wrote on such a page itself stays: it is the municipality's record.
"""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Revision

from sluss_wagtail import actions, privacy, process
from sluss_wagtail.models import IdeaEvent
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import (
    IdeaFactory,
    create_challenge,
    create_challenge_index,
    create_showcase_index,
)

pytestmark = pytest.mark.django_db

NAME = "Zackarias Quist"
TITLE = "Bänkar vid sjön"
DESCRIPTION = "Ställ bänkar var hundrade meter längs promenadstråket runt sjön."
NEED = "Äldre orkar inte gå hela varvet runt sjön utan att vila en stund."
OWN_TEXT = "Parkförvaltningen ställde ut tolv bänkar under våren."


@pytest.fixture
def published(coordinator_user):
    from sluss_wagtail.models import PortfolioEntry

    """An idea to a closed challenge, with a live innovation page promote made from it
    (the giver's title, summary and need) and a paragraph the municipality added."""
    now = timezone.now()
    challenge = create_challenge(
        create_challenge_index(), opens_at=now - timedelta(days=60), closes_at=now - timedelta(1)
    )
    idea = IdeaFactory(
        title=TITLE,
        description=DESCRIPTION,
        need=NEED,
        challenge=challenge,
        publish_idea=True,
        publish_name=True,
        contact={"name": NAME, "email": "zq@exempelby.invalid"},
    )
    # Public (the challenge lists it among the ideas that went further) once approved.
    PortfolioEntry.objects.create(idea=idea, approved=True)
    for stage in (process.SCREENING, process.DEVELOPMENT, process.IMPLEMENTED):
        process.move_idea(idea, stage, user=coordinator_user)
    page = actions.promote_idea(idea, create_showcase_index(), user=coordinator_user)
    page.body = [*page.body.raw_data, {"type": "paragraph", "value": f"<p>{OWN_TEXT}</p>"}]
    page.save_revision(user=coordinator_user).publish()
    page.refresh_from_db()
    return idea, challenge, page


HINT = (
    "Your text and your name leave our website. An innovation page the municipality made "
    "from your idea stays with the municipality's own text, without your name or your words."
)
WHAT_HAPPENS = (
    "If the municipality has made an innovation page from your idea, the page stays, with "
    "what the municipality wrote itself about the work: it is the municipality's own record. "
    "Your name goes, and so does every part of the page that repeats your own text: a title "
    "or summary taken from your idea is replaced, a paragraph with your text is removed."
)


def shown(message):
    """A message as the page shows it: translated (a template's own text is not escaped)."""
    return gettext(message)


def consent_url(idea):
    return reverse("sluss_wagtail:idea_withdraw_consent", args=[idea.status_token])


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def withdraw_with_csrf(idea):
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token(browser.get(consent_url(idea)).content.decode())
    return browser.post(consent_url(idea), {"csrfmiddlewaretoken": token})


def revision_texts(page):
    return json.dumps(
        [
            revision.content
            for revision in Revision.objects.filter(
                base_content_type=page.get_base_content_type(), object_id=str(page.pk)
            )
        ],
        ensure_ascii=False,
    )


def test_the_status_page_offers_it_and_says_what_happens_to_an_innovation(client, published):
    idea, _challenge, _page = published
    status = client.get(idea.get_status_url()).content.decode()
    assert f'href="{consent_url(idea)}"' in status
    assert 'aria-describedby="sluss-consent-hint"' in status
    assert shown(HINT) in status

    confirm = client.get(consent_url(idea)).content.decode()
    assert 'id="sluss-consent-what-happens"' in confirm
    assert shown(WHAT_HAPPENS) in confirm
    # A plain form: works without JavaScript, protected by the CSRF token.
    assert re.search(r'<form method="post" action="[^"]+consent/"', confirm)
    assert 'name="csrfmiddlewaretoken"' in confirm


def test_withdrawing_the_consent_needs_the_csrf_token(published):
    idea, _challenge, _page = published
    response = Client(enforce_csrf_checks=True).post(consent_url(idea))
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.publish_idea and idea.publish_name


def test_the_text_and_the_name_leave_every_public_page(client, published):
    idea, challenge, page = published
    before = client.get(challenge.url).content.decode()
    assert TITLE in before and NAME in before
    before = client.get(page.url).content.decode()
    assert all(text in before for text in (TITLE, NAME, NEED, DESCRIPTION))
    assert list(InnovationPage.objects.live().search(NEED)) == [page]

    response = withdraw_with_csrf(idea)

    assert response.status_code == 302 and response["Location"] == idea.get_status_url()
    idea.refresh_from_db()
    assert not idea.publish_idea and not idea.publish_name
    event = idea.events.get(kind=IdeaEvent.Kind.CONSENT_WITHDRAWN)
    assert event.changes["publish_idea"] == {"old": True, "new": False}
    assert event.changes["unpublished"] == ["innovation_names"]
    assert 'id="sluss-consent-withdrawn"' in client.get(idea.get_status_url()).content.decode()

    challenge_html = client.get(challenge.url).content.decode()
    assert TITLE not in challenge_html and NAME not in challenge_html
    page.refresh_from_db()
    assert page.live
    html = client.get(page.url).content.decode()
    for text in (TITLE, NAME, NEED, DESCRIPTION):
        assert text not in html
        assert text not in revision_texts(page)
    assert idea.reference in page.title  # "Innovation from idea IDE-…"
    assert OWN_TEXT in html  # the municipality's own text stays
    assert list(InnovationPage.objects.live().search(NEED)) == []
    assert list(InnovationPage.objects.live().search("Parkförvaltningen")) == [page]


def test_a_page_the_municipality_rewrote_keeps_its_own_words(client, coordinator_user, published):
    idea, _challenge, page = published
    page.title = "Vilobänkar i parkerna"
    page.summary = "Kommunen har ställt ut bänkar så att fler kan promenera."
    page.body = [{"type": "paragraph", "value": f"<p>{OWN_TEXT}</p>"}]
    page.save_revision(user=coordinator_user).publish()

    privacy.withdraw_consent(idea)

    page.refresh_from_db()
    assert page.title == "Vilobänkar i parkerna"
    assert page.summary == "Kommunen har ställt ut bänkar så att fler kan promenera."
    assert page.idea_giver_name == ""
    assert NAME not in revision_texts(page)
    assert NEED not in revision_texts(page)  # the first, promoted revision quoted it


def test_withdrawing_twice_is_harmless(client, published):
    idea, _challenge, _page = published
    assert client.post(consent_url(idea)).status_code == 302
    response = client.post(consent_url(idea))
    assert response.status_code == 200
    assert privacy.withdraw_consent(idea) is None
    assert idea.events.filter(kind=IdeaEvent.Kind.CONSENT_WITHDRAWN).count() == 1
    status = client.get(idea.get_status_url()).content.decode()
    assert f'href="{consent_url(idea)}"' not in status


def test_an_address_made_from_the_givers_title_becomes_the_reference_and_old_links_work(
    client, published, django_capture_on_commit_callbacks
):
    idea, _challenge, page = published
    old_url = page.url
    assert page.slug == "bänkar-vid-sjön"
    with django_capture_on_commit_callbacks(execute=True):
        privacy.withdraw_consent(idea)
    page.refresh_from_db()
    assert page.slug == idea.reference.lower()
    assert page.url.endswith(f"/{idea.reference.lower()}/")
    assert client.get(page.url).status_code == 200
    assert "bänkar-vid-sjön" not in revision_texts(page)
    # wagtail.contrib.redirects (the example site has it) keeps the old address working.
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"].endswith(page.url)
