import re

import pytest
from django.utils import translation

from tests.factories import create_submission_page


@pytest.fixture
def submission_page(db):
    return create_submission_page()


@pytest.fixture(autouse=True)
def _swedish_by_default():
    """Each test starts in the site's default language, as a request would."""
    with translation.override("sv"):
        yield


def form_token(html):
    """The spam token of the form in a rendered page."""
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def valid_idea_data(**overrides):
    data = {
        "title": "Bänkar vid sjön",
        "description": "Ställ bänkar längs promenadstråket runt sjön.",
        "need": "Äldre orkar inte gå hela varvet utan att vila.",
        "beneficiaries": "Äldre och småbarnsföräldrar",
        "submitter_kind": "resident",
        "organisation": "",
        "name": "Karin Lund",
        "email": "karin@exempelby.invalid",
        "phone": "0302-52 10 00",
        "publish_idea": "yes",
        "publish_name": "no",
    }
    data.update(overrides)
    return data


@pytest.fixture
def post_idea(client, submission_page):
    """Open the form like a browser, then send it: ``post_idea(**field_overrides)``."""

    def post(page=None, follow=False, **overrides):
        page = page or submission_page
        response = client.get(page.url)
        data = valid_idea_data(form_token=form_token(response.content.decode()), **overrides)
        return client.post(page.url, data, follow=follow)

    return post


@pytest.fixture
def no_search_indexing(settings):
    """Save pages without updating the search index.

    For tests that build hundreds of pages to count queries: Wagtail's PostgreSQL
    search backend recomputes title norms on every insert, which makes such set-ups
    take minutes without changing what the test measures.
    """
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
