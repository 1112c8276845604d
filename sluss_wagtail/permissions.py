"""Who may see and do what with ideas: the one place the admin, exports and search ask.

- Innovation coordinators have ``view_all_ideas``: every idea of every unit.
- Unit reviewers have ``view_idea`` and belong to a unit's reviewer group:
  the ideas routed to their units only.
- Personal data (``IdeaContact``) needs ``view_ideacontact``, whoever you are.
- Statistics, the dashboard panel and the reports are for coordinators
  (``view_all_ideas``); a confidential idea's title is shown in the register
  export only with ``view_confidential_idea``.
"""

from django.db.models import Q

from .models import Idea

APP = "sluss_wagtail"


def can_view_all_ideas(user):
    return user.is_active and user.has_perm(f"{APP}.view_all_ideas")


def can_view_personal_data(user):
    return user.is_active and user.has_perm(f"{APP}.view_ideacontact")


def can_change_ideas(user):
    return user.is_active and user.has_perm(f"{APP}.change_idea")


def can_use_inbox(user):
    return user.is_active and (can_view_all_ideas(user) or user.has_perm(f"{APP}.view_idea"))


def ideas_for_user(user, queryset=None):
    """The ideas ``user`` may see."""
    queryset = Idea.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if can_view_all_ideas(user):
        return queryset
    if not user.has_perm(f"{APP}.view_idea"):
        return queryset.none()
    return queryset.filter(Q(unit__reviewer_group__in=user.groups.all()))


def can_view_idea(user, idea):
    return ideas_for_user(user, Idea.objects.filter(pk=idea.pk)).exists()


def can_view_statistics(user):
    """The dashboard panel, the innovation report and the register export: coordinators."""
    return can_view_all_ideas(user)


def can_view_confidential(user):
    return user.is_active and user.has_perm(f"{APP}.view_confidential_idea")


def can_set_confidential(user):
    """Marking an idea confidential, or no longer: only those who may see confidential
    ideas (and may change ideas). The confidentiality form and its view both ask here."""
    return can_view_confidential(user) and can_change_ideas(user)
