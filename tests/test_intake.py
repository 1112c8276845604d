"""Assisted intake: an idea registered in the admin on its giver's behalf, from a phone
call, a visit, a letter or an e-mail; the giver gets the same receipt and status link."""

from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from sluss_wagtail import permissions, stats
from sluss_wagtail.admin.insight import figure_rows
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea, IdeaEvent
from sluss_wagtail.models.ideas import Channel
from sluss_wagtail.roles import CUSTOMER_CENTRE, ensure_groups, group_name
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_admin_user,
    create_coordinator,
    create_reviewed_unit,
)
from tests.xss_vectors import XSS_VECTORS

pytestmark = pytest.mark.django_db

INTAKE_URL = reverse("sluss_wagtail_intake")
INDEX_URL = inbox_path()
HOME_URL = reverse("wagtailadmin_home")


def receipt_url(idea):
    return reverse("sluss_wagtail_intake_receipt", args=[idea.pk])


def create_customer_centre_user(**kwargs):
    kwargs.setdefault("username", "kundcenter")
    return create_admin_user("wagtailadmin.access_admin", "sluss_wagtail.register_idea", **kwargs)


@pytest.fixture
def customer_centre():
    return create_customer_centre_user(first_name="Kim", last_name="Kundcenter")


def register(client, **overrides):
    """Open the intake form like a browser, then send it."""
    html = client.get(INTAKE_URL).content.decode()
    data = valid_idea_data(form_token=form_token(html), channel="phone", language="sv")
    data.update(overrides)
    return client.post(INTAKE_URL, data)


def test_a_customer_centre_user_registers_an_idea_from_a_phone_call(
    client, customer_centre, django_capture_on_commit_callbacks
):
    client.force_login(customer_centre)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == receipt_url(idea)
    assert idea.channel == Channel.PHONE
    assert idea.submitted_by is None  # not the giver's account
    assert idea.language == "sv"
    assert idea.contact.name == "Karin Lund"
    assert idea.publish_idea is True and idea.publish_name is False  # the consent answers
    kinds = list(idea.events.values_list("kind", "user"))
    assert kinds == [
        (IdeaEvent.Kind.SUBMITTED, None),
        (IdeaEvent.Kind.REGISTERED, customer_centre.pk),
    ]
    with translation.override(settings.LANGUAGE_CODE):
        said = str(Channel.PHONE.label)
    assert idea.events.get(kind=IdeaEvent.Kind.REGISTERED).changes == {"channel": said}
    # The same receipt as on the website, with the status link.
    (receipt,) = [m for m in mail.outbox if m.to == ["karin@exempelby.invalid"]]
    assert idea.reference in receipt.subject or idea.reference in receipt.body
    assert idea.get_status_url() in receipt.body


def test_the_printable_receipt(client, customer_centre):
    client.force_login(customer_centre)
    register(client, email="")
    idea = Idea.objects.get()
    response = client.get(receipt_url(idea))
    assert response.status_code == 200
    text = response.content.decode()
    assert idea.reference in text
    assert idea.get_status_url() in text
    assert "receipt.css" in text
    with open(finders.find("sluss_wagtail/css/receipt.css")) as css:
        assert "@media print" in css.read()
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    # No inbox link for someone who may not see the idea.
    assert idea_admin_path(idea) not in text


def test_the_receipt_is_in_the_idea_givers_language(client, customer_centre):
    client.force_login(customer_centre)
    register(client, language="en")
    idea = Idea.objects.get()
    text = client.get(receipt_url(idea)).content.decode()
    assert '<html lang="en">' in text
    assert "Receipt for idea" in text


