from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import APP_LABEL


class SlussWagtailConfig(AppConfig):
    name = "sluss_wagtail"
    label = APP_LABEL
    verbose_name = _("Innovation sluice")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, fts_index, signal_handlers  # noqa: F401

        signal_handlers.connect()
        # SQLite: triggers of the ideas' full-text index that a remade table lost.
        post_migrate.connect(
            signal_handlers.on_post_migrate, sender=self, dispatch_uid="sluss_wagtail.fts_index"
        )
