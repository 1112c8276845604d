"""Benefits realisation: the benefits of a year, unit and kind, and follow-ups on time."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .figures import _cached, _pk, sluice_pks


@dataclass(frozen=True)
class RealisedBenefits:
    """The benefits of one year, unit and kind, in one unit of measure: sums of different
    units of measure are never added up."""

    year: int
    unit: str
    kind: str
    kind_label: str
    unit_of_measure: str
    count: int
    expected: object
    realised: object


def _benefits_of(sluices=None, unit=None):
    from ..models.benefits import Benefit

    benefits = Benefit.objects.filter(idea__isnull=False)
    pks = sluice_pks(sluices)
    if pks is not None:
        benefits = benefits.filter(idea__sluice__in=pks)
    if unit is not None:
        benefits = benefits.filter(idea__unit=_pk(unit))
    return benefits


def realised_benefits(*, sluices=None, unit=None):
    """The measured benefits of the sluices' ideas per year (of the latest measurement),
    unit and kind, each unit of measure apart, newest year first: one query, cached until
    an idea's history changes (every benefit and follow-up leaves an event)."""
    from django.db.models import Sum
    from django.db.models.functions import ExtractYear

    from ..models.benefits import BenefitKind

    def build():
        rows = (
            _benefits_of(sluices, unit)
            .exclude(realised=None)
            .exclude(realised_on=None)
            .annotate(year=ExtractYear("realised_on"))
            .values("year", "idea__unit__name", "kind", "unit_of_measure")
            .annotate(count=Count("pk"), expected_sum=Sum("expected"), realised_sum=Sum("realised"))
            .order_by("-year", "idea__unit__name", "kind", "unit_of_measure")
        )
        return [
            RealisedBenefits(
                year=row["year"],
                unit=row["idea__unit__name"] or str(_("No unit")),
                kind=row["kind"],
                kind_label=str(BenefitKind(row["kind"]).label),
                unit_of_measure=row["unit_of_measure"],
                count=row["count"],
                expected=row["expected_sum"],
                realised=row["realised_sum"],
            )
            for row in rows
        ]

    return _cached("realised_benefits", (sluice_pks(sluices), _pk(unit)), build)


@dataclass(frozen=True)
class FollowUpTimeliness:
    due: int
    on_time: int

    @property
    def share(self):
        return self.on_time / self.due if self.due else None


def follow_ups_on_time(*, sluices=None, unit=None, today=None):
    """Of the follow-ups done or past their time (``FOLLOW_UP_GRACE_DAYS`` after their date),
    how many were done on time: one query (the dates, compared in Python)."""
    from ..models.benefits import FOLLOW_UP_GRACE_DAYS, BenefitFollowUp

    today = today or timezone.localdate()
    grace = timedelta(days=FOLLOW_UP_GRACE_DAYS)

    def build():
        rows = BenefitFollowUp.objects.filter(
            benefit__in=_benefits_of(sluices, unit).values("pk")
        ).values_list("due_on", "recorded_at")
        due = on_time = 0
        for due_on, recorded_at in rows:
            if recorded_at is None and due_on + grace >= today:
                continue  # still in time
            due += 1
            if recorded_at is not None and timezone.localdate(recorded_at) <= due_on + grace:
                on_time += 1
        return FollowUpTimeliness(due=due, on_time=on_time)

    return _cached("follow_ups_on_time", (sluice_pks(sluices), _pk(unit), today), build)
