"""Assessment by criteria and recorded decisions: how an idea was judged, and what was decided.

- ``Criterion``: what ideas are judged by, per sluice; a challenge may have a set of its
  own, which then replaces the sluice's for the ideas sent to it (``criteria_for``).
- ``AssessmentRequest``: a coordinator asks an assessor to assess an idea by a date.
- ``Assessment`` and its ``AssessmentScore`` rows: one assessor's scores and comments,
  or a declared conflict of interest. A submitted assessment is a record: the model
  refuses to change or delete it; a new one supersedes it.
- ``Decision``: who decided what about the idea, why (the idea giver reads it) and,
  for a test, the money granted. It moves the idea through ``process.move_idea``
  (``sluss_wagtail.assessing.decide``).

The domain functions (asking, submitting, summing up, deciding) are in
``sluss_wagtail.assessing``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from swapper import get_model_name

from .. import process
from ..page_types import challenge_choices
from .ideas import Idea, IdeaEvent
from .sluices import Sluice

#: A scale has at least two steps and at most ten (1–2 … 1–10).
MIN_STEPS = 2
MAX_STEPS = 10
LABEL_MAX_LENGTH = 100
COMMENT_MAX_LENGTH = 2_000
NOTE_MAX_LENGTH = 10_000


class RecordIsFinal(ValidationError):
    """Raised when something tries to change or delete a submitted record."""


def scale_labels(text):
    """The labels of a scale, lowest first: one a line, empty lines left out."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


class CriterionQuerySet(models.QuerySet):
    def of_sluice(self, sluice):
        """The sluice's own set (not any challenge's)."""
        return self.filter(sluice_id=getattr(sluice, "pk", sluice), challenge__isnull=True)


class Criterion(models.Model):
    """One thing ideas are judged by: a question and a scale with a label per step."""

    sluice = models.ForeignKey(
        Sluice, verbose_name=_("sluice"), on_delete=models.CASCADE, related_name="criteria"
    )
    challenge = models.ForeignKey(
        get_model_name("wagtailcore", "Page"),
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=challenge_choices,
        help_text=_(
            "Leave empty for the sluice's criteria. A challenge with criteria of its own is "
            "assessed by those only."
        ),
    )
    name = models.CharField(_("name"), max_length=100)
    question = models.TextField(_("question"), max_length=1_000)
    scale = models.TextField(
        _("scale"),
        max_length=(LABEL_MAX_LENGTH + 1) * MAX_STEPS,
        help_text=_("A label for each step, one a line, lowest first: 2 to 10 steps."),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("How much the criterion counts in the weighted total."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")

    def __str__(self):
        return self.name

    @property
    def labels(self):
        return scale_labels(self.scale)

    @property
    def steps(self):
        return len(self.labels)

    def clean(self):
        super().clean()
        labels = self.labels
        if not MIN_STEPS <= len(labels) <= MAX_STEPS:
            raise ValidationError(
                {"scale": _("A scale has 2 to 10 steps, one label a line.")}, code="steps"
            )
        if any(len(label) > LABEL_MAX_LENGTH for label in labels):
            raise ValidationError(
                {"scale": _("A step's label is at most 100 characters.")}, code="label"
            )


def criteria_for(idea):
    """The criteria ``idea`` is assessed by: its challenge's own set if it has one
    (through any of the challenge's translations), else its sluice's."""
    if idea.challenge_id:
        from .translations import translations_of

        own = Criterion.objects.filter(
            challenge__in=translations_of(idea.challenge_id).values("pk")
        )
        own = list(own)
        if own:
            return own
    return list(Criterion.objects.of_sluice(idea.sluice_id))


class AssessmentRequestQuerySet(models.QuerySet):
    def open(self):
        """The requests no assessment answers yet."""
        return self.filter(assessments__isnull=True)

    def for_assessor(self, user):
        return self.filter(assessor=user)


class AssessmentRequest(models.Model):
    """A coordinator asks an assessor to assess an idea by a date."""

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        related_name="assessment_requests",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(_("requested"), default=timezone.now)

    objects = AssessmentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("assessment request")
        verbose_name_plural = _("assessment requests")
        permissions = [("assess_idea", _("Can be asked to assess ideas"))]
        indexes = [models.Index(fields=["assessor", "due_on"], name="sluss_assessreq_assessor")]

    def __str__(self):
        return f"{self.idea} – {self.assessor}"

    def is_overdue(self, today=None):
        return self.due_on < (today or timezone.localdate())


class RecordQuerySet(models.QuerySet):
    """A record's rows are never updated or deleted in bulk either."""

    def update(self, **kwargs):
        raise RecordIsFinal(_("A submitted record is never changed."))

    def delete(self):
        raise RecordIsFinal(_("A submitted record is never deleted."))


class ImmutableRecord(models.Model):
    """A row that is written once: saving it again or deleting it is refused.

    (The rows go with their idea: a deleted idea takes them along, as its events.)
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RecordIsFinal(_("A submitted record is never changed."))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsFinal(_("A submitted record is never deleted."))


class AssessmentQuerySet(RecordQuerySet):
    def current(self):
        """The assessments no later one supersedes."""
        return self.filter(superseded_by__isnull=True)

    def scored(self):
        return self.filter(conflict_of_interest=False)


class Assessment(ImmutableRecord):
    """One assessor's assessment of an idea: scores and comments, or a conflict of interest.

    ``weighted_total`` is this assessment's total on a scale of 0 to 100: each score
    placed on its criterion's scale (lowest step 0, highest 100), weighted by the
    criterion's weight. The idea's weighted total is the mean of its current totals.
    """

    request = models.ForeignKey(
        AssessmentRequest,
        verbose_name=_("assessment request"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    conflict_note = models.TextField(_("about the conflict"), max_length=2_000, blank=True)
    weighted_total = models.DecimalField(
        _("weighted total"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="superseded_by",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.idea} – {self.assessor}"


class AssessmentScore(ImmutableRecord):
    """One criterion's score in an assessment. The criterion's name, weight and number
    of steps are kept as they were: the record stays true when the criteria change."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("assessment criterion"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    criterion_name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    steps = models.PositiveSmallIntegerField(_("steps"))
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=models.F("steps")),
                name="sluss_assessmentscore_on_scale",
            )
        ]

    def __str__(self):
        return f"{self.criterion_name}: {self.score}/{self.steps}"

    @property
    def share(self):
        """The score as a share of its scale, 0 (lowest step) to 1 (highest)."""
        return Decimal(self.score - 1) / Decimal(self.steps - 1)


