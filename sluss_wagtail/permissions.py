"""Who may see and do what with ideas: the one place the admin, exports and search ask.

- Innovation coordinators have ``view_all_ideas``: every idea of every unit of the
  sluices they coordinate (``sluices_for()``: the sluices whose coordinator groups
  they are in; the default sluice without groups for those who coordinate no other).
- Network coordinators (``view_all_sluices``, and superusers) see every sluice.
- Unit reviewers have ``view_idea`` and belong to a unit's reviewer group:
  the ideas routed to their units only.
- Personal data (``IdeaContact``) needs ``view_ideacontact``, whoever you are.
- Statistics, the dashboard panel and the reports are for coordinators
  (``view_all_ideas``); a confidential idea's title is shown in the register
  export only with ``view_confidential_idea``.

What of an idea a user may see is decided by one function, ``idea_visibility()``
(``idea_visibility_for_email()`` for a message to an address): every admin view,
export, report and e-mail to staff asks it, so a new view cannot show more.
"""

from dataclasses import dataclass, fields

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from . import APP_LABEL as APP
from .models.ideas import Idea
from .models.sluices import Sluice, layout


def can_view_all_ideas(user):
    return user.is_active and user.has_perm(f"{APP}.view_all_ideas")


def can_view_personal_data(user):
    return user.is_active and user.has_perm(f"{APP}.view_ideacontact")


def can_change_ideas(user):
    return user.is_active and user.has_perm(f"{APP}.change_idea")


def can_use_inbox(user):
    return user.is_active and (can_view_all_ideas(user) or user.has_perm(f"{APP}.view_idea"))


def can_view_all_sluices(user):
    """A network coordinator: the ideas, statistics and register of every sluice."""
    return user.is_active and user.has_perm(f"{APP}.view_all_sluices")


def _is_active_user(user):
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def sees_every_sluice(user):
    """Whether ``user``'s sluices are all there are: a network coordinator, or any
    coordinator while there is one sluice that names no coordinator groups (an
    installation that never configured sluices)."""
    if not _is_active_user(user):
        return False
    if can_view_all_sluices(user):
        return True
    current = layout()
    return current.count <= 1 and not current.default_has_groups and can_view_all_ideas(user)


def sluices_for(user):
    """The sluices whose ideas, statistics, reports and register ``user`` coordinates.

    The one place that says it: the inbox (through ``ideas_for_user``), the statistics,
    the dashboard, the reports, the register and the unit choosers ask here. A network
    coordinator (``view_all_sluices``) coordinates every sluice; a coordinator
    (``view_all_ideas``) the sluices whose coordinator groups they are in, and the
    default sluice while it names no groups if they coordinate no other sluice; anyone
    else none (a unit reviewer sees the ideas of their units, not a sluice).
    """
    if not _is_active_user(user) or not (can_view_all_ideas(user) or can_view_all_sluices(user)):
        return Sluice.objects.none()
    if sees_every_sluice(user):
        return Sluice.objects.all()
    memberships = Sluice.coordinator_groups.through.objects.filter(group__in=user.groups.all())
    with_groups = Sluice.coordinator_groups.through.objects.values("sluice")
    return Sluice.objects.filter(
        Q(pk__in=memberships.values("sluice"))
        | (Q(is_default=True) & ~Q(pk__in=with_groups) & ~Exists(memberships))
    )


def sluice_scope(user):
    """The primary keys of ``user``'s sluices, or None for every sluice (what the
    statistics are counted over); read once per user object."""
    if not hasattr(user, "_sluss_sluice_scope"):
        user._sluss_sluice_scope = (
            None
            if sees_every_sluice(user)
            else tuple(sluices_for(user).values_list("pk", flat=True))
        )
    return user._sluss_sluice_scope


def sluice_choices(user):
    """The sluices ``user`` may filter by: none unless they coordinate several (with one
    sluice no filter or column names it)."""
    if not _is_active_user(user) or not layout().several:
        return []
    if not hasattr(user, "_sluss_sluice_choices"):
        choices = list(sluices_for(user).order_by("-is_default", "name"))
        user._sluss_sluice_choices = choices if len(choices) > 1 else []
    return user._sluss_sluice_choices


def chosen_sluice(user, value):
    """The sluice ``value`` (a primary key from a filter) names, if ``user`` may filter by it."""
    value = str(value or "")
    if not value.isdigit():
        return None
    return next((sluice for sluice in sluice_choices(user) if sluice.pk == int(value)), None)


def ideas_for_user(user, queryset=None):
    """The ideas ``user`` may see."""
    queryset = Idea.objects.all() if queryset is None else queryset
    if not _is_active_user(user):
        return queryset.none()
    if can_view_all_ideas(user):
        if sees_every_sluice(user):
            return queryset
        return queryset.filter(sluice__in=sluices_for(user))
    if not user.has_perm(f"{APP}.view_idea"):
        return queryset.none()
    return queryset.filter(Q(unit__reviewer_group__in=user.groups.all()))


