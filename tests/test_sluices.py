"""Two municipalities in one installation: nothing of one crosses to the other.

Lerum (the default site and the default sluice) and Alingsås (its own site, host and
sluice, with its own reference format) each have their coordinators, units, a form,
a showcase and ideas. A coordinator of one sees nothing of the other anywhere — the
inbox, an idea's pages by URL, search, bulk actions, the dashboard, the report, the
register, the exports, the unit choosers — and a network coordinator sees both, with
a filter per sluice.
"""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from sluss_wagtail import permissions, stats
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea, OrganisationUnit, ReferenceCounter, Sluice
from sluss_wagtail.models.sluices import layout
from sluss_wagtail.pages.models import IdeaSubmissionPage
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    COORDINATOR_PERMISSIONS,
    IdeaFactory,
    create_admin_user,
    create_challenge,
    create_challenge_index,
    create_innovation,
    create_showcase_index,
    create_submission_page,
)

pytestmark = pytest.mark.django_db

ALINGSAS_HOST = "alingsas.exempel.invalid"
INDEX_URL = inbox_path()
BULK_URL = inbox_path("bulk")
DASHBOARD_URL = reverse("wagtailadmin_home")
REPORT_URL = reverse("sluss_wagtail_innovation_report")
REGISTER_URL = reverse("sluss_wagtail_register_export")
YEAR = timezone.localdate().year


def in_english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


class Municipality:
    def __init__(self, **fields):
        self.__dict__.update(fields)


@pytest.fixture
def world(db):
    """Lerum on the default site, Alingsås on its own; each with what it needs."""
    lerum_sluice = Sluice.objects.default()
    lerum_sluice.name = "Lerum"
    lerum_sluice.save()
    lerum_group = Group.objects.create(name="Innovationsledare Lerum")
    lerum_sluice.coordinator_groups.add(lerum_group)

    root = Page.get_first_root_node()
    alingsas_home = root.add_child(instance=Page(title="Alingsås", slug="alingsas"))
    alingsas_site = Site.objects.create(
        hostname=ALINGSAS_HOST, port=80, root_page=alingsas_home, site_name="Alingsås"
    )
    alingsas_group = Group.objects.create(name="Innovationsledare Alingsås")
    alingsas_sluice = Sluice.objects.create(
        name="Alingsås", reference_format="ALI-{year}-{number:04d}"
    )
    alingsas_sluice.sites.add(alingsas_site)
    alingsas_sluice.coordinator_groups.add(alingsas_group)

    lerum = Municipality(
        sluice=lerum_sluice,
        site=Site.objects.get(is_default_site=True),
        # The same unit name in both: each sluice names its own units.
        unit=OrganisationUnit.objects.create(name="Park", sluice=lerum_sluice),
        form=create_submission_page(),
        host="localhost",
    )
    alingsas = Municipality(
        sluice=alingsas_sluice,
        site=alingsas_site,
        unit=OrganisationUnit.objects.create(name="Park", sluice=alingsas_sluice),
        school=OrganisationUnit.objects.create(
            name="Skolförvaltningen Alingsås", sluice=alingsas_sluice
        ),
        form=IdeaSubmissionPage(title="Lämna en idé i Alingsås", slug="ide"),
        host=ALINGSAS_HOST,
    )
    alingsas_home.add_child(instance=alingsas.form)
    alingsas.form.save_revision().publish()
    index = create_challenge_index(parent=alingsas_home)
    alingsas.challenge = create_challenge(
        index,
        title="Levande stadskärna",
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=timezone.now() + timezone.timedelta(days=30),
    )

    lerum.idea = IdeaFactory(title="Bänkar längs Säveån", source_page=lerum.form, unit=lerum.unit)
    alingsas.idea = IdeaFactory(
        title="Kaffe i Alingsås stadspark", source_page=alingsas.form, unit=alingsas.unit
    )
    alingsas.challenge_idea = IdeaFactory(
        title="Torghandel på söndagar", challenge=alingsas.challenge
    )

    lerum.coordinator = in_english(
        create_admin_user(*COORDINATOR_PERMISSIONS, groups=[lerum_group], username="lerum")
    )
    alingsas.coordinator = in_english(
        create_admin_user(*COORDINATOR_PERMISSIONS, groups=[alingsas_group], username="alingsas")
    )
    network = in_english(
        create_admin_user(
            *COORDINATOR_PERMISSIONS, "sluss_wagtail.view_all_sluices", username="natverket"
        )
    )
    return Municipality(lerum=lerum, alingsas=alingsas, network=network)


