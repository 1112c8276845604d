"""Right of access and erasure in the admin, for the six people of the permission matrix.

Only users who may see personal data (``view_ideacontact``) find and download
what is held about an e-mail address; erasing also needs ``erase_ideacontact``.
Each hand-out and erasure is an event on the ideas.
"""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sluss_wagtail.models import IdeaContact, IdeaEvent
from sluss_wagtail.roles import COORDINATORS
from sluss_wagtail.roles import ROLES as STANDARD_ROLES
from tests.factories import create_admin_user, get_permissions
from tests.test_permission_matrix import CONTACTS, ROLES, World, client_for, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return World()


URL = reverse("sluss_wagtail_personal_data")
EMAIL = CONTACTS["a"]["email"]
#: Who may find and download; who may also erase.
MAY_ACCESS = {"coordinator", "superuser"}
MAY_ERASE = {"superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_finding_what_is_held(client, world, role):
    response = client_for(client, world, role).post(URL, {"email": EMAIL.upper(), "action": "find"})
    if role == "anonymous":
        assert outcome(response) == "login"
    elif role not in MAY_ACCESS:
        assert outcome(response) == "denied"
    else:
        assert response.status_code == 200
        assert [idea.reference for idea in response.context["ideas"]] == [
            world.ideas["a"].reference
        ]
        assert ('value="confirm"' in response.content.decode()) == (role in MAY_ERASE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["json", "zip"])
def test_downloading_what_is_held(client, world, role, kind):
    response = client_for(client, world, role).post(URL, {"email": EMAIL, "action": kind})
    idea = world.ideas["a"]
    if role not in MAY_ACCESS:
        assert outcome(response) in ("login", "denied")
        assert not idea.events.filter(kind=IdeaEvent.Kind.ACCESSED).exists()
        return
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    if kind == "zip":
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        data = json.loads(archive.read("data.json"))
    else:
        data = json.loads(response.content)
    (item,) = data["ideas"]
    assert item["reference"] == idea.reference
    assert item["contact"]["email"] == EMAIL
    assert item["contact"]["phone"] == CONTACTS["a"]["phone"]
    assert "Hemlig intern anteckning" not in json.dumps(data, ensure_ascii=False)
    for other in ("a2", "b", "none"):
        assert CONTACTS[other]["email"] not in json.dumps(data)
    event = idea.events.get(kind=IdeaEvent.Kind.ACCESSED)
    assert event.user == world.users[role]


@pytest.mark.parametrize("role", ROLES)
def test_erasing_what_is_held(client, world, role):
    client = client_for(client, world, role)
    confirm = client.post(URL, {"email": EMAIL, "action": "confirm"})
    response = client.post(URL, {"email": EMAIL, "action": "erase"})
    idea = world.ideas["a"]
    if role not in MAY_ERASE:
        assert outcome(confirm) in ("login", "denied")
        assert outcome(response) in ("login", "denied")
        assert IdeaContact.objects.filter(idea=idea).exists()
        return
    assert confirm.status_code == 200
    assert 'value="erase"' in confirm.content.decode()
    assert response.status_code == 302
    assert not IdeaContact.objects.filter(idea=idea).exists()
    # Only that address: the others keep theirs.
    assert IdeaContact.objects.count() == 3
    event = idea.events.get(kind=IdeaEvent.Kind.ERASED)
    assert event.user == world.users[role]


def test_a_coordinator_with_the_erase_permission_may_erase(client, world):
    coordinator = world.users["coordinator"]
    coordinator.user_permissions.add(*get_permissions("sluss_wagtail.erase_ideacontact"))
    client.force_login(coordinator)
    assert client.post(URL, {"email": EMAIL, "action": "erase"}).status_code == 302
    assert not IdeaContact.objects.filter(idea=world.ideas["a"]).exists()


def test_the_standard_coordinators_group_may_erase():
    assert "sluss_wagtail.erase_ideacontact" in STANDARD_ROLES[COORDINATORS][1]


def test_a_user_who_sees_personal_data_only_finds_the_ideas_they_may_see(client, world):
    # A unit reviewer with view_ideacontact: unit a's ideas only.
    reviewer = world.users["reviewer_a"]
    reviewer.user_permissions.add(*get_permissions("sluss_wagtail.view_ideacontact"))
    client.force_login(reviewer)
    response = client.post(URL, {"email": CONTACTS["b"]["email"], "action": "find"})
    assert response.context["ideas"] == []
    response = client.post(URL, {"email": CONTACTS["b"]["email"], "action": "json"})
    assert json.loads(response.content)["ideas"] == []


@pytest.mark.parametrize(
    "data",
    [
        {"email": "inte-en-adress", "action": "json"},
        {"email": "", "action": "erase"},
        {"email": EMAIL, "action": "drop table"},
        {"email": EMAIL * 20, "action": "zip"},
        {"email": "<script>@x.se", "action": "json"},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, world, data):
    client.force_login(world.users["superuser"])
    response = client.post(URL, data)
    assert response.status_code == 200
    assert IdeaContact.objects.count() == 4
    assert not IdeaEvent.objects.filter(
        kind__in=[IdeaEvent.Kind.ACCESSED, IdeaEvent.Kind.ERASED]
    ).exists()


def test_the_menu_shows_personal_data_to_those_who_may_use_it(client, world):
    for role in ("editor", "reviewer_a", "coordinator", "superuser"):
        client.force_login(world.users[role])
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert (URL in html) == (role in MAY_ACCESS), role


def test_the_erase_permission_is_offered_in_group_settings(db):
    from wagtail import hooks

    offered = {
        permission.codename
        for fn in hooks.get_hooks("register_permissions")
        for permission in fn()
        if isinstance(permission, Permission)
    }
    assert "erase_ideacontact" in offered


def test_the_personal_data_page_runs_a_fixed_number_of_queries(client, world):
    from tests.factories import IdeaFactory

    client.force_login(
        create_admin_user(
            "wagtailadmin.access_admin",
            "sluss_wagtail.view_all_ideas",
            "sluss_wagtail.view_ideacontact",
            username="dataskydd",
        )
    )
    client.post(URL, {"email": EMAIL, "action": "find"})  # warm caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.post(URL, {"email": EMAIL, "action": "find"})
    for _ in range(5):
        IdeaFactory(contact={"name": "Anna", "email": EMAIL})
    with CaptureQueriesContext(connection) as many:
        client.post(URL, {"email": EMAIL, "action": "find"})
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as one_export:
        client.post(URL, {"email": EMAIL, "action": "json"})
    IdeaFactory(contact={"name": "Anna", "email": EMAIL})
    with CaptureQueriesContext(connection) as more_export:
        client.post(URL, {"email": EMAIL, "action": "json"})
    assert len(more_export) == len(one_export)


def test_ideas_sent_from_an_account_with_the_address_are_found_too(client, world):
    from tests.factories import IdeaFactory, UserFactory

    account = UserFactory(username="medarbetare", email="per@exempelby.invalid")
    idea = IdeaFactory(title="Från kontot", contact={"name": "Per"}, submitted_by=account)
    client.force_login(world.users["superuser"])
    response = client.post(URL, {"email": "PER@exempelby.invalid", "action": "find"})
    assert [found.pk for found in response.context["ideas"]] == [idea.pk]
    client.post(URL, {"email": "per@exempelby.invalid", "action": "erase"})
    idea.refresh_from_db()
    assert idea.submitted_by is None
    assert not IdeaContact.objects.filter(idea=idea).exists()


def test_adoptions_registered_with_the_address_are_found_handed_out_and_erased(client, world):
    from tests.factories import create_adoption, create_innovation, create_showcase_index

    innovation = create_innovation(create_showcase_index(), title="Digitala lås")
    adoption = create_adoption(innovation, contact_email=EMAIL, organisation="Hemtjänsten Väst")
    other = create_adoption(innovation, contact_email="annan@grannby.invalid")
    client.force_login(world.users["superuser"])

    response = client.post(URL, {"email": EMAIL, "action": "find"})
    assert response.context["adoptions"] == [adoption]
    assert "Hemtjänsten Väst" in response.content.decode()

    data = json.loads(client.post(URL, {"email": EMAIL, "action": "json"}).content)
    assert [item["contact_email"] for item in data["adoptions"]] == [EMAIL]
    assert data["adoptions"][0]["innovation"] == "Digitala lås"

    client.post(URL, {"email": EMAIL, "action": "erase"})
    adoption.refresh_from_db()
    other.refresh_from_db()
    assert adoption.contact_email == "" and adoption.organisation == "Hemtjänsten Väst"
    assert other.contact_email == "annan@grannby.invalid"
    assert client.post(URL, {"email": EMAIL, "action": "find"}).context["adoptions"] == []


def test_the_search_takes_the_address_by_post_never_from_the_query_string(client, world):
    """A GET with ``?email=`` searches nothing: the address would be in access logs."""
    client.force_login(world.users["superuser"])
    idea = world.ideas["a"]
    response = client.get(URL, {"email": EMAIL})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["ideas"] is None
    assert idea.reference not in html
    assert 'method="post"' in html and 'method="get"' not in html

    response = client.post(URL, {"email": EMAIL, "action": "find"})
    assert [found.reference for found in response.context["ideas"]] == [idea.reference]
    assert "no-store" in response["Cache-Control"]
    # The confirm step and its way back send the address by POST too, never in a link.
    html = client.post(URL, {"email": EMAIL, "action": "confirm"}).content.decode()
    assert "?email=" not in html
    assert 'value="find"' in html
