"""Who sees and does what: every admin URL of the package and the status page, for six people.

Nobody sees an idea or a contact detail they should not: not in the inbox, an
idea's page, an export, a search result, an action or an error page. In the
Wagtail admin a refusal is a redirect to the dashboard with a message
(``wagtail.admin.auth.permission_denied``); an idea the user may not see is a 404.
"""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from openpyxl import load_workbook
from wagtail import hooks

from sluss_wagtail import process
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import IdeaEvent
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_admin_user,
    create_coordinator,
    create_reviewed_unit,
    create_reviewer,
    grant,
)
from tests.worlds import world_per_module

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "reviewer_a", "reviewer_b", "coordinator", "superuser")
ADMIN_ROLES = ROLES[2:]
#: The ideas each role sees, by key in ``World.ideas``.
VISIBLE = {
    "anonymous": set(),
    "editor": set(),
    "reviewer_a": {"a", "a2"},
    "reviewer_b": {"b"},
    "coordinator": {"a", "a2", "b", "none"},
    "superuser": {"a", "a2", "b", "none"},
}
SEES_PERSONAL_DATA = {"coordinator", "superuser"}
#: Those who may see confidential ideas, and so mark or unmark one.
MAY_SEE_CONFIDENTIAL = {"coordinator", "superuser"}
CONTACTS = {
    "a": {"name": "Anna Ahlström", "email": "anna@exempelby.invalid", "phone": "0701-111111"},
    "a2": {"name": "Alva Andersson", "email": "alva@exempelby.invalid", "phone": "0701-222222"},
    "b": {"name": "Bertil Bengtsson", "email": "bertil@exempelby.invalid", "phone": "0702-333333"},
    "none": {"name": "Nora Nilsson", "email": "nora@exempelby.invalid", "phone": "0703-444444"},
}
TITLES = {
    "a": "Solceller på parkförrådet",
    "a2": "Papperskorgar med lock",
    "b": "Tystare matsal",
    "none": "Laddstolpar vid biblioteket",
}

INDEX_URL = inbox_path()
BULK_URL = inbox_path("bulk")
HOME_URL = reverse("wagtailadmin_home")


class World:
    def __init__(self):
        self.unit_a = create_reviewed_unit("Parkförvaltningen")
        self.unit_b = create_reviewed_unit("Skolförvaltningen")
        units = {"a": self.unit_a, "a2": self.unit_a, "b": self.unit_b, "none": None}
        self.ideas = {
            key: IdeaFactory(title=TITLES[key], unit=units[key], contact=CONTACTS[key])
            for key in TITLES
        }
        coordinator = create_coordinator()
        # The internal note that no idea giver may read.
        process.move_idea(
            self.ideas["a"],
            process.SCREENING,
            user=coordinator,
            public_note="Vi bedömer idén.",
            internal_note="Hemlig intern anteckning",
        )
        self.users = {
            "anonymous": AnonymousUser(),
            "editor": create_admin_user("wagtailadmin.access_admin", username="redaktor"),
            "reviewer_a": create_reviewer(self.unit_a, username="granskare_a"),
            "reviewer_b": create_reviewer(self.unit_b, username="granskare_b"),
            # As the coordinators' role: they may see (and so mark) confidential ideas.
            "coordinator": grant(coordinator, "sluss_wagtail.view_confidential_idea"),
            "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
        }


# Built once for the module's tests, each of which gets a copy (and rolls back what it writes).
_world, world = world_per_module(World)


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def outcome(response):
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("wagtailadmin_login")):
        return "login"
    if response.status_code == 302 and location == HOME_URL:
        return "denied"
    return response.status_code


def personal_data(keys):
    return {value for key in keys for value in CONTACTS[key].values()}


ALL_PERSONAL_DATA = personal_data(CONTACTS)


def assert_shows_only(text, role, shown):
    """``text`` names exactly the ideas in ``shown`` and only the personal data it may."""
    for key, title in TITLES.items():
        assert (title in text) == (key in shown), (role, key)
    allowed = personal_data(shown) if role in SEES_PERSONAL_DATA else set()
    for value in ALL_PERSONAL_DATA:
        assert (value in text) == (value in allowed), (role, value)


