"""The idea giver's private status page: where the idea is, what it means, the feedback.

Never personal data: the page is reached by a link anyone may have been given.
"""

import re

import pytest
from django.utils import translation
from django.utils.html import escape

from sluss_wagtail import process
from sluss_wagtail.models import Idea
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Zackarias Quist",
    "email": "zq.hemlig@exempelby.invalid",
    "phone": "070-987 65 43",
    "organisation": "Föreningen Tysta Ekar",
}

ORIGINAL_CONTACT = {
    "name": "Olle Original",
    "email": "olle.original@exempelby.invalid",
    "phone": "0302-11 22 33",
    "organisation": "Bolaget Bänk AB",
}


@pytest.fixture
def staff(db):
    return UserFactory(username="coordinator", is_staff=True)


@pytest.fixture
def idea(db):
    return IdeaFactory(title="Bänkar vid sjön", contact=CONTACT)


def status_page(client, idea):
    response = client.get(idea.get_status_url())
    assert response.status_code == 200
    return response.content.decode()


def label(key):
    return escape(str(process.get_stage(key).label))


def description(key):
    return escape(str(process.get_stage(key).description))


def current_steps(html):
    """The labels of the steps marked as the idea's place in the process."""
    return re.findall(
        r'<li[^>]*aria-current="step"[^>]*>\s*<span class="sluss-steps__label">([^<]*)</span>', html
    )


def done_steps(html):
    return re.findall(
        r'<li class="sluss-steps__item sluss-steps__item--done"[^>]*>\s*'
        r'<span class="sluss-steps__label">([^<]*)</span>',
        html,
    )


def stage_panel(html):
    return re.search(r'<div class="sluss-panel sluss-panel--stage">(.*?)</div>', html, re.S).group(
        1
    )


def feedback(html):
    timeline = re.search(r'<ol class="sluss-timeline">(.*?)</ol>', html, re.S).group(1)
    return [
        re.sub(r"\s+", " ", note).strip()
        for note in re.findall(r'<div class="sluss-timeline__note">(.*?)</div>', timeline, re.S)
    ]


def move_along(idea, *stages, user, **kwargs):
    for stage in stages:
        process.move_idea(idea, stage, user=user, **kwargs)
    idea.refresh_from_db()
    return idea


# What the page shows --------------------------------------------------------------------


def test_a_new_idea_shows_its_title_and_that_it_was_received(client, idea):
    html = status_page(client, idea)
    assert '<h1 lang="sv">Bänkar vid sjön</h1>' in html
    assert idea.reference in html
    assert label(process.RECEIVED) in html
    assert description(process.RECEIVED) in html
    assert current_steps(html) == [label(process.RECEIVED)]
    assert done_steps(html) == []


@pytest.mark.parametrize("stage", process.FORWARD_PATH[1:])
def test_the_current_stage_is_named_explained_and_marked_in_the_steps(client, idea, staff, stage):
    move_along(idea, stage, user=staff)

    html = status_page(client, idea)

    panel = stage_panel(html)
    assert label(stage) in panel
    assert description(stage) in panel
    assert current_steps(html) == [label(stage)]
    earlier = process.FORWARD_PATH[: process.FORWARD_PATH.index(stage)]
    assert done_steps(html) == [label(key) for key in earlier]
    assert html.count('aria-current="step"') == 1


def test_every_step_of_the_way_forward_is_drawn_in_order(client, idea):
    html = status_page(client, idea)
    drawn = re.findall(r'<span class="sluss-steps__label">([^<]*)</span>', html)
    assert drawn == [label(key) for key in process.FORWARD_PATH]


@pytest.mark.parametrize(
    ("stage", "kwargs"),
    [
        (process.CLOSED, {"public_note": "Det finns redan bänkar där."}),
        (process.PARKED, {}),
        (process.FORWARDED, {"destination": "Felanmälan, gatuenheten"}),
    ],
)
def test_an_idea_off_the_way_forward_has_no_current_step(client, idea, staff, stage, kwargs):
    move_along(idea, process.SCREENING, user=staff)
    move_along(idea, stage, user=staff, **kwargs)

    html = status_page(client, idea)

    assert 'aria-current="step"' not in html
    assert current_steps(html) == []
    assert label(stage) in html
    assert description(stage) in html


def test_a_parked_idea_that_resumes_is_marked_where_it_was(client, idea, staff):
    move_along(idea, process.DEVELOPMENT, process.PARKED, process.DEVELOPMENT, user=staff)
    assert current_steps(status_page(client, idea)) == [label(process.DEVELOPMENT)]


def test_a_closed_idea_shows_the_decision(client, idea, staff):
    move_along(idea, process.SCREENING, user=staff)
    process.move_idea(
        idea,
        process.CLOSED,
        user=staff,
        public_note="Vi har inte råd i år.\nVi tar upp idén igen i budgeten för 2027.",
    )

    html = status_page(client, idea)

    panel = stage_panel(html)
    assert "Vi har inte råd i år.<br>Vi tar upp idén igen i budgeten för 2027." in panel


