"""Benefits realisation, the domain layer: recording benefits, their follow-ups and closing,
and the implementation plan's steps. Each change says so in the idea's history.

The admin's forms (``sluss_wagtail.admin.benefits``) call these; so may a host site.
"""

from django.db import transaction
from django.utils import timezone

from .actions import record
from .models.benefits import (
    CLOSED_STATUSES,
    DEFAULT_UNITS,
    Benefit,
    BenefitStatus,
    ImplementationStep,
)
from .models.ideas import IdeaEvent


def _history(benefit_or_step, what, *, user, **details):
    idea = benefit_or_step.idea
    if idea is None:
        return None
    return record(
        idea,
        IdeaEvent.Kind.BENEFIT,
        user=user,
        changes={what: {"title": benefit_or_step.title, **details}},
    )


def record_benefit(benefit, *, user, months=None):
    """Save a new expected benefit of an idea and plan its follow-ups (the sluice's months
    after its start unless ``months`` says otherwise)."""
    if not benefit.unit_of_measure and benefit.kind in DEFAULT_UNITS:
        benefit.unit_of_measure = str(DEFAULT_UNITS[benefit.kind])
    with transaction.atomic():
        benefit.full_clean(exclude=["idea", "innovation", "adoption", "owner", "created_by"])
        if benefit.created_by_id is None and user is not None and user.is_authenticated:
            benefit.created_by = user
        benefit.save()
        if months is None:
            months = benefit.idea.sluice.get_follow_up_months() if benefit.idea_id else []
        benefit.plan_follow_ups(months)
        return _history(benefit, "benefit", user=user, expected=str(benefit.expected))


def record_follow_up(follow_up, *, user, measured_value, how_measured="", comment=""):
    """What a follow-up measured; the benefit's realised value is the latest measurement."""
    with transaction.atomic():
        follow_up.measured_value = measured_value
        follow_up.how_measured = how_measured
        follow_up.comment = comment
        follow_up.recorded_at = timezone.now()
        follow_up.recorded_by = user if user is not None and user.is_authenticated else None
        follow_up.full_clean(exclude=["benefit", "recorded_by"])
        follow_up.save()
        benefit = follow_up.benefit
        latest = (
            benefit.follow_ups.exclude(recorded_at=None)
            .exclude(measured_value=None)
            .order_by("-due_on", "-pk")
            .first()
        )
        benefit.realised = latest.measured_value if latest else None
        benefit.realised_on = latest.due_on if latest else None
        benefit.save(update_fields=["realised", "realised_on"])
        return _history(
            benefit,
            "follow_up",
            user=user,
            due=follow_up.due_on.isoformat(),
            measured=str(measured_value) if measured_value is not None else "",
        )


def close_benefit(benefit, status, *, user, lessons):
    """Close a benefit as realised, partly realised or not realised, with its lessons."""
    if status not in CLOSED_STATUSES:
        raise ValueError(status)
    with transaction.atomic():
        benefit.status = status
        benefit.lessons = lessons
        benefit.closed_at = timezone.now()
        benefit.full_clean(exclude=["idea", "innovation", "adoption", "owner", "created_by"])
        benefit.save(update_fields=["status", "lessons", "closed_at"])
        return _history(benefit, "benefit_closed", user=user, status=status)


def reopen_benefit(benefit, *, user):
    with transaction.atomic():
        benefit.status = BenefitStatus.OPEN
        benefit.closed_at = None
        benefit.save(update_fields=["status", "closed_at"])
        return _history(benefit, "benefit_reopened", user=user)


def save_step(step: ImplementationStep, *, user):
    """Save a new or changed step of an idea's implementation plan."""
    created = step.pk is None
    with transaction.atomic():
        step.full_clean(exclude=["idea"])
        step.save()
        return _history(step, "step", user=user, status=step.status, created=created)


def benefits_of_idea(idea):
    """An idea's benefits with their follow-ups and owners, in two queries."""
    return list(
        Benefit.objects.filter(idea=idea).select_related("owner").prefetch_related("follow_ups")
    )
