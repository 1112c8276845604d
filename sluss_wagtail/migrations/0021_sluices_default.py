"""Every existing idea, unit and reference counter belongs to the default sluice.

An installation with one sluice needs no configuration: the default sluice is named
after the default site, and every site belongs to it until a network coordinator
gives a site a sluice of its own.
"""

from django.db import migrations

DEFAULT_NAME = "Innovation sluice"


def create_default_sluice(apps, schema_editor):
    Sluice = apps.get_model("sluss_wagtail", "Sluice")
    Site = apps.get_model("wagtailcore", "Site")
    alias = schema_editor.connection.alias
    default = Sluice.objects.using(alias).filter(is_default=True).first()
    if default is None:
        site = Site.objects.using(alias).filter(is_default_site=True).first()
        name = (site.site_name or site.hostname) if site else DEFAULT_NAME
        default = Sluice.objects.using(alias).create(name=name[:200], is_default=True)
    for model_name in ("Idea", "OrganisationUnit", "ReferenceCounter"):
        model = apps.get_model("sluss_wagtail", model_name)
        model.objects.using(alias).filter(sluice__isnull=True).update(sluice=default)


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0020_sluices_schema"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_default_sluice, migrations.RunPython.noop)]
