"""Benefits realisation (*nyttorealisering*): what an implemented idea was expected to give,
who answers for it, and what the follow-ups measured; and the implementation plan in steps.

A ``Benefit`` is recorded when a test is scaled up or an idea implemented: what kind of
benefit, in which unit of measure, from which baseline to which expected value, for whom,
and a benefit owner (a named user). Its follow-ups (``BenefitFollowUp``) are due a number of
months after it starts (the sluice's ``benefit_follow_up_months``, 6 and 12 by default);
each records the measured value, how it was measured and a comment. A follow-up not done
within ``FOLLOW_UP_GRACE_DAYS`` of its date is *missed*, and shows as such. A benefit closes
as realised, partly realised or not realised, with its lessons.

The public sees a benefit only through a public innovation page
(``InnovationPage.objects.public()``): ``BenefitQuerySet.of_innovation`` is asked with a
page that passed it, and the showcase's kind filter narrows the public queryset.
"""

import datetime

import swapper
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ideas import Idea

#: A follow-up done within this many days after its date is done on time; one not done by
#: then is missed.
FOLLOW_UP_GRACE_DAYS = 30

TEXT_MAX_LENGTH = 2000
VALUE_DIGITS = 14
VALUE_DECIMALS = 2


class BenefitKind(models.TextChoices):
    HOURS = "hours", _("Hours saved per year")
    MONEY = "money", _("Money saved per year")
    QUALITY = "quality", _("Quality or satisfaction")
    CO2E = "co2e", _("CO₂e (climate impact)")
    OTHER = "other", _("Other benefit")


#: The unit of measure a kind suggests, when the coordinator writes none.
DEFAULT_UNITS = {
    BenefitKind.HOURS: _("hours per year"),
    BenefitKind.MONEY: _("SEK per year"),
    BenefitKind.CO2E: _("tonnes CO₂e per year"),
}


class BenefitStatus(models.TextChoices):
    OPEN = "open", _("Being followed up")
    REALISED = "realised", _("Realised")
    PARTLY = "partly", _("Partly realised")
    NOT_REALISED = "not_realised", _("Not realised")


CLOSED_STATUSES = (BenefitStatus.REALISED, BenefitStatus.PARTLY, BenefitStatus.NOT_REALISED)


def add_months(day, months):
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class BenefitQuerySet(models.QuerySet):
    def of_innovation(self, page):
        """The benefits an innovation page shows: its idea's (recorded in this sluice), its
        own (brought over by an import) and those its adoptions reported.

        Ask with a page the public may see (``InnovationPage.objects.public()``)."""
        # An adoption's benefit only once a moderator confirmed the adoption.
        condition = Q(innovation_id=page.pk) | Q(
            adoption__innovation_id=page.pk, adoption__status="confirmed"
        )
        if page.idea_id:
            condition |= Q(idea_id=page.idea_id)
        return self.filter(condition).select_related("adoption").order_by("pk")

    def open(self):
        return self.filter(status=BenefitStatus.OPEN)

    def owned_by(self, user):
        return self.filter(owner=user)


