from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Pages built with Wagtail alone, to measure the package's pages against."""

    name = "benchmarks"
    label = "benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
