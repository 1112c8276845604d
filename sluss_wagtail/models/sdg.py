from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import sdg


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 goals; the rows are created by a migration, the labels come from ``sdg.py``."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    def __str__(self):
        return f"{self.number}. {self.label}"

    @property
    def label(self):
        return sdg.GOAL_LABELS.get(self.number, "")


class SustainabilityDimension(models.Model):
    """Social, ecological or economic sustainability; rows created by a migration."""

    key = models.CharField(_("key"), max_length=20, primary_key=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("sustainability dimension")
        verbose_name_plural = _("sustainability dimensions")

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return sdg.DIMENSION_LABELS.get(self.key, self.key)
