"""What is counted over the ideas is cached, and never read stale (``caching.IDEAS``).

The statistics (``stats.compute``, ``stats.headline``) and the inbox's counts stay in
the cache until an idea, an event, a pilot, an adoption, a tag, a goal, a unit, a
challenge's title, the feedback promise or a reviewer group changes. Each test
counts once (filling the cache), makes one such change and asks again.
"""

from datetime import date

import pytest
from django.core.checks import run_checks
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from sluss_wagtail import actions, process, stats
from sluss_wagtail.caching import IDEAS
from sluss_wagtail.links import inbox_path
from sluss_wagtail.models import Adoption, Pilot, SlussSettings
from sluss_wagtail.models.adoptions import AdoptionStatus
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_adoption,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_innovation,
    create_reviewed_unit,
    create_reviewer,
    create_showcase_index,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["shared cache", "process-local cache"])
def _cache_kind(request):
    """Each test with a shared cache and with a process-local one (the generations then
    in the database; tests/test_caches_across_processes.py)."""
    if request.param == "process-local cache":
        request.getfixturevalue("process_local_cache")


ALL_TIME = (date(2000, 1, 1), None)


def figures():
    return stats.compute(*ALL_TIME)


@pytest.fixture
def idea():
    stats.feedback_promise_days()  # the site's settings exist, as on any day but the first
    return IdeaFactory(unit=OrganisationUnitFactory(name="Norr"))


def test_the_figures_come_from_the_cache_until_the_ideas_change(idea, django_assert_num_queries):
    first = figures()
    stats.headline()
    with django_assert_num_queries(0):
        assert figures() == first
        assert stats.headline().received == 1
    IdeaFactory()
    # Four (the counts, the recent ideas without feedback, the units' names, the
    # adoptions), whatever the cache. With a process-local cache
    # (these tests' LocMemCache) the generations are this transaction's own: the ideas'
    # was renewed by the new idea, the settings' when the default sluice was made (the
    # fixture's first idea), so neither is read from the database
    # (test_caches_across_processes reads them across processes).
    with django_assert_num_queries(4):
        assert figures().received == 2


def test_a_move_is_counted_at_once(idea):
    assert figures().by_stage[process.RECEIVED] == 1
    process.move_idea(idea, process.SCREENING, user=UserFactory(), public_note="Vi tittar.")
    after = figures()
    assert after.by_stage[process.SCREENING] == 1
    assert after.by_stage[process.RECEIVED] == 0
    assert after.median_days_to_first_feedback is not None


def test_a_pilot_is_counted_at_once(idea):
    assert sum(row.count for row in figures().pilots_by_outcome) == 0
    Pilot.objects.create(idea=idea, title="Prov", hypothesis="h", success_criteria="s")
    assert sum(row.count for row in figures().pilots_by_outcome) == 1


def test_goals_and_a_units_new_name_are_counted_at_once(idea):
    assert figures().by_sdg == []
    idea.sdgs.set([3])
    assert [row.key for row in figures().by_sdg] == [3]
    idea.unit.name = "Norra enheten"
    idea.unit.save()
    assert "Norra enheten" in [row.label for row in figures().by_unit]


def test_a_challenges_new_title_is_shown_at_once(idea):
    challenge = create_challenge(
        create_challenge_index(),
        opens_at=date(2025, 1, 1),
        closes_at=date(2099, 1, 1),
        title="Tryggare skolvägar",
    )
    IdeaFactory(challenge=challenge)
    assert "Tryggare skolvägar" in [row.label for row in figures().by_challenge]
    challenge.title = "Säkrare skolvägar"
    challenge.save_revision().publish()
    assert "Säkrare skolvägar" in [row.label for row in figures().by_challenge]


def test_a_confirmed_adoption_is_counted_at_once(idea):
    innovation = create_innovation(create_showcase_index(), title="Digitala lås")
    adoption = create_adoption(innovation)
    assert stats.headline().adopted == 0
    actions.confirm_adoption(adoption, user=create_coordinator())
    assert Adoption.objects.get(pk=adoption.pk).status == AdoptionStatus.CONFIRMED
    assert stats.headline().adopted == 1


