"""Small-scale tests: an idea is tried for a limited time or in one unit before it is rolled out."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .ideas import Idea
from .units import OrganisationUnit


class PilotOutcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    PARTLY = "partly", _("Partly successful")
    FAILED = "failed", _("Did not work")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class PilotDecision(models.TextChoices):
    SCALE_UP = "scale_up", _("Scale up")
    TEST_AGAIN = "test_again", _("Test again")
    STOP = "stop", _("Stop")


class Pilot(models.Model):
    """One small-scale test of an idea, with what it taught us.

    A failed test is a result, not an embarrassment: its lessons can be
    published like any other. The decision moves the idea on
    (``actions.decide_pilot``).
    """

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="pilots"
    )
    title = models.CharField(_("name of the test"), max_length=200)
    hypothesis = models.TextField(
        _("hypothesis"), help_text=_("What we believe will happen, and for whom.")
    )
    success_criteria = models.TextField(
        _("success criteria"), help_text=_("How we will know that it worked.")
    )
    units = models.ManyToManyField(
        OrganisationUnit, verbose_name=_("units where it runs"), blank=True, related_name="pilots"
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    actual_cost = models.DecimalField(
        _("actual cost (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    result = models.TextField(_("measured result"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=PilotOutcome.choices, blank=True
    )
    lessons = models.TextField(
        _("lessons learned"),
        blank=True,
        help_text=_("What we learned, also from what did not work. Can be published."),
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=PilotDecision.choices, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("small-scale test")
        verbose_name_plural = _("small-scale tests")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A test cannot end before it starts.")})
