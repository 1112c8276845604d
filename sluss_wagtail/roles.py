"""The standard groups of the sluice and their permissions (``manage.py sluss_groups``)."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import APP_LABEL as APP

COORDINATORS = "coordinators"
REVIEWERS = "reviewers"
MODERATORS = "moderators"
CUSTOMER_CENTRE = "customer_centre"
ASSESSORS = "assessors"

ROLES = {
    COORDINATORS: (
        _("Innovation coordinators"),
        [
            "wagtailadmin.access_admin",
            f"{APP}.add_idea",
            f"{APP}.change_idea",
            f"{APP}.view_idea",
            f"{APP}.view_all_ideas",
            f"{APP}.view_confidential_idea",
            f"{APP}.view_ideacontact",
            f"{APP}.change_ideacontact",
            f"{APP}.erase_ideacontact",
            f"{APP}.view_ideaevent",
            f"{APP}.add_organisationunit",
            f"{APP}.change_organisationunit",
            f"{APP}.view_organisationunit",
            f"{APP}.change_slusssettings",
            f"{APP}.view_adoption",
            f"{APP}.change_adoption",
        ],
    ),
    # Members see only the ideas of units whose reviewer group they are also in.
    REVIEWERS: (
        _("Unit reviewers"),
        ["wagtailadmin.access_admin", f"{APP}.view_idea", f"{APP}.change_idea"],
    ),
    # Moderators also confirm or reject adoptions ("we use this too").
    MODERATORS: (
        _("Showcase moderators"),
        ["wagtailadmin.access_admin", f"{APP}.view_adoption", f"{APP}.change_adoption"],
    ),
    # The customer centre (kundcenter) registers ideas from calls, visits and letters;
    # it sees no inbox: only the receipt of each idea it registered (``admin.intake``).
    CUSTOMER_CENTRE: (
        _("Customer centre"),
        ["wagtailadmin.access_admin", f"{APP}.register_idea"],
    ),
    # Asked to assess ideas by criteria: they see only those ideas, de-identified.
    ASSESSORS: (_("Assessors"), ["wagtailadmin.access_admin", f"{APP}.assess_idea"]),
}


def group_name(role):
    with translation.override(settings.LANGUAGE_CODE):
        return str(ROLES[role][0])


def get_permissions(names):
    permissions = []
    for name in names:
        app_label, codename = name.split(".")
        permissions.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return permissions


def ensure_groups():
    """Create the standard groups, or give them back their permissions; returns them by role."""
    groups = {}
    for role, (_label, permission_names) in ROLES.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        group.permissions.add(*get_permissions(permission_names))
        groups[role] = group
    return groups
