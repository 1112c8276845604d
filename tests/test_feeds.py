"""The showcase's open feeds (Atom, JSON Feed 1.1 with ``_sluss``) and the API."""

import json
from xml.etree import ElementTree

import pytest
from wagtail.models import PageViewRestriction

from sluss_wagtail.models import AdoptionStatus
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    create_adoption,
    create_innovation,
    create_showcase_index,
    plant_live_confidential_innovation,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def showcase(db):
    return create_showcase_index()


def json_url(showcase, query=""):
    return showcase.url + showcase.reverse_subpage("json_feed") + query


def atom_url(showcase, query=""):
    return showcase.url + showcase.reverse_subpage("atom_feed") + query


def read_json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    return json.loads(response.content)


def read_atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def test_the_json_feed_is_json_feed_1_1_with_the_sluss_extension(client, showcase):
    unit = OrganisationUnitFactory(name="Hemtjänsten")
    page = create_innovation(
        showcase,
        unit=unit,
        sdgs=[3, 11],
        tags=["trygghet", "Digitalt"],
        origin="municipality",
        origin_name="Alingsås kommun",
        origin_url="https://www.alingsas.invalid/las",
        pilots=[{"title": "Tio brukare", "outcome": "failed", "lessons": "Låsen frös."}],
    )
    create_adoption(page, status=AdoptionStatus.CONFIRMED)
    create_adoption(page)  # pending: not counted
    feed = read_json(client, json_url(showcase))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == showcase.title
    assert feed["_sluss"]["version"] == 1
    [item] = feed["items"]
    assert item["id"] == f"urn:uuid:{page.translation_key}"
    assert item["url"].endswith(page.url)
    assert item["content_text"] == page.summary
    sluss = item["_sluss"]
    assert sluss["id"] == item["id"]
    assert sluss["unit"] == "Hemtjänsten"
    assert sluss["sdgs"] == [3, 11]
    assert sluss["tags"] == ["Digitalt", "trygghet"]
    assert sluss["status"] == "implemented"
    assert sluss["origin"] == {
        "kind": "municipality",
        "name": "Alingsås kommun",
        "url": "https://www.alingsas.invalid/las",
    }
    assert sluss["pilots"][0]["outcome"] == "failed"
    assert sluss["pilots"][0]["lessons"] == "Låsen frös."
    assert sluss["adoption_count"] == 1
    assert sluss["last_change"]


def test_the_atom_feed_lists_the_innovations(client, showcase):
    page = create_innovation(showcase, tags=["trygghet"])
    root = read_atom(client, atom_url(showcase))
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}id").text == f"urn:uuid:{page.translation_key}"
    assert entry.find(f"{ATOM}title").text == page.title
    assert entry.find(f"{ATOM}category").get("term") == "trygghet"


