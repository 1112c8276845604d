"""The similar-idea hint on SQLite: the ideas' full-text index (FTS5, migration 0004).

Prefixes and Swedish letters as documented (``Bänk`` finds ``bänkar``, ``sjo`` is not
``sjö``), nothing that is not public even when it matches best, hostile input never an
error, the triggers keep the index in step, and the migration runs both ways.
"""

import importlib

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from sluss_wagtail import actions, fts_index, privacy, signal_handlers, similar
from sluss_wagtail.models import Idea
from tests.factories import (
    IdeaFactory,
    approve_for_portfolio,
    create_coordinator,
    create_portfolio,
    create_public_idea,
    grant,
)
from tests.xss_vectors import XSS_VECTORS, assert_no_live_vector

HINT_URL = reverse("sluss_wagtail:similar_ideas")
MIGRATION = "0004_fts_similar_ideas"
BEFORE = "0003_assessment_coach_dialogue_benefits_following_portfolio"
migration = importlib.import_module(f"sluss_wagtail.migrations.{MIGRATION}")

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the full-text index is SQLite's (FTS5)"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["default"].clear()
    yield
    caches["default"].clear()


def indexed(query):
    """The rowids the index itself finds for the FTS5 ``query``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {similar.FTS_TABLE} WHERE {similar.FTS_TABLE} MATCH %s", [query]
        )
        return {row[0] for row in cursor.fetchall()}


def hinted(title, description=""):
    return [item["title"] for item in similar.similar_public(title, description)]


def test_fts_query_quotes_every_word():
    assert similar.fts_query(["bänk"]) == '"bänk"*'
    assert similar.fts_query(['a"b', "near("]) == '"a""b"* OR "near("*'
    assert similar.fts_query(["x\x00y"]) == '"xy"*'
    assert similar.fts_query(["---", "***"]) == ""  # nothing to search for


@sqlite_only
@pytest.mark.django_db
def test_the_migrated_database_has_the_index_and_its_triggers():
    similar._BACKENDS.clear()
    assert similar.uses_fts(Idea)
    assert not similar.uses_trigrams(Idea)


@sqlite_only
@pytest.mark.django_db
def test_a_prefix_finds_longer_words_whatever_the_case():
    create_portfolio()
    create_public_idea(title="Fler BÄNKAR vid sjön")
    assert hinted("Bänk") == ["Fler BÄNKAR vid sjön"]
    assert hinted("bänkarna") == []  # longer than the word: no match
    assert hinted("parkbänk") == []  # a prefix, not any part of a word


@sqlite_only
@pytest.mark.django_db
def test_swedish_letters_are_letters_of_their_own():
    create_portfolio()
    create_public_idea(title="Bryggan vid sjön")
    create_public_idea(title="Sjoboden i hamnen")
    create_public_idea(title="Fåren på ängen")
    assert hinted("sjön") == ["Bryggan vid sjön"]
    assert hinted("sjonen sjob") == ["Sjoboden i hamnen"]
    assert hinted("faren") == []  # "får" is not "far"
    assert hinted("fåren") == ["Fåren på ängen"]


@sqlite_only
@pytest.mark.django_db
def test_the_text_is_searched_and_the_best_comes_first():
    create_portfolio()
    create_public_idea(title="Vila längs stråket", description="Bänkar, bänkar och bänkar.")
    create_public_idea(title="Bänkar vid biblioteket", description="Bänkar vid entrén.")
    create_public_idea(title="Något annat", description="Inget om det.")
    found = hinted("bänkar")
    assert set(found) == {"Vila längs stråket", "Bänkar vid biblioteket"}


@sqlite_only
@pytest.mark.django_db
def test_nothing_withheld_is_ever_hinted_even_when_it_matches_best(client):
    create_portfolio()
    coordinator = grant(create_coordinator(), "sluss_wagtail.view_confidential_idea")
    shown = create_public_idea(title="Solceller på skolan")
    best = "Solceller solceller solceller"
    unapproved = IdeaFactory(title=best, publish_idea=True)
    no_consent = IdeaFactory(title=best + " utan samtycke")
    confidential = create_public_idea(title=best + " hemlig")
    actions.set_confidential(confidential, True, user=coordinator)
    withdrawn = create_public_idea(title=best + " återtagen")
    privacy.withdraw(withdrawn)
    erased = create_public_idea(title=best + " raderad")
    privacy.erase_ideas([erased.pk], user=None, reason="Test")
    # The index itself finds them all: only the public queryset keeps them out.
    assert {unapproved.pk, no_consent.pk, confidential.pk, withdrawn.pk} <= indexed('"solceller"*')
    for ask in ("solceller", best, best + " hemlig återtagen samtycke"):
        assert hinted(ask) == [shown.portfolio_entry.shown_title]
        caches["default"].clear()
        response = client.post(HINT_URL, {"title": ask, "description": ""})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Solceller på skolan" in html
        assert "hemlig" not in html and "återtagen" not in html and best not in html


@sqlite_only
@pytest.mark.django_db
def test_the_givers_own_title_is_not_searched_when_a_public_title_replaces_it():
    create_portfolio()
    idea = IdeaFactory(
        title="Karlssons gatubelysning", description="Mörkt på kvällarna.", publish_idea=True
    )
    approve_for_portfolio(idea, public_title="Ljusare gångväg")
    assert hinted("Karlssons") == []
    assert hinted("mörkt kvällarna") == ["Ljusare gångväg"]
    assert hinted("gångväg") == []  # the public title is not in the index: the text is


HOSTILE = [
    '"',
    '""""',
    "*",
    "bänk*",
    "NEAR(bänk bänkar)",
    "bänkar OR sjön",
    "bänkar AND NOT sjön",
    "-bänkar",
    "^bänkar",
    "title:bänkar",
    "{title description}: bänkar",
    "bänkar\x00sjön",
    "\x00\x00\x00",
    "(((((",
    "'; DROP TABLE sluss_wagtail_idea; --",
    "bänkar " * 2_000,
    "å" * 10_000,
]


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE + XSS_VECTORS)
def test_hostile_input_never_errors(client, hostile):
    create_portfolio()
    create_public_idea(title="Fler bänkar vid sjön")
    for data in ({"title": hostile}, {"title": "bänkar", "description": hostile}):
        caches["default"].clear()
        response = client.post(HINT_URL, data)
        assert response.status_code == 200
        assert_no_live_vector(response.content.decode())
    assert Idea.objects.filter(title="Fler bänkar vid sjön").exists()


