"""Adoptions: another unit or municipality says "we use this too"."""

import swapper
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from ..page_types import innovation_choices
from ..spam import sent_before
from .constraints import text_length_constraints

swapper.set_app_prefix("wagtailcore", "wagtail")

ADAPTATION_MAX_LENGTH = 5000
MODERATOR_NOTE_MAX_LENGTH = 2000


class AdoptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class AdoptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=AdoptionStatus.CONFIRMED)

    def pending(self):
        return self.filter(status=AdoptionStatus.PENDING)

    def register(self, *, submission_key=None, form_key=None, benefit=None, **fields):
        """Save a new pending adoption, with the benefit its adopter reported (a dict of
        ``Benefit`` fields, or None), in one transaction.

        As ``Idea.objects.submit()``: ``submission_key`` (the opened form with its
        answers) makes the same filled-in form sent twice (a double click, a reload, two
        requests at once) return the adoption it already created; ``form_key`` (the
        opened form alone) makes one opened form one registration at most: other answers
        on it raise ``spam.FormAlreadySent``.
        """
        from .benefits import Benefit

        try:
            with transaction.atomic():
                adoption = self.create(
                    submission_key=submission_key or None, form_key=form_key or None, **fields
                )
                if benefit:
                    Benefit.objects.create(adoption=adoption, **benefit)
        except IntegrityError:
            existing = sent_before(self, submission_key, form_key)
            if existing is None:
                raise
            return existing
        return adoption


class Adoption(models.Model):
    """A registration that an innovation is used somewhere else.

    Anyone can register one from the innovation's page; it is shown only once a
    moderator has confirmed it. The contact address is personal data and is
    never shown publicly.
    """

    # A page of the innovation role (``page_types``), through the swappable page model;
    # ``InnovationPageMixin.adoptions`` reads them from the page.
    innovation = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=innovation_choices,
    )
    organisation = models.CharField(_("organisation or unit"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=100)
    # Blank once erased (on request, or by sluss_retention after the decision).
    contact_email = models.EmailField(_("contact e-mail"), max_length=254, blank=True)
    adaptation = models.TextField(
        _("how it was adapted"), max_length=ADAPTATION_MAX_LENGTH, blank=True
    )
    since = models.DateField(_("in use since"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AdoptionStatus.choices,
        default=AdoptionStatus.PENDING,
        db_index=True,
    )
    moderator_note = models.TextField(
        _("note from the moderator"), max_length=MODERATOR_NOTE_MAX_LENGTH, blank=True
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
    # The same filled-in form sent twice (double click, reload) finds this key.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The opened form it was sent from (``spam.SpamProtectedForm.form_key``): one opened
    # form, one registration at most.
    form_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = text_length_constraints(
            "adoption",
            {"adaptation": ADAPTATION_MAX_LENGTH, "moderator_note": MODERATOR_NOTE_MAX_LENGTH},
        )

    def __str__(self):
        return f"{self.organisation}, {self.municipality}"
