from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlussWagtailPagesConfig(AppConfig):
    name = "sluss_wagtail.pages"
    label = "sluss_wagtail_pages"
    verbose_name = _("Innovation sluice pages")
    default_auto_field = "django.db.models.BigAutoField"
