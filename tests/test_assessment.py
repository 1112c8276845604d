"""Assessment by criteria and recorded decisions: the models and the domain functions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from sluss_wagtail import assessing, process, stats
from sluss_wagtail.models import (
    Assessment,
    AssessmentScore,
    Criterion,
    Decision,
    DecisionKind,
    IdeaEvent,
)
from sluss_wagtail.models.assessment import RecordIsFinal, criteria_for
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    create_assessor,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_criteria,
)

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def criteria():
    return create_criteria(specs=(("Nytta", 2), ("Kostnad", 1)))


def ask(idea, coordinator_user, *assessors):
    return assessing.request_assessments(idea, assessors, user=coordinator_user, due_on=TOMORROW)


def assess(request, user, *scores, comments=None):
    criteria = criteria_for(request.idea)
    return assessing.submit_assessment(
        request,
        user=user,
        scores={c.pk: score for c, score in zip(criteria, scores, strict=True)},
        comments={c.pk: text for c, text in zip(criteria, comments or (), strict=False)},
    )


# ---- the weighted total ----------------------------------------------------------------------


def test_the_weighted_total_places_each_score_on_its_scale_and_weighs_it():
    # (weight, share): 2 × 1.0 + 1 × 0.25 over 3 → 75
    assert assessing.weighted_total([(2, 1), (1, Decimal("0.25"))]) == Decimal("75.00")
    assert assessing.weighted_total([(1, 0), (1, 0)]) == Decimal("0.00")
    assert assessing.weighted_total([]) is None


def test_an_assessment_keeps_its_weighted_total_and_the_idea_averages_them(
    coordinator_user, criteria
):
    idea = IdeaFactory()
    first, second = create_assessor(username="a1"), create_assessor(username="a2")
    request_one, request_two = ask(idea, coordinator_user, first, second)
    # Nytta 5/5 (share 1, weight 2), Kostnad 2/5 (share .25, weight 1) → 75
    one = assess(request_one, first, 5, 2)
    # Nytta 3/5 (.5 × 2), Kostnad 1/5 (0) → 1/3 → 33.33
    two = assess(request_two, second, 3, 1)
    assert one.weighted_total == Decimal("75.00")
    assert two.weighted_total == Decimal("33.33")
    summary = assessing.summary(idea)
    assert summary.weighted_total == Decimal("54.17")  # (75 + 33.33) / 2, rounded
    by_name = {entry.name: entry for entry in summary.criteria}
    assert by_name["Nytta"].scores == [5, 3]
    assert by_name["Nytta"].mean == 4
    assert by_name["Nytta"].spread == 1  # population standard deviation of 5 and 3
    assert (by_name["Kostnad"].lowest, by_name["Kostnad"].highest) == (1, 2)
    # The inbox sorts by the same number.
    annotated = type(idea).objects.annotate(total=assessing.total_annotation()).get(pk=idea.pk)
    assert round(annotated.total, 1) == Decimal("54.2")


def test_a_conflict_of_interest_counts_in_no_total(coordinator_user, criteria):
    idea = IdeaFactory()
    assessor = create_assessor()
    (request,) = ask(idea, coordinator_user, assessor)
    assessment = assessing.submit_assessment(
        request, user=assessor, conflict=True, note="Min syster gav idén."
    )
    assert assessment.conflict_of_interest and assessment.weighted_total is None
    assert not assessment.scores.exists()
    summary = assessing.summary(idea)
    assert summary.weighted_total is None
    assert [a.pk for a in summary.conflicts] == [assessment.pk]


def test_a_conflict_needs_a_word_about_it(coordinator_user, criteria):
    idea = IdeaFactory()
    assessor = create_assessor()
    (request,) = ask(idea, coordinator_user, assessor)
    with pytest.raises(ValidationError):
        assessing.submit_assessment(request, user=assessor, conflict=True, note="  ")
    assert not Assessment.objects.exists()


# ---- records -----------------------------------------------------------------------------


def test_a_submitted_assessment_is_never_changed_or_deleted(coordinator_user, criteria):
    idea = IdeaFactory()
    assessor = create_assessor()
    (request,) = ask(idea, coordinator_user, assessor)
    assessment = assess(request, assessor, 4, 4)
    assessment.weighted_total = Decimal("100")
    with pytest.raises(RecordIsFinal):
        assessment.save()
    with pytest.raises(RecordIsFinal):
        assessment.delete()
    with pytest.raises(RecordIsFinal):
        Assessment.objects.filter(pk=assessment.pk).update(weighted_total=100)
    with pytest.raises(RecordIsFinal):
        Assessment.objects.filter(pk=assessment.pk).delete()
    score = assessment.scores.first()
    score.score = 1
    with pytest.raises(RecordIsFinal):
        score.save()
    with pytest.raises(RecordIsFinal):
        AssessmentScore.objects.update(score=1)
    assessment.refresh_from_db()
    assert assessment.weighted_total == Decimal("75.00")


def test_a_new_assessment_supersedes_the_last_which_stays(coordinator_user, criteria):
    idea = IdeaFactory()
    assessor = create_assessor()
    (request,) = ask(idea, coordinator_user, assessor)
    first = assess(request, assessor, 1, 1)
    second = assess(request, assessor, 5, 5)
    assert second.supersedes == first
    assert list(Assessment.objects.current()) == [second]
    assert Assessment.objects.count() == 2
    assert assessing.summary(idea).weighted_total == Decimal("100.00")


def test_the_record_keeps_the_criterion_as_it_was(coordinator_user, criteria):
    idea = IdeaFactory()
    assessor = create_assessor()
    (request,) = ask(idea, coordinator_user, assessor)
    assessment = assess(request, assessor, 5, 1)
    Criterion.objects.filter(pk=criteria[0].pk).update(name="Ändrad", weight=9)
    Criterion.objects.filter(pk=criteria[1].pk).delete()
    rows = {row.criterion_name: row for row in assessment.scores.all()}
    assert set(rows) == {"Nytta", "Kostnad"}
    assert rows["Nytta"].weight == Decimal("2")
    assert rows["Kostnad"].criterion is None


def test_only_the_assessor_asked_may_assess(coordinator_user, criteria):
    idea = IdeaFactory()
    assessor, other = create_assessor(username="asked"), create_assessor(username="other")
    (request,) = ask(idea, coordinator_user, assessor)
    with pytest.raises(ValidationError):
        assess(request, other, 3, 3)
    with pytest.raises(ValidationError):
        assess(request, coordinator_user, 3, 3)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("scores", [(0, 3), (6, 3), (3, None), ("3", 3), (True, 3)])
def test_a_score_off_the_scale_saves_nothing(coordinator_user, criteria, scores):
    idea = IdeaFactory()
    assessor = create_assessor()
    (request,) = ask(idea, coordinator_user, assessor)
    with pytest.raises(ValidationError):
        assess(request, assessor, *scores)
    assert not Assessment.objects.exists() and not AssessmentScore.objects.exists()


# ---- criteria ------------------------------------------------------------------------------


def test_a_challenges_own_criteria_replace_the_sluices(criteria):
    index = create_challenge_index()
    now = timezone.now()
    challenge = create_challenge(
        index, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30)
    )
    plain = IdeaFactory()
    sent_to_it = IdeaFactory(challenge=challenge)
    assert [c.name for c in criteria_for(sent_to_it)] == ["Nytta", "Kostnad"]
    create_criteria(challenge=challenge, specs=(("Trafiksäkerhet", 1),))
    assert [c.name for c in criteria_for(sent_to_it)] == ["Trafiksäkerhet"]
    assert [c.name for c in criteria_for(plain)] == ["Nytta", "Kostnad"]


@pytest.mark.parametrize(
    "scale", ["Bara ett steg", "", "\n".join(str(n) for n in range(11)), "a\n" + "x" * 101]
)
def test_a_scale_has_two_to_ten_short_steps(scale):
    criterion = Criterion(
        sluice_id=create_criteria()[0].sluice_id, name="N", question="Q", scale=scale
    )
    with pytest.raises(ValidationError) as error:
        criterion.full_clean()
    assert "scale" in error.value.message_dict


# ---- requests ------------------------------------------------------------------------------


def test_an_assessor_is_asked_once_and_told_by_e_mail(
    coordinator_user, criteria, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    assessor = create_assessor(email="bedomare@exempelby.invalid")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (request,) = ask(idea, coordinator_user, assessor)
    assert ask(idea, coordinator_user, assessor) == []
    assert [r.pk for r in assessing.waiting_for(assessor)] == [request.pk]
    sent = [m for m in mail.outbox if m.to == ["bedomare@exempelby.invalid"]]
    assert len(sent) == 1
    body = sent[0].body
    assert idea.reference in body and "/admin/sluss-assessments/" in body
    assert "Karin Lund" not in body and "karin@exempelby.invalid" not in body


def test_only_assessors_can_be_asked_and_never_for_the_past(coordinator_user, criteria):
    idea = IdeaFactory()
    with pytest.raises(ValidationError):
        ask(idea, coordinator_user, create_coordinator(username="not_assessor"))
    with pytest.raises(ValidationError):
        assessing.request_assessments(
            idea,
            [create_assessor()],
            user=coordinator_user,
            due_on=timezone.localdate() - timedelta(days=1),
        )
    assert not idea.assessment_requests.exists()


def test_the_assessor_sees_the_idea_without_its_givers_name():
    idea = IdeaFactory(
        title="Karin Lunds bänkar",
        description=(
            "Jag, Karin Lund, vill ha bänkar. Ring 0701-234567 eller karin@exempelby.invalid."
        ),
        contact={
            "name": "Karin Lund",
            "email": "karin@exempelby.invalid",
            "phone": "0701-234567",
        },
    )
    text = assessing.deidentified(type(idea).objects.select_related("contact").get(pk=idea.pk))
    for value in text.values():
        assert "Karin" not in value and "Lund" not in value
        assert "0701-234567" not in value and "karin@exempelby.invalid" not in value
    assert "bänkar" in text["description"]


# ---- decisions -----------------------------------------------------------------------------


def test_a_councils_decision_grants_money_and_moves_the_idea_through_move_idea(coordinator_user):
    idea = IdeaFactory()
    process.move_idea(idea, process.SCREENING, user=coordinator_user)
    decision = assessing.decide(
        idea,
        DecisionKind.TEST,
        user=coordinator_user,
        reasons="Idérådet vill pröva idén i liten skala.",
        internal_note="Enhälligt.",
        body="Idérådet",
        present="Anna Berg, Per Holm",
        amount_granted=Decimal("25000"),
        funding_source="Innovationsfonden",
    )
    idea.refresh_from_db()
    assert idea.stage == process.PILOT
    assert decision.event.kind == IdeaEvent.Kind.MOVED
    assert decision.event.public_note == "Idérådet vill pröva idén i liten skala."
    assert decision.decider == "Idérådet" and decision.decided_by is None
    assert decision.recorded_by == coordinator_user
    with pytest.raises(RecordIsFinal):
        decision.save()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"reasons": "  "}, "reasons"),
        ({"body": "Idérådet", "present": ""}, "present"),
        ({"kind": DecisionKind.DEVELOP, "amount_granted": Decimal(10)}, "amount_granted"),
        ({"amount_granted": Decimal(10), "funding_source": ""}, "funding_source"),
        ({"amount_granted": Decimal(-1), "funding_source": "Fonden"}, "amount_granted"),
        ({"kind": "launch"}, "kind"),
        ({"decided_on": timezone.localdate() + timedelta(days=2)}, "decided_on"),
    ],
)
def test_a_decision_that_does_not_hold_saves_nothing(coordinator_user, overrides, field):
    idea = IdeaFactory()
    arguments = {"kind": DecisionKind.TEST, "reasons": "Vi testar.", **overrides}
    with pytest.raises(ValidationError) as error:
        assessing.decide(idea, arguments.pop("kind"), user=coordinator_user, **arguments)
    assert field in error.value.message_dict
    idea.refresh_from_db()
    assert idea.stage == process.RECEIVED
    assert not Decision.objects.exists()
    assert not idea.events.filter(kind=IdeaEvent.Kind.MOVED).exists()


def test_a_decision_the_process_refuses_saves_nothing(coordinator_user):
    idea = IdeaFactory()
    process.move_idea(idea, process.SCREENING, user=coordinator_user)
    with pytest.raises(process.TransitionNotAllowed):
        assessing.decide(
            idea, DecisionKind.FORWARD, user=coordinator_user, reasons="Till felanmälan."
        )
    process.move_idea(idea, process.IMPLEMENTED, user=coordinator_user)
    with pytest.raises(process.TransitionNotAllowed):
        assessing.decide(idea, DecisionKind.DEVELOP, user=coordinator_user, reasons="Igen.")
    assert not Decision.objects.exists()


# ---- statistics ----------------------------------------------------------------------------


def test_statistics_count_decisions_and_money_per_period_unit_and_challenge(coordinator_user):
    park = OrganisationUnitFactory(name="Parkförvaltningen")
    school = OrganisationUnitFactory(name="Skolan")
    today = timezone.localdate()
    for unit, amount, days_ago in ((park, 10000, 0), (park, 5000, 40), (school, 2500, 400)):
        idea = IdeaFactory(unit=unit)
        assessing.decide(
            idea,
            DecisionKind.TEST,
            user=coordinator_user,
            reasons="Test.",
            amount_granted=Decimal(amount),
            funding_source="Fonden",
            decided_on=today - timedelta(days=days_ago),
        )
    assessing.decide(
        IdeaFactory(unit=park), DecisionKind.CLOSE, user=coordinator_user, reasons="Nej."
    )
    everything = stats.decisions_and_money()
    assert everything["total"] == 4
    assert everything["by_kind"] == {"test": 3, "close": 1}
    assert everything["granted"] == Decimal("17500") and everything["grants"] == 3
    recent = stats.decisions_and_money(today - timedelta(days=100), today)
    assert recent["granted"] == Decimal("15000")
    assert stats.decisions_and_money(unit=school)["granted"] == Decimal("2500")
    by_unit = stats.money_granted_by("unit")
    assert [(label, amount) for _key, label, amount, _n in by_unit] == [
        ("Parkförvaltningen", Decimal("15000")),
        ("Skolan", Decimal("2500")),
    ]
    assert len(stats.money_granted_by("month")) >= 2
    assert stats.money_granted_by("challenge")[0][0] is None


def test_the_demo_assesses_an_idea_and_the_council_grants_money(settings):
    from django.utils import translation

    from demo.management.commands import _demo_assess

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        idea = _demo_assess.build(None)
        again = _demo_assess.build(None)
    assert again.pk == idea.pk
    assert [c.name for c in criteria_for(idea)][:2] == [
        "Benefit for residents or staff",
        "Feasibility",
    ]
    assert len(criteria_for(idea)) == 6
    assert Assessment.objects.filter(idea=idea).count() == 2
    decision = Decision.objects.get(idea=idea)
    assert decision.body == "Idérådet" and decision.amount_granted == Decimal("45000")
    idea.refresh_from_db()
    assert idea.stage == process.PILOT
    assert assessing.summary(idea).weighted_total is not None