def listed(client, query=""):
    response = client.get(INDEX_URL + query)
    assert response.status_code == 200
    return sorted(idea.reference for idea in response.context["object_list"])


def sluice_heading():
    """The exports' heading of the sluice column (they are written in Swedish here)."""
    from django.utils import translation
    from django.utils.text import capfirst

    with translation.override("sv"):
        return str(capfirst(Idea._meta.get_field("sluice").verbose_name))


def rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# ---- where an idea goes, and its number -----------------------------------------------------


def test_each_sluice_numbers_its_own_ideas(world):
    assert world.lerum.idea.reference == f"IDE-{YEAR}-0001"
    assert world.alingsas.idea.reference == f"ALI-{YEAR}-0001"
    assert world.alingsas.challenge_idea.reference == f"ALI-{YEAR}-0002"
    assert IdeaFactory(source_page=world.lerum.form).reference == f"IDE-{YEAR}-0002"
    counters = dict(ReferenceCounter.objects.values_list("sluice__name", "last_number"))
    assert counters == {"Lerum": 2, "Alingsås": 2}


def test_the_same_number_in_two_sluices_is_two_ideas(world):
    world.alingsas.sluice.reference_format = ""
    world.alingsas.sluice.save()
    # Alingsås with the installation's format: its numbers start again, in its sluice.
    again = IdeaFactory(source_page=world.alingsas.form)
    assert again.reference == f"IDE-{YEAR}-0003"
    assert IdeaFactory(source_page=world.lerum.form).reference == f"IDE-{YEAR}-0002"


def test_an_idea_belongs_to_the_sluice_of_the_site_it_came_through(client, world):
    for town in (world.lerum, world.alingsas):
        form_url = town.form.url_path.removeprefix(town.site.root_page.url_path)
        page = client.get("/" + form_url, HTTP_HOST=town.host)
        assert page.status_code == 200
        response = client.post(
            "/" + form_url,
            valid_idea_data(
                form_token=form_token(page.content.decode()), title=f"Idé i {town.host}"
            ),
            HTTP_HOST=town.host,
        )
        assert response.status_code == 302, response.content.decode()[:500]
        idea = Idea.objects.get(title=f"Idé i {town.host}")
        assert idea.sluice == town.sluice
    # Without a page: a challenge's site, else the default sluice.
    assert world.alingsas.challenge_idea.sluice == world.alingsas.sluice
    assert IdeaFactory().sluice == Sluice.objects.default()


def test_each_sites_form_offers_only_its_sluices_units(client, world):
    for town, other in ((world.lerum, world.alingsas), (world.alingsas, world.lerum)):
        form_url = "/" + town.form.url_path.removeprefix(town.site.root_page.url_path)
        page = client.get(form_url, HTTP_HOST=town.host)
        units = list(page.context["form"].fields["unit"].queryset)
        assert town.unit in units and other.unit not in units
        # Another sluice's unit, sent anyway: a clear error, not an idea routed there.
        response = client.post(
            form_url,
            valid_idea_data(
                form_token=form_token(page.content.decode()),
                submitter_kind="employee",
                unit=str(other.unit.pk),
            ),
            HTTP_HOST=town.host,
        )
        assert response.status_code == 200
        assert "unit" in response.context["form"].errors


# ---- the inbox and the idea's pages ---------------------------------------------------------


def test_a_coordinator_sees_only_their_sluices_ideas(client, world):
    client.force_login(world.lerum.coordinator)
    assert listed(client) == [world.lerum.idea.reference]
    assert listed(client, "?q=Alingsås") == []
    assert listed(client, "?q=ALI-") == []
    client.force_login(world.alingsas.coordinator)
    assert listed(client) == sorted(
        [world.alingsas.idea.reference, world.alingsas.challenge_idea.reference]
    )
    assert listed(client, "?q=Säveån") == []


