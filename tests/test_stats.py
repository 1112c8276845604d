"""Every figure of ``sluss_wagtail.stats`` against a small history counted by hand.

The history (2025, feedback promise 14 days, "now" is 1 June 2025):

- A, resident, unit North, goals 3 and 11: screening with feedback after 3 days,
  development, test, evaluation, implemented after 20 days; two tests (one worked,
  one did not).
- B, employee, unit North, the challenge, goal 3: screening and development without
  feedback, parked with feedback after 30 days, resumed to development, then a test
  (no result yet).
- C, business, unit South: closed with a decision after 10 days.
- D, resident, no unit: nothing yet, waiting past the promise.
- E, resident, received on 31 December 2024: outside the period.
"""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from sluss_wagtail import process, stats
from sluss_wagtail.models import Adoption, IdeaEvent, Pilot
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_challenge,
    create_challenge_index,
    create_ideas_in_bulk,
    create_innovation,
    create_showcase_index,
)

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2025, 6, 1, 12, 0))
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def received_on(day):
    return timezone.make_aware(datetime(2025, 3, day, 9, 0))


def idea_with_history(received_at, moves, **fields):
    """An idea received at ``received_at`` and moved by ``moves``: ``(days after, stage, note)``."""
    staff = UserFactory(username="koordinator")
    idea = IdeaFactory(created_at=received_at, **fields)
    IdeaEvent.objects.filter(idea=idea).update(created_at=received_at)
    for days, stage, note in moves:
        event = process.move_idea(idea, stage, user=staff, public_note=note)
        IdeaEvent.objects.filter(pk=event.pk).update(created_at=received_at + timedelta(days))
    stats.retally(idea.pk)  # update() sends no signals: the counts are brought in step here
    return idea


@pytest.fixture
def history():
    north = OrganisationUnitFactory(name="Norr")
    south = OrganisationUnitFactory(name="Söder")
    index = create_challenge_index()
    challenge = create_challenge(
        index,
        opens_at=received_on(1) - timedelta(days=30),
        closes_at=received_on(1) + timedelta(90),
    )
    a = idea_with_history(
        received_on(1),
        [
            (3, "screening", "Vi tittar på idén."),
            (5, "development", ""),
            (8, "pilot", ""),
            (15, "evaluation", ""),
            (20, "implemented", "Idén är införd."),
        ],
        unit=north,
    )
    a.sdgs.set([3, 11])
    Pilot.objects.create(
        idea=a, title="Test 1", hypothesis="h", success_criteria="s", outcome="successful"
    )
    Pilot.objects.create(
        idea=a, title="Test 2", hypothesis="h", success_criteria="s", outcome="failed"
    )
    b = idea_with_history(
        received_on(5),
        [
            (2, "screening", ""),
            (5, "development", ""),
            (30, "parked", "Vi pausar arbetet till hösten."),
            (40, "development", ""),
            (45, "pilot", "Nu testar vi."),
        ],
        unit=north,
        challenge=challenge,
        submitter_kind="employee",
    )
    b.sdgs.set([3])
    Pilot.objects.create(idea=b, title="Test 3", hypothesis="h", success_criteria="s")
    c = idea_with_history(
        received_on(10),
        [(10, "closed", "Vi går inte vidare, och här är varför.")],
        unit=south,
        submitter_kind="business",
    )
    d = idea_with_history(received_on(12), [])
    e = idea_with_history(timezone.make_aware(datetime(2024, 12, 31, 9, 0)), [])

    showcase = create_showcase_index()
    innovation = create_innovation(showcase, unit=north, idea=a, revision=False)
    for status, created in (
        ("confirmed", datetime(2025, 5, 2)),
        ("pending", datetime(2025, 5, 3)),
        ("confirmed", datetime(2024, 5, 2)),
    ):
        adoption = Adoption.objects.create(
            innovation=innovation,
            organisation="Skolan",
            municipality="Grannby",
            contact_email="a@exempelby.invalid",
            status=status,
        )
        Adoption.objects.filter(pk=adoption.pk).update(created_at=timezone.make_aware(created))
    return {
        "north": north,
        "south": south,
        "challenge": challenge,
        "ideas": {"a": a, "b": b, "c": c, "d": d, "e": e},
    }


def figures(result, name):
    return {row.key: row.count for row in getattr(result, name)}


def test_the_year_counted_by_hand(history):
    result = stats.compute(*YEAR, promise_days=14, now=NOW)
    north, south = history["north"], history["south"]

    assert result.received == 4
    assert {key: n for key, n in result.by_stage.items() if n} == {
        "implemented": 1,
        "pilot": 1,
        "closed": 1,
        "received": 1,
    }
    # B was parked and resumed: it reached development once, not twice.
    assert result.funnel_by_stage == {
        "received": 4,
        "screening": 2,
        "development": 2,
        "pilot": 2,
        "evaluation": 1,
        "implemented": 1,
        "spread": 0,
    }
    assert [step.share for step in result.funnel][:3] == [1.0, 0.5, 0.5]
    assert figures(result, "by_submitter_kind") == {"resident": 2, "employee": 1, "business": 1}
    assert figures(result, "by_unit") == {north.pk: 2, south.pk: 1, None: 1}
    assert figures(result, "by_challenge") == {history["challenge"].pk: 1, None: 3}
    assert figures(result, "by_sdg") == {3: 2, 11: 1}
    # First feedback after 3 (A), 30 (B) and 10 (C) days; decisions after 20 (A) and 10 (C).
    assert result.median_days_to_first_feedback == 10
    assert result.median_days_to_decision == 15
    # Due: A, B, C had feedback, D's promise ran out; on time: A and C.
    assert (result.feedback_due, result.feedback_on_time) == (4, 2)
    assert result.feedback_on_time_share == 0.5
    assert figures(result, "pilots_by_outcome") == {
        "successful": 1,
        "partly": 0,
        "failed": 1,
        "inconclusive": 0,
        "": 1,
    }
    assert result.adoptions_confirmed == 1


