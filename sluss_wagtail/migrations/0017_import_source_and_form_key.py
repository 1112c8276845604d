"""One opened form, one idea (``form_key``); imported drafts belong to their feed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0016_consent_withdrawn_event"),
    ]

    operations = [
        # One opened form makes at most one idea and one adoption (spam.FormAlreadySent).
        migrations.AddField(
            model_name="idea",
            name="form_key",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.AddField(
            model_name="adoption",
            name="form_key",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        # Imported drafts are matched by their source feed and id together.
        migrations.AddField(
            model_name="innovationpage",
            name="source_feed",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=2000,
                verbose_name="source feed",
            ),
        ),
    ]
