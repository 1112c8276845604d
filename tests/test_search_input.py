"""Search never answers 500, whatever is typed: the showcase, its feeds, the API and the
example site's search; the example site's search lists only what the public may see.

The text reaches the backend through ``sluss_wagtail.searching.read_query``: words only,
so nothing here depends on the backend (SQLite's FTS5 failed on a lone quote and on
NUL, every backend on a lone surrogate, the API on an unknown ``search_operator``).
"""

from urllib.parse import quote

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import (
    create_innovation,
    create_showcase_index,
    plant_live_confidential_innovation,
)

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '"oavslutat citat',
    "'",
    "lås AND",
    "OR",
    "NOT lås",
    "lås OR hemtjänst NOT nycklar",
    "-lås",
    "lås*",
    "*",
    "title:lås",
    ":",
    "(lås",
    "NEAR(lås hemtjänst)",
    "{}[]^~\\",
    '"lås" -nyckel* title:hem',
    "lås\x00hemtjänst",
    "\x00",
    "lås\ud800",
    "\udfff",
    "%",
    "_",
    "x" * 10_000,
    "lås " * 2_500,
]


def encoded(value):
    return quote(value, errors="surrogatepass")


def url_with(url, name, value):
    # A lone surrogate goes out as the bytes a broken client would send.
    return f"{url}?{name}={encoded(value)}"


@pytest.fixture
def showcase(db):
    showcase = create_showcase_index()
    create_innovation(showcase, title="Digitala lås i hemtjänsten")
    return showcase


def search_urls(showcase, value):
    feed = showcase.url + showcase.reverse_subpage("json_feed")
    atom = showcase.url + showcase.reverse_subpage("atom_feed")
    return [
        url_with(showcase.url, "q", value),
        url_with(feed, "q", value),
        url_with(atom, "q", value),
        url_with("/api/v2/pages/", "search", value),
        url_with("/api/v2/pages/", "search", value) + "&type=sluss_wagtail_pages.InnovationPage",
        url_with("/api/v2/pages/", "search", "lås") + "&search_operator=" + encoded(value[:50]),
        url_with("/search/", "query", value),
        url_with("/search/", "query", value) + "&page=" + encoded(value[:50]),
    ]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda value: repr(value[:20]))
def test_hostile_search_input_gets_an_answer_never_a_server_error(client, showcase, value):
    for url in search_urls(showcase, value):
        response = client.get(url)
        assert response.status_code in (200, 400), url
        if response.status_code == 400:
            assert response.json()["message"], url


def test_a_search_too_long_finds_nothing_and_says_why(client, showcase):
    from sluss_wagtail.searching import read_query

    long = "lås " * 100
    message = str(read_query(long).error)
    assert message
    html = client.get(url_with(showcase.url, "q", long)).content.decode()
    assert message in html and "Digitala lås" not in html
    assert 'aria-describedby="sluss-filter-q-error"' in html
    html = client.get(url_with("/search/", "query", long)).content.decode()
    assert message in html and "Digitala lås" not in html
    api = client.get(url_with("/api/v2/pages/", "search", long))
    assert api.status_code == 400 and api.json()["message"] == message
    feed = client.get(url_with(showcase.url + "feed/json/", "q", long)).json()
    assert feed["items"] == []


def test_operators_and_quotes_are_searched_as_words(client, showcase):
    for value in ('"digitala lås"', "digitala AND lås*", "lås:hemtjänsten", "-hemtjänsten"):
        html = client.get(url_with(showcase.url, "q", value)).content.decode()
        assert "Digitala lås i hemtjänsten" in html, value
        html = client.get(url_with("/search/", "query", value)).content.decode()
        assert "Digitala lås i hemtjänsten" in html, value
        items = client.get(url_with("/api/v2/pages/", "search", value)).json()["items"]
        assert [item["title"] for item in items] == ["Digitala lås i hemtjänsten"], value


def test_nothing_searchable_finds_nothing(client, showcase):
    from sluss_wagtail.searching import read_query

    html = client.get(url_with(showcase.url, "q", '"*"')).content.decode()
    assert "Digitala lås" not in html
    assert str(read_query('"*"').error) in html
    assert client.get(url_with("/api/v2/pages/", "search", '"*"')).json()["items"] == []


def test_an_unknown_search_operator_is_a_clear_400(client, showcase):
    response = client.get("/api/v2/pages/?search=lås&search_operator=xor")
    assert response.status_code == 400
    assert "search_operator" in response.json()["message"]


def test_the_words_are_kept_whatever_the_script():
    from sluss_wagtail.searching import MAX_QUERY_LENGTH, read_query

    assert read_query("Äldreboende i Göteborg").text == "Äldreboende i Göteborg"
    assert read_query("лёд ÅÄÖ 2026").text == "лёд ÅÄÖ 2026"
    assert read_query("a\ud800b\x00c").text == "ab c"
    assert read_query("x" * MAX_QUERY_LENGTH).text == "x" * MAX_QUERY_LENGTH
    assert read_query("x" * (MAX_QUERY_LENGTH + 1)).too_long
    assert not read_query("   ").asked and not read_query("   ").error


def test_the_sites_search_lists_no_restricted_page_and_no_confidential_innovation(client, showcase):
    from sluss_wagtail.pages.models import ShowcaseIndexPage

    private_showcase = ShowcaseIndexPage.objects.get(pk=showcase.pk).get_parent()
    restricted = create_showcase_index(
        private_showcase, title="Internt skyltfönster", slug="internt"
    )
    create_innovation(restricted, title="Digitala lås för personalen", slug="personal")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    passworded = create_innovation(showcase, title="Digitala lås med lösenord", slug="losen")
    PageViewRestriction.objects.create(page=passworded, restriction_type=PageViewRestriction.LOGIN)
    plant_live_confidential_innovation(showcase, title="Digitala lås i skyddat boende")

    html = client.get("/search/?query=digitala+lås").content.decode()
    assert "Digitala lås i hemtjänsten" in html
    for hidden in ("för personalen", "med lösenord", "i skyddat boende"):
        assert hidden not in html
    items = client.get("/api/v2/pages/?search=digitala+lås").json()["items"]
    assert [item["title"] for item in items] == ["Digitala lås i hemtjänsten"]


def test_what_the_database_backend_found_is_a_subquery_other_backends_a_list(showcase):
    """``found_pks``: Wagtail's database backend gives a queryset (one subquery of the
    showcase's count and page, never every match read into Python); a backend that
    answers with documents (Elasticsearch) gives the keys of what it found."""
    from django.db.models import QuerySet

    from sluss_wagtail.pages.models import InnovationPage
    from sluss_wagtail.searching import found_pks

    create_innovation(showcase, title="Cyklar vid skolan", slug="cyklar")
    found = found_pks(InnovationPage.objects.live().search("lås", order_by_relevance=False))
    assert isinstance(found, QuerySet)
    titles = InnovationPage.objects.filter(pk__in=found).values_list("title", flat=True)
    assert list(titles) == ["Digitala lås i hemtjänsten"]

    class Document:
        def __init__(self, pk):
            self.pk = pk

    assert found_pks([Document(3), Document(5)]) == [3, 5]
