"""Who may see and do what with ideas: the one place the admin, exports and search ask.

- Innovation coordinators have ``view_all_ideas``: every idea of every unit.
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
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

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