def test_the_feeds_follow_the_showcases_filters(client, showcase):
    create_innovation(showcase, title="Med mål tre", sdgs=[3], status="spread")
    create_innovation(showcase, title="Med mål elva", sdgs=[11])
    titles = [i["title"] for i in read_json(client, json_url(showcase, "?sdg=3"))["items"]]
    assert titles == ["Med mål tre"]
    titles = [
        i["title"] for i in read_json(client, json_url(showcase, "?status=implemented"))["items"]
    ]
    assert titles == ["Med mål elva"]
    root = read_atom(client, atom_url(showcase, "?sdg=11"))
    assert [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")] == ["Med mål elva"]
    # Nonsense filters are ignored, as on the page.
    assert len(read_json(client, json_url(showcase, "?sdg=99&status=x"))["items"]) == 2


def test_the_page_links_to_its_feeds_with_its_filters(client, showcase):
    html = client.get(showcase.url + "?sdg=3").content.decode()
    assert html.count('<link rel="alternate"') == 2
    assert f'href="{json_url(showcase, "?sdg=3")}"' in html
    assert f'href="{atom_url(showcase, "?sdg=3")}"' in html


def test_nothing_unpublished_private_or_confidential_is_in_a_feed_or_the_api(client, showcase):
    create_innovation(showcase, title="Synlig")
    create_innovation(showcase, title="Utkast", publish=False)
    private = create_innovation(showcase, title="Privat")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    plant_live_confidential_innovation(showcase, title="Sekretess")
    # A name whose giver did not allow publishing: never in a feed (no names are).
    no_name = IdeaFactory(stage="implemented", publish_name=False)
    nameless = create_innovation(showcase, title="Namnlös", idea=no_name)
    InnovationPage.objects.filter(pk=nameless.pk).update(idea_giver_name="Karin Lund")

    feed = read_json(client, json_url(showcase))
    assert sorted(i["title"] for i in feed["items"]) == ["Namnlös", "Synlig"]
    atom = client.get(atom_url(showcase)).content.decode()
    api = client.get(
        "/api/v2/pages/?type=sluss_wagtail_pages.InnovationPage&fields=*"
    ).content.decode()
    for text in (json.dumps(feed, ensure_ascii=False), atom, api):
        for hidden in ("Utkast", "Privat", "Sekretess", "Karin Lund"):
            assert hidden not in text
    assert "Synlig" in atom and "Synlig" in api


def test_a_private_showcase_does_not_serve_its_feeds(client, showcase):
    create_innovation(showcase, title="Synlig")
    PageViewRestriction.objects.create(page=showcase, restriction_type=PageViewRestriction.LOGIN)
    for url in (json_url(showcase), atom_url(showcase)):
        response = client.get(url)
        assert response.status_code == 302
        assert "Synlig" not in response.content.decode()


def test_hostile_text_is_data_in_the_feeds(client, showcase):
    create_innovation(
        showcase,
        title="<script>alert(1)</script>",
        # Control characters XML cannot carry (PostgreSQL refuses NUL itself).
        summary="Ett\x01 \x0bkontrolltecken & <b>fet</b>",
        tags=["<img src=x onerror=alert(1)>"],
    )
    feed = read_json(client, json_url(showcase))
    assert feed["items"][0]["title"] == "<script>alert(1)</script>"
    raw = client.get(atom_url(showcase)).content.decode()
    assert "<script>" not in raw
    assert "<img" not in raw
    root = ElementTree.fromstring(raw)
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "<script>alert(1)</script>"
    assert "\x01" not in raw and "\x0b" not in raw
    assert entry.find(f"{ATOM}summary").text == "Ett kontrolltecken & <b>fet</b>"
    # Plain text: with type="html" a feed reader would render the <b> (and a <script>).
    assert entry.find(f"{ATOM}summary").get("type") == "text"


def test_the_api_shows_the_same_fields_as_the_feed(client, showcase):
    page = create_innovation(showcase, sdgs=[7], tags=["energi"])
    create_adoption(page, status=AdoptionStatus.CONFIRMED)
    detail = client.get(f"/api/v2/pages/{page.pk}/")
    assert detail.status_code == 200
    data = detail.json()
    item = read_json(client, json_url(showcase))["items"][0]
    assert data["summary"] == page.summary
    assert data["sluss"] == item["_sluss"]


def test_a_confidential_innovation_is_not_found_in_the_api(client, showcase):
    page = plant_live_confidential_innovation(showcase)
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def test_the_feeds_cost_the_same_for_10_and_200_innovations(
    client, showcase, django_assert_num_queries, no_search_indexing
):
    unit = OrganisationUnitFactory()
    for n in range(10):
        page = create_innovation(
            showcase,
            title=f"Innovation {n}",
            sdgs=[n % 17 + 1],
            tags=[f"t{n % 3}"],
            unit=unit,
            pilots=[{"title": "Test"}],
        )
        create_adoption(page, status=AdoptionStatus.CONFIRMED)
    client.get(json_url(showcase))
    with django_assert_num_queries(FEED_QUERIES):
        client.get(json_url(showcase))
    with django_assert_num_queries(FEED_QUERIES):
        client.get(atom_url(showcase))
    for n in range(10, 200):
        create_innovation(
            showcase,
            title=f"Innovation {n}",
            sdgs=[n % 17 + 1],
            tags=[f"t{n % 3}"],
            unit=unit,
            pilots=[{"title": "Test"}],
            revision=False,
        )
    with django_assert_num_queries(FEED_QUERIES):
        assert len(read_json(client, json_url(showcase))["items"]) == 200
    with django_assert_num_queries(FEED_QUERIES):
        client.get(atom_url(showcase))


# (And the benefits of every innovation in one query: 11.)
FEED_QUERIES = 11
