"""The similar-idea hint on the idea form (with and without a script) and "possibly the
same as" on an idea's admin page."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sluss_wagtail import actions, similar
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import Idea
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    IdeaFactory,
    approve_for_portfolio,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_innovation,
    create_portfolio,
    create_public_idea,
    create_reviewed_unit,
    create_reviewer,
    create_showcase_index,
    grant,
)
from tests.plans import plan_of
from tests.xss_vectors import XSS_VECTORS, assert_no_live_vector, assert_shown_as_text

pytestmark = pytest.mark.django_db

HINT_URL = reverse("sluss_wagtail:similar_ideas")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def public_bench():
    create_portfolio()
    idea = IdeaFactory(title="Fler parkbänkar vid sjön")
    approve_for_portfolio(idea)
    return idea


def test_the_endpoint_finds_a_public_idea_with_its_stage_and_page(client, public_bench):
    IdeaFactory(title="Parkbänkar hemlig variant")  # not approved: never shown
    response = client.post(HINT_URL, {"title": "parkbänkar", "description": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fler parkbänkar vid sjön" in html
    assert "hemlig" not in html
    assert f"idea/{public_bench.pk}/" in html
    assert response["Cache-Control"] == "no-store"


def test_the_endpoint_never_reveals_a_withheld_idea(client, public_bench):
    coordinator = grant(create_coordinator(), "sluss_wagtail.view_confidential_idea")
    actions.set_confidential(public_bench, True, user=coordinator)
    html = client.post(HINT_URL, {"title": "Fler parkbänkar vid sjön"}).content.decode()
    assert "parkbänkar" not in html


def test_open_challenges_and_innovations_are_hinted(client):
    now = timezone.now()
    index = create_challenge_index()
    create_challenge(
        index,
        title="Tryggare cykelvägar",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    create_challenge(
        index,
        title="Cykelvägar förr",
        slug="forr",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=1),
    )
    create_innovation(create_showcase_index(), title="Cykelvägar med ljus")
    html = client.post(HINT_URL, {"title": "cykelvägar"}).content.decode()
    assert "Tryggare cykelvägar" in html and "Cykelvägar med ljus" in html
    assert "förr" not in html  # a closed challenge is not hinted


def test_at_most_five(client):
    create_portfolio()
    for n in range(8):
        approve_for_portfolio(IdeaFactory(title=f"Solpaneler på taket {n}"))
    found = similar.similar_public("solpaneler", "")
    assert len(found) == 5


def test_the_endpoint_only_answers_posts(client):
    assert client.get(HINT_URL).status_code == 405


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_hostile_titles_are_shown_as_text(client, vector):
    create_portfolio()
    idea = IdeaFactory(title=f"Parkbänkar {vector}")
    approve_for_portfolio(idea)
    html = client.post(HINT_URL, {"title": f"parkbänkar {vector}"}).content.decode()
    assert_no_live_vector(html)
    if "Parkbänkar" in html:
        assert_shown_as_text(html, f"Parkbänkar {vector}")


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(max_size=300), description=st.text(max_size=300))
def test_any_input_gets_an_answer_never_an_error(client, title, description):
    caches["default"].clear()
    response = client.post(HINT_URL, {"title": title, "description": description})
    assert response.status_code == 200
    assert_no_live_vector(response.content.decode())


def test_the_endpoint_is_rate_limited(client, settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"similar": (3, 600)}
    for _ in range(3):
        assert client.post(HINT_URL, {"title": "bänkar"}).status_code == 200
    response = client.post(HINT_URL, {"title": "bänkar"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# Without a script: the form's button ------------------------------------------------------


def test_the_form_has_the_button_and_the_script_hook(client, submission_page):
    html = client.get(submission_page.url).content.decode()
    assert 'name="sluss_similar"' in html
    assert f'data-sluss-similar="{HINT_URL}"' in html


def test_without_a_script_the_button_shows_the_hint_and_keeps_what_was_typed(
    client, submission_page, public_bench
):
    html = client.get(submission_page.url).content.decode()
    token = form_token(html)
    data = valid_idea_data(
        form_token=token, title="Parkbänkar överallt", description="Min egen text om bänkar."
    )
    response = client.post(submission_page.url, {**data, "sluss_similar": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fler parkbänkar vid sjön" in html
    assert 'value="Parkbänkar överallt"' in html
    assert "Min egen text om bänkar." in html
    assert 'value="karin@exempelby.invalid"' in html
    assert form_token(html) == token  # the same opened form
    assert not Idea.objects.filter(title="Parkbänkar överallt").exists()
    # Sending anyway is always possible.
    sent = client.post(submission_page.url, data)
    assert sent.status_code == 302
    assert Idea.objects.filter(title="Parkbänkar överallt").exists()


def test_without_a_script_nothing_found_says_so(client, submission_page):
    token = form_token(client.get(submission_page.url).content.decode())
    data = valid_idea_data(form_token=token, title="Zyxwvut qwerty")
    html = client.post(submission_page.url, {**data, "sluss_similar": "1"}).content.decode()
    assert "sluss-similar__none" in html


@pytest.mark.parametrize("vector", XSS_VECTORS[:12])
def test_without_a_script_hostile_input_is_text(client, submission_page, vector):
    token = form_token(client.get(submission_page.url).content.decode())
    data = valid_idea_data(form_token=token, title=vector, description=vector, name=vector)
    response = client.post(submission_page.url, {**data, "sluss_similar": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_live_vector(html)


def test_without_a_script_the_button_counts_against_the_hints_limit_not_the_forms(
    client, submission_page, settings
):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"similar": (2, 600), "idea": (1, 600)}
    token = form_token(client.get(submission_page.url).content.decode())
    data = valid_idea_data(form_token=token)
    for _ in range(2):
        assert client.post(submission_page.url, {**data, "sluss_similar": "1"}).status_code == 200
    assert client.post(submission_page.url, {**data, "sluss_similar": "1"}).status_code == 429
    assert client.post(submission_page.url, data).status_code == 302


# "Possibly the same as" in the admin -------------------------------------------------------


def test_possibly_the_same_lists_similar_ideas_with_the_duplicate_action(client):
    coordinator = create_coordinator()
    idea = IdeaFactory(title="Gatubelysning på Storgatan")
    other = IdeaFactory(title="Trasig gatubelysning")
    IdeaFactory(title="Något helt annat")
    client.force_login(coordinator)
    html = client.get(idea_admin_path(idea)).content.decode()
    assert other.reference in html and "Trasig gatubelysning" in html
    assert "Något helt annat" not in html
    duplicate = idea_admin_path(idea, "mark_duplicate")
    assert f"{duplicate}?reference={other.reference}" in html
    form = client.get(
        idea_admin_path(idea, "mark_duplicate") + f"?reference={other.reference}"
    ).content.decode()
    assert f'value="{other.reference}"' in form


def test_possibly_the_same_respects_confidentiality_and_units():
    coordinator = create_coordinator()
    idea = IdeaFactory(title="Gatubelysning på Storgatan")
    secret = IdeaFactory(title="Gatubelysning hemlig")
    secret.confidential = True
    secret.save()
    assert secret not in similar.possibly_the_same(idea, coordinator)
    sees_all = grant(create_coordinator(username="k2"), "sluss_wagtail.view_confidential_idea")
    assert secret in similar.possibly_the_same(idea, sees_all)
    unit = create_reviewed_unit("Gatuenheten")
    reviewer = create_reviewer(unit)
    mine = IdeaFactory(title="Gatubelysning i parken", unit=unit)
    found = similar.possibly_the_same(idea, reviewer)
    assert found == [mine]


# PostgreSQL: the trigram index finds the candidates ----------------------------------------


@pytest.fixture
def trigram_backend():
    """``similar``'s per-process answer to "how are texts compared", asked afresh."""
    if connection.vendor != "postgresql" or not similar.uses_trigrams(Idea):
        pytest.skip("needs PostgreSQL with pg_trgm (DATABASE_URL)")
    similar._BACKENDS.clear()
    yield
    similar._BACKENDS.clear()


