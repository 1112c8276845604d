from django.db import models
from django.utils.translation import gettext_lazy as _

from .sluices import Sluice, SluiceMemberMixin, SluiceMemberQuerySet


class OrganisationUnitQuerySet(SluiceMemberQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_sluice(self, sluice):
        """The units of ``sluice`` (a sluice or its primary key)."""
        return self.filter(sluice_id=getattr(sluice, "pk", sluice))


class OrganisationUnit(SluiceMemberMixin, models.Model):
    """One of the municipality's units (enhet, verksamhet, förvaltning).

    Ideas are routed to a unit; the members of ``reviewer_group`` review them. A unit
    belongs to one sluice, and only that sluice's ideas go to it.
    """

    sluice = models.ForeignKey(
        Sluice,
        verbose_name=_("sluice"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    reviewer_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("reviewer group"),
        help_text=_("Members of this Wagtail group review the ideas routed to the unit."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_pilot_unit = models.BooleanField(
        _("pilot unit"),
        default=False,
        help_text=_("Pilot units try the sluice and its small-scale tests first."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive units keep their ideas but are no longer offered on forms."),
    )

    objects = OrganisationUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        constraints = [
            models.UniqueConstraint(fields=["sluice", "name"], name="sluss_unit_name_per_sluice")
        ]

    def __str__(self):
        return self.name