def test_another_sluices_idea_is_not_found_by_its_address(client, world):
    client.force_login(world.lerum.coordinator)
    theirs = world.alingsas.idea
    assert client.get(idea_admin_path(theirs)).status_code == 404
    move = idea_admin_path(theirs, "move")
    response = client.post(move, {"move-to_stage": "screening", "move-public_note": "Hej"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.stage == "received"
    assert client.get(idea_admin_path(world.lerum.idea)).status_code == 200


def test_bulk_actions_and_units_stay_in_the_sluice(client, world):
    client.force_login(world.lerum.coordinator)
    index = client.get(INDEX_URL)
    bulk_units = list(index.context["bulk_form"].fields["unit"].queryset)
    assert bulk_units == [world.lerum.unit]
    response = client.post(
        BULK_URL,
        {
            "ideas": [world.alingsas.idea.pk],
            "action": "move",
            "to_stage": "screening",
            "public_note": "Vi tittar på den.",
        },
    )
    assert response.status_code == 302
    world.alingsas.idea.refresh_from_db()
    assert world.alingsas.idea.stage == "received"
    # The idea's own "assign unit" form offers its sluice's units only.
    page = client.get(idea_admin_path(world.lerum.idea, "assign_unit"))
    assert list(page.context["form"].fields["unit"].queryset) == [world.lerum.unit]


def test_a_network_coordinator_assigns_no_unit_of_another_sluice(client, world):
    client.force_login(world.network)
    response = client.post(
        BULK_URL,
        {
            "ideas": [world.lerum.idea.pk, world.alingsas.idea.pk],
            "action": "assign_unit",
            "unit": world.alingsas.school.pk,
        },
        follow=True,
    )
    assert "another sluice" in response.content.decode()
    world.lerum.idea.refresh_from_db()
    assert world.lerum.idea.unit == world.lerum.unit


def test_the_inbox_filters_name_only_the_sluices_units_and_challenges(client, world):
    client.force_login(world.lerum.coordinator)
    html = client.get(INDEX_URL).content.decode()
    assert "Levande stadskärna" not in html
    assert "Skolförvaltningen Alingsås" not in html
    assert 'name="sluice"' not in html and "?sluice=" not in html


def test_the_inbox_export_holds_only_the_sluices_ideas(client, world):
    client.force_login(world.lerum.coordinator)
    exported = rows(client.get(INDEX_URL + "?export=csv"))
    references = [row[0] for row in exported[1:]]
    assert references == [world.lerum.idea.reference]
    assert "Alingsås" not in json.dumps(exported, ensure_ascii=False)


# ---- the network coordinator ----------------------------------------------------------------


def test_a_network_coordinator_sees_both_and_filters_by_sluice(client, world):
    client.force_login(world.network)
    everything = sorted(
        [world.lerum.idea.reference, world.alingsas.idea.reference]
        + [world.alingsas.challenge_idea.reference]
    )
    assert listed(client) == everything
    response = client.get(INDEX_URL)
    html = response.content.decode()
    assert f"?sluice={world.alingsas.sluice.pk}" in html  # the filter
    assert "sluice_name" in response.context["view"].list_display  # and the column
    assert listed(client, f"?sluice={world.alingsas.sluice.pk}") == sorted(
        [world.alingsas.idea.reference, world.alingsas.challenge_idea.reference]
    )
    assert listed(client, f"?sluice={world.lerum.sluice.pk}") == [world.lerum.idea.reference]
    exported = rows(client.get(INDEX_URL + "?export=csv"))
    assert exported[0][1] == sluice_heading()
    assert {row[1] for row in exported[1:]} == {"Lerum", "Alingsås"}
    assert client.get(idea_admin_path(world.alingsas.idea)).status_code == 200


def test_with_one_sluice_nothing_names_it(client, db):
    coordinator = in_english(create_admin_user(*COORDINATOR_PERMISSIONS, username="ensam"))
    idea = IdeaFactory()
    client.force_login(coordinator)
    assert listed(client) == [idea.reference]
    response = client.get(INDEX_URL)
    assert "sluice_name" not in response.context["view"].list_display
    assert "?sluice=" not in response.content.decode()
    assert sluice_heading() not in rows(client.get(INDEX_URL + "?export=csv"))[0]
    assert 'name="sluice"' not in client.get(DASHBOARD_URL).content.decode()
    assert permissions.sluice_choices(coordinator) == []


# ---- statistics, dashboard, reports, register ------------------------------------------------


def test_statistics_are_counted_per_sluice(world):
    assert stats.compute(sluices=world.lerum.sluice).received == 1
    assert stats.compute(sluices=world.alingsas.sluice).received == 2
    assert stats.compute().received == 3
    # The cache keeps them apart.
    assert stats.headline(sluices=world.lerum.sluice.pk).received == 1
    assert stats.headline(sluices=world.alingsas.sluice.pk).received == 2


def test_the_dashboard_counts_the_readers_sluice(client, world):
    client.force_login(world.lerum.coordinator)
    assert "Alingsås" not in client.get(DASHBOARD_URL).content.decode()
    client.force_login(world.alingsas.coordinator)
    assert "Säveån" not in client.get(DASHBOARD_URL).content.decode()
    client.force_login(world.network)
    html = client.get(DASHBOARD_URL).content.decode()
    assert 'name="sluice"' in html
    chosen = client.get(DASHBOARD_URL, {"sluice": world.lerum.sluice.pk}).content.decode()
    assert f'value="{world.lerum.sluice.pk}" selected' in chosen


def report_figure(client, query=""):
    exported = rows(client.get(REPORT_URL + "?export=csv" + query))
    return {row[1]: row[2] for row in exported[1:] if row[0] == "Ideas"}["Ideas received"]


def test_the_report_counts_the_readers_sluice(client, world):
    client.force_login(world.lerum.coordinator)
    assert report_figure(client) == "1"
    html = client.get(REPORT_URL).content.decode()
    assert "Skolförvaltningen Alingsås" not in html and "Levande stadskärna" not in html
    client.force_login(world.alingsas.coordinator)
    assert report_figure(client) == "2"
    client.force_login(world.network)
    assert report_figure(client) == "3"
    assert report_figure(client, f"&sluice={world.alingsas.sluice.pk}") == "2"


def test_the_register_lists_the_readers_sluice(client, world):
    client.force_login(world.alingsas.coordinator)
    exported = rows(client.get(REGISTER_URL + "?export=csv"))
    assert sorted(row[1] for row in exported[1:]) == sorted(
        [world.alingsas.idea.reference, world.alingsas.challenge_idea.reference]
    )
    client.force_login(world.network)
    exported = rows(client.get(REGISTER_URL + "?export=csv"))
    assert exported[0][0] == "Sluice"
    assert sorted(row[0] for row in exported[1:]) == ["Alingsås", "Alingsås", "Lerum"]


def test_the_units_admin_shows_the_sluices_units(client, world):
    client.force_login(world.lerum.coordinator)
    units_url = reverse("sluss_wagtail_organisationunit_modeladmin_index")
    html = client.get(units_url).content.decode()
    assert "Skolförvaltningen Alingsås" not in html
    edit = reverse(
        "sluss_wagtail_organisationunit_modeladmin_edit", args=[world.alingsas.school.pk]
    )
    assert client.get(edit).status_code in (302, 403, 404)


def test_another_sluices_unit_has_no_history_to_read(client, world):
    # modeladmin shows any object's history to anyone in the admin: the package's history
    # asks the same as the object's form.
    school = world.alingsas.school
    history = reverse("sluss_wagtail_organisationunit_modeladmin_history", args=[school.pk])
    client.force_login(world.lerum.coordinator)
    response = client.get(history)
    assert response.status_code in (302, 403, 404)
    assert school.name not in response.content.decode()
    client.force_login(world.alingsas.coordinator)
    assert client.get(history).status_code == 200
    sluice = reverse("sluss_wagtail_sluice_modeladmin_history", args=[world.lerum.sluice.pk])
    assert client.get(sluice).status_code in (302, 403, 404)


# ---- the public side ------------------------------------------------------------------------


def test_each_sites_feed_lists_only_its_innovations(client, world):
    lerum_showcase = create_showcase_index()
    alingsas_showcase = create_showcase_index(parent=world.alingsas.site.root_page)
    create_innovation(lerum_showcase, title="Lånecyklar i Lerum")
    create_innovation(alingsas_showcase, title="Kaffe i parken", slug="kaffe")
    for town, showcase, title in (
        (world.lerum, lerum_showcase, "Lånecyklar i Lerum"),
        (world.alingsas, alingsas_showcase, "Kaffe i parken"),
    ):
        path = showcase.url_path.removeprefix(town.site.root_page.url_path)
        feed = client.get("/" + path + showcase.reverse_subpage("json_feed"), HTTP_HOST=town.host)
        assert [item["title"] for item in json.loads(feed.content)["items"]] == [title]


# ---- the model ------------------------------------------------------------------------------


def test_a_site_in_no_sluice_belongs_to_the_default_one(world):
    root = Page.get_first_root_node()
    intranet = Site.objects.create(
        hostname="intranat.exempel.invalid",
        root_page=root.add_child(instance=Page(title="Intranät", slug="intranat")),
    )
    assert Sluice.objects.pk_for_site(intranet) == world.lerum.sluice.pk
    assert set(world.lerum.sluice.get_sites()) == {world.lerum.site, intranet}
    assert list(world.alingsas.sluice.get_sites()) == [world.alingsas.site]
    assert layout().several


def test_a_coordinator_without_a_sluice_sees_the_default_one_only_while_it_has_no_groups(world):
    loner = create_admin_user(*COORDINATOR_PERMISSIONS, username="utan-grupp")
    # The default sluice (Lerum) names a group: a coordinator in none sees nothing.
    assert list(permissions.sluices_for(loner)) == []
    world.lerum.sluice.coordinator_groups.clear()
    loner = type(loner).objects.get(pk=loner.pk)
    assert list(permissions.sluices_for(loner)) == [world.lerum.sluice]
    # A coordinator of Alingsås does not see the default sluice for all that.
    alingsas = type(loner).objects.get(pk=world.alingsas.coordinator.pk)
    assert list(permissions.sluices_for(alingsas)) == [world.alingsas.sluice]


def test_a_bad_reference_format_is_refused_with_a_message(world):
    from django.core.exceptions import ValidationError

    sluice = world.alingsas.sluice
    for bad in ("ALI-{year}", "ALI-{nummer}", "ALI-{number:x!}"):
        sluice.reference_format = bad
        with pytest.raises(ValidationError) as raised:
            sluice.full_clean()
        assert "reference_format" in raised.value.message_dict


# ---- nothing crosses: e-mails, the public search, the portfolio ------------------------------


def test_each_municipalitys_ideas_are_answered_by_it_alone(
    client, world, django_capture_on_commit_callbacks
):
    """An idea sent in each town: every e-mail of it comes from that town's sender, goes to
    the giver or that town's coordinators, and names nothing of the other town."""
    from django.core import mail

    from sluss_wagtail.models import SlussSettings

    for town, name in ((world.lerum, "lerum"), (world.alingsas, "alingsas")):
        town.sender = f"idesluss@{name}.invalid"
        town.staff = f"innovation@{name}.invalid"
        site_settings = SlussSettings.for_site(town.site)
        site_settings.from_email = town.sender
        site_settings.contact_email = town.staff
        site_settings.coordinator_emails = town.staff
        site_settings.save()
    for town, other in ((world.lerum, world.alingsas), (world.alingsas, world.lerum)):
        mail.outbox.clear()
        form_url = "/" + town.form.url_path.removeprefix(town.site.root_page.url_path)
        page = client.get(form_url, HTTP_HOST=town.host)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                form_url,
                valid_idea_data(form_token=form_token(page.content.decode())),
                HTTP_HOST=town.host,
            )
        assert len(mail.outbox) == 2  # the receipt and the coordinators' note
        for message in mail.outbox:
            assert message.from_email == town.sender
            assert other.staff not in message.to
            text = message.body + "".join(body for body, _ in message.alternatives)
            assert other.sender not in text and other.staff not in text
            assert f"//{other.host}" not in text
        assert [town.staff] in [message.to for message in mail.outbox]


def test_the_similar_hint_finds_only_the_sluices_public_ideas(client, world):
    from django.core.cache import caches

    from tests.factories import create_portfolio, create_public_idea

    caches["default"].clear()  # the hint's rate limit
    create_portfolio()
    create_portfolio(parent=world.alingsas.site.root_page)
    create_public_idea(title="Parkbänkar längs Säveån", source_page=world.lerum.form)
    create_public_idea(title="Parkbänkar i Alingsås stadspark", source_page=world.alingsas.form)
    hint_url = reverse("sluss_wagtail:similar_ideas")
    for town, ours, theirs in (
        (world.lerum, "Säveån", "Alingsås stadspark"),
        (world.alingsas, "Alingsås stadspark", "Säveån"),
    ):
        html = client.post(hint_url, {"title": "parkbänkar"}, HTTP_HOST=town.host).content
        assert ours in html.decode() and theirs not in html.decode()


def test_each_portfolio_shows_only_its_sluices_ideas(client, world):
    from tests.factories import create_portfolio, create_public_idea

    portfolios = {
        world.lerum.host: create_portfolio(),
        world.alingsas.host: create_portfolio(parent=world.alingsas.site.root_page),
    }
    lerum_idea = create_public_idea(title="Parkbänkar längs Säveån", source_page=world.lerum.form)
    alingsas_idea = create_public_idea(title="Kaffe på torget", source_page=world.alingsas.form)
    for town, ours, theirs in (
        (world.lerum, lerum_idea, alingsas_idea),
        (world.alingsas, alingsas_idea, lerum_idea),
    ):
        portfolio = portfolios[town.host]
        path = "/" + portfolio.url_path.removeprefix(town.site.root_page.url_path)
        html = client.get(path, HTTP_HOST=town.host).content.decode()
        assert ours.title in html and theirs.title not in html
        assert client.get(f"{path}idea/{ours.pk}/", HTTP_HOST=town.host).status_code == 200
        assert client.get(f"{path}idea/{theirs.pk}/", HTTP_HOST=town.host).status_code == 404


def test_each_sites_showcase_search_and_atom_feed_keep_to_its_innovations(client, world):
    lerum_showcase = create_showcase_index()
    alingsas_showcase = create_showcase_index(parent=world.alingsas.site.root_page)
    create_innovation(lerum_showcase, title="Lånecyklar i Lerum")
    create_innovation(alingsas_showcase, title="Lånecyklar i Alingsås", slug="lanecyklar")
    for town, showcase, ours, theirs in (
        (world.lerum, lerum_showcase, "Lånecyklar i Lerum", "Lånecyklar i Alingsås"),
        (world.alingsas, alingsas_showcase, "Lånecyklar i Alingsås", "Lånecyklar i Lerum"),
    ):
        path = "/" + showcase.url_path.removeprefix(town.site.root_page.url_path)
        found = client.get(path, {"q": "Lånecyklar"}, HTTP_HOST=town.host).content.decode()
        assert ours in found and theirs not in found
        atom = client.get(path + showcase.reverse_subpage("atom_feed"), HTTP_HOST=town.host)
        assert ours in atom.content.decode() and theirs not in atom.content.decode()


def test_the_criteria_listing_names_only_the_readers_sluices(client, world):
    # Django's related-field filter would list every sluice of the installation.
    from tests.factories import create_criteria

    create_criteria(world.lerum.sluice, specs=[("Nytta för Lerum", 1)])
    create_criteria(world.alingsas.sluice, specs=[("Nytta för Alingsås", 1)])
    criteria_url = reverse("sluss_wagtail_criterion_modeladmin_index")
    for coordinator, own, other in (
        (world.lerum.coordinator, "Lerum", "Alingsås"),
        (world.alingsas.coordinator, "Alingsås", "Lerum"),
    ):
        client.force_login(coordinator)
        html = client.get(criteria_url).content.decode()
        assert f"Nytta för {own}" in html
        assert other not in html
        # Asking for the other sluice by its number lists nothing of it.
        other_pk = (world.alingsas if own == "Lerum" else world.lerum).sluice.pk
        html = client.get(f"{criteria_url}?sluice={other_pk}").content.decode()
        assert f"Nytta för {other}" not in html
    client.force_login(world.network)
    html = client.get(criteria_url).content.decode()
    assert f'href="?sluice={world.alingsas.sluice.pk}"' in html
    assert f'href="?sluice={world.lerum.sluice.pk}"' in html
