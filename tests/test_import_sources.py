"""Imported drafts belong to the feed they came from: matched by source and id together.

A second feed that copies the first one's ids (and its publisher's name, and its
feed_url) makes drafts of its own; it can never change the first feed's drafts.
"""

import json

import pytest

from sluss_wagtail import importing
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import create_showcase_index
from tests.test_import import FeedServer, a_feed, run, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def showcase(db):
    return create_showcase_index(title="Andra kommuners innovationer", slug="andra")


def latest(page):
    return InnovationPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def hostile_copy(**overrides):
    """Another feed with the same id, the same publisher and a claim to be the first."""
    feed = a_feed(title="Köp våra lås!", summary="Reklam.", **overrides)
    feed["feed_url"] = "https://www.alingsas.invalid/innovationer/feed/json/"
    return feed


def test_a_second_feed_with_the_same_ids_never_changes_the_first_ones_drafts(tmp_path, showcase):
    run(write(tmp_path, a_feed(), "alingsas.json"), showcase)
    [first] = InnovationPage.objects.child_of(showcase)
    revisions = first.revisions.count()

    output = run(write(tmp_path, hostile_copy(), "angripare.json"), showcase)

    assert "[1/1] skapat" in output or "[1/1] created" in output
    first = latest(first)
    assert (first.title, first.summary) == ("Digitala lås", "Hemtjänsten öppnar med telefonen.")
    assert first.revisions.count() == revisions
    other = InnovationPage.objects.child_of(showcase).exclude(pk=first.pk).get()
    assert other.title == "Köp våra lås!"
    assert other.source_id == first.source_id
    assert other.source_feed != first.source_feed


def test_the_same_source_still_updates_its_own_draft(tmp_path, showcase):
    source = write(tmp_path, a_feed(), "alingsas.json")
    run(source, showcase)
    run(write(tmp_path, hostile_copy(), "angripare.json"), showcase)
    run(write(tmp_path, a_feed(title="Digitala lås, version 2"), "alingsas.json"), showcase)
    titles = sorted(latest(page).title for page in InnovationPage.objects.child_of(showcase))
    assert titles == ["Digitala lås, version 2", "Köp våra lås!"]


def test_the_plan_of_a_second_feed_creates_and_never_updates(tmp_path, showcase):
    run(write(tmp_path, a_feed(), "alingsas.json"), showcase)
    path = write(tmp_path, hostile_copy(), "angripare.json")
    feed = importing.parse_feed(importing.read_source(path), source=path)
    assert [change.action for change in importing.plan_import(feed, showcase)] == [importing.CREATE]


def test_feeds_from_two_servers_are_two_sources(showcase, settings):
    settings.SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    first, second = FeedServer(), FeedServer()
    try:
        first.body = json.dumps(a_feed()).encode()
        second.body = json.dumps(hostile_copy()).encode()
        run(first.url, showcase)
        run(second.url, showcase)
        # The same server with other filters in the query is the same source.
        first.body = json.dumps(a_feed(title="Digitala lås, version 2")).encode()
        run(first.url + "?tag=trygghet", showcase)
    finally:
        first.close()
        second.close()
    titles = sorted(latest(page).title for page in InnovationPage.objects.child_of(showcase))
    assert titles == ["Digitala lås, version 2", "Köp våra lås!"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://www.alingsas.invalid/feed/json/", "https://www.alingsas.invalid/feed/json/"),
        (
            "HTTPS://WWW.Alingsas.Invalid./feed/json/?tag=x#y",
            "https://www.alingsas.invalid/feed/json/",
        ),
        ("https://www.alingsas.invalid:443/feed/json/", "https://www.alingsas.invalid/feed/json/"),
        ("http://www.alingsas.invalid:8080", "http://www.alingsas.invalid:8080/"),
        ("https://user:secret@www.alingsas.invalid/f", "https://www.alingsas.invalid/f"),
        ("http://[2001:db8::1]:8000/f", "http://[2001:db8::1]:8000/f"),
        ("", ""),
    ],
)
def test_the_source_of_a_feed(source, expected):
    assert importing.feed_source(source) == expected


def test_the_source_of_a_file_is_its_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert importing.feed_source("feed.json") == f"file://{tmp_path / 'feed.json'}"
