from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The package's app label: its permissions are ``f"{APP_LABEL}.<codename>"``.
APP_LABEL = "sluss_wagtail"


class SlussWagtailConfig(AppConfig):
    name = "sluss_wagtail"
    label = APP_LABEL
    verbose_name = _("Innovation sluice")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401

        signal_handlers.connect()
