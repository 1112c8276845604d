"""Challenges: pages that ask for ideas about a named problem, open for a limited time."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from sluss_wagtail.links import inbox_path
from sluss_wagtail.models import Idea
from sluss_wagtail.models.challenges import CLOSED, OPEN, UPCOMING, challenge_status
from sluss_wagtail.pages.models import ChallengeIndexPage, ChallengePage, IdeaSubmissionPage
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_challenge,
    create_challenge_index,
)

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def local(*args):
    return datetime(*args, tzinfo=STOCKHOLM)


def days(n):
    return timedelta(days=n)


class ChallengePageRules(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.index = create_challenge_index()
        cls.challenge = create_challenge(cls.index, opens_at=now - days(1), closes_at=now + days(9))

    def test_challenges_live_only_under_a_challenge_index(self):
        self.assertCanCreateAt(ChallengeIndexPage, ChallengePage)
        self.assertCanNotCreateAt(HomePage, ChallengePage)
        self.assertCanNotCreateAt(IdeaSubmissionPage, ChallengePage)
        self.assertAllowedSubpageTypes(ChallengePage, {})

    def test_the_index_can_live_anywhere(self):
        self.assertCanCreateAt(HomePage, ChallengeIndexPage)
        self.assertCanCreateAt(IdeaSubmissionPage, ChallengeIndexPage)

    def test_both_are_routable_and_renderable(self):
        for page in (self.index, self.challenge):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)

    def test_an_editor_must_close_after_opening(self):
        self.challenge.closes_at = self.challenge.opens_at
        with self.assertRaises(ValidationError) as raised:
            self.challenge.full_clean()
        self.assertIn("closes_at", raised.exception.message_dict)

    def test_an_image_needs_its_alternative_text(self):
        from wagtail.images import get_image_model
        from wagtail.images.tests.utils import get_test_image_file

        image = get_image_model().objects.create(title="Skolväg", file=get_test_image_file())
        self.challenge.image = image
        with self.assertRaises(ValidationError) as raised:
            self.challenge.full_clean()
        self.assertIn("image_alt", raised.exception.message_dict)
        self.challenge.image_alt = "Barn som cyklar till skolan en vintermorgon"
        self.challenge.full_clean()
        html = self.client.get(self.challenge.url).content.decode()
        self.assertNotIn("Barn som cyklar", html)  # not published yet
        self.challenge.save_revision().publish()
        html = self.client.get(self.challenge.url).content.decode()
        self.assertIn('alt="Barn som cyklar till skolan en vintermorgon"', html)


@pytest.mark.parametrize(
    "now,expected",
    [
        (local(2026, 3, 1, 7, 59, 59), UPCOMING),
        (local(2026, 3, 1, 8, 0, 0), OPEN),
        (local(2026, 3, 29, 23, 59, 59), OPEN),
        (local(2026, 3, 30, 0, 0, 0), CLOSED),
    ],
)
def test_status_at_the_boundary_instants(now, expected):
    # 29 March 2026 is the night Sweden moves to summer time.
    assert challenge_status(local(2026, 3, 1, 8), local(2026, 3, 30), now) == expected


@pytest.mark.django_db
def test_the_days_left_count_local_days_across_a_daylight_saving_change():
    challenge = ChallengePage(opens_at=local(2026, 3, 1), closes_at=local(2026, 3, 30))
    # Saturday before the change at noon: the 28th and 29th are left, minus today.
    assert challenge.days_left(local(2026, 3, 28, 12)) == 1
    assert challenge.days_left(local(2026, 3, 29, 23, 30)) == 0
    autumn = ChallengePage(opens_at=local(2026, 10, 1), closes_at=local(2026, 10, 26))
    assert autumn.days_left(local(2026, 10, 24, 1)) == 1  # the night of the 25th is 25 hours


@pytest.fixture
def index(db):
    return create_challenge_index()


@pytest.fixture
def open_challenge(index):
    now = timezone.now()
    return create_challenge(index, opens_at=now - days(2), closes_at=now + days(5))


def post_to(client, page, **overrides):
    html = client.get(page.url).content.decode()
    return client.post(page.url, valid_idea_data(form_token=form_token(html), **overrides))


@pytest.mark.django_db
def test_an_idea_sent_to_an_open_challenge_carries_it_everywhere(
    client, open_challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_to(client, open_challenge)
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.challenge.pk == open_challenge.pk
    assert idea.source_page.pk == open_challenge.pk
    title = open_challenge.title
    assert title in client.get(response["Location"]).content.decode()
    assert title in client.get(idea.get_status_url()).content.decode()
    receipt = mail.outbox[0]
    assert title in receipt.body and title in receipt.alternatives[0][0]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["upcoming", "closed"])
def test_no_form_before_opening_or_after_closing_and_a_post_is_refused(client, index, state):
    now = timezone.now()
    if state == "upcoming":
        challenge = create_challenge(index, opens_at=now + days(3), closes_at=now + days(30))
    else:
        challenge = create_challenge(index, opens_at=now - days(30), closes_at=now - days(1))
    html = client.get(challenge.url).content.decode()
    assert 'name="title"' not in html
    assert 'role="status"' in html
    response = client.post(challenge.url, valid_idea_data(form_token="anything"))
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()
    assert Idea.objects.count() == 0


@pytest.mark.django_db
def test_a_challenge_closing_between_opening_the_form_and_sending_it(client, open_challenge):
    html = client.get(open_challenge.url).content.decode()
    ChallengePage.objects.filter(pk=open_challenge.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(open_challenge.url, valid_idea_data(form_token=form_token(html)))
    assert response.status_code == 200
    assert "tar inte längre emot idéer" in response.content.decode()
    assert Idea.objects.count() == 0


@pytest.mark.django_db
def test_the_challenge_counts_its_ideas(client, open_challenge):
    for _ in range(3):
        IdeaFactory(challenge=open_challenge)
    assert "3 idéer har kommit in hittills" in client.get(open_challenge.url).content.decode()


@pytest.mark.django_db
def test_a_closed_challenge_shows_its_outcome_and_the_published_ideas_that_went_further(
    client, index
):
    from sluss_wagtail.process import move_idea

    now = timezone.now()
    challenge = create_challenge(
        index,
        opens_at=now - days(60),
        closes_at=now - days(10),
        outcome="<p>Tre idéer testas i höst.</p>",
    )
    staff = UserFactory(username="koordinator")
    went_on = IdeaFactory(challenge=challenge, title="Gående skolbuss", publish_name=True)
    secret = IdeaFactory(challenge=challenge, title="Hemlig idé", publish_idea=False)
    stayed = IdeaFactory(challenge=challenge, title="Stannade")
    unapproved = IdeaFactory(challenge=challenge, title="Inte godkänd")
    for idea in (went_on, secret, unapproved):
        move_idea(idea, "pilot", user=staff)
    # Shown in public only through ``Idea.objects.public()``: approved for the portfolio.
    from tests.factories import approve_for_portfolio

    for idea in (went_on, secret):
        approve_for_portfolio(idea)
    html = client.get(challenge.url).content.decode()
    assert "Inte godkänd" not in html
    assert "Tre idéer testas i höst." in html
    assert "Gående skolbuss" in html and "Karin Lund" in html
    assert "Hemlig idé" not in html and stayed.title not in html


@pytest.mark.django_db
def test_the_index_lists_open_then_upcoming_then_closed_and_filters(client, index):
    now = timezone.now()
    unit = OrganisationUnitFactory(name="Skola")
    closed_old = create_challenge(
        index, title="Stängd förr", opens_at=now - days(90), closes_at=now - days(60)
    )
    closed_new = create_challenge(
        index, title="Stängd nyss", opens_at=now - days(30), closes_at=now - days(1)
    )
    upcoming = create_challenge(
        index, title="Kommande", opens_at=now + days(3), closes_at=now + days(30)
    )
    open_late = create_challenge(
        index, title="Öppen länge", opens_at=now - days(1), closes_at=now + days(20), unit=unit
    )
    open_soon = create_challenge(
        index, title="Öppen kort", opens_at=now - days(1), closes_at=now + days(2)
    )
    open_late.sdgs.set([11])
    open_late.save_revision().publish()
    titles = [c.title for c in index.get_challenges()]
    assert titles == [
        open_soon.title,
        open_late.title,
        upcoming.title,
        closed_new.title,
        closed_old.title,
    ]
    html = client.get(index.url + "?sdg=11").content.decode()
    assert open_late.title in html and open_soon.title not in html
    html = client.get(index.url + f"?unit={unit.pk}").content.decode()
    assert open_late.title in html and upcoming.title not in html
    for nonsense in ("?sdg=99", "?sdg=abc", "?unit=x%00", "?page=999", "?page=-1"):
        assert client.get(index.url + nonsense).status_code == 200


def challenges(index, count, start=0):
    now = timezone.now()
    for n in range(start, start + count):
        # Open, closed and upcoming ones mixed.
        opens_at = now + days(3) if n % 4 == 0 else now - days(n % 5 + 1)
        create_challenge(
            index, title=f"Utmaning {n}", opens_at=opens_at, closes_at=opens_at + days(1 + n % 9)
        )


# The index's and a challenge page's query budgets: tests/test_query_budgets.py.


@pytest.mark.django_db
def test_the_inbox_filters_and_exports_by_challenge(client, index):
    import csv
    import io

    from tests.factories import create_coordinator

    now = timezone.now()
    schools = create_challenge(
        index, title="Tryggare skolvägar", opens_at=now - days(1), closes_at=now + days(9)
    )
    food = create_challenge(
        index, title="Mindre matsvinn", opens_at=now - days(1), closes_at=now + days(9)
    )
    for_schools = IdeaFactory(title="Gående skolbuss", challenge=schools)
    IdeaFactory(title="Kompost i matsalen", challenge=food)
    IdeaFactory(title="Öppen idé")
    client.force_login(create_coordinator())
    inbox = inbox_path()
    # The filter's lookup is named after the primary key of the base page (``Idea.challenge``
    # names the swappable page model).
    html = client.get(f"{inbox}?challenge__id__exact={schools.pk}").content.decode()
    assert "Gående skolbuss" in html
    assert "Kompost i matsalen" not in html and "Öppen idé" not in html
    response = client.get(f"{inbox}?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(r for r in rows if for_schools.reference in r)
    assert "Tryggare skolvägar" in row