def test_the_receipt_is_only_for_who_registered_it_and_who_may_see_personal_data(
    client, customer_centre
):
    client.force_login(customer_centre)
    register(client)
    idea = Idea.objects.get()
    colleague = create_customer_centre_user(username="kollega")
    client.force_login(colleague)
    assert client.get(receipt_url(idea)).status_code == 404
    # Nor of an idea from the web form.
    web = IdeaFactory()
    assert client.get(receipt_url(web)).status_code == 404
    coordinator = create_coordinator()
    client.force_login(coordinator)
    assert client.get(receipt_url(idea)).status_code == 200
    reviewer_unit = create_reviewed_unit("Parken")
    reader = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_idea",
        groups=[reviewer_unit.reviewer_group],
    )
    Idea.objects.filter(pk=idea.pk).update(unit=reviewer_unit)
    client.force_login(reader)  # sees the idea, not its personal data
    assert client.get(receipt_url(idea)).status_code == 404
    client.logout()
    assert client.get(receipt_url(idea)).status_code == 302


def test_the_customer_centre_sees_no_inbox(client, customer_centre):
    IdeaFactory(title="Någon annans idé")
    client.force_login(customer_centre)
    assert permissions.can_register_ideas(customer_centre)
    assert not permissions.can_use_inbox(customer_centre)
    assert permissions.ideas_for_user(customer_centre).count() == 0
    response = client.get(INDEX_URL)
    assert response.status_code == 302 and response["Location"] == HOME_URL
    home = client.get(HOME_URL).content.decode()
    assert INTAKE_URL in home  # the menu item
    assert "Någon annans idé" not in home


def test_who_may_register_ideas(client):
    unit = create_reviewed_unit("Parken")
    reviewer = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_idea",
        "sluss_wagtail.change_idea",
        groups=[unit.reviewer_group],
        username="granskare",
    )
    editor = create_admin_user("wagtailadmin.access_admin", username="redaktor")
    coordinator = create_coordinator()
    for user, may in ((reviewer, False), (editor, False), (coordinator, True)):
        client.force_login(user)
        response = client.get(INTAKE_URL)
        assert (response.status_code == 200) is may, user
        assert permissions.can_register_ideas(user) is may
    client.logout()
    assert client.get(INTAKE_URL).status_code == 302
    assert Idea.objects.count() == 0


def test_the_sluss_groups_command_creates_the_customer_centre(db):
    call_command("sluss_groups", stdout=StringIO())
    groups = ensure_groups()
    centre = groups[CUSTOMER_CENTRE]
    assert centre.name == group_name(CUSTOMER_CENTRE)
    user = UserFactory(username="kc")
    user.groups.add(centre)
    assert permissions.can_register_ideas(user)
    assert not permissions.can_use_inbox(user)


def test_the_same_validation_as_the_public_form(client, customer_centre):
    client.force_login(customer_centre)
    response = register(client, title="", channel="", submitter_kind="business", organisation="")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "channel", "organisation"} <= set(errors)
    response = register(client, channel="web")  # the web form is the public one's
    assert "channel" in response.context["form"].errors
    response = register(client, phone="ring mig")
    assert "phone" in response.context["form"].errors
    assert Idea.objects.count() == 0


def test_a_double_click_makes_one_idea(client, customer_centre):
    client.force_login(customer_centre)
    html = client.get(INTAKE_URL).content.decode()
    data = valid_idea_data(form_token=form_token(html), channel="letter", language="sv")
    first = client.post(INTAKE_URL, data)
    second = client.post(INTAKE_URL, data)
    idea = Idea.objects.get()
    assert first["Location"] == second["Location"] == receipt_url(idea)
    assert idea.events.filter(kind=IdeaEvent.Kind.REGISTERED).count() == 1
    # Other answers on the same opened form: refused, kept.
    third = client.post(INTAKE_URL, {**data, "title": "En annan idé"})
    assert third.status_code == 200
    assert Idea.objects.count() == 1


@pytest.mark.parametrize("vector", XSS_VECTORS[:6])
def test_hostile_input_is_stored_as_text_and_shown_escaped(client, customer_centre, vector):
    client.force_login(customer_centre)
    register(
        client,
        title=vector[:200],
        description=vector,
        name=vector[:200],
        email="",
    )
    idea = Idea.objects.get()
    assert idea.title == vector[:200].strip()
    text = client.get(receipt_url(idea)).content.decode()
    for raw in ("<script", "onerror=", "<svg", "<img"):
        if raw in vector.lower():
            assert raw not in text.lower().replace("receipt.css", "")


