"""The sluice's state machine: every (from, to) pair is allowed or refused as DESIGN.md says."""

import itertools

import pytest

from sluss_wagtail import process
from sluss_wagtail.process import TransitionNotAllowed, move_idea
from tests.factories import IdeaFactory, UserFactory

ALL = [stage.key for stage in process.STAGES]

# The design, written out by hand rather than derived from the code under test.
EXPECTED = {
    "received": {
        "screening",
        "development",
        "pilot",
        "evaluation",
        "implemented",
        "spread",
        "closed",
        "parked",
        "forwarded",
    },
    "screening": {
        "development",
        "pilot",
        "evaluation",
        "implemented",
        "spread",
        "closed",
        "parked",
        "forwarded",
    },
    "development": {"pilot", "evaluation", "implemented", "spread", "closed", "parked"},
    "pilot": {"evaluation", "implemented", "spread", "closed", "parked"},
    "evaluation": {"pilot", "implemented", "spread", "closed", "parked"},
    "implemented": {"spread"},
    "spread": set(),
    "closed": set(),
    "forwarded": set(),
}


def test_the_ten_stage_keys_are_the_contract():
    assert ALL == [
        "received",
        "screening",
        "development",
        "pilot",
        "evaluation",
        "implemented",
        "spread",
        "closed",
        "parked",
        "forwarded",
    ]


@pytest.mark.parametrize(
    "from_stage,to_stage",
    list(itertools.product([stage for stage in ALL if stage != "parked"], ALL)),
)
def test_every_pair_is_allowed_or_refused_as_designed(from_stage, to_stage):
    assert process.is_allowed(from_stage, to_stage) == (to_stage in EXPECTED[from_stage])


@pytest.mark.parametrize("resume_stage", sorted(process.OPEN_STAGES))
@pytest.mark.parametrize("to_stage", ALL)
def test_a_parked_idea_goes_back_to_where_it_was_or_is_closed(resume_stage, to_stage):
    allowed = process.is_allowed("parked", to_stage, resume_stage=resume_stage)
    assert allowed == (to_stage in {resume_stage, "closed"})


def test_allowed_targets_come_in_process_order():
    assert process.allowed_targets("evaluation") == [
        "pilot",
        "implemented",
        "spread",
        "closed",
        "parked",
    ]


@pytest.mark.django_db
class TestMoveIdea:
    @pytest.fixture
    def coordinator(self):
        return UserFactory(username="coordinator", is_staff=True)

    def test_a_move_changes_the_stage_and_writes_an_event(self, coordinator):
        idea = IdeaFactory()
        event = move_idea(
            idea, "screening", user=coordinator, public_note=" Tack! ", internal_note="Ring Karin"
        )
        idea.refresh_from_db()
        assert idea.stage == "screening"
        assert (event.from_stage, event.to_stage, event.user) == (
            "received",
            "screening",
            coordinator,
        )
        assert (event.public_note, event.internal_note) == ("Tack!", "Ring Karin")
        assert [e.to_stage for e in idea.events.all()] == ["received", "screening"]

    @pytest.mark.parametrize(
        "from_stage,to_stage",
        [
            ("screening", "received"),
            ("pilot", "development"),
            ("implemented", "pilot"),
            ("closed", "screening"),
            ("development", "forwarded"),
            ("screening", "screening"),
            ("screening", "nonsense"),
        ],
    )
    def test_a_refused_move_raises_and_changes_nothing(self, coordinator, from_stage, to_stage):
        idea = IdeaFactory()
        if from_stage != "received":
            move_idea(idea, from_stage, user=coordinator, public_note="Beslut")
        events_before = idea.events.count()
        with pytest.raises(TransitionNotAllowed) as raised:
            move_idea(idea, to_stage, user=coordinator, public_note="x", destination="y")
        assert raised.value.to_stage == to_stage
        idea.refresh_from_db()
        assert idea.stage == from_stage
        assert idea.events.count() == events_before

    def test_closing_needs_a_decision_text(self, coordinator):
        idea = IdeaFactory()
        with pytest.raises(TransitionNotAllowed):
            move_idea(idea, "closed", user=coordinator, public_note="   ")
        move_idea(idea, "closed", user=coordinator, public_note="Ryms inte i budgeten.")
        idea.refresh_from_db()
        assert (idea.stage, idea.decision) == ("closed", "Ryms inte i budgeten.")

    def test_forwarding_needs_a_destination(self, coordinator):
        idea = IdeaFactory()
        with pytest.raises(TransitionNotAllowed):
            move_idea(idea, "forwarded", user=coordinator)
        event = move_idea(idea, "forwarded", user=coordinator, destination="Felanmälan")
        idea.refresh_from_db()
        assert (idea.stage, idea.forwarded_to, event.destination) == (
            "forwarded",
            "Felanmälan",
            "Felanmälan",
        )

    def test_parked_goes_back_to_where_it_was(self, coordinator):
        idea = IdeaFactory()
        move_idea(idea, "development", user=coordinator)
        move_idea(idea, "parked", user=coordinator, public_note="Paus till hösten.")
        idea.refresh_from_db()
        assert idea.stage_before_parking == "development"
        with pytest.raises(TransitionNotAllowed):
            move_idea(idea, "pilot", user=coordinator)
        move_idea(idea, "development", user=coordinator)
        idea.refresh_from_db()
        assert (idea.stage, idea.stage_before_parking) == ("development", "")

    def test_evaluation_may_test_again(self, coordinator):
        idea = IdeaFactory()
        for stage in ("pilot", "evaluation", "pilot", "evaluation", "implemented"):
            move_idea(idea, stage, user=coordinator)
        assert idea.events.count() == 6

    def test_an_anonymous_user_is_recorded_as_no_one(self):
        from django.contrib.auth.models import AnonymousUser

        idea = IdeaFactory()
        event = move_idea(idea, "screening", user=AnonymousUser())
        assert event.user is None

    def test_the_idea_moved_hook_runs_after_commit(
        self, coordinator, django_capture_on_commit_callbacks
    ):
        from wagtail import hooks

        seen = []
        idea = IdeaFactory()
        with hooks.register_temporarily(
            "sluss_wagtail_idea_moved", lambda idea, event: seen.append(event.to_stage)
        ):
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                move_idea(idea, "screening", user=coordinator)
            assert seen == []
            for callback in callbacks:
                callback()
        assert seen == ["screening"]


def test_forward_steps_mark_the_current_step():
    steps = process.forward_steps("pilot")
    assert [s["stage"].key for s in steps] == list(process.FORWARD_PATH)
    assert [s["is_current"] for s in steps].index(True) == 3
    assert [s["is_done"] for s in steps] == [True, True, True, False, False, False, False]
    assert not any(s["is_current"] for s in process.forward_steps("closed"))
