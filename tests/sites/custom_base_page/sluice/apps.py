from django.apps import AppConfig


class SluiceConfig(AppConfig):
    name = "tests.sites.custom_base_page.sluice"
    label = "custom_sluice"
    default_auto_field = "django.db.models.BigAutoField"