# The inbox and search


@pytest.mark.parametrize("role", ROLES)
def test_the_inbox(client, world, role):
    response = client_for(client, world, role).get(INDEX_URL)
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    else:
        assert response.status_code == 200
        listed = {idea.reference for idea in response.context["object_list"]}
        assert listed == {world.ideas[key].reference for key in VISIBLE[role]}
        # The listing never shows contact details, whoever looks.
        assert_shows_only(response.content.decode(), "listing", VISIBLE[role])


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize("key", ["a", "b", "none"])
def test_search_finds_only_the_ideas_the_user_may_see(client, world, role, key):
    response = client_for(client, world, role).get(INDEX_URL, {"q": TITLES[key]})
    assert response.status_code == 200
    found = {idea.reference for idea in response.context["object_list"]}
    expected = {world.ideas[key].reference} if key in VISIBLE[role] else set()
    assert found == expected
    # The search box repeats the words searched for; the idea itself is not linked.
    url = idea_admin_path(world.ideas[key])
    assert (f'href="{url}"' in response.content.decode()) == bool(expected)


@pytest.mark.parametrize("role", ["reviewer_a", "reviewer_b"])
def test_filters_cannot_reach_another_units_ideas(client, world, role):
    other = world.unit_b if role == "reviewer_a" else world.unit_a
    response = client_for(client, world, role).get(INDEX_URL, {"unit__id__exact": other.pk})
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize(
    "query",
    [
        {"contact__email__startswith": "anna"},
        {"contact__name__icontains": "Anna"},
        {"status_token__startswith": "a"},
        {"submitted_by__password__startswith": "md5"},
        {"unit__reviewer_group__name__icontains": "a"},
        {"unit__id__exact": "not-a-number"},
        {"sdg": "<script>"},
    ],
)
def test_the_inbox_refuses_lookups_beyond_its_own_filters(client, world, query):
    """A free lookup would be an oracle for data the user may not see; never a 500."""
    response = client_for(client, world, "reviewer_a").get(INDEX_URL, query)
    if "sdg" in query:
        assert response.status_code == 200
        assert list(response.context["object_list"]) == []
    else:
        assert response.status_code == 302
        assert response["Location"] == INDEX_URL
    response = client_for(client, world, "reviewer_a").get(INDEX_URL, {**query, "export": "csv"})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_shows_only(exported_text(response, "csv"), "reviewer_a", set())


def test_the_menu_shows_the_inbox_to_those_who_may_use_it(client, world):
    for role, sees_inbox, sees_units in [
        ("editor", False, False),
        ("reviewer_a", True, False),
        ("coordinator", True, True),
        ("superuser", True, True),
    ]:
        client.force_login(world.users[role])
        html = client.get(HOME_URL).content.decode()
        assert (INDEX_URL in html) == sees_inbox, role
        units_url = reverse("sluss_wagtail_organisationunit_modeladmin_index")
        assert (units_url in html) == sees_units, role


# Exports


def exported_text(response, export_format):
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return repr(list(csv.reader(io.StringIO(content.decode()))))
    workbook = load_workbook(io.BytesIO(content))
    return repr(list(workbook.active.iter_rows(values_only=True)))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports(client, world, role, export_format):
    response = client_for(client, world, role).get(INDEX_URL, {"export": export_format})
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    else:
        assert response.status_code == 200
        assert_shows_only(exported_text(response, export_format), role, VISIBLE[role])


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_a_searched_export_holds_only_the_ideas_the_user_may_see(client, world, role):
    response = client_for(client, world, role).get(INDEX_URL, {"export": "csv", "q": TITLES["b"]})
    shown = {"b"} & VISIBLE[role]
    assert_shows_only(exported_text(response, "csv"), role, shown)


# An idea's own page, and its error pages


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["a", "b", "none"])
def test_an_ideas_page(client, world, role, key):
    idea = world.ideas[key]
    url = idea_admin_path(idea)
    response = client_for(client, world, role).get(url)
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    elif key in VISIBLE[role]:
        assert response.status_code == 200
        assert_shows_only(response.content.decode(), role, {key})
    else:
        assert response.status_code == 404
        assert_shows_only(response.content.decode(), role, set())


