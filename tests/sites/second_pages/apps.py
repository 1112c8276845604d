from django.apps import AppConfig


class SecondPagesConfig(AppConfig):
    name = "tests.sites.second_pages"
    label = "second_pages"
    default_auto_field = "django.db.models.BigAutoField"