@sqlite_only
@pytest.mark.django_db
def test_the_triggers_follow_a_correction_and_a_deletion():
    create_portfolio()
    coordinator = create_coordinator()
    idea = create_public_idea(title="Cykelställ vid stationen", description="Fler ställ.")
    assert indexed('"cykelställ"*') == {idea.pk}
    actions.correct_idea(idea, user=coordinator, title="Cykelparkering vid stationen")
    assert indexed('"cykelställ"*') == set()
    assert indexed('"cykelparkering"*') == {idea.pk}
    assert hinted("cykelparkering") == ["Cykelparkering vid stationen"]
    assert hinted("cykelställ") == []
    Idea.objects.filter(pk=idea.pk).update(description="Nu om tak.")
    assert indexed('"ställ"*') == set() and indexed('"tak"*') == {idea.pk}
    assert_index_in_step()
    idea.delete()
    assert indexed('"cykelparkering"*') == set()
    assert_index_in_step()


@sqlite_only
@pytest.mark.django_db
def test_after_an_erasure_the_index_agrees_with_the_ideas():
    create_portfolio()
    idea = create_public_idea(title="Karins hundrastgård", description="Vid Ekvägen 4.")
    assert hinted("hundrastgård") == ["Karins hundrastgård"]
    privacy.erase_ideas([idea.pk], user=None, reason="Test")
    assert hinted("hundrastgård") == []
    assert_index_in_step()
    idea.delete()
    assert indexed('"hundrastgård"*') == set()
    assert_index_in_step()


def assert_index_in_step():
    """FTS5's own check that the index holds exactly the words of the ideas' rows."""
    table = similar.FTS_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_runs_backwards_and_forwards(monkeypatch):
    # Transactional (SQLite's schema editor refuses to work inside the test's transaction),
    # so it asks for nothing a flush before it may have taken: no site, no page.
    IdeaFactory(title="Grönare skolgårdar")
    # Before the FTS migration the statistics' counts (a later migration) have no table
    # either: the idea made meanwhile is not counted.
    from sluss_wagtail import stats

    for name in ("idea_saved", "event_changed", "retally"):
        monkeypatch.setattr(stats, name, lambda *args, **kwargs: None)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("sluss_wagtail", BEFORE)])
        with connection.cursor() as cursor:
            names = {
                row[0]
                for row in cursor.execute(
                    "SELECT name FROM sqlite_master WHERE name LIKE 'sluss_wagtail_idea_fts%'"
                ).fetchall()
            }
        assert names == set()
        similar._BACKENDS.clear()
        assert not similar.uses_fts(Idea)  # words are counted meanwhile
        IdeaFactory(title="Skolgårdar med träd")  # made while there was no index
    finally:
        # Forwards to the app's latest migration, not only to the FTS one: the tests after
        # this one (on this xdist worker) need the tables of every later migration too.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("sluss_wagtail"))
        similar._BACKENDS.clear()
    assert similar.uses_fts(Idea)
    # Rebuilt from the rows already there.
    assert indexed('"skolgårdar"*') == set(
        Idea.objects.filter(title__icontains="skolgårdar").values_list("pk", flat=True)
    )
    assert len(indexed('"skolgårdar"*')) == 2


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the other databases")
@pytest.mark.django_db
def test_elsewhere_the_migration_does_nothing():
    assert not similar.uses_fts(Idea)
    with connection.cursor() as cursor:
        assert similar.FTS_TABLE not in connection.introspection.table_names(cursor)


@sqlite_only
@pytest.mark.django_db
def test_triggers_lost_with_a_remade_table_are_put_back_after_migrate():
    create_portfolio()
    idea = create_public_idea(title="Lekplats i parken")
    with connection.cursor() as cursor:
        # What Django's remake of sluss_wagtail_idea on SQLite does to the triggers.
        cursor.execute(f"DROP TRIGGER {similar.FTS_TABLE}_update")
    similar._BACKENDS.clear()
    assert not similar.uses_fts(Idea)  # words counted rather than an index out of step
    Idea.objects.filter(pk=idea.pk).update(title="Utegym i parken")
    assert hinted("utegym") == ["Utegym i parken"]
    signal_handlers.on_post_migrate(sender=None, using=connection.alias)
    assert similar.uses_fts(Idea)
    assert indexed('"utegym"*') == {idea.pk} and indexed('"lekplats"*') == set()
    assert_index_in_step()
    assert fts_index.repair(connection) is False  # nothing more to do


def test_the_migration_is_sqlite_only_and_reversible():
    operation = migration.Migration.operations[0]
    assert operation.reversible
    assert migration.Migration.dependencies == [("sluss_wagtail", BEFORE)]


@sqlite_only
@pytest.mark.django_db
def test_a_decomposed_letter_finds_the_composed_one():
    create_portfolio()
    create_public_idea(title="Fler bänkar vid sjön")
    assert hinted("ba\u0308nkar") == ["Fler bänkar vid sjön"]
