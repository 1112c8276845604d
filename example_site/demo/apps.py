from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The example site's demo content (``manage.py sluss_demo``): not part of the package."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
