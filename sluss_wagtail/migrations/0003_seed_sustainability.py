from django.db import migrations

GOAL_NUMBERS = range(1, 18)
DIMENSION_KEYS = ("social", "ecological", "economic")


def seed(apps, schema_editor):
    Goal = apps.get_model("sluss_wagtail", "SustainableDevelopmentGoal")
    Dimension = apps.get_model("sluss_wagtail", "SustainabilityDimension")
    for number in GOAL_NUMBERS:
        Goal.objects.get_or_create(number=number)
    for key in DIMENSION_KEYS:
        Dimension.objects.get_or_create(key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0002_tags_sdgs_events_settings"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
