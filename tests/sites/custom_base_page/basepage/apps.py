from django.apps import AppConfig


class BasePageConfig(AppConfig):
    name = "tests.sites.custom_base_page.basepage"
    label = "custom_basepage"
    default_auto_field = "django.db.models.BigAutoField"
