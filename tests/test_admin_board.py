"""The inbox as a board: a column per open stage, a card per idea the user may see, filtered
like the list, and a move from a card through the idea's own move form and back."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sluss_wagtail import process
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea
from tests.factories import IdeaFactory, create_reviewer

pytestmark = pytest.mark.django_db

BOARD_URL = inbox_path("board")
INDEX_URL = inbox_path()


def columns(response):
    return {
        column["stage"].key: [idea.reference for idea in column["ideas"]]
        for column in response.context["columns"]
    }


def test_a_column_per_open_stage_and_a_card_per_idea(client, coordinator_user, reviewed_units):
    received = IdeaFactory(unit=reviewed_units[0])
    screening = IdeaFactory(unit=reviewed_units[1])
    process.move_idea(screening, process.SCREENING, user=coordinator_user, public_note="Vi tittar.")
    closed = IdeaFactory()
    process.move_idea(closed, process.CLOSED, user=coordinator_user, public_note="Nej tack.")
    client.force_login(coordinator_user)
    response = client.get(BOARD_URL)
    assert response.status_code == 200
    assert list(columns(response)) == [stage.key for stage in process.STAGES if stage.is_open]
    assert columns(response)[process.RECEIVED] == [received.reference]
    assert columns(response)[process.SCREENING] == [screening.reference]
    html = response.content.decode()
    assert closed.reference not in html
    card = html[html.index(f'data-idea="{received.pk}"') :]
    card = card[: card.index("</li>\n")]
    for text in (received.reference, received.title, "Parkförvaltningen"):
        assert text in card


def test_the_board_is_filtered_and_scoped_like_the_list(client, coordinator_user, reviewed_units):
    park, school = reviewed_units
    ours = IdeaFactory(unit=park, title="Bänkar vid sjön")
    IdeaFactory(unit=school, title="Skolgårdens träd")
    IdeaFactory(unit=park, title="Något annat")
    client.force_login(create_reviewer(park, username="granskare_park"))
    response = client.get(BOARD_URL, {"q": "sjön"})
    assert columns(response)[process.RECEIVED] == [ours.reference]
    response = client.get(BOARD_URL)
    assert "Skolgårdens träd" not in response.content.decode()


def test_a_card_past_the_feedback_promise_is_marked(client, coordinator_user):
    late, fresh = IdeaFactory(), IdeaFactory()
    Idea.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=60))
    client.force_login(coordinator_user)
    response = client.get(BOARD_URL)
    cards = {idea.pk: idea for column in response.context["columns"] for idea in column["ideas"]}
    assert cards[late.pk].past_promise and not cards[fresh.pk].past_promise
    assert response.content.decode().count("sluss-admin-card__late") == 1


def test_a_full_column_links_to_the_list_filtered_to_its_stage(
    client, coordinator_user, monkeypatch
):
    from sluss_wagtail.admin.views import IdeaBoardView

    monkeypatch.setattr(IdeaBoardView, "cards_per_column", 2)
    for _n in range(3):
        IdeaFactory()
    client.force_login(coordinator_user)
    response = client.get(BOARD_URL, {"q": "a"})
    column = response.context["columns"][0]
    assert (len(column["ideas"]), column["count"], column["more"]) == (2, 3, 1)
    assert column["list_url"].startswith(INDEX_URL + "?")
    assert "stage__exact=received" in column["list_url"] and "q=a" in column["list_url"]


def test_a_card_moves_through_the_move_form_and_back_to_the_board(client, coordinator_user):
    idea = IdeaFactory()
    client.force_login(coordinator_user)
    html = client.get(BOARD_URL).content.decode()
    move_url = idea_admin_path(idea, "move")
    link = f"{move_url}?next={BOARD_URL.replace('/', '%2F')}"
    assert link in html
    form = client.get(move_url, {"next": BOARD_URL})
    assert f'name="next" value="{BOARD_URL}"' in form.content.decode()
    response = client.post(
        move_url,
        {"next": BOARD_URL, "move-to_stage": process.SCREENING, "move-public_note": "Tack!"},
    )
    assert response.status_code == 302 and response.url == BOARD_URL
    assert Idea.objects.get(pk=idea.pk).stage == process.SCREENING
    assert Idea.objects.get(pk=idea.pk).events.last().public_note == "Tack!"


@pytest.mark.parametrize("next_url", ["https://example.com/", "//example.com/", "/admin/pages/"])
def test_an_action_never_returns_elsewhere(client, coordinator_user, next_url):
    idea = IdeaFactory()
    client.force_login(coordinator_user)
    url = idea_admin_path(idea, "move")
    response = client.post(url, {"next": next_url, "move-to_stage": process.SCREENING})
    assert response.url == idea_admin_path(idea)


def test_a_column_shows_those_longest_in_the_stage_first(client, coordinator_user, monkeypatch):
    from sluss_wagtail.admin.views import IdeaBoardView

    monkeypatch.setattr(IdeaBoardView, "cards_per_column", 3)
    now = timezone.now()
    ideas = [IdeaFactory() for _n in range(5)]
    for days, idea in zip((3, 40, 1, 40, 7), ideas, strict=True):
        Idea.objects.filter(pk=idea.pk).update(stage_changed_at=now - timedelta(days=days))
    client.force_login(coordinator_user)
    # The list's order (?o=, here by the weighted total) is the list's: the board keeps its own.
    for query in ({}, {"o": "-9"}, {"o": "1"}):
        response = client.get(BOARD_URL, query)
        assert response.status_code == 200
        expected = [ideas[1].reference, ideas[3].reference, ideas[4].reference]
        assert columns(response)[process.RECEIVED] == expected
        column = response.context["columns"][0]
        assert [idea.days_in_stage for idea in column["ideas"]] == [40, 40, 7]
        assert (column["count"], column["more"]) == (5, 2)


def test_the_counts_come_from_the_cache_until_the_ideas_change(client, coordinator_user):
    """The counts per stage read every idea shown: cached (``caching.IDEAS``), and right
    at the next request after any change of an idea."""
    idea = IdeaFactory(title="Bänkar vid sjön")
    IdeaFactory(title="Skolgårdens träd")
    client.force_login(coordinator_user)

    def counts(query=None):
        response = client.get(BOARD_URL, query or {})
        return {column["stage"].key: column["count"] for column in response.context["columns"]}

    assert counts()[process.RECEIVED] == 2
    assert counts({"q": "sjön"})[process.RECEIVED] == 1
    process.move_idea(idea, process.SCREENING, user=coordinator_user)
    assert (counts()[process.RECEIVED], counts()[process.SCREENING]) == (1, 1)
    assert counts({"q": "sjön"})[process.RECEIVED] == 0
    IdeaFactory()
    assert counts()[process.RECEIVED] == 2


def test_a_column_the_counts_say_is_empty_is_not_read(client, coordinator_user):
    """A search that finds ideas in one stage reads that column only (the database walked a
    whole stage to fill an empty column), and an idea that comes into another stage is on
    its column at the next request: the counts are afresh after any change."""
    found = IdeaFactory(title="Bänkar vid sjön")
    IdeaFactory(title="Skolgårdens träd")
    client.force_login(coordinator_user)
    client.get(BOARD_URL, {"q": "sjön"})  # the counts into the cache
    card_reads = []

    def count_card_reads(execute, sql, params, many, context):
        if "stage_changed_at" in sql and "LIMIT" in sql:
            card_reads.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_card_reads):
        response = client.get(BOARD_URL, {"q": "sjön"})
    assert columns(response)[process.RECEIVED] == [found.reference]
    assert all(not cards for stage, cards in columns(response).items() if stage != "received")
    assert len(card_reads) == 1, card_reads
    moved = IdeaFactory(title="Fler bänkar vid sjön")
    process.move_idea(moved, process.SCREENING, user=coordinator_user)
    response = client.get(BOARD_URL, {"q": "sjön"})
    assert columns(response)[process.SCREENING] == [moved.reference]
    assert columns(response)[process.RECEIVED] == [found.reference]