def test_hostile_values_for_the_choices_are_refused(client, customer_centre):
    client.force_login(customer_centre)
    for overrides in (
        {"channel": "<script>"},
        {"language": "xx"},
        {"sluice": "1 OR 1=1"},
        {"unit": "-1"},
        {"title": "x" * 5000},
    ):
        response = register(client, **overrides)
        assert response.status_code in (200, 302)
    assert all(idea.channel in Channel.values for idea in Idea.objects.all())
    assert Idea.objects.filter(channel="<script>").count() == 0


def test_statistics_break_the_ideas_down_by_channel(customer_centre):
    IdeaFactory()
    IdeaFactory()
    IdeaFactory(channel=Channel.PHONE)
    IdeaFactory(channel=Channel.LETTER)
    IdeaFactory(channel=Channel.PHONE)
    IdeaFactory(channel=Channel.PHONE)
    figures = stats.compute()
    assert [(row.key, row.count) for row in figures.by_channel] == [
        ("phone", 3),
        ("web", 2),
        ("letter", 1),
    ]
    assert figures.by_channel[0].label == str(Channel.PHONE.label)
    rows = [(row.section, row.figure, row.value) for row in figure_rows(figures)]
    assert (str(_("Channel")), str(Channel.PHONE.label), 3) in rows
    # The breakdown follows the cohort: none outside the period.
    assert stats.compute(start=date(2000, 1, 1), end=date(2000, 12, 31)).by_channel == []


def test_the_report_shows_ideas_by_channel(client):
    IdeaFactory(channel=Channel.VISIT)
    client.force_login(create_coordinator())
    text = client.get(reverse("sluss_wagtail_innovation_report")).content.decode()
    assert str(Channel.VISIT.label) in text


def test_an_idea_registered_in_another_sluice_speaks_for_its_site(
    client, customer_centre, django_capture_on_commit_callbacks
):
    from wagtail.models import Page, Site

    from sluss_wagtail.models import OrganisationUnit, Sluice, SlussSettings

    home = Page.get_first_root_node().add_child(instance=Page(title="Alingsås", slug="alingsas"))
    site = Site.objects.create(hostname="alingsas.invalid", port=443, root_page=home)
    sluice = Sluice.objects.create(name="Alingsås", reference_format="ALI-{year}-{number:04d}")
    sluice.sites.add(site)
    park = OrganisationUnit.objects.create(name="Park", sluice=sluice)
    other_park = OrganisationUnit.objects.create(name="Park Lerum")
    site_settings = SlussSettings.for_site(site)
    site_settings.from_email = "noreply@alingsas.invalid"
    site_settings.save()
    client.force_login(customer_centre)
    # A unit of another sluice than the one chosen is refused.
    response = register(client, sluice=sluice.pk, unit=other_park.pk)
    assert "unit" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, sluice=sluice.pk, unit=park.pk)
    idea = Idea.objects.get()
    assert idea.sluice == sluice and idea.site == site and idea.unit == park
    assert idea.reference.startswith("ALI-")
    (receipt,) = [m for m in mail.outbox if m.to == ["karin@exempelby.invalid"]]
    assert receipt.from_email == "noreply@alingsas.invalid"
    assert "https://alingsas.invalid" + idea.get_status_url() in receipt.body


def test_the_history_says_who_registered_the_idea_and_how(client, customer_centre):
    client.force_login(customer_centre)
    register(client, channel="visit")
    idea = Idea.objects.get()
    client.force_login(create_coordinator())
    text = client.get(idea_admin_path(idea)).content.decode()
    assert escape(str(IdeaEvent.Kind.REGISTERED.label)) in text
    assert "Kim Kundcenter" in text
    assert str(Channel.VISIT.label) in text
