"""`manage.py sluss_demo` builds a believable demo, and running it again changes nothing."""

import pytest
from django.core.management import CommandError, call_command

from sluss_wagtail import process
from sluss_wagtail.models import (
    ChallengePage,
    Idea,
    IdeaSubmissionPage,
    InnovationPage,
    OrganisationUnit,
)
from sluss_wagtail.models.ideas import SubmitterKind

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

    assert OrganisationUnit.objects.filter(is_pilot_unit=True).count() == 3
    assert set(Idea.objects.values_list("submitter_kind", flat=True)) == set(SubmitterKind.values)
    stages = set(Idea.objects.values_list("stage", flat=True))
    assert {process.RECEIVED, process.PILOT, process.IMPLEMENTED, process.CLOSED} <= stages
    assert all(idea.events.count() >= 1 for idea in Idea.objects.all())
    page = IdeaSubmissionPage.objects.get()
    assert client.get(page.url).status_code == 200
    challenges = ChallengePage.objects.live()
    assert sorted(c.status for c in challenges) == ["closed", "open", "upcoming"]
    closed = next(c for c in challenges if c.status == "closed")
    assert closed.outcome and closed.get_ideas_that_went_further().count() == 2
    assert all(client.get(c.url).status_code == 200 for c in challenges)
    innovation = InnovationPage.objects.live().get()
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