# Actions on one idea, and in bulk


def action_data(world):
    return {
        "move": {"move-to_stage": process.DEVELOPMENT, "move-public_note": "Vi går vidare."},
        "assign_unit": {"assign_unit-unit": ""},
        "mark_duplicate": {"mark_duplicate-reference": world.ideas["a2"].reference},
        "confidential": {"confidential-confidential": "on"},
        "tags": {"tags-tags": "park"},
        "correct": {
            "correct-title": "Solceller på förrådet",
            "correct-description": "Rättad text.",
            "correct-need": "Rättat behov.",
        },
        "add_pilot": {
            "add_pilot-title": "Solceller på ett förråd",
            "add_pilot-hypothesis": "Förrådet klarar sig på egen el.",
            "add_pilot-success_criteria": "Ingen el köps i juli.",
        },
        "add_benefit": {
            "add_benefit-kind": "money",
            "add_benefit-title": "Lägre elkostnad",
            "add_benefit-expected": "12000",
            "add_benefit-starts_on": "2026-01-01",
            "add_benefit-owner": world.users["coordinator"].pk,
            "add_benefit-months": "6, 12",
        },
        "plan_step": {"plan_step-title": "Alla förråd", "plan_step-status": "planned"},
    }


ACTIONS = ["move", "assign_unit", "mark_duplicate", "confidential", "tags", "correct", "add_pilot"]
ACTIONS += ["add_benefit", "plan_step"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_acting_on_an_idea(client, world, role, action):
    idea = world.ideas["a"]
    url = idea_admin_path(idea, action)
    events_before = IdeaEvent.objects.filter(idea=idea).count()
    response = client_for(client, world, role).post(url, action_data(world)[action])
    events_after = IdeaEvent.objects.filter(idea=idea).count()
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    elif "a" not in VISIBLE[role]:
        assert response.status_code == 404
        assert_shows_only(response.content.decode(), role, set())
    elif action == "confidential" and role not in MAY_SEE_CONFIDENTIAL:
        assert outcome(response) == "denied"
    else:
        assert response.status_code == 302
        inspect_url = idea_admin_path(idea)
        # Taking the idea off their unit sends a reviewer back to their inbox.
        routed_away = action == "assign_unit" and role == "reviewer_a"
        assert response["Location"] == (INDEX_URL if routed_away else inspect_url)
        assert events_after == events_before + 1
        return
    assert events_after == events_before


@pytest.mark.parametrize("action", ACTIONS)
def test_a_reader_may_see_but_not_act(client, world, action):
    reader = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_idea",
        groups=[world.unit_a.reviewer_group],
        username="lasare",
    )
    client.force_login(reader)
    idea = world.ideas["a"]
    inspect = client.get(idea_admin_path(idea))
    assert inspect.status_code == 200
    url = idea_admin_path(idea, action)
    assert outcome(client.post(url, action_data(world)[action])) == "denied"
    data = {"ideas": [idea.pk], "action": "move", "to_stage": process.DEVELOPMENT}
    assert outcome(client.post(BULK_URL, data)) == "denied"
    assert IdeaEvent.objects.filter(idea=idea).count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_bulk_actions(client, world, role):
    idea = world.ideas["a"]
    data = {"ideas": [idea.pk], "action": "move", "to_stage": process.DEVELOPMENT}
    response = client_for(client, world, role).post(BULK_URL, data)
    idea.refresh_from_db()
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    elif "a" not in VISIBLE[role]:
        # The idea is not one of theirs: refused as an unknown choice, nothing named.
        assert response.status_code == 302 and response["Location"] == INDEX_URL
        assert idea.stage == process.SCREENING
        return
    else:
        assert response.status_code == 302
        assert idea.stage == process.DEVELOPMENT
        return
    assert idea.stage == process.SCREENING


def test_wagtails_group_settings_offer_the_sluices_permissions(db):
    offered = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for fn in hooks.get_hooks("register_permissions")
        for permission in fn()
    }
    for name in (
        "sluss_wagtail.view_idea",
        "sluss_wagtail.change_idea",
        "sluss_wagtail.view_all_ideas",
        "sluss_wagtail.view_ideacontact",
        "sluss_wagtail.change_organisationunit",
    ):
        assert name in offered


