"""An innovation page's pilots, goals and tags are cached per published revision and place.

The cache is never stale: publishing and moving (the page, or the showcase above it)
change the cache key, so the next request reads the database again.
"""

import pytest

from sluss_wagtail.pages.models import InnovationPage, InnovationPilot
from tests.factories import create_innovation, create_showcase_index, create_submission_page

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


@pytest.fixture
def innovation(showcase):
    return create_innovation(
        showcase,
        title="Digitala lås",
        pilots=[{"title": "Prov i två team"}],
        sdgs=[3],
        tags=["lås"],
    )


def html(client, page):
    response = client.get(InnovationPage.objects.get(pk=page.pk).url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_page_reads_its_related_content_from_the_cache(
    client, innovation, django_assert_num_queries
):
    client.get(innovation.url)
    # Routing, the confirmed adoptions, the benefits (never cached: follow-ups change
    # without a new revision); the rest cached.
    with django_assert_num_queries(10):
        assert "Prov i två team" in client.get(innovation.url).content.decode()


def test_publishing_shows_the_new_pilots_goals_and_tags(client, innovation):
    first = html(client, innovation)
    assert "Prov i två team" in first and "lås" in first and "3. " in first
    page = InnovationPage.objects.get(pk=innovation.pk)
    page.pilots = [InnovationPilot(title="Prov i hela hemtjänsten")]
    page.sdgs.set([11])
    page.tags.set(["nycklar"])
    page.save_revision().publish()
    second = html(client, innovation)
    assert "Prov i hela hemtjänsten" in second and "Prov i två team" not in second
    assert "nycklar" in second and "?tag=lås" not in second
    assert "11. " in second and "3. " not in second


def test_a_draft_is_not_shown_until_it_is_published(client, innovation):
    html(client, innovation)
    page = InnovationPage.objects.get(pk=innovation.pk)
    page.pilots = [InnovationPilot(title="Ett utkast")]
    page.save_revision()
    assert "Ett utkast" not in html(client, innovation)


def test_moving_the_page_moves_its_tag_links(client, innovation, showcase):
    assert f'href="{showcase.url}?tag=' in html(client, innovation)
    other = create_showcase_index(title="Andra", slug="andra")
    InnovationPage.objects.get(pk=innovation.pk).move(other, pos="last-child")
    moved = html(client, innovation)
    assert f'href="{other.url}?tag=' in moved
    assert f'href="{showcase.url}?tag=' not in moved


def test_moving_the_showcase_moves_the_tag_links_of_its_pages(client, innovation, showcase):
    html(client, innovation)
    parent = create_submission_page(title="Förvaltningen", slug="forvaltningen")
    showcase.move(parent, pos="last-child")
    showcase.refresh_from_db()
    assert showcase.url.startswith("/forvaltningen/")
    assert f'href="{showcase.url}?tag=' in html(client, innovation)


def test_a_preview_never_uses_the_cache(client, innovation, django_user_model):
    html(client, innovation)
    page = InnovationPage.objects.get(pk=innovation.pk)
    page.pilots = [InnovationPilot(title="Förhandsvisat prov")]
    request_page = page
    from django.test import RequestFactory

    request = RequestFactory().get(innovation.url)
    request.is_preview = True
    content = request_page.get_related_content(request)
    assert [pilot.title for pilot in content["pilots"]] == ["Förhandsvisat prov"]
