"""The statistics' counts, kept in step with the ideas (``stats.retally``).

``Tally`` holds, per sluice, month of receipt (in the site's default time zone), unit
and challenge, how many of the ideas received then count under each figure: received,
at a stage now, reached a stage, by submitter kind, channel, goal, pilot outcome, and
the lead times to first feedback and to decision in started hours. ``IdeaTally`` keeps
what each idea was last counted under, so a change of an idea takes out exactly what
it put in. The ids are plain integers, not foreign keys: a deleted unit or challenge
is recounted by ``stats`` (its ideas' rows), never cascaded here behind its back.

Only ``stats.tallies`` writes these tables; ``manage.py sluss_recount_stats`` counts them
afresh and reports (or repairs) any difference.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tally(models.Model):
    """How many of one cell's ideas count under ``figure`` = ``value``."""

    sluice_pk = models.IntegerField(_("sluice"))
    month = models.DateField(_("month received"))
    #: 0 for none: a unique constraint counts NULLs as distinct.
    unit_pk = models.IntegerField(_("unit"), default=0)
    challenge_pk = models.IntegerField(_("challenge"), default=0)
    figure = models.CharField(_("figure"), max_length=20)
    value = models.CharField(_("value"), max_length=40, blank=True)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("statistics count")
        verbose_name_plural = _("statistics counts")
        constraints = [
            models.UniqueConstraint(
                fields=["sluice_pk", "month", "unit_pk", "challenge_pk", "figure", "value"],
                name="sluss_tally_cell",
            )
        ]
        indexes = [models.Index(fields=["sluice_pk", "month"], name="sluss_tally_sluice_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.figure} {self.value}: {self.count}"


class IdeaTally(models.Model):
    """What one idea is counted under in ``Tally``: ``[[figure, value, n], …]`` in its
    cell (sluice, month, unit, challenge)."""

    idea_pk = models.IntegerField(_("idea"), primary_key=True)
    sluice_pk = models.IntegerField(_("sluice"))
    month = models.DateField(_("month received"))
    unit_pk = models.IntegerField(_("unit"), default=0)
    challenge_pk = models.IntegerField(_("challenge"), default=0)
    keys = models.JSONField(_("counted under"), default=list)

    class Meta:
        verbose_name = _("idea's statistics counts")
        verbose_name_plural = _("ideas' statistics counts")
        indexes = [
            models.Index(fields=["unit_pk"], name="sluss_ideatally_unit"),
            models.Index(fields=["challenge_pk"], name="sluss_ideatally_challenge"),
        ]

    def __str__(self):
        return f"idea {self.idea_pk}"