def test_a_forwarded_idea_shows_where_it_was_handed(client, idea, staff):
    process.move_idea(idea, process.FORWARDED, user=staff, destination="Felanmälan, gatuenheten")

    html = status_page(client, idea)

    panel = stage_panel(html)
    assert "Felanmälan, gatuenheten" in panel


def test_the_status_page_speaks_english_under_en(client, idea, staff):
    move_along(idea, process.PILOT, user=staff)
    response = client.get(f"/en{idea.get_status_url()}")
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("en"):
        assert current_steps(html) == [label(process.PILOT)]
    assert "Small-scale test" in html


# Feedback -------------------------------------------------------------------------------


def test_public_notes_are_shown_oldest_first_and_internal_notes_never(client, idea, staff):
    process.move_idea(
        idea,
        process.SCREENING,
        user=staff,
        public_note="Vi har börjat titta på din idé.",
        internal_note="INTERNT: kostar för mycket?",
    )
    process.move_idea(idea, process.DEVELOPMENT, user=staff, internal_note="INTERNT: fråga chefen")
    process.move_idea(
        idea,
        process.PILOT,
        user=staff,
        public_note="Vi provar med två bänkar i sommar.",
        internal_note="INTERNT: budget 20 000 kr",
    )

    html = status_page(client, idea)

    assert feedback(html) == [
        "Vi har börjat titta på din idé.",
        "Vi provar med två bänkar i sommar.",
    ]
    assert "INTERNT" not in html


def test_a_public_note_is_shown_as_text_with_its_line_breaks(client, idea, staff):
    process.move_idea(
        idea,
        process.SCREENING,
        user=staff,
        public_note='Tack!\n<script>alert(1)</script> & "mer"',
    )

    html = status_page(client, idea)

    assert feedback(html) == [
        "Tack!<br>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;mer&quot;"
    ]
    assert "<script>alert(1)" not in html


# Personal data --------------------------------------------------------------------------


def assert_no_personal_data(html, contact=CONTACT):
    for field, value in contact.items():
        assert value not in html, field
        assert escape(value) not in html, field
    assert contact["email"].split("@")[0] not in html


def test_the_idea_givers_contact_details_are_never_shown(client, idea, staff):
    move_along(idea, process.SCREENING, user=staff, public_note="Tack för idén!")
    assert_no_personal_data(status_page(client, idea))


@pytest.mark.parametrize(
    ("stage", "kwargs"),
    [
        (process.CLOSED, {"public_note": "Nej tack."}),
        (process.FORWARDED, {"destination": "Felanmälan"}),
        (process.IMPLEMENTED, {"public_note": "Klart!"}),
    ],
)
def test_no_contact_details_at_the_end_of_the_way_either(client, idea, staff, stage, kwargs):
    move_along(idea, stage, user=staff, **kwargs)
    assert_no_personal_data(status_page(client, idea))


def test_the_account_of_a_logged_in_idea_giver_is_never_shown(client):
    member = UserFactory(username="zq_konto", first_name="Zackarias", last_name="Quist")
    idea = IdeaFactory(submitted_by=member, contact=CONTACT)

    html = status_page(client, idea)

    assert_no_personal_data(html)
    for value in (member.username, member.email, member.get_full_name()):
        assert value not in html


# Duplicates -----------------------------------------------------------------------------


@pytest.fixture
def original(staff):
    original = IdeaFactory(title="Fler bänkar i parken", contact=ORIGINAL_CONTACT)
    process.move_idea(original, process.SCREENING, user=staff, public_note="Vi tittar på det.")
    process.move_idea(original, process.PILOT, user=staff, public_note="Vi provar i Stadsparken.")
    return original


def test_a_duplicate_shows_where_the_original_is(client, idea, original):
    Idea.objects.filter(pk=idea.pk).update(duplicate_of=original)

    html = status_page(client, idea)

    assert '<h1 lang="sv">Bänkar vid sjön</h1>' in html
    assert original.reference in html
    assert current_steps(html) == [label(process.PILOT)]
    assert description(process.PILOT) in html
    assert feedback(html) == ["Vi tittar på det.", "Vi provar i Stadsparken."]


def test_a_duplicate_never_opens_the_original_or_its_idea_givers_details(client, idea, original):
    Idea.objects.filter(pk=idea.pk).update(duplicate_of=original)

    html = status_page(client, idea)

    assert original.status_token not in html
    assert "Fler bänkar i parken" not in html
    assert_no_personal_data(html)
    assert_no_personal_data(html, ORIGINAL_CONTACT)


def test_a_duplicate_of_a_closed_idea_shows_the_decision(client, idea, original, staff):
    process.move_idea(original, process.CLOSED, user=staff, public_note="Testet föll inte väl ut.")
    Idea.objects.filter(pk=idea.pk).update(duplicate_of=original)

    html = status_page(client, idea)

    assert current_steps(html) == []
    assert label(process.CLOSED) in html
    assert "Testet föll inte väl ut." in html
