from django.db import migrations


def backfill(apps, schema_editor):
    """Each idea's site: the site whose tree holds its page (else its challenge), the
    most specific root first, as Wagtail's ``Page.get_site()`` picks; else the default."""
    Idea = apps.get_model("sluss_wagtail", "Idea")
    Site = apps.get_model("wagtailcore", "Site")
    sites = list(
        Site.objects.select_related("root_page").order_by(
            "-root_page__url_path", "-is_default_site", "hostname"
        )
    )
    for lookup in ("source_page__url_path", "challenge__url_path"):
        for site in sites:
            Idea.objects.filter(
                site__isnull=True, **{f"{lookup}__startswith": site.root_page.url_path}
            ).update(site=site)
    default = next((site for site in sites if site.is_default_site), None)
    if default is not None:
        Idea.objects.filter(site__isnull=True).update(site=default)


class Migration(migrations.Migration):
    dependencies = [
        ("sluss_wagtail", "0020_sites_idea_site"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
