from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0015_idea_search_trigram_indexes"),
    ]

    operations = [
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
