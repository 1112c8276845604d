"""A site in Swedish and English: a challenge or an innovation and its translations are one.

Pages are translated with wagtail-localize's own machinery (``translate_object``, as its
"Translate this page" does); ideas are sent through both language versions with the
real form; e-mails are rendered for real into Django's mail outbox.
"""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail.models import Locale
from wagtail_localize.operations import translate_object

from sluss_wagtail import privacy, process, stats
from sluss_wagtail.actions import confirm_adoption
from sluss_wagtail.admin.insight import InsightFilterSet
from sluss_wagtail.blocks.challenges import OpenChallengesBlock
from sluss_wagtail.blocks.showcase import ShowcaseHighlightsBlock
from sluss_wagtail.models import Idea
from sluss_wagtail.models.adoptions import AdoptionStatus
from sluss_wagtail.models.settings import page_site_url
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    create_adoption,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_innovation,
    create_showcase_index,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def translate(page, locale, **english):
    """``page`` translated into ``locale`` by wagtail-localize (its parents too), then
    the translation's text written in English and published, as a translator would."""
    translate_object(page, [locale])
    translated = page.get_translation(locale).specific
    for name, value in english.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


@pytest.fixture
def english():
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def challenge(english):
    now = timezone.now()
    index = create_challenge_index()
    swedish = create_challenge(
        index, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30)
    )
    translated = translate(swedish, english, title="Safer routes to school")
    return swedish, translated