def sees_every_idea(user):
    """Whether ``ideas_for_user`` leaves every idea in (a listing may then skip the filter)."""
    return _is_active_user(user) and can_view_all_ideas(user) and sees_every_sluice(user)


def units_for(user, queryset=None):
    """The units ``user`` may see and choose (the units of the sluices they coordinate)."""
    from .models.units import OrganisationUnit

    queryset = OrganisationUnit.objects.all() if queryset is None else queryset
    if not _is_active_user(user):
        return queryset.none()
    if sees_every_sluice(user):
        return queryset
    if can_view_all_ideas(user):
        return queryset.filter(sluice__in=sluices_for(user))
    # A unit reviewer: the units of the sluices of the units they review.
    reviewed = OrganisationUnit.objects.filter(reviewer_group__in=user.groups.all())
    return queryset.filter(sluice__in=reviewed.values("sluice"))


def can_see_unit(user, unit):
    """Whether ``unit`` is one of ``units_for(user)``; no query for a coordinator after
    the first (their sluices are read once per user object)."""
    if not _is_active_user(user):
        return False
    if can_view_all_ideas(user) or can_view_all_sluices(user):
        scope = sluice_scope(user)
        return scope is None or unit.sluice_id in scope
    return units_for(user, type(unit).objects.filter(pk=unit.pk)).exists()


def can_view_idea(user, idea):
    return ideas_for_user(user, Idea.objects.filter(pk=idea.pk)).exists()


def can_view_statistics(user):
    """The dashboard panel, the innovation report and the register export: coordinators."""
    return can_view_all_ideas(user)


def can_view_confidential(user):
    return user.is_active and user.has_perm(f"{APP}.view_confidential_idea")


@dataclass(frozen=True)
class IdeaVisibility:
    """What of an idea (or of ideas in general) a user may see; ``False`` hides the part.

    Everything that names or could name the idea giver is personal data and
    needs ``view_ideacontact``: a user without it sees the idea de-identified.
    """

    #: The idea itself: its text, stage and history (without the parts below).
    idea: bool = False
    #: The idea giver's contact details: name, e-mail, phone, organisation.
    contact: bool = False
    #: The account an idea was sent from while logged in (``Idea.submitted_by``), and its
    #: name as the author of the "submitted" event in the history.
    giver_account: bool = False
    #: The files sent with the idea, their names and their downloads.
    attachments: bool = False
    #: The texts of a correction (before and after): the giver's own words, which may have
    #: been corrected because they held personal data (a personal identity number, say).
    corrected_originals: bool = False
    #: A confidential idea's text (description, need, beneficiaries, decision) unmasked in
    #: the inbox's export: users who see every idea.
    confidential_text: bool = False
    #: A confidential idea's title unmasked in the register export and on the dashboard:
    #: users with ``view_confidential_idea``.
    confidential_title: bool = False

    def title(self, idea):
        """The idea's title as this user may see it: a confidential idea's is masked
        without ``confidential_title`` (the register, the dashboard, the reports)."""
        if idea.confidential and not self.confidential_title:
            return force_str(_("(confidential)"))
        return idea.title

    @property
    def personal_data(self):
        """Every part that names the idea giver."""
        return self.contact and self.giver_account and self.attachments

    def __and__(self, other):
        """What both may see: a message to several people shows only that."""
        return IdeaVisibility(
            **{
                field.name: getattr(self, field.name) and getattr(other, field.name)
                for field in fields(self)
            }
        )


#: Nothing at all: an anonymous user, an address without an account, an idea not theirs.
NOTHING = IdeaVisibility()