@pytest.mark.postgres
def test_the_sites_connections_let_the_index_find_what_possibly_is_the_same(trigram_backend):
    # The example site's (and so the tests') connections set pg_trgm's threshold.
    assert similar.uses_trigram_index(Idea)


@pytest.mark.postgres
def test_possibly_the_same_finds_the_same_ideas_through_the_index_as_without(trigram_backend):
    coordinator = create_coordinator()
    idea = IdeaFactory(title="Gatubelysning på Storgatan")
    titles = [
        "Trasig gatubelysning",
        "Gatubelysningen släckt",
        "Storgatans träd",
        "Belysning vid gatan",
        "Gatubelsyning i parken",  # a typo: trigrams find it, whole words would not
        "Något helt annat",
        "Cykelställ vid stationen",
    ]
    for title in titles:
        IdeaFactory(title=title)
    alias = connection.alias
    similar._BACKENDS[alias] = similar.TRIGRAMS
    compared_with_all = similar.possibly_the_same(idea, coordinator)
    similar._BACKENDS[alias] = similar.INDEXED_TRIGRAMS
    with CaptureQueriesContext(connection) as queries:
        through_the_index = similar.possibly_the_same(idea, coordinator)
    # The same ideas, the most similar first; among equally similar ones the index's
    # order stands (``similar.rank``, nearest_first_by_index).
    assert [other.similarity for other in through_the_index] == sorted(
        (other.similarity for other in through_the_index), reverse=True
    )
    assert sorted(through_the_index, key=lambda other: (-other.similarity, -other.pk)) == (
        compared_with_all
    )
    assert "Gatubelsyning i parken" in {other.title for other in through_the_index}
    assert "Något helt annat" not in {other.title for other in through_the_index}
    ranked = [
        query["sql"] for query in queries.captured_queries if "WORD_SIMILARITY" in query["sql"]
    ]
    assert len(ranked) == 1 and "%>" in ranked[0]
    # The operator is what the trigram index serves.
    plan = plan_of("SELECT id FROM sluss_wagtail_idea WHERE title %%> %s", ["gatubelysning"])
    assert "sluss_idea_title_trgm" in plan, plan
    # And "possibly the same as" reads its five nearest first out of the GiST index
    # (migration 0008): no sort of every similar idea.
    plan = plan_of(ranked[0], sorts=False)
    assert "sluss_idea_title_trgm_gist" in plan and "Order By" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.postgres
