"""Small-scale tests: the decision after a test moves the idea, and nothing moves without it."""

import pytest
from django.core.exceptions import ValidationError

from sluss_wagtail import actions, process
from sluss_wagtail.models import IdeaEvent, Pilot
from sluss_wagtail.process import TransitionNotAllowed
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(username="koordinator")


def idea_in_pilot(coordinator, **kwargs):
    idea = IdeaFactory(**kwargs)
    process.move_idea(idea, process.PILOT, user=coordinator, public_note="Vi testar i liten skala.")
    return idea


def make_pilot(idea, **kwargs):
    kwargs.setdefault("title", "Tre bänkar i sommar")
    kwargs.setdefault("hypothesis", "Fler äldre går runt sjön.")
    kwargs.setdefault("success_criteria", "Fler besökare vid sjön en vardag.")
    return Pilot.objects.create(idea=idea, **kwargs)


@pytest.mark.parametrize(
    "decision,stage",
    [("scale_up", "implemented"), ("test_again", "pilot"), ("stop", "closed")],
)
def test_the_decision_moves_the_idea_through_evaluation(coordinator, decision, stage):
    idea = idea_in_pilot(coordinator)
    pilot = make_pilot(idea, outcome="partly", lessons="Bänkarna behövde ryggstöd.")
    event = actions.decide_pilot(pilot, decision, user=coordinator)
    idea.refresh_from_db()
    pilot.refresh_from_db()
    assert idea.stage == stage
    assert (pilot.decision, pilot.decided_by) == (decision, coordinator)
    moves = [e.to_stage for e in idea.events.filter(kind=IdeaEvent.Kind.MOVED)]
    assert moves[-2:] == ["evaluation", stage]
    assert event.changes["pilot"]["decision"] == decision


def test_stopping_makes_the_lessons_the_decision_text(coordinator):
    idea = idea_in_pilot(coordinator)
    pilot = make_pilot(idea, outcome="failed", lessons="Ingen använde bänkarna på vintern.")
    actions.decide_pilot(pilot, "stop", user=coordinator)
    idea.refresh_from_db()
    assert idea.decision == "Ingen använde bänkarna på vintern."


def test_stopping_without_lessons_or_note_is_refused_and_nothing_moves(coordinator):
    idea = idea_in_pilot(coordinator)
    pilot = make_pilot(idea, outcome="failed")
    with pytest.raises(TransitionNotAllowed):
        actions.decide_pilot(pilot, "stop", user=coordinator)
    idea.refresh_from_db()
    pilot.refresh_from_db()
    assert (idea.stage, pilot.decision) == ("pilot", "")


def test_a_decision_from_evaluation_moves_directly(coordinator):
    idea = idea_in_pilot(coordinator)
    process.move_idea(idea, process.EVALUATION, user=coordinator)
    actions.decide_pilot(make_pilot(idea), "test_again", user=coordinator)
    idea.refresh_from_db()
    assert idea.stage == "pilot"


def test_nothing_moves_without_a_decision(coordinator):
    idea = idea_in_pilot(coordinator)
    with pytest.raises(ValidationError):
        actions.decide_pilot(make_pilot(idea), "", user=coordinator)
    idea.refresh_from_db()
    assert idea.stage == "pilot"


def test_a_decision_for_an_idea_not_in_a_test_is_refused(coordinator):
    idea = IdeaFactory()  # still received
    with pytest.raises(TransitionNotAllowed):
        actions.decide_pilot(make_pilot(idea), "scale_up", user=coordinator)


def test_a_test_cannot_end_before_it_starts():
    from datetime import date

    pilot = Pilot(starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 1))
    with pytest.raises(ValidationError):
        pilot.clean()
