"""A site with its own base page installs the sluice and runs it end to end.

Run with ``pytest tests/sites/custom_base_page --ds=tests.sites.custom_base_page.settings``
(``.ci/run`` does); under the other settings these tests skip.
"""

from datetime import timedelta
from io import StringIO

import pytest
import swapper
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from sluss_wagtail import actions, page_types, process
from sluss_wagtail.models import Adoption, AdoptionStatus, Idea, Pilot
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_adoption,
    create_challenge,
    create_challenge_index,
    create_showcase_index,
)

pytestmark = [
    pytest.mark.skipif(
        getattr(settings, "WAGTAIL_PAGE_MODEL", "") != "custom_basepage.BasePage",
        reason="needs --ds=tests.sites.custom_base_page.settings",
    ),
    pytest.mark.django_db,
]


def test_the_base_page_is_the_sites_own_and_the_sluice_uses_its_pages():
    assert swapper.load_model("wagtailcore", "Page")._meta.label == "custom_basepage.BasePage"
    assert {role: page_types.get_model(role)._meta.label for role in page_types.ROLES} == {
        "idea_submission": "custom_sluice.IdeaSubmissionPage",
        "challenge_index": "custom_sluice.ChallengeIndexPage",
        "challenge": "custom_sluice.ChallengePage",
        "showcase": "custom_sluice.ShowcaseIndexPage",
        "innovation": "custom_sluice.InnovationPage",
    }
    assert page_types.innovation_pilot_model()._meta.label == "custom_sluice.InnovationPilot"


def test_check_finds_nothing_and_the_migrations_are_complete():
    out = StringIO()
    call_command("check", stdout=out)  # raises SystemCheckError on an error
    assert "no issues" in out.getvalue()
    for app_label in ("sluss_wagtail", "custom_basepage", "custom_sluice"):
        out = StringIO()
        call_command("makemigrations", app_label, check=True, dry_run=True, stdout=out)
        assert "No changes detected" in out.getvalue()


def test_each_page_lives_where_it_belongs():
    challenge_index = page_types.get_model("challenge_index")
    challenge = page_types.challenge_model()
    showcase = page_types.showcase_model()
    innovation = page_types.innovation_model()
    assert challenge_index.allowed_subpage_models() == [challenge]
    assert challenge.allowed_parent_page_models() == [challenge_index]
    assert showcase.allowed_subpage_models() == [innovation]
    assert innovation.allowed_parent_page_models() == [showcase]


def send_idea(client, page, **overrides):
    response = client.get(page.url)
    assert response.status_code == 200
    data = valid_idea_data(form_token=form_token(response.content.decode()), **overrides)
    return client.post(page.url, data, follow=True)


def test_an_idea_sent_through_the_form_page_is_received(client, submission_page):
    response = send_idea(client, submission_page, title="Bänkar vid sjön")
    idea = Idea.objects.get()
    assert idea.reference in response.content.decode()
    assert (idea.title, idea.stage, idea.source_page_id) == (
        "Bänkar vid sjön",
        process.RECEIVED,
        submission_page.pk,
    )


def test_an_idea_to_a_challenge_counts_for_the_challenge(client):
    now = timezone.now()
    index = create_challenge_index()
    challenge = create_challenge(
        index, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)
    )
    send_idea(client, challenge, title="Gående skolbuss")
    idea = Idea.objects.get()
    assert idea.challenge_id == challenge.pk
    assert list(challenge.ideas) == [idea]
    assert "Tryggare skolvägar" in client.get(index.url).content.decode()


def test_a_promoted_innovation_is_published_and_listed_with_its_adoption(client):
    coordinator = UserFactory(username="koordinator")
    showcase = create_showcase_index()
    idea = IdeaFactory(title="Digitala lås", publish_idea=True)
    process.move_idea(idea, "pilot", user=coordinator)
    Pilot.objects.create(
        idea=idea,
        title="Tio brukare",
        hypothesis="Mindre tid går till nycklar.",
        success_criteria="En halvtimme mindre per dag.",
        lessons="Låsen behöver ett reservbatteri.",
    )
    process.move_idea(idea, "evaluation", user=coordinator)
    process.move_idea(idea, "implemented", user=coordinator)
    idea.sdgs.set([3])
    idea.tags.set(["hemtjänst"])

    page = actions.promote_idea(idea, showcase, user=coordinator)
    assert isinstance(page, page_types.innovation_model())
    assert not client.get(showcase.url).content.decode().count("Digitala lås")
    page.get_latest_revision().publish()

    listing = client.get(showcase.url).content.decode()
    assert "Digitala lås" in listing
    assert "Digitala lås" in client.get(showcase.url, {"sdg": 3}).content.decode()
    assert "Digitala lås" in client.get(showcase.url, {"tag": "hemtjänst"}).content.decode()
    html = client.get(page.url).content.decode()
    assert "Låsen behöver ett reservbatteri." in html

    adoption = create_adoption(page, status=AdoptionStatus.CONFIRMED)
    assert list(page.specific.get_confirmed_adoptions()) == [adoption]
    assert Adoption.objects.get().innovation_id == page.pk
    feed = client.get(showcase.url + "feed/json/").json()
    assert [item["title"] for item in feed["items"]] == ["Digitala lås"]


def test_the_portfolio_on_the_sites_own_base_page_shows_a_public_idea(client):
    from sluss_wagtail.page_types import portfolio_models
    from tests.factories import approve_for_portfolio

    (model,) = portfolio_models()
    assert model._meta.label == "custom_sluice.PortfolioPage"
    root = swapper.load_model("wagtailcore", "Page").objects.get(depth=2)
    portfolio = root.add_child(instance=model(title="Idéer på gång", slug="ideer-pa-gang"))
    portfolio.save_revision().publish()
    idea = IdeaFactory(title="Solceller på skolan", publish_idea=True)
    approve_for_portfolio(idea)
    IdeaFactory(title="Inte godkänd än", publish_idea=True)
    listing = client.get(portfolio.url).content.decode()
    assert "Solceller på skolan" in listing and "Inte godkänd än" not in listing
    page = client.get(f"{portfolio.url}idea/{idea.pk}/")
    assert page.status_code == 200 and "Solceller på skolan" in page.content.decode()


def test_page_permissions_are_the_base_pages_own_codenames():
    """Page permissions are the site's base page's (``get_permission_codename``):
    ``publish_basepage``, not Wagtail's ``publish_page``. The demo gives its showcase
    moderators add, change and publish so (README step 6 asks the same by hand)."""
    from wagtail.models import GroupPagePermission

    from demo.management.commands.sluss_demo import Command

    showcase = create_showcase_index()
    moderators = Command().let_moderators_edit(showcase)
    given = GroupPagePermission.objects.filter(group=moderators, page=showcase)
    assert set(given.values_list("permission__codename", flat=True)) == {
        "add_basepage",
        "change_basepage",
        "publish_basepage",
    }
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators)
    allowed = showcase.permissions_for_user(moderator)
    assert allowed.can_add_subpage() and allowed.can_edit() and allowed.can_publish()


def test_on_postgresql_the_hints_index_of_the_titles_is_on_the_base_pages_table():
    """Migration 0009 indexes the titles where the site's page model keeps them (with a base
    page of its own, wagtailcore's Page has no table). ``.ci/run`` runs this site on
    PostgreSQL too."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's trigram index (DATABASE_URL)")
    table = swapper.load_model("wagtailcore", "Page")._meta.get_field("title").model
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_indexes WHERE indexname = 'sluss_page_title_trgm_gist'"
        )
        assert cursor.fetchall() == [(table._meta.db_table,)]
