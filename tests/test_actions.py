"""What a coordinator does besides moving an idea; every action leaves an event."""

import pytest
from django.core.exceptions import ValidationError

from sluss_wagtail import actions
from sluss_wagtail.models import IdeaEvent
from tests.factories import IdeaFactory, OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(username="coordinator")


def last_event(idea):
    return idea.events.last()


def test_assigning_a_unit_leaves_an_event(coordinator):
    idea = IdeaFactory()
    unit = OrganisationUnitFactory(name="Gata och park")
    event = actions.assign_unit(idea, unit, user=coordinator, internal_note="Deras område")
    idea.refresh_from_db()
    assert idea.unit == unit
    assert (event.kind, event.user, event.internal_note) == (
        IdeaEvent.Kind.UNIT,
        coordinator,
        "Deras område",
    )
    assert event.changes == {"unit": {"old": "", "new": "Gata och park"}}
    assert actions.assign_unit(idea, unit, user=coordinator) is None  # nothing changed


def test_a_correction_keeps_the_original_text_readable(coordinator):
    idea = IdeaFactory(title="Bänkar vid sjön", description="Fler bänkar")
    event = actions.correct_idea(
        idea, user=coordinator, title="Bänkar vid sjön Aspen", description="Fler bänkar"
    )
    idea.refresh_from_db()
    assert idea.title == "Bänkar vid sjön Aspen"
    assert event.changes == {"title": {"old": "Bänkar vid sjön", "new": "Bänkar vid sjön Aspen"}}
    with pytest.raises(ValueError):
        actions.correct_idea(idea, user=coordinator, stage="implemented")


def test_a_correction_too_long_for_the_database_is_refused_and_nothing_changes(coordinator):
    idea = IdeaFactory(description="Kort")
    with pytest.raises(ValidationError):
        actions.correct_idea(idea, user=coordinator, description="x" * 20_000)
    idea.refresh_from_db()
    assert idea.description == "Kort"
    assert idea.events.count() == 1


def test_a_duplicate_follows_the_original_and_chains_collapse(coordinator):
    original, first, second = IdeaFactory(), IdeaFactory(), IdeaFactory()
    actions.mark_duplicate(first, original, user=coordinator, public_note="Samma idé som en annan")
    actions.mark_duplicate(second, first, user=coordinator)
    second.refresh_from_db()
    assert second.duplicate_of == original  # never a chain
    assert last_event(second).changes["duplicate_of"]["new"] == original.reference
    with pytest.raises(ValidationError):
        actions.mark_duplicate(original, first, user=coordinator)


def test_ideas_that_followed_a_new_duplicate_follow_its_original(coordinator):
    original, middle, follower = IdeaFactory(), IdeaFactory(), IdeaFactory()
    actions.mark_duplicate(follower, middle, user=coordinator)
    actions.mark_duplicate(middle, original, user=coordinator)
    follower.refresh_from_db()
    assert follower.duplicate_of == original


def test_confidentiality_and_tags_leave_events(coordinator):
    idea = IdeaFactory()
    assert (
        actions.set_confidential(idea, True, user=coordinator).kind == IdeaEvent.Kind.CONFIDENTIAL
    )
    assert actions.set_confidential(idea, True, user=coordinator) is None
    event = actions.set_tags(idea, ["trygghet", " park ", ""], user=coordinator)
    assert event.changes == {"tags": {"old": [], "new": ["park", "trygghet"]}}
    assert sorted(idea.tags.names()) == ["park", "trygghet"]
    assert actions.set_tags(idea, ["park", "trygghet"], user=coordinator) is None