def test_without_the_setting_every_idea_is_compared_and_nothing_else_changes(trigram_backend):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.6")  # the default
    assert not similar.uses_trigram_index(Idea)
    assert similar.uses_trigrams(Idea)
    coordinator = create_coordinator()
    idea = IdeaFactory(title="Gatubelysning på Storgatan")
    other = IdeaFactory(title="Trasig gatubelysning")
    assert similar.possibly_the_same(idea, coordinator) == [other]


@pytest.mark.postgres
def test_the_hint_finds_the_same_public_ideas_through_the_index_as_without(trigram_backend):
    create_portfolio()
    titles = [
        "Fler parkbänkar vid sjön",
        "Parkbänkar i skuggan",
        "Bänkar i parken",
        "Parkbänk vid lekplatsen",
        "Parkbänkarna är trasiga",
        "Parkbänkar vid kyrkan",
        "Cykelställ vid stationen",
    ]
    for title in titles:
        create_public_idea(title=title)
    # Shown by a public title: found by it, never by the giver's own (not public) title.
    renamed = create_public_idea(title="Sophämtning i centrum")
    approve_for_portfolio(renamed, public_title="Parkbänkar längs ån")
    hidden = create_public_idea(title="Parkbänkar framför mitt hus på Ågatan 3")
    approve_for_portfolio(hidden, public_title="Sittplatser i stan")
    IdeaFactory(title="Parkbänkar överallt")  # not public
    create_innovation(create_showcase_index(), title="Cykelpumpar vid stationen")
    alias = connection.alias

    def hint():
        return [
            (item["title"], item["similarity"])
            for item in similar.similar_public("parkbänkar")
            if item["kind"] == similar.IDEA
        ]

    similar._BACKENDS[alias] = similar.TRIGRAMS
    compared_with_all = hint()
    similar._BACKENDS[alias] = similar.INDEXED_TRIGRAMS
    with CaptureQueriesContext(connection) as queries:
        through_the_index = hint()
    assert len(through_the_index) == similar.LIMIT
    assert [score for _, score in through_the_index] == sorted(
        (score for _, score in through_the_index), reverse=True
    )
    assert sorted(score for _, score in through_the_index) == sorted(
        score for _, score in compared_with_all
    )
    found = {title for title, _ in through_the_index}
    assert "Parkbänkar längs ån" in found
    assert not found & {"Sittplatser i stan", "Parkbänkar överallt", "Cykelställ vid stationen"}
    ranked = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('(SELECT "sluss_wagtail_idea"')
    ]
    assert len(ranked) == 1 and "UNION" in ranked[0] and "%>" in ranked[0], ranked
    # The ideas shown by their giver's title come nearest first out of the GiST index.
    plan = plan_of(ranked[0], sorts=False)
    assert "sluss_idea_title_trgm_gist" in plan, plan
    # The innovations (and the open challenges) through the pages' titles' index
    # (migration 0009), not a comparison of every page's title.
    innovations = [
        query["sql"]
        for query in queries.captured_queries
        if "%>" in query["sql"] and "sluss_wagtail_pages_innovationpage" in query["sql"]
    ]
    assert len(innovations) == 1, innovations
    # So few pages: told to prefer an index to a scan, the planner could still walk the
    # primary key; without plain index scans, only the trigram index finds titles.
    plan = plan_of(innovations[0], plain_index_scans=False)
    assert "sluss_page_title_trgm_gist" in plan, plan
