"""The showcase's cached listing is never stale: publishing, unpublishing, moving,
deleting and view restrictions show at once, on the page and in the unit filter; and so
do the portfolio page the similar-idea hint links to and a challenge's restriction."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from sluss_wagtail import page_types
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    approve_for_portfolio,
    create_challenge,
    create_challenge_index,
    create_innovation,
    create_portfolio,
    create_showcase_index,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["shared cache", "process-local cache"])
def _cache_kind(request):
    """Each test with a shared cache and with a process-local one (the generations then
    in the database; tests/test_caches_across_processes.py)."""
    if request.param == "process-local cache":
        request.getfixturevalue("process_local_cache")


@pytest.fixture
def showcase(db):
    return create_showcase_index()


def titles(client, showcase, query=""):
    html = client.get(showcase.url + query).content.decode()
    return re.findall(r'class="sluss-card__title"><a href="[^"]*">([^<]*)</a>', html)


def test_a_published_innovation_shows_at_once(client, showcase):
    create_innovation(showcase, title="Bänkar vid sjön")
    assert titles(client, showcase) == ["Bänkar vid sjön"]
    create_innovation(showcase, title="Digitala lås")
    assert titles(client, showcase) == ["Digitala lås", "Bänkar vid sjön"]


def test_an_unpublished_innovation_goes_at_once(client, showcase):
    page = create_innovation(showcase, title="Bänkar vid sjön")
    create_innovation(showcase, title="Digitala lås")
    assert len(titles(client, showcase)) == 2
    page.unpublish()
    assert titles(client, showcase) == ["Digitala lås"]


def test_a_moved_innovation_changes_showcase_at_once(client, showcase):
    other = create_showcase_index(title="Andra", slug="andra")
    page = create_innovation(showcase, title="Bänkar vid sjön")
    assert titles(client, showcase) == ["Bänkar vid sjön"] and titles(client, other) == []
    InnovationPage.objects.get(pk=page.pk).move(other, pos="last-child")
    assert titles(client, showcase) == []
    assert titles(client, other) == ["Bänkar vid sjön"]


def test_a_deleted_innovation_goes_at_once(client, showcase):
    page = create_innovation(showcase, title="Bänkar vid sjön")
    assert titles(client, showcase) == ["Bänkar vid sjön"]
    InnovationPage.objects.get(pk=page.pk).delete()
    assert titles(client, showcase) == []


def test_a_view_restriction_hides_at_once(client, showcase):
    page = create_innovation(showcase, title="Bänkar vid sjön")
    assert titles(client, showcase) == ["Bänkar vid sjön"]
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert titles(client, showcase) == []
    restriction.delete()
    assert titles(client, showcase) == ["Bänkar vid sjön"]


def test_a_restriction_at_any_level_above_hides_the_innovation(showcase):
    """``public()`` finds a restriction on the page, its showcase, or any page above them,
    from the restricted pages' paths read once a generation of the showcase's cache."""
    section = create_showcase_index(showcase, title="Avsnitt", slug="avsnitt")
    deep = create_showcase_index(section, title="Djupare", slug="djupare")
    page = create_innovation(deep, title="Bänkar vid sjön")
    other = create_innovation(showcase, title="Gående skolbuss")
    public = InnovationPage.objects.public
    assert set(public()) == {page, other}
    for above in (page, deep, section, showcase, showcase.get_parent()):
        restriction = PageViewRestriction.objects.create(
            page=above, restriction_type=PageViewRestriction.LOGIN
        )
        hidden = {page, other} if above.depth <= showcase.depth else {page}
        assert set(public()) == {page, other} - hidden, above
        restriction.delete()
    assert set(public()) == {page, other}
    # Without a restriction, no condition on the paths at all: nothing to check per page.
    where = str(public().order_by().query).split("WHERE", 1)[1]
    assert '"path"' not in where, where


def test_filters_and_the_unit_list_follow_publishing(client, showcase):
    park = OrganisationUnitFactory(name="Parkenheten")
    create_innovation(showcase, title="Bänkar vid sjön", tags=["park"], unit=park)
    assert titles(client, showcase, "?tag=park") == ["Bänkar vid sjön"]
    school = OrganisationUnitFactory(name="Skolenheten")
    create_innovation(showcase, title="Gående skolbuss", tags=["park"], unit=school)
    assert titles(client, showcase, "?tag=park") == ["Gående skolbuss", "Bänkar vid sjön"]
    html = client.get(showcase.url).content.decode()
    assert "Skolenheten" in html and "Parkenheten" in html


def test_a_renamed_unit_shows_at_once(client, showcase):
    """Only which pages and how many are cached; what a card shows is read fresh."""
    park = OrganisationUnitFactory(name="Parkenheten")
    create_innovation(showcase, title="Bänkar vid sjön", unit=park)
    client.get(showcase.url)
    park.name = "Park- och naturenheten"
    park.save()
    assert "Park- och naturenheten" in client.get(showcase.url).content.decode()


# The same restricted paths serve every public page of the sluice's, and the portfolio page
# that public ideas link to is cached with them (``page_types.portfolio_page_for``).


def hinted_link(client, idea):
    html = client.post(reverse("sluss_wagtail:similar_ideas"), {"title": idea.title}).content
    return f"idea/{idea.pk}/" in html.decode()


def test_the_hint_links_to_the_portfolio_page_as_it_stands_at_once(client):
    portfolio = create_portfolio()
    idea = IdeaFactory(title="Fler parkbänkar vid sjön")
    approve_for_portfolio(idea)
    assert hinted_link(client, idea)
    restriction = PageViewRestriction.objects.create(
        page=portfolio, restriction_type=PageViewRestriction.LOGIN
    )
    assert not hinted_link(client, idea)
    restriction.delete()
    assert hinted_link(client, idea)
    portfolio.unpublish()
    assert not hinted_link(client, idea)
    portfolio.save_revision().publish()
    assert hinted_link(client, idea)
    other = create_portfolio(title="Nya idéer", slug="nya-ideer")
    portfolio.delete()
    html = client.post(reverse("sluss_wagtail:similar_ideas"), {"title": idea.title})
    assert f"{other.url}idea/{idea.pk}/" in html.content.decode()


def test_a_view_restriction_hides_a_challenge_at_once(client):
    now = timezone.now()
    index = create_challenge_index()
    challenge = create_challenge(
        index, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)
    )
    open_challenges = page_types.challenge_model().objects.live().public
    assert list(open_challenges()) == [challenge]
    restriction = PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.LOGIN
    )
    assert list(open_challenges()) == []
    html = client.post(reverse("sluss_wagtail:similar_ideas"), {"title": challenge.title})
    assert challenge.title not in html.content.decode()
    restriction.delete()
    assert list(open_challenges()) == [challenge]
