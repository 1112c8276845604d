from django.db import migrations
from wagtail.models import (
    BootstrapLocaleField,
    BootstrapTranslatableModel,
    BootstrapTranslationKeyField,
)


class Migration(migrations.Migration):
    # As Wagtail's guide "Defining custom base page models" has it: the base page is made
    # before Wagtail's own tables, its locale and translation key after them.
    dependencies = [
        ("custom_basepage", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        BootstrapLocaleField("custom_basepage.BasePage"),
        BootstrapTranslationKeyField("custom_basepage.BasePage"),
        BootstrapTranslatableModel("custom_basepage.BasePage"),
    ]