class DecisionKind(models.TextChoices):
    DEVELOP = "develop", _("Develop")
    TEST = "test", _("Test in small scale")
    IMPLEMENT = "implement", _("Implement")
    FORWARD = "forward", _("Forward")
    CLOSE = "close", _("Close")
    PARK = "park", _("Park")


#: Where each decision moves the idea (``process.move_idea``).
DECISION_STAGES = {
    DecisionKind.DEVELOP: process.DEVELOPMENT,
    DecisionKind.TEST: process.PILOT,
    DecisionKind.IMPLEMENT: process.IMPLEMENTED,
    DecisionKind.FORWARD: process.FORWARDED,
    DecisionKind.CLOSE: process.CLOSED,
    DecisionKind.PARK: process.PARKED,
}


class Decision(ImmutableRecord):
    """A decision about an idea: when, who (a person, or a body and those present), what,
    why (the idea giver reads it), an internal note and, for a test, the money granted."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="decisions"
    )
    decided_on = models.DateField(_("decision date"), default=timezone.localdate)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The person who decided, when no body did."),
    )
    body = models.CharField(
        _("deciding body"),
        max_length=200,
        blank=True,
        help_text=_("A body that decided, such as the idea council."),
    )
    present = models.TextField(_("present"), max_length=2_000, blank=True)
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    reasons = models.TextField(_("reasons"), max_length=NOTE_MAX_LENGTH)
    internal_note = models.TextField(_("internal note"), max_length=NOTE_MAX_LENGTH, blank=True)
    amount_granted = models.DecimalField(
        _("money granted (SEK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    funding_source = models.CharField(_("source of the money"), max_length=200, blank=True)
    event = models.OneToOneField(
        IdeaEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_record",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [models.Index(fields=["decided_on"], name="sluss_decision_decided_on")]

    def __str__(self):
        return f"{self.idea}: {self.get_kind_display()}"

    @property
    def decider(self):
        """Who decided, as a text: the body, else the person."""
        if self.body:
            return self.body
        if self.decided_by is not None:
            return self.decided_by.get_full_name() or self.decided_by.get_username()
        return ""

    def clean(self):
        super().clean()
        errors = {}
        if not (self.reasons or "").strip():
            errors["reasons"] = _("Say why: the idea giver reads the reasons.")
        if self.body.strip() and not self.present.strip():
            errors["present"] = _("Name those present when a body decided.")
        if self.kind != DecisionKind.TEST and (
            self.amount_granted is not None or self.funding_source.strip()
        ):
            errors["amount_granted"] = _("Money is granted only for a test in small scale.")
        elif self.amount_granted and not self.funding_source.strip():
            errors["funding_source"] = _("Say where the money comes from.")
        if errors:
            raise ValidationError(errors)