@pytest.fixture(autouse=True)
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what waits for the commit (the e-mail tasks) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def send_idea(client, committed):
    def send(page, **overrides):
        """The form on ``page`` opened and sent, like a browser in the page's language."""
        response = client.get(page.url)
        assert response.status_code == 200
        data = valid_idea_data(form_token=form_token(response.content.decode()), **overrides)
        with committed():
            response = client.post(page.url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        # The test client's request leaves the page's language active; a test starts in Swedish.
        translation.activate("sv")
        return Idea.objects.order_by("-pk").first()

    return send


@pytest.fixture
def two_ideas(send_idea, challenge):
    swedish, translated = challenge
    in_swedish = send_idea(swedish, email="karin@exempelby.invalid")
    in_english = send_idea(translated, title="Benches by the lake", email="kim@exempelby.invalid")
    mail.outbox.clear()
    return in_swedish, in_english


# ---- the translation is the same challenge -----------------------------------------------------


def test_the_challenge_is_translated_by_wagtail_localize(challenge):
    swedish, translated = challenge
    assert translated.translation_key == swedish.translation_key
    assert translated.locale.language_code == "en"
    assert translated.live and translated.alias_of_id is None
    assert translated.url.startswith("/en/")


def test_the_statistics_count_one_challenge_with_both_ideas(challenge, two_ideas):
    swedish, translated = challenge
    figures = stats.compute()
    assert figures.received == 2
    [row] = figures.by_challenge
    assert (row.key, row.label, row.count) == (swedish.pk, swedish.title, 2)
    with translation.override("en"):
        [row] = stats.compute().by_challenge
    # In English the challenge is named by its English translation.
    assert (row.label, row.count) == ("Safer routes to school", 2)
    for version in (swedish, translated, swedish.pk, translated.pk):
        assert stats.compute(challenge=version).received == 2
        assert stats.headline(challenge=version).received == 2
        assert stats.challenge_idea_count(version) == 2


def test_the_idea_count_is_two_on_both_language_versions(client, challenge, two_ideas):
    for page in challenge:
        response = client.get(page.url)
        assert response.context["idea_count"] == 2


def test_the_outcome_lists_ideas_sent_through_either_version(client, challenge, two_ideas):
    swedish, translated = challenge
    coordinator = create_coordinator()
    from sluss_wagtail.models import PortfolioEntry

    for idea in two_ideas:
        process.move_idea(idea, process.SCREENING, user=coordinator)
        process.move_idea(idea, process.DEVELOPMENT, user=coordinator)
        # Listed in public once a coordinator approved it (``Idea.objects.public()``).
        PortfolioEntry.objects.create(idea=idea, approved=True)
    closed = timezone.now() - timedelta(minutes=1)
    for page in challenge:
        page.closes_at = closed
        page.opens_at = closed - timedelta(days=10)
        page.save_revision().publish()
    for page in challenge:
        response = client.get(page.url)
        went_further = response.context["ideas_that_went_further"]
        assert {idea.pk for idea in went_further} == {idea.pk for idea in two_ideas}


def test_the_dashboards_challenge_filter_offers_the_challenge_once(challenge, two_ideas):
    swedish, translated = challenge
    translation.activate("sv")
    request = RequestFactory().get("/")
    request.user = create_coordinator()
    choices = InsightFilterSet(data={}, request=request).form.fields["challenge"].queryset
    assert list(choices) == [swedish]
    ideas = InsightFilterSet(
        data={"challenge": swedish.pk}, queryset=Idea.objects.all(), request=request
    ).qs
    assert set(ideas) == set(two_ideas)


def test_the_open_challenges_block_shows_the_challenge_once_in_the_visitors_language(
    challenge,
):
    swedish, translated = challenge
    block = OpenChallengesBlock()
    value = block.to_python({"max_count": 3})
    assert block.get_challenges(value) == [swedish]
    with translation.override("en"):
        assert block.get_challenges(value) == [translated]


# ---- the showcase and its feeds ----------------------------------------------------------------


@pytest.fixture
def showcase(english):
    """A showcase with one innovation translated into English and one only in Swedish."""
    showcase = create_showcase_index()
    translated_innovation = create_innovation(showcase, title="Digitala lås i hemtjänsten")
    translate(
        translated_innovation,
        english,
        title="Digital locks in home care",
        summary="Home care opens doors with a phone instead of keys.",
    )
    create_innovation(showcase, title="Bänkar vid sjön", slug="bankar-vid-sjon")
    return showcase, showcase.get_translation(english).specific


def card_titles(client, page, query=""):
    response = client.get(page.url + query)
    assert response.status_code == 200
    return sorted(innovation.title for innovation in response.context["innovations"])


def test_the_showcase_lists_each_innovation_once_in_the_visitors_language(client, showcase):
    swedish, english = showcase
    assert card_titles(client, swedish) == ["Bänkar vid sjön", "Digitala lås i hemtjänsten"]
    # The English showcase: the English translation, and the Swedish original of the
    # innovation that has none.
    assert card_titles(client, english) == ["Bänkar vid sjön", "Digital locks in home care"]


def test_the_showcase_search_finds_innovations_of_every_language_once(client, showcase):
    _swedish, english = showcase
    assert card_titles(client, english, "?q=locks") == ["Digital locks in home care"]
    # Not translated: found in its original.
    assert card_titles(client, english, "?q=sjön") == ["Bänkar vid sjön"]


def test_the_showcase_highlights_show_each_innovation_once(showcase):
    block = ShowcaseHighlightsBlock()
    value = block.to_python({"max_count": 5})
    assert sorted(page.title for page in block.get_innovations(value)) == [
        "Bänkar vid sjön",
        "Digitala lås i hemtjänsten",
    ]


def test_the_json_feed_has_one_item_per_innovation_with_its_languages(client, showcase):
    swedish, english = showcase
    feed = json.loads(client.get(swedish.url + "feed/json/").content)
    items = {item["title"]: item for item in feed["items"]}
    assert sorted(items) == ["Bänkar vid sjön", "Digitala lås i hemtjänsten"]
    locks = items["Digitala lås i hemtjänsten"]
    assert locks["language"] == "sv"
    languages = locks["_sluss"]["languages"]
    assert [(entry["language"], entry["title"]) for entry in languages] == [
        ("en", "Digital locks in home care"),
        ("sv", "Digitala lås i hemtjänsten"),
    ]
    assert languages[0]["url"].endswith("/en/genomforda-innovationer/digitala-las-i-hemtjansten/")
    assert [entry["language"] for entry in items["Bänkar vid sjön"]["_sluss"]["languages"]] == [
        "sv"
    ]
    # The English showcase's feed: the same innovations, the translated one in English.
    feed = json.loads(client.get(english.url + "feed/json/").content)
    assert sorted((item["title"], item["language"]) for item in feed["items"]) == [
        ("Bänkar vid sjön", "sv"),
        ("Digital locks in home care", "en"),
    ]


def test_the_atom_feed_has_one_entry_per_innovation_linking_its_other_languages(client, showcase):
    swedish, _english = showcase
    root = ElementTree.fromstring(client.get(swedish.url + "feed/atom/").content)
    entries = {entry.find(f"{ATOM}title").text: entry for entry in root.findall(f"{ATOM}entry")}
    assert sorted(entries) == ["Bänkar vid sjön", "Digitala lås i hemtjänsten"]
    alternates = [
        (link.get("hreflang"), link.get("title"))
        for link in entries["Digitala lås i hemtjänsten"].findall(f"{ATOM}link")
        if link.get("hreflang")
    ]
    assert alternates == [("en", "Digital locks in home care")]


# ---- e-mails in the giver's language -----------------------------------------------------------


def subjects_to(address):
    return [message.subject for message in mail.outbox if message.to == [address]]


def test_the_receipt_is_in_the_language_the_idea_was_written_in(send_idea, challenge):
    swedish, translated = challenge
    in_swedish = send_idea(swedish, email="karin@exempelby.invalid")
    in_english = send_idea(translated, email="kim@exempelby.invalid")
    assert (in_swedish.language, in_english.language) == ("sv", "en")
    assert subjects_to("karin@exempelby.invalid") == [
        f"Vi har tagit emot din idé {in_swedish.reference}"
    ]
    assert subjects_to("kim@exempelby.invalid") == [
        f"We have received your idea {in_english.reference}"
    ]
    [receipt] = [message for message in mail.outbox if message.to == ["kim@exempelby.invalid"]]
    assert "/en/idesluss/status/" in receipt.body
    html, _mimetype = receipt.alternatives[0]
    assert '<html lang="en">' in html


def test_feedback_and_withdrawal_reach_the_giver_in_their_language(two_ideas, committed):
    _in_swedish, in_english = two_ideas
    coordinator = create_coordinator()
    # The coordinator works in Swedish.
    with translation.override("sv"), committed():
        process.move_idea(
            in_english, process.SCREENING, user=coordinator, public_note="Vi tittar på den."
        )
    assert subjects_to("kim@exempelby.invalid") == [f"News about your idea {in_english.reference}"]
    mail.outbox.clear()
    with committed():
        privacy.withdraw(in_english)
    in_english.refresh_from_db()
    assert in_english.stage == process.CLOSED
    assert in_english.events.filter(public_note="The idea giver withdrew the idea.").exists()
    [message] = mail.outbox
    assert message.subject == f"News about your idea {in_english.reference}"
    assert "The idea giver withdrew the idea." in message.body


def test_publishing_and_an_adoption_tell_the_giver_in_their_language(
    challenge, two_ideas, committed, english
):
    from sluss_wagtail.actions import promote_idea

    _in_swedish, in_english = two_ideas
    coordinator = create_coordinator()
    for stage in (process.SCREENING, process.DEVELOPMENT, process.IMPLEMENTED):
        process.move_idea(in_english, stage, user=coordinator)
    showcase = create_showcase_index()
    page = promote_idea(in_english, showcase, user=coordinator, title="Bänkar vid sjön")
    with committed():
        page.save_revision().publish()
    translated = translate(page, english, title="Benches by the lake")
    mail.outbox.clear()
    with committed():
        page.save_revision().publish()
    # The innovation in the giver's language: its English translation.
    [published] = mail.outbox
    assert published.subject == f"Your idea {in_english.reference} is now in our showcase"
    # On the site's public address, as every link in an e-mail (models.settings.page_site_url).
    assert page_site_url(translated) in published.body
    assert translated.url in published.body
    mail.outbox.clear()
    adoption = create_adoption(page, organisation="Skolförvaltningen", municipality="Alingsås")
    with translation.override("sv"), committed():
        confirm_adoption(adoption, user=coordinator)
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.CONFIRMED
    in_english.refresh_from_db()
    assert in_english.stage == process.SPREAD
    note = in_english.events.exclude(public_note="").last().public_note
    assert note == "Your idea is now also used by Skolförvaltningen in Alingsås."
    assert any(note in message.body for message in mail.outbox)


def test_the_showcase_and_its_feeds_cost_the_same_for_more_translated_innovations(
    client, showcase, english
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    swedish, english_showcase = showcase
    addresses = [
        english_showcase.url,
        english_showcase.url + "?q=locks",
        swedish.url + "feed/json/",
        english_showcase.url + "feed/atom/",
    ]

    def queries():
        counts = []
        for address in addresses:
            client.get(address)  # the listing is cached after the first request
            with CaptureQueriesContext(connection) as captured:
                assert client.get(address).status_code == 200
            counts.append(len(captured))
        return counts

    before = queries()
    for number in range(3):
        page = create_innovation(swedish, title=f"Innovation {number}")
        translate(page, english, title=f"Innovation {number} in English")
    assert queries() == before


# ---- the similar-idea hint -------------------------------------------------------------------


def test_the_similar_hint_names_a_challenge_and_an_innovation_once_in_the_visitors_language(
    challenge, showcase
):
    """What a visitor writes may match a page and its translation: the hint names it once,
    in the visitor's language (else in its original)."""
    from wagtail.models import Site

    from sluss_wagtail.similar import CHALLENGE, INNOVATION, similar_public

    site = Site.objects.get(is_default_site=True)
    for language, challenge_title, innovation_title in (
        ("sv", "Tryggare skolvägar", "Digitala lås i hemtjänsten"),
        ("en", "Safer routes to school", "Digital locks in home care"),
    ):
        with translation.override(language):
            found = similar_public("Tryggare safer digital", site=site)
        assert sorted((item["kind"], item["title"]) for item in found) == [
            (CHALLENGE, challenge_title),
            (INNOVATION, innovation_title),
        ]


def test_a_message_from_the_coordinator_reaches_each_giver_in_their_language(two_ideas, committed):
    from django.utils.translation import gettext

    from sluss_wagtail import dialogue

    in_swedish, in_english = two_ideas
    coordinator = create_coordinator()
    for working_in in ("sv", "en"):  # whatever language the coordinator works in
        mail.outbox.clear()
        with translation.override(working_in), committed():
            for idea in two_ideas:
                dialogue.write_to_giver(idea, user=coordinator, text="Hur tänkte du här?")
        assert subjects_to("kim@exempelby.invalid") == [
            f"A message about your idea {in_english.reference}"
        ]
        with translation.override("sv"):
            swedish = gettext("A message about your idea %(reference)s")
        assert subjects_to("karin@exempelby.invalid") == [
            swedish % {"reference": in_swedish.reference}
        ]
