"""`manage.py sluss_demo` builds a believable demo, and running it again changes nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands
from wagtail.models import Site

import sluss_wagtail
from demo.management.commands.sluss_demo import ADMIN_PASSWORD
from sluss_wagtail import process
from sluss_wagtail.links import inbox_path
from sluss_wagtail.models import Idea, OrganisationUnit, Sluice
from sluss_wagtail.models.ideas import SubmitterKind
from sluss_wagtail.pages.models import ChallengePage, IdeaSubmissionPage, InnovationPage

pytestmark = pytest.mark.django_db


def test_the_demo_is_believable_and_idempotent(settings, client, capsys):
    settings.DEBUG = True
    call_command("sluss_demo")
    output = capsys.readouterr().out
    assert "admin" in output and "sluss-demo-2026" in output

    counts = (
        Idea.objects.count(),
        OrganisationUnit.objects.count(),
        IdeaSubmissionPage.objects.count(),
    )
    call_command("sluss_demo")
    assert (
        Idea.objects.count(),
        OrganisationUnit.objects.count(),
        IdeaSubmissionPage.objects.count(),
    ) == counts

    exempelby = Sluice.objects.default()
    assert OrganisationUnit.objects.of_sluice(exempelby).filter(is_pilot_unit=True).count() == 3
    assert set(Idea.objects.values_list("submitter_kind", flat=True)) == set(SubmitterKind.values)
    stages = set(Idea.objects.values_list("stage", flat=True))
    assert {process.RECEIVED, process.PILOT, process.IMPLEMENTED, process.CLOSED} <= stages
    assert all(idea.events.count() >= 1 for idea in Idea.objects.all())
    page = IdeaSubmissionPage.objects.get()
    assert client.get(page.url).status_code == 200
    home = Site.objects.get(is_default_site=True).root_page
    challenges = ChallengePage.objects.live().descendant_of(home)
    assert sorted(c.status for c in challenges) == ["closed", "open", "upcoming"]
    closed = next(c for c in challenges if c.status == "closed")
    assert closed.outcome and closed.get_ideas_that_went_further().count() == 2
    assert all(client.get(c.url).status_code == 200 for c in challenges)
    innovation = InnovationPage.objects.live().filter(idea__isnull=False).get()
    assert sorted(innovation.pilots.values_list("outcome", flat=True)) == ["failed", "successful"]
    assert innovation.get_parent().specific.get_workflow() is not None
    showcase_html = client.get(innovation.get_parent().url + "?sdg=3").content.decode()
    assert innovation.title in showcase_html
    assert client.login(username="admin", password="sluss-demo-2026")


def test_the_demo_refuses_a_production_site(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("sluss_demo")


def test_the_demo_site_uses_the_port_it_is_served_on(settings):
    from wagtail.models import Site

    settings.DEBUG = True
    call_command("sluss_demo", port=8123)
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8123"


def test_the_demo_has_a_pending_adoption_and_a_showcase_to_import_into(
    settings, client, capsys, tmp_path
):
    from sluss_wagtail import actions
    from sluss_wagtail.models import Adoption
    from sluss_wagtail.pages.models import ShowcaseIndexPage

    settings.DEBUG = True
    call_command("sluss_demo")
    call_command("sluss_demo")
    output = capsys.readouterr().out
    adoption = Adoption.objects.get()
    assert adoption.status == "pending"
    innovation = adoption.innovation.specific  # Adoption.innovation names the base page
    other = ShowcaseIndexPage.objects.get(slug="andra-kommuners-innovationer")
    assert f"--into {other.pk}" in output

    # What the README tells a moderator to do: confirm it; the idea is then spread.
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="moderator")
    assert moderator.has_perm("sluss_wagtail.change_adoption")
    result = actions.confirm_adoption(adoption, user=moderator)
    assert result.moved
    innovation.idea.refresh_from_db()
    assert innovation.idea.stage == process.SPREAD
    assert "Grannby kommun" in client.get(innovation.url).content.decode()

    # And the import the README shows: the demo showcase's JSON feed into the other one.
    showcase = innovation.get_parent().specific
    feed = client.get(showcase.url + showcase.reverse_subpage("json_feed")).content
    (tmp_path / "feed.json").write_bytes(feed)
    call_command("sluss_import", str(tmp_path / "feed.json"), "--into", str(other.pk))
    # (The demo's benefits part imported it already from the site's address: a file is
    # another source, so this is a copy of its own.)
    imported = InnovationPage.objects.child_of(other).filter(title=innovation.title)
    assert imported.filter(source_feed__endswith="feed.json").exists()


def test_the_demo_has_a_second_municipality_with_its_own_sluice(settings, client):
    settings.DEBUG = True
    call_command("sluss_demo")
    call_command("sluss_demo")  # again: nothing doubles
    alingsas = Sluice.objects.get(name="Alingsås kommun")
    site = Site.objects.get(hostname="localhost")
    assert Sluice.objects.pk_for_site(site) == alingsas.pk
    ideas = Idea.objects.filter(sluice=alingsas)
    assert ideas.count() == 2
    assert all(idea.reference.startswith("ALI-") for idea in ideas)
    assert OrganisationUnit.objects.of_sluice(alingsas).count() == 2
    challenge = ChallengePage.objects.live().descendant_of(site.root_page).get()
    path = "/" + challenge.url_path.removeprefix(site.root_page.url_path)
    page = client.get(path, HTTP_HOST=f"localhost:{site.port}")
    assert page.status_code == 200
    units = {unit.name for unit in page.context["form"].fields["unit"].queryset}
    assert units == {"Stadsbyggnad", "Kultur och turism"}
    inbox = inbox_path()
    assert client.login(username="alingsas", password="sluss-demo-2026")
    listed = {idea.sluice_id for idea in client.get(inbox).context["object_list"]}
    assert listed == {alingsas.pk}
    assert client.login(username="koordinator", password="sluss-demo-2026")
    listed = {idea.sluice_id for idea in client.get(inbox).context["object_list"]}
    assert listed == {Sluice.objects.default().pk}
    assert client.login(username="natverk", password="sluss-demo-2026")
    response = client.get(inbox)
    assert {idea.sluice_id for idea in response.context["paginator"].object_list} == {
        alingsas.pk,
        Sluice.objects.default().pk,
    }
    assert f"?sluice={alingsas.pk}" in response.content.decode()


def test_the_demo_is_the_example_sites_not_the_packages():
    """No module of the package holds the demo or its known password (the wheel test builds
    the wheel and looks inside too)."""
    assert get_commands()["sluss_demo"] == "demo"
    package = Path(sluss_wagtail.__file__).parent
    assert [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if ADMIN_PASSWORD in path.read_text() or "demo" in path.name
    ] == []