# Organisation units


UNIT_VIEWS = ["index", "create", "edit", "delete"]
#: What each role may do with units: the coordinator has add, change and view.
UNIT_ACCESS = {
    "coordinator": {"index", "create", "edit"},
    "superuser": set(UNIT_VIEWS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", UNIT_VIEWS)
def test_organisation_units(client, world, role, view):
    args = [world.unit_a.pk] if view in ("edit", "delete") else []
    url = reverse(f"sluss_wagtail_organisationunit_modeladmin_{view}", args=args)
    response = client_for(client, world, role).get(url)
    if role == "anonymous":
        assert outcome(response) == "login"
    elif view in UNIT_ACCESS.get(role, set()):
        assert response.status_code == 200
    else:
        assert outcome(response) == "denied"


def test_the_unit_list_refuses_lookups_beyond_its_own_filters(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("sluss_wagtail_organisationunit_modeladmin_index")
    response = client.get(url, {"reviewer_group__user__password__startswith": "md5"})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url, {"is_active__exact": "1"}).status_code == 200


def test_a_coordinator_edits_a_unit(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("sluss_wagtail_organisationunit_modeladmin_edit", args=[world.unit_a.pk])
    response = client.post(
        url,
        {
            "name": "Park- och naturförvaltningen",
            "contact_email": "park@exempelby.invalid",
            "reviewer_group": world.unit_a.reviewer_group.pk,
            "is_pilot_unit": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.unit_a.refresh_from_db()
    assert world.unit_a.name == "Park- och naturförvaltningen"
    assert world.unit_a.is_pilot_unit is True


# The public status page


@pytest.mark.parametrize("role", ROLES)
def test_the_status_page_shows_no_personal_data_or_internal_notes(client, world, role):
    idea = world.ideas["a"]
    response = client_for(client, world, role).get(idea.get_status_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vi bedömer idén." in html
    assert "Hemlig intern anteckning" not in html
    for value in ALL_PERSONAL_DATA:
        assert value not in html


def test_an_unknown_status_link_is_a_404(client, world):
    assert client.get(reverse("sluss_wagtail:idea_status", args=["x" * 32])).status_code == 404


# Benefits realisation: the follow-up page of a benefit's owner


@pytest.mark.parametrize("role", [*ROLES, "owner"])
def test_the_follow_up_page(client, world, role):
    """The benefit's owner (who need not use the inbox) and those who may act on its
    idea record a follow-up; everyone else is refused, and nothing is recorded."""
    from sluss_wagtail.models import BenefitFollowUp
    from tests.factories import create_benefit

    owner = create_admin_user("wagtailadmin.access_admin", username="nyttoagare")
    benefit = create_benefit(world.ideas["a"], owner=owner)
    follow_up = benefit.follow_ups.first()
    url = reverse("sluss_wagtail_benefit_follow_up", args=[follow_up.pk])
    if role == "owner":
        client.force_login(owner)
    else:
        client_for(client, world, role)
    data = {"measured_value": "350", "how_measured": "Tidrapporter", "comment": ""}
    response = client.post(url, data)
    recorded = BenefitFollowUp.objects.get(pk=follow_up.pk).recorded_at is not None
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role in ("owner", "reviewer_a", "coordinator", "superuser"):
        assert response.status_code == 302 and recorded
        return
    else:
        assert outcome(response) == "denied"
    assert not recorded


# Following and support (``following_views``): public, the same for everyone


def _follow_urls(idea):
    return [
        reverse("sluss_wagtail:follow", args=["idea", idea.pk]),
        reverse("sluss_wagtail:support", args=[idea.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_a_public_idea_can_be_followed_or_supported_whoever_asks(client, world, role):
    from sluss_wagtail.models import Idea, PortfolioEntry

    client = client_for(client, world, role)
    hidden = world.ideas["a"]
    Idea.objects.filter(pk=hidden.pk).update(publish_idea=False)  # the giver did not allow it
    public = world.ideas["b"]
    Idea.objects.filter(pk=public.pk).update(publish_idea=True)
    PortfolioEntry.objects.create(idea=public, approved=True)  # and approved for the portfolio
    for url in _follow_urls(hidden):
        assert client.get(url).status_code == 404, (role, url)
        assert client.post(url, {"email": "x@exempelby.invalid"}).status_code == 404
    for url in _follow_urls(public):
        response = client.get(url)
        assert response.status_code == 200, (role, url)
        html = response.content.decode()
        assert "Hemlig intern anteckning" not in html
        for value in ALL_PERSONAL_DATA:
            assert value not in html


@pytest.mark.parametrize("role", ROLES)
def test_the_manage_page_shows_only_the_addresses_own_and_needs_its_link(client, world, role):
    from django.utils import timezone

    from sluss_wagtail import following
    from sluss_wagtail.models import Idea, PortfolioEntry, Subscription

    client = client_for(client, world, role)
    Idea.objects.filter(pk=world.ideas["b"].pk).update(publish_idea=True)
    PortfolioEntry.objects.create(idea=world.ideas["b"], approved=True)
    now = timezone.now()
    mine = Subscription.objects.create(
        kind="follow", idea=world.ideas["b"], email="fan@exempelby.invalid", confirmed_at=now
    )
    Subscription.objects.create(
        kind="support", idea=world.ideas["b"], email="annan@exempelby.invalid", confirmed_at=now
    )
    url = reverse("sluss_wagtail:follow_manage", args=[following.make_token(mine, "manage")])
    response = client.get(url)
    assert response.status_code == 200
    items = response.context["items"]
    assert [item["subscription"] for item in items] == [mine]
    # Neither a login nor any role opens the page without the link's own token.
    forged = reverse("sluss_wagtail:follow_manage", args=["x" * 40])
    assert client.get(forged).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_the_support_count_shows_on_an_ideas_page_to_those_who_may_see_it(client, world, role):
    from django.utils import timezone

    from sluss_wagtail.models import Subscription

    idea = world.ideas["a"]
    Subscription.objects.create(
        kind="support", idea=idea, email="fan@exempelby.invalid", confirmed_at=timezone.now()
    )
    response = client_for(client, world, role).get(idea_admin_path(idea))
    shown = outcome(response) == 200 and 'id="sluss-idea-following"' in response.content.decode()
    assert shown == ("a" in VISIBLE[role]), role
    if shown:
        assert "fan@exempelby.invalid" not in response.content.decode()


# The idea coach and assisted intake (``admin.coach``, ``admin.intake``)

#: Who may give an idea a coach: coordinators (who see every idea and change ideas).
MAY_ASSIGN_COACH = {"coordinator", "superuser"}
#: Who may register an idea on its giver's behalf: coordinators and the customer centre.
MAY_REGISTER = {"coordinator", "superuser", "customer_centre"}


def customer_centre_user():
    return create_admin_user(
        "wagtailadmin.access_admin", "sluss_wagtail.register_idea", username="kundcenter"
    )


@pytest.mark.parametrize("role", ROLES)
def test_giving_an_idea_a_coach(client, world, role):
    from sluss_wagtail.models import Idea

    idea = world.ideas["a"]
    url = idea_admin_path(idea, "coach")
    coach = world.users["reviewer_a"]
    response = client_for(client, world, role).post(url, {"coach-coach": coach.pk})
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    elif "a" not in VISIBLE[role]:
        assert response.status_code == 404
        assert_shows_only(response.content.decode(), role, set())
    elif role not in MAY_ASSIGN_COACH:
        assert outcome(response) == "denied"
    else:
        assert response.status_code == 302
        assert Idea.objects.get(pk=idea.pk).coach == coach
        return
    assert Idea.objects.get(pk=idea.pk).coach is None


@pytest.mark.parametrize("coach_role", ["editor", "reviewer_b", "anonymous"])
def test_a_coach_who_may_not_see_the_idea_is_refused(client, world, coach_role):
    from sluss_wagtail.models import Idea

    idea = world.ideas["a"]
    coach = world.users[coach_role]
    url = idea_admin_path(idea, "coach")
    client_for(client, world, "coordinator")
    response = client.post(url, {"coach-coach": getattr(coach, "pk", None) or "0"})
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors
    assert Idea.objects.get(pk=idea.pk).coach is None


@pytest.mark.parametrize("role", [*ROLES, "customer_centre"])
def test_my_ideas_shows_only_the_users_ideas_they_may_see(client, world, role):
    from sluss_wagtail import actions

    if role == "customer_centre":
        world.users[role] = customer_centre_user()
    user = world.users[role]
    for key in ("a", "b", "none"):
        if getattr(user, "pk", None):
            # Straight to the row: who may coach is the action's business, not this test's.
            type(world.ideas[key]).objects.filter(pk=world.ideas[key].pk).update(coach=user)
    actions.assign_coach(world.ideas["a2"], world.users["superuser"], user=None)
    response = client_for(client, world, role).get(INDEX_URL + "?coach=me")
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role in ("editor", "customer_centre"):
        assert outcome(response) == "denied"
    else:
        assert response.status_code == 200
        # Their own ideas that they may see (the superuser coaches a2 as well); nobody's
        # contact details, in the listing as ever.
        shown = {"a", "a2", "b", "none"} if role == "superuser" else VISIBLE[role] - {"a2"}
        text = response.content.decode()
        for key, title in TITLES.items():
            assert (title in text) == (key in shown), (role, key)
        for value in ALL_PERSONAL_DATA:
            assert value not in text
    home = client.get(HOME_URL)
    if role not in ("anonymous",):
        text = home.content.decode()
        assert ("sluss-coached" in text) == (role not in ("editor", "customer_centre"))


@pytest.mark.parametrize("role", [*ROLES, "customer_centre"])
def test_the_intake_form(client, world, role):
    if role == "customer_centre":
        world.users[role] = customer_centre_user()
    response = client_for(client, world, role).get(reverse("sluss_wagtail_intake"))
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role in MAY_REGISTER:
        assert response.status_code == 200
        assert_shows_only(response.content.decode(), role, set())
    else:
        assert outcome(response) == "denied"


@pytest.mark.parametrize("role", [*ROLES, "customer_centre", "colleague"])
def test_the_intake_receipt(client, world, role):
    from sluss_wagtail import actions

    registrar = customer_centre_user()
    world.users["customer_centre"] = registrar
    world.users["colleague"] = create_admin_user(
        "wagtailadmin.access_admin", "sluss_wagtail.register_idea", username="kollega"
    )
    idea = world.ideas["a"]
    actions.record(idea, IdeaEvent.Kind.REGISTERED, user=registrar, changes={"channel": "x"})
    url = reverse("sluss_wagtail_intake_receipt", args=[idea.pk])
    response = client_for(client, world, role).get(url)
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    elif role in ("customer_centre", "coordinator", "superuser"):
        assert response.status_code == 200
        assert idea.get_status_url() in response.content.decode()
    else:
        # A reviewer of the idea's unit sees it, but not its giver's personal data, nor so
        # the status link; another customer-centre user not what a colleague registered.
        assert response.status_code == 404
        assert idea.get_status_url() not in response.content.decode()


# The dialogue with the idea giver (``dialogue``)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_writing_to_the_idea_giver(client, world, role, method):
    from sluss_wagtail.models import DialogueMessage

    idea = world.ideas["a"]
    url = reverse("sluss_wagtail_dialogue_write", args=[idea.pk])
    data = {"kind": "question", "text": "Vilken park menar du?"} if method == "post" else None
    response = getattr(client_for(client, world, role), method)(url, data)
    written = DialogueMessage.objects.filter(idea=idea).count()
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    elif "a" not in VISIBLE[role]:
        assert response.status_code == 404
        assert_shows_only(response.content.decode(), role, set())
    else:
        assert response.status_code == (302 if method == "post" else 200)
        assert written == (1 if method == "post" else 0)
        return
    assert written == 0


def test_a_reader_may_see_the_thread_but_not_write(client, world):
    from sluss_wagtail import dialogue

    reader = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_idea",
        groups=[world.unit_a.reviewer_group],
        username="lasare",
    )
    idea = world.ideas["a"]
    dialogue.write_to_giver(idea, user=world.users["coordinator"], text="Vilken park?")
    client.force_login(reader)
    html = client.get(idea_admin_path(idea)).content
    assert "Vilken park?" in html.decode()
    url = reverse("sluss_wagtail_dialogue_write", args=[idea.pk])
    assert url not in html.decode()
    assert outcome(client.post(url, {"kind": "question", "text": "Hej"})) == "denied"


@pytest.mark.parametrize("role", ROLES)
def test_the_thread_names_the_giver_only_to_those_who_may_see_personal_data(client, world, role):
    from sluss_wagtail import dialogue

    idea = world.ideas["a"]
    contact = CONTACTS["a"]
    dialogue.write_to_giver(idea, user=world.users["coordinator"], text="Hej! Vilken park?")
    dialogue.answer(idea, text=f"{contact['name']} här, ring {contact['phone']}.")
    url = idea_admin_path(idea)
    response = client_for(client, world, role).get(url)
    if role in ("anonymous", "editor") or "a" not in VISIBLE[role]:
        return  # as the idea's page above
    html = response.content.decode()
    assert "Vilken park?" in html
    assert_shows_only(html, role, {"a"})


@pytest.mark.parametrize("role", ROLES)
def test_the_status_link_is_the_key_to_the_thread(client, world, role):
    from sluss_wagtail import dialogue
    from sluss_wagtail.models import DialogueMessage
    from sluss_wagtail.spam import new_form_token

    idea = world.ideas["a"]
    dialogue.write_to_giver(idea, user=world.users["coordinator"], text="Vilken park?")
    html = client_for(client, world, role).get(idea.get_status_url()).content.decode()
    assert "Vilken park?" in html
    for value in ALL_PERSONAL_DATA:
        assert value not in html
    url = reverse("sluss_wagtail:dialogue_answer", args=[idea.status_token])
    response = client.post(url, {"text": "Stadsparken.", "form_token": new_form_token()})
    assert response.status_code == 302
    assert DialogueMessage.objects.from_giver().filter(idea=idea).count() == 1


# Assessment by criteria and decisions (``sluss_wagtail.admin.assessment``)


def assessment_world(world):
    """An assessor (no other right) asked about idea a, and the criteria to assess it by."""
    from django.utils import timezone

    from sluss_wagtail import assessing
    from tests.factories import create_assessor, create_criteria

    criteria = create_criteria()
    assessor = create_assessor(username="bedomaren")
    (request,) = assessing.request_assessments(
        world.ideas["a"], [assessor], user=world.users["coordinator"], due_on=timezone.localdate()
    )
    return assessor, request, criteria


ASSESSMENT_ROLES = (*ROLES, "assessor")


@pytest.mark.parametrize("role", ASSESSMENT_ROLES)
def test_the_assessment_views(client, world, role):
    from sluss_wagtail.models import Assessment

    assessor, request, criteria = assessment_world(world)
    world.users["assessor"] = assessor
    client = client_for(client, world, role)
    waiting = client.get(reverse("sluss_wagtail_assessments"))
    form = client.get(reverse("sluss_wagtail_assess", args=[request.pk]))
    data = {f"score_{criterion.pk}": "3" for criterion in criteria}
    post = client.post(reverse("sluss_wagtail_assess", args=[request.pk]), data)
    if role == "anonymous":
        assert {outcome(waiting), outcome(form), outcome(post)} == {"login"}
    elif role == "assessor":
        assert waiting.status_code == 200 and form.status_code == 200
        assert post.status_code == 302
        # The idea de-identified: its text, nothing of its giver, and no other idea.
        assert_shows_only(form.content.decode(), "assessor", {"a"})
        assert_shows_only(waiting.content.decode(), "assessor", {"a"})
        assert Assessment.objects.filter(assessor=assessor).count() == 1
        return
    elif role == "superuser":
        # A superuser may be asked like anyone, but this request is not theirs.
        assert waiting.status_code == 200
        assert form.status_code == 404 and post.status_code == 404
    else:
        assert {outcome(waiting), outcome(form), outcome(post)} == {"denied"}
    assert not Assessment.objects.exists()


def test_an_assessor_reaches_no_other_idea_and_no_other_view(client, world):
    assessor, _request, _criteria = assessment_world(world)
    client.force_login(assessor)
    # No inbox, no idea's page (not even of the idea they assess), no export.
    assert outcome(client.get(INDEX_URL)) == "denied"
    for key in TITLES:
        url = idea_admin_path(world.ideas[key])
        assert outcome(client.get(url)) == "denied"


@pytest.mark.parametrize("role", ASSESSMENT_ROLES)
@pytest.mark.parametrize("action", ["request_assessment", "decide"])
def test_asking_and_deciding_are_for_coordinators(client, world, role, action):
    from django.utils import timezone

    from sluss_wagtail.models import AssessmentRequest, Decision

    assessor, _request, _criteria = assessment_world(world)
    world.users["assessor"] = assessor
    idea = world.ideas["a"]
    data = {
        "request_assessment": {
            "request_assessment-assessors": [assessor.pk],
            "request_assessment-due_on": timezone.localdate().isoformat(),
        },
        "decide": {
            "decide-kind": "develop",
            "decide-decided_on": timezone.localdate().isoformat(),
            "decide-reasons": "Vi utvecklar idén.",
        },
    }[action]
    before = (AssessmentRequest.objects.count(), Decision.objects.count())
    url = idea_admin_path(idea, action)
    response = client_for(client, world, role).post(url, data)
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role in ("coordinator", "superuser"):
        assert response.status_code == 302
        if action == "decide":
            assert Decision.objects.count() == before[1] + 1
        # (The assessor was already asked and has not answered: nothing new to ask.)
        return
    elif role in ("editor", "assessor"):
        assert outcome(response) == "denied"
    elif "a" not in VISIBLE[role]:
        assert response.status_code == 404
    else:
        assert outcome(response) == "denied"
    assert (AssessmentRequest.objects.count(), Decision.objects.count()) == before


@pytest.mark.parametrize("role", ROLES)
def test_the_assessment_panel_is_for_coordinators(client, world, role):
    from sluss_wagtail import assessing

    assessor, request, criteria = assessment_world(world)
    assessing.submit_assessment(
        request,
        user=assessor,
        scores={criterion.pk: 4 for criterion in criteria},
        comments={criteria[0].pk: "Hemlig bedömningskommentar"},
    )
    idea = world.ideas["a"]
    response = client_for(client, world, role).get(idea_admin_path(idea))
    shown = response.status_code == 200 and "Hemlig bedömningskommentar" in (
        response.content.decode()
    )
    assert shown == (role in ("coordinator", "superuser"))


# The public portfolio's approval (portfolio) ----------------------------------------------

#: Those who may approve an idea for the public portfolio: coordinators, not reviewers.
MAY_APPROVE_PORTFOLIO = {"coordinator", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_approving_an_idea_for_the_portfolio(client, world, role):
    from sluss_wagtail.models import Idea
    from sluss_wagtail.models.portfolio import PortfolioEntry

    idea = world.ideas["a"]
    url = idea_admin_path(idea, "portfolio")
    data = {"portfolio-approved": "on", "portfolio-public_title": "Solceller på förråd"}
    response = client_for(client, world, role).post(url, data)
    approved = PortfolioEntry.objects.filter(idea=idea, approved=True).exists()
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role == "editor":
        assert outcome(response) == "denied"
    elif "a" not in VISIBLE[role]:
        assert response.status_code == 404
        assert_shows_only(response.content.decode(), role, set())
    elif role not in MAY_APPROVE_PORTFOLIO:
        assert outcome(response) == "denied"
    else:
        assert response.status_code == 302
        assert approved
        assert list(Idea.objects.public()) == [idea]
        return
    assert not approved
    assert not Idea.objects.public().exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_portfolio_action_is_offered_only_to_those_who_may_approve(client, world, role):
    idea = world.ideas["a"]
    if role == "anonymous" or "a" not in VISIBLE[role]:
        return
    inspect = client_for(client, world, role).get(idea_admin_path(idea))
    url = idea_admin_path(idea, "portfolio")
    assert (url in inspect.content.decode()) == (role in MAY_APPROVE_PORTFOLIO)
