"""The statistics' counts (``models.tallies``) never drift from a fresh count.

Random sequences of what a site does to its ideas (submissions, moves with and without
feedback, goals, pilots and their outcomes, a new unit or challenge, duplicates, edits of
other fields, deletions of ideas and of units) leave the counts kept in step by
``stats.retally`` equal to ``stats.recount``'s count from scratch; and the figures of any
period, whole months from the counts and the part months at its ends from the ideas,
equal a count of that period's ideas alone.
"""

import random
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sluss_wagtail import actions, process, stats
from sluss_wagtail.models import Idea, OrganisationUnit, Pilot
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_challenge,
    create_challenge_index,
    create_ideas_in_bulk,
)

OPERATIONS = (
    "submit",
    "submit",
    "move",
    "move",
    "feedback",
    "goals",
    "pilot",
    "pilot_outcome",
    "unit",
    "duplicate",
    "edit",
    "delete_idea",
    "delete_pilot",
    "delete_unit",
)


def moment(rng):
    """A time in 2025–2026 in the site's zone, sometimes at the very start of a month."""
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
    if rng.random() < 0.2:
        day = day.replace(day=1)
        return timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        minutes=rng.randrange(24 * 60)
    )


def do(operation, rng, world):
    ideas = list(Idea.objects.order_by("pk"))
    idea = rng.choice(ideas) if ideas else None
    if operation == "submit" or idea is None:
        IdeaFactory(
            created_at=moment(rng),
            unit=rng.choice([None, *OrganisationUnit.objects.all()]),
            challenge=rng.choice([None, world["challenge"]]),
            submitter_kind=rng.choice(["resident", "employee", "business"]),
        )
    elif operation in ("move", "feedback"):
        targets = process.allowed_targets(idea.stage, resume_stage=idea.stage_before_parking)
        if operation == "feedback" or not targets:
            actions.record(idea, "note", user=world["user"], public_note="Tack för idén!")
            return
        target = rng.choice(targets)
        note = rng.choice(["", "Vi har bestämt oss."]) if target != process.CLOSED else "Nej."
        process.move_idea(idea, target, user=world["user"], public_note=note, destination="Gata")
    elif operation == "goals":
        idea.sdgs.set(rng.sample(range(1, 18), rng.randrange(3)))
    elif operation == "pilot":
        Pilot.objects.create(idea=idea, title="Test", hypothesis="h", success_criteria="s")
    elif operation == "pilot_outcome":
        pilot = Pilot.objects.filter(idea=idea).first()
        if pilot:
            pilot.outcome = rng.choice(["successful", "failed", "partly", ""])
            pilot.save()
    elif operation == "unit":
        idea.unit = rng.choice([None, *OrganisationUnit.objects.all()])
        idea.save()
    elif operation == "duplicate":
        others = [other for other in ideas if other.pk != idea.pk and not other.duplicate_of_id]
        if others:
            actions.mark_duplicate(idea, rng.choice(others), user=world["user"])
    elif operation == "edit":
        idea.title = f"{idea.title}!"
        idea.save(update_fields=["title", "updated_at"])
    elif operation == "delete_idea":
        Idea.objects.filter(pk=idea.pk).delete()
    elif operation == "delete_pilot":
        Pilot.objects.filter(idea=idea).delete()
    elif operation == "delete_unit":
        unit = OrganisationUnit.objects.exclude(pk=world["kept_unit"].pk).first()
        if unit:
            unit.delete()
        OrganisationUnitFactory()


@pytest.fixture
def world(db):
    index = create_challenge_index()
    challenge = create_challenge(
        index,
        opens_at=timezone.now() - timedelta(days=800),
        closes_at=timezone.now() + timedelta(days=90),
    )
    return {
        "user": UserFactory(username="koordinator"),
        "challenge": challenge,
        "kept_unit": OrganisationUnitFactory(name="Norr"),
        "other_unit": OrganisationUnitFactory(name="Söder"),
    }


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 2**32)), max_size=20))
def test_the_kept_counts_equal_a_fresh_count_after_any_changes(world, operations):
    with transaction.atomic():
        for operation, seed in operations:
            do(operation, random.Random(seed), world)
        found = stats.recount(repair=False)
        assert found.differences == []
        assert found.ideas_differing == 0
        transaction.set_rollback(True)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32), st.integers(0, 2**32))
def test_a_period_counts_as_its_ideas_alone(world, data_seed, period_seed):
    rng, period = random.Random(data_seed), random.Random(period_seed)
    with transaction.atomic():
        for _n in range(12):
            do(rng.choice(OPERATIONS[:6]), rng, world)
        start, end = sorted([moment(period), moment(period)])
        start = period.choice([None, start, start.date()])
        end = period.choice([None, end, end.date()])
        unit = period.choice([None, world["kept_unit"]])
        ideas = stats.ideas_received(start, end, unit)
        expected = {}
        contributions = stats.tallies.contributions(ideas)
        for (_sluice, _m, unit_pk, challenge_pk), keys in contributions.values():
            for (figure, value), n in keys.items():
                key = (unit_pk, challenge_pk, figure, value)
                expected[key] = expected.get(key, 0) + n
        assert dict(stats.figures._counts(start, end, unit, None, None)) == expected
        transaction.set_rollback(True)


def test_a_change_without_signals_is_found_and_repaired(world):
    create_ideas_in_bulk(3)  # bulk_create: no signals, so not counted
    with pytest.raises(CommandError, match="3 of 3 ideas"):
        call_command("sluss_recount_stats", "--check")
    assert stats.compute(date(2000, 1, 1), None).received == 0
    call_command("sluss_recount_stats")
    call_command("sluss_recount_stats", "--check")
    assert stats.compute(date(2000, 1, 1), None).received == 3


def test_counts_belong_to_their_sluice(world):
    from sluss_wagtail.models import Sluice

    IdeaFactory()
    other = Sluice.objects.create(name="Alingsås")
    Idea.objects.filter(pk=IdeaFactory().pk).update(sluice=other)
    stats.recount()
    assert stats.compute(sluices=other).received == 1
    assert stats.compute(sluices=Sluice.objects.default_pk()).received == 1
    assert stats.headline(sluices=other).received == 1


def test_a_duplicate_counts_as_an_original_once_its_original_is_deleted(world):
    """``duplicate_of`` is ``SET_NULL``: Django's UPDATE sends no signal, so the deletion
    recounts the ideas that were its duplicates (found by the hypothesis test above)."""
    original, copy, _other = IdeaFactory(), IdeaFactory(), IdeaFactory()
    actions.mark_duplicate(copy, original, user=world["user"])
    actions.record(copy, "note", user=world["user"], public_note="Samma som en annan idé.")
    assert stats.headline().received == 3
    Idea.objects.filter(pk=original.pk).delete()
    found = stats.recount(repair=False)
    assert found.differences == []
    assert found.ideas_differing == 0
    copy.refresh_from_db()
    assert copy.duplicate_of is None