def test_a_unit_and_a_challenge(history):
    north = stats.compute(*YEAR, unit=history["north"], promise_days=14, now=NOW)
    assert north.received == 2
    assert north.funnel_by_stage["implemented"] == 1
    assert north.adoptions_confirmed == 1
    assert stats.compute(*YEAR, unit=history["south"].pk, promise_days=14).adoptions_confirmed == 0
    challenge = stats.compute(*YEAR, challenge=history["challenge"], promise_days=14, now=NOW)
    assert challenge.received == 1
    assert challenge.median_days_to_first_feedback == 30
    assert challenge.median_days_to_decision is None
    assert (challenge.feedback_due, challenge.feedback_on_time) == (1, 0)


def test_an_open_period_takes_every_idea(history):
    result = stats.compute(promise_days=14, now=NOW)
    assert result.received == 5
    assert result.adoptions_confirmed == 2


def test_an_empty_period(history):
    result = stats.compute(date(2020, 1, 1), date(2020, 12, 31), promise_days=14, now=NOW)
    assert result.received == 0
    assert set(result.by_stage.values()) == {0}
    assert [step.count for step in result.funnel] == [0] * 7
    assert {step.share for step in result.funnel} == {None}
    assert result.by_submitter_kind == result.by_unit == result.by_sdg == []
    assert result.median_days_to_first_feedback is None
    assert result.median_days_to_decision is None
    assert result.feedback_on_time_share is None
    assert {row.count for row in result.pilots_by_outcome} == {0}
    assert result.adoptions_confirmed == 0


def test_the_end_date_counts_the_whole_day(history):
    assert stats.compute(date(2025, 3, 1), date(2025, 3, 1), promise_days=14).received == 1
    assert stats.compute(date(2025, 3, 2), date(2025, 3, 4), promise_days=14).received == 0


def test_the_headline_figures(history):
    figures_ = stats.headline(*YEAR)
    assert figures_ == stats.Headline(received=4, tested=2, implemented=1, spread=0, adopted=1)
    assert [key for key, _label, _n in figures_.figures(["adopted", "received"])] == [
        "adopted",
        "received",
    ]


def test_waiting_for_feedback(history):
    waiting = stats.waiting_for_feedback(14, now=NOW)
    assert set(waiting) == {history["ideas"]["d"], history["ideas"]["e"]}
    assert not stats.waiting_for_feedback(14, now=received_on(12) + timedelta(days=13)).filter(
        pk=history["ideas"]["d"].pk
    )


def test_the_challenge_idea_count(history):
    assert stats.challenge_idea_count(history["challenge"]) == 1


@pytest.mark.parametrize("number_of_ideas", [10, 1000])
def test_compute_runs_a_fixed_number_of_queries(django_assert_num_queries, number_of_ideas):
    unit = OrganisationUnitFactory(name="Norr")
    ideas = create_ideas_in_bulk(number_of_ideas, unit=unit, stage="pilot")
    stats.recount()  # bulk_create sends no signals
    ideas[0].sdgs.set([3])
    stats.feedback_promise_days()  # the site's settings exist, as on any day but the first
    # The figures: the counts, the recent ideas still without feedback, the units' names
    # and the adoptions; the site's settings come from the cache.
    with django_assert_num_queries(4):
        result = stats.compute(date(2000, 1, 1), None)
    assert result.received == number_of_ideas
    assert result.funnel_by_stage["pilot"] == number_of_ideas
    # The headline: the counts, and the adoptions of public innovations (with the
    # restricted pages' paths, read once a generation of the showcase's cache).
    with django_assert_num_queries(3):
        assert stats.headline().received == number_of_ideas


def test_the_ideas_queryset_still_answers_waiting_for_feedback(history):
    from sluss_wagtail.models import Idea

    ideas = history["ideas"]
    assert set(Idea.objects.waiting_for_feedback(14, now=NOW)) == {ideas["d"], ideas["e"]}
    narrowed = Idea.objects.filter(pk=ideas["d"].pk).waiting_for_feedback(14, now=NOW)
    assert list(narrowed) == [ideas["d"]]


def test_the_promise_is_due_after_feedback_or_when_it_runs_out_and_never_for_duplicates(db):
    received = received_on(1)
    answered = idea_with_history(received, [(2, "screening", "Tack, vi tittar på den.")])
    idea_with_history(received, [])  # no feedback yet
    copy = idea_with_history(
        received, [(1, "screening", "Samma som en annan idé.")], duplicate_of=answered
    )
    assert copy.duplicate_of == answered

    # A week in: only the idea that had feedback is due (and on time); the duplicate never.
    week = stats.compute(*YEAR, promise_days=14, now=received + timedelta(days=7))
    assert (week.feedback_due, week.feedback_on_time) == (1, 1)
    # Three weeks in, the silent idea's promise has run out too.
    later = stats.compute(*YEAR, promise_days=14, now=received + timedelta(days=21))
    assert (later.feedback_due, later.feedback_on_time) == (2, 1)
    # The lead time counts the duplicate's feedback as well: after 1 and 2 days.
    assert later.median_days_to_first_feedback == 1.5