def idea_visibility(user, idea=None):
    """What of ``idea`` ``user`` may see; without an idea, of the ideas they may see.

    The one place that decides it: the inbox, an idea's page and its history, the
    actions, exports, reports, the dashboard, attachment downloads and e-mails to
    staff all ask here rather than check a permission of their own.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if idea is not None and not can_view_idea(user, idea):
        return NOTHING
    if idea is None and not can_use_inbox(user):
        return NOTHING
    personal = can_view_personal_data(user)
    return IdeaVisibility(
        idea=True,
        contact=personal,
        giver_account=personal,
        attachments=personal,
        corrected_originals=personal,
        confidential_text=can_view_all_ideas(user),
        confidential_title=can_view_confidential(user),
    )


def idea_visibility_for_email(address, idea=None):
    """What a message to ``address`` may show of ``idea`` (or of ideas in general).

    An address is trusted as far as every active account with it may see: an address
    without an account (a unit's shared mailbox, say) gets nothing of the idea giver.
    """
    if not address:
        return NOTHING
    user_model = get_user_model()
    lookup = {f"{user_model.get_email_field_name()}__iexact": address, "is_active": True}
    users = list(user_model._default_manager.filter(**lookup))
    if not users:
        return NOTHING
    visibility = idea_visibility(users[0], idea)
    for user in users[1:]:
        visibility &= idea_visibility(user, idea)
    return visibility


def can_set_confidential(user):
    """Marking an idea confidential, or no longer: only those who may see confidential
    ideas (and may change ideas). The confidentiality form and its view both ask here."""
    return can_view_confidential(user) and can_change_ideas(user)


# The idea coach and assisted intake ------------------------------------------------------


def can_assign_coach(user):
    """Giving an idea a coach (or taking it back): coordinators, who may change ideas.
    The coach form and its view ask here."""
    return can_view_all_ideas(user) and can_change_ideas(user)


def may_coach(user, idea):
    """Whether ``user`` may be ``idea``'s coach: an active admin user who may see it."""
    return (
        _is_active_user(user)
        and user.has_perm("wagtailadmin.access_admin")
        and can_view_idea(user, idea)
    )


def coach_candidates(idea):
    """The users who may coach ``idea`` (``may_coach``), by name: those with a permission
    to see ideas, each then asked through ``can_view_idea``."""
    user_model = get_user_model()
    see = Q(codename__in=["view_idea", "view_all_ideas"], content_type__app_label=APP)
    from django.contrib.auth.models import Permission

    seeing = Permission.objects.filter(see)
    candidates = (
        user_model._default_manager.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=seeing)
            | Q(user_permissions__in=seeing)
        )
        .distinct()
        .order_by(user_model.USERNAME_FIELD)
    )
    return [user for user in candidates if may_coach(user, idea)]


def can_register_ideas(user):
    """Registering an idea on its giver's behalf (assisted intake): a coordinator (who may
    change ideas), or anyone with ``register_idea`` (the customer centre's role), who sees
    no idea beyond the receipt of those they registered."""
    if not _is_active_user(user):
        return False
    return user.has_perm(f"{APP}.register_idea") or (
        can_view_all_ideas(user) and can_change_ideas(user)
    )


def may_converse(user, idea, *, visible=None):
    """Whether ``user`` may write to ``idea``'s giver and read the answers: those who may
    handle the idea (see it and act on it), or the idea's coach. ``visible``: already
    known that the user sees the idea (the idea's own page found it among theirs)."""
    if not _is_active_user(user):
        return False
    if getattr(idea, "coach_id", None) == user.pk:
        return True
    if not (can_use_inbox(user) and can_change_ideas(user)):
        return False
    return can_view_idea(user, idea) if visible is None else bool(visible)


# ---- benefits realisation (``sluss_wagtail.benefits``) ------------------------------------------


def can_record_benefits(user):
    """Record benefits and plan implementation steps of the ideas one may act on:
    those who may change ideas (coordinators)."""
    return can_use_inbox(user) and can_change_ideas(user)


def can_follow_up_benefit(user, benefit):
    """The benefit owner, and a coordinator who may act on the benefit's idea."""
    if not user.is_active:
        return False
    if benefit.owner_id is not None and benefit.owner_id == user.pk:
        return True
    return (
        benefit.idea_id is not None
        and can_record_benefits(user)
        and ideas_for_user(user, Idea.objects.filter(pk=benefit.idea_id)).exists()
    )


def follow_ups_for_user(user, queryset=None):
    """The follow-ups a user answers for: of the benefits they own, and (for those who may
    record benefits) of the ideas they see."""
    from .models.benefits import BenefitFollowUp

    queryset = BenefitFollowUp.objects.all() if queryset is None else queryset
    if not user.is_active:
        return queryset.none()
    condition = Q(benefit__owner=user)
    if can_record_benefits(user):
        condition |= Q(benefit__idea__in=ideas_for_user(user).values("pk"))
    return queryset.filter(condition)


# Assessment by criteria (``sluss_wagtail.assessing``).


def can_assess(user):
    """Whether ``user`` may be asked to assess ideas (``assess_idea``). An assessor sees
    only the ideas they were asked about, de-identified, and only on the assessment form."""
    return _is_active_user(user) and user.has_perm(f"{APP}.assess_idea")


def can_coordinate_assessments(user):
    """Asking for assessments, reading them summed up and recording decisions:
    coordinators who may change ideas."""
    return _is_active_user(user) and can_view_all_ideas(user) and can_change_ideas(user)


def assessor_visibility():
    """What an assessor sees of an idea on the assessment form: the idea, nothing of its
    giver (the form also takes the giver's name out of the text, ``assessing.deidentified``)."""
    return IdeaVisibility(idea=True)


def can_approve_portfolio(user):
    """Approving an idea for the public portfolio (and writing its public title and
    summary): coordinators who may change ideas, not unit reviewers. The portfolio's
    action form and its view both ask here."""
    return can_view_all_ideas(user) and can_change_ideas(user)


def showcases_for_user(user):
    """The showcases ``user`` may add pages to (innovation pages: a promoted idea's draft,
    an import), by path: the one answer the promote action and the import ask."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from . import page_types

    addable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["add"])
    return page_types.showcase_model().objects.filter(pk__in=addable.values("pk")).order_by("path")
