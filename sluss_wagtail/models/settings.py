from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField


@register_setting(icon="clipboard-list")
class SlussSettings(BaseSiteSetting):
    """Per-site settings an editor changes without a deploy."""

    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "Shown beside every idea form: how the municipality handles the idea giver's "
            "personal data (GDPR art. 13). Leave empty to show the package's standard text."
        ),
    )
    feedback_promise_days = models.PositiveSmallIntegerField(
        _("feedback promise in days"),
        default=14,
        help_text=_("Within how many days every idea giver hears from us."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Where idea givers can write with questions; shown on receipts."),
    )

    panels = [
        FieldPanel("privacy_notice"),
        FieldPanel("feedback_promise_days"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = _("innovation sluice settings")
        verbose_name_plural = _("innovation sluice settings")
