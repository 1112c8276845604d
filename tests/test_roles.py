"""The standard groups, and who sees which ideas."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command

from sluss_wagtail import permissions, roles
from tests.factories import IdeaFactory, OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_standard_groups_are_created_once_and_get_their_permissions_back(capsys):
    call_command("sluss_groups")
    coordinators = Group.objects.get(name=roles.group_name(roles.COORDINATORS))
    coordinators.permissions.clear()
    call_command("sluss_groups")
    assert Group.objects.filter(name=coordinators.name).count() == 1
    assert coordinators.permissions.filter(codename="view_ideacontact").exists()
    assert "coordinators" in capsys.readouterr().out


@pytest.fixture
def world():
    groups = roles.ensure_groups()
    unit_a_group = Group.objects.create(name="Granskare A")
    unit_a = OrganisationUnitFactory(name="Enhet A", reviewer_group=unit_a_group)
    unit_b = OrganisationUnitFactory(name="Enhet B", reviewer_group=Group.objects.create(name="B"))
    coordinator = UserFactory(username="koordinator")
    coordinator.groups.add(groups[roles.COORDINATORS])
    reviewer = UserFactory(username="granskare")
    reviewer.groups.add(groups[roles.REVIEWERS], unit_a_group)
    return {
        "coordinator": coordinator,
        "reviewer": reviewer,
        "editor": UserFactory(username="redaktor"),
        "idea_a": IdeaFactory(unit=unit_a),
        "idea_b": IdeaFactory(unit=unit_b),
        "idea_none": IdeaFactory(),
    }


def test_a_coordinator_sees_every_idea_and_personal_data(world):
    user = world["coordinator"]
    assert permissions.ideas_for_user(user).count() == 3
    assert permissions.can_view_personal_data(user)


def test_a_reviewer_sees_only_the_ideas_of_their_units_without_personal_data(world):
    user = world["reviewer"]
    assert list(permissions.ideas_for_user(user)) == [world["idea_a"]]
    assert permissions.can_view_idea(user, world["idea_a"])
    assert not permissions.can_view_idea(user, world["idea_b"])
    assert not permissions.can_view_personal_data(user)


@pytest.mark.parametrize("who", ["editor", "anonymous", "inactive"])
def test_others_see_no_ideas(world, who):
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "inactive":
        user = world["coordinator"]
        user.is_active = False
    else:
        user = world[who]
    assert permissions.ideas_for_user(user).count() == 0


def test_moderators_and_coordinators_may_decide_adoptions_and_reviewers_may_not(world):
    moderator = UserFactory(username="moderator")
    moderator.groups.add(Group.objects.get(name=roles.group_name(roles.MODERATORS)))
    for user in (moderator, world["coordinator"]):
        assert user.has_perm("sluss_wagtail.change_adoption")
        assert user.has_perm("sluss_wagtail.view_adoption")
    assert not world["reviewer"].has_perm("sluss_wagtail.change_adoption")