class Benefit(models.Model):
    """One expected benefit of an implemented idea, and how far it was realised."""

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        related_name="benefits",
        null=True,
        blank=True,
    )
    # A benefit brought over with an innovation from another sluice's feed has no idea here.
    innovation = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    # A benefit an adopting organisation reported it realised itself.
    adoption = models.ForeignKey(
        "sluss_wagtail.Adoption",
        verbose_name=_("adoption"),
        on_delete=models.CASCADE,
        related_name="benefits",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind of benefit"), max_length=20, choices=BenefitKind.choices)
    title = models.CharField(
        _("benefit"), max_length=200, help_text=_("What gets better, in a few words.")
    )
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=60, help_text=_("Like hours per year or SEK per year.")
    )
    baseline = models.DecimalField(
        _("baseline"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_DECIMALS,
        null=True,
        blank=True,
        help_text=_("Where it stands before the change."),
    )
    expected = models.DecimalField(
        _("expected value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_DECIMALS,
        help_text=_("The benefit expected per year, in the unit of measure."),
    )
    realised = models.DecimalField(
        _("realised value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_DECIMALS,
        null=True,
        blank=True,
        help_text=_("The latest follow-up's measured value."),
    )
    realised_on = models.DateField(_("last measured"), null=True, blank=True)
    for_whom = models.CharField(_("for whom"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("benefit owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The named person who follows the benefit up."),
    )
    # Imported benefits name their owner's role, never a person of another installation.
    owner_name = models.CharField(_("benefit owner (name)"), max_length=200, blank=True)
    starts_on = models.DateField(
        _("counted from"),
        default=datetime.date.today,
        help_text=_("The follow-ups are due some months after this date."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BenefitStatus.choices,
        default=BenefitStatus.OPEN,
        db_index=True,
    )
    lessons = models.TextField(_("lessons learned"), max_length=TEXT_MAX_LENGTH, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    source_url = models.URLField(_("imported from"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BenefitQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.status in CLOSED_STATUSES and not self.lessons.strip():
            raise ValidationError({"lessons": _("Write the lessons when the benefit closes.")})

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES

    @property
    def share_realised(self):
        """The realised change as a share of the expected one (from the baseline), or None."""
        if self.realised is None:
            return None
        base = self.baseline or 0
        expected_change = self.expected - base
        if not expected_change:
            return None
        return float((self.realised - base) / expected_change)

    def plan_follow_ups(self, months):
        """Create the follow-ups ``months`` after the start (those not planned yet)."""
        planned = set(self.follow_ups.values_list("due_on", flat=True))
        due_dates = [add_months(self.starts_on, month) for month in months]
        BenefitFollowUp.objects.bulk_create(
            BenefitFollowUp(benefit=self, due_on=day) for day in due_dates if day not in planned
        )


class FollowUpState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    DUE = "due", _("Due")
    MISSED = "missed", _("Missed")
    DONE = "done", _("Done")
    DONE_LATE = "done_late", _("Done late")


class BenefitFollowUpQuerySet(models.QuerySet):
    def undone(self):
        return self.filter(recorded_at=None)

    def due(self, today=None):
        """Follow-ups not done whose date has come, of benefits still followed up."""
        today = today or timezone.localdate()
        return self.undone().filter(due_on__lte=today, benefit__status=BenefitStatus.OPEN)

    def missed(self, today=None):
        today = today or timezone.localdate()
        grace = datetime.timedelta(days=FOLLOW_UP_GRACE_DAYS)
        return self.undone().filter(due_on__lt=today - grace)


class BenefitFollowUp(models.Model):
    """One follow-up of a benefit: when it is due, and what was measured."""

    benefit = models.ForeignKey(
        Benefit, verbose_name=_("benefit"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("due"))
    measured_value = models.DecimalField(
        _("measured value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_DECIMALS,
        null=True,
        blank=True,
    )
    how_measured = models.TextField(
        _("how it was measured"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    comment = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH, blank=True)
    recorded_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the owner was last reminded (``sluss_reminders``): once per follow-up.
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)

    objects = BenefitFollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.benefit} – {self.due_on:%Y-%m-%d}"

    def state(self, today=None):
        today = today or timezone.localdate()
        grace = datetime.timedelta(days=FOLLOW_UP_GRACE_DAYS)
        if self.recorded_at is not None:
            done_on = timezone.localdate(self.recorded_at)
            return FollowUpState.DONE if done_on <= self.due_on + grace else FollowUpState.DONE_LATE
        if today < self.due_on:
            return FollowUpState.UPCOMING
        if today <= self.due_on + grace:
            return FollowUpState.DUE
        return FollowUpState.MISSED

    @property
    def state_label(self):
        return FollowUpState(self.state()).label


class StepStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ImplementationStep(models.Model):
    """One step of an idea's implementation plan (*införandeplan*): roll-out to a unit, say."""

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        related_name="implementation_steps",
    )
    title = models.CharField(
        _("step"), max_length=200, help_text=_("Like: roll-out to the home care in Lerum.")
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.PLANNED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("implementation step")
        verbose_name_plural = _("implementation steps")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A step cannot end before it starts.")})


# ---- in public ------------------------------------------------------------------------------

#: The width of a bar at its scale's full value, in the chart's own units (a viewBox).
CHART_BAR_MAX = 100


def chart_rows(found):
    """Realised against expected, one small chart per benefit (units of measure differ, so
    each benefit has its own scale): bar lengths from 0 to ``CHART_BAR_MAX``."""
    rows = []
    for benefit in found:
        values = [abs(benefit.expected)]
        if benefit.realised is not None:
            values.append(abs(benefit.realised))
        if benefit.baseline is not None:
            values.append(abs(benefit.baseline))
        top = max(values) or 1

        def length(value, top=top):
            return round(float(abs(value)) / float(top) * CHART_BAR_MAX, 1)

        rows.append(
            {
                "benefit": benefit,
                "expected_length": length(benefit.expected),
                "realised_length": (
                    length(benefit.realised) if benefit.realised is not None else None
                ),
                "baseline_length": (
                    length(benefit.baseline) if benefit.baseline is not None else None
                ),
                "percent": (
                    round(benefit.share_realised * 100)
                    if benefit.share_realised is not None
                    else None
                ),
            }
        )
    return rows


def public_benefits(page):
    """The benefits an innovation page shows, for a page the public may see (the caller's
    page passed ``InnovationPage.objects.public()``): one query."""
    return list(Benefit.objects.of_innovation(page))


def public_steps(page):
    """The implementation plan an innovation page shows (its idea's steps): one query, none
    for a page without an idea."""
    if not page.idea_id:
        return []
    return list(ImplementationStep.objects.filter(idea_id=page.idea_id))


def innovations_with_benefit(innovations, kind):
    """The innovations (a public queryset) that show a benefit of ``kind``: their idea's, or
    their own (imported), or a confirmed adoption's. Subqueries, so nothing repeats."""
    of_kind = Benefit.objects.filter(kind=kind)
    return innovations.filter(
        Q(idea_id__in=of_kind.exclude(idea=None).values("idea"))
        | Q(pk__in=of_kind.exclude(innovation=None).values("innovation"))
        | Q(pk__in=of_kind.filter(adoption__status="confirmed").values("adoption__innovation"))
    )


def benefits_by_page(pages):
    """``{page.pk: [benefits]}`` of the innovation pages ``pages`` (pages the public may
    see) in one query: as ``of_innovation`` for each, with the adoptions that reported."""
    pages = [page for page in pages if getattr(page, "pk", None)]
    found = {page.pk: [] for page in pages}
    if not pages:
        return found
    by_idea = {}
    for page in pages:
        if page.idea_id:
            by_idea.setdefault(page.idea_id, []).append(page.pk)
    queryset = (
        Benefit.objects.filter(
            Q(idea_id__in=list(by_idea))
            | Q(innovation_id__in=list(found))
            | Q(adoption__innovation_id__in=list(found), adoption__status="confirmed")
        )
        .select_related("adoption")
        .order_by("pk")
    )
    for benefit in queryset:
        if benefit.idea_id in by_idea:
            targets = by_idea[benefit.idea_id]
        elif benefit.innovation_id in found:
            targets = [benefit.innovation_id]
        else:
            targets = [benefit.adoption.innovation_id]
        for pk in targets:
            found[pk].append(benefit)
    return found


def benefit_summaries(innovations):
    """Set ``benefit_summary`` on each innovation of a showcase's page of cards: how many
    benefits it shows and how many were measured, in one query for the page."""
    pages = [page for page in innovations if getattr(page, "pk", None)]
    by_pk = benefits_by_page(pages)
    for page in pages:
        found = by_pk.get(page.pk, [])
        page.benefit_summary = {
            "count": len(found),
            "measured": sum(benefit.realised is not None for benefit in found),
            "realised": sum(
                benefit.status in (BenefitStatus.REALISED, BenefitStatus.PARTLY)
                for benefit in found
            ),
        }