def test_a_new_feedback_promise_is_counted_at_once(idea):
    assert figures().feedback_promise_days == stats.DEFAULT_FEEDBACK_PROMISE_DAYS
    settings = SlussSettings.objects.get()
    settings.feedback_promise_days = 30
    settings.save()
    assert figures().feedback_promise_days == 30


def test_each_language_has_its_own_labels(idea):
    with translation.override("sv"):
        swedish = [row.label for row in figures().pilots_by_outcome]
    with translation.override("en"):
        english = [row.label for row in figures().pilots_by_outcome]
    assert "No result yet" in english
    assert swedish != english


def test_a_given_moment_is_counted_for_it_never_cached(idea, django_assert_num_queries):
    figures()
    with django_assert_num_queries(4):
        stats.compute(*ALL_TIME, promise_days=14, now=idea.created_at)


def test_the_cache_can_be_turned_off(idea, settings, django_assert_num_queries):
    settings.SLUSS_WAGTAIL_STATS_CACHE_SECONDS = 0
    figures()
    # (The generations: see the test above.)
    with django_assert_num_queries(4):
        figures()


@pytest.mark.parametrize("value", [-1, 86401, "300", 1.5, True])
def test_a_bad_cache_time_is_reported(settings, value):
    settings.SLUSS_WAGTAIL_STATS_CACHE_SECONDS = value
    assert "sluss_wagtail.E005" in {message.id for message in run_checks()}


# serialized_rollback: without it, the flush after this test makes the content types again
# (post_migrate) under new keys, and a later test with serialized_rollback on the same
# worker cannot load the migrated rows it kept (an IntegrityError on the content types).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generation_changes_again_when_the_change_commits():
    """A request that counted the old rows during the transaction, under the new
    generation, is out of date once the change is committed."""
    with transaction.atomic():
        IdeaFactory()
        during = IDEAS.current()
        IdeaFactory()  # one callback per transaction, however many saves
    assert IDEAS.current() != during


def inbox_count(client):
    response = client.get(inbox_path(), {"q": "bänk"})
    assert response.status_code == 200
    return response.context["paginator"].count


def test_the_inbox_count_follows_new_ideas_tags_and_groups(client):
    unit = create_reviewed_unit("Parkenheten")
    IdeaFactory(unit=unit, title="Bänkar vid sjön")
    IdeaFactory(title="Bänkar i parken")  # no unit: only coordinators see it
    reviewer = create_reviewer(unit)
    client.force_login(reviewer)
    assert inbox_count(client) == 1
    IdeaFactory(unit=unit, title="Bänkar vid skolan")
    assert inbox_count(client) == 2
    # The tag filter counts through the tags.
    url = inbox_path()
    tag = Tag.objects.create(name="ljus", slug="ljus")
    lighting, lamps = (IdeaFactory(unit=unit, title=title) for title in ("Belysning", "Lyktor"))
    lighting.tags.add(tag)
    assert client.get(url, {"tag": "ljus"}).context["paginator"].count == 1
    lamps.tags.add(tag)  # taggit: bulk_create and m2m_changed, no save
    assert client.get(url, {"tag": "ljus"}).context["paginator"].count == 2
    # Leaving the reviewer group leaves the unit's ideas: the same query, other rows.
    other = create_reviewed_unit("Skolenheten")
    IdeaFactory(unit=other, title="Bänkar vid idrottsplatsen")
    reviewer.groups.set([other.reviewer_group])
    assert inbox_count(client) == 1


def test_the_dashboard_and_the_report_say_when_the_figures_were_counted(client):
    from django.utils import timezone

    client.force_login(create_coordinator())
    IdeaFactory()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    counted = stats.compute(*stats.year_period()).computed_at  # the cached figures
    shown = timezone.localtime(counted).strftime("%H:%M")
    assert f"Räknat {shown}" in dashboard
    report = client.get(reverse("sluss_wagtail_innovation_report_results")).content.decode()
    assert "Räknat " in report
