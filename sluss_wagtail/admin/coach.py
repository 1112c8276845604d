"""The idea coach (idécoach): the action that gives an idea a coach, and "Ideas I coach" in
the dashboard's "Waiting for me". The inbox's "My ideas" filter is
``filters.CoachListFilter``; the coach's e-mail ``notifications.send_coach_assignment``;
their reminders ``sluss_reminders``.

Who may give an idea a coach is ``permissions.can_assign_coach`` (coordinators); who may
be one ``permissions.may_coach`` (an admin user who may see the idea).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import actions, permissions, process
from ..links import idea_admin_path, inbox_path
from ..models import Idea
from .forms import IdeaActionForm, internal_note_field, label
from .waiting import WaitingSection

#: How many of the coach's ideas the dashboard panel lists.
COACHED_SHOWN = 10


class CoachForm(IdeaActionForm):
    """Give the idea to a coach, or to none: the users who may see it are offered."""

    legend = label(Idea, "coach")
    submit_label = _("Save the idea coach")
    success_message = _("The idea coach was changed.")

    internal_note = internal_note_field()

    def __init__(self, idea, user, *args, **kwargs):
        kwargs.setdefault("initial", {"coach": idea.coach_id or ""})
        super().__init__(idea, user, *args, **kwargs)
        self.candidates = {
            candidate.pk: candidate for candidate in permissions.coach_candidates(idea)
        }
        self.fields["coach"] = forms.TypedChoiceField(
            label=label(Idea, "coach"),
            help_text=_(
                "An admin user who may see the idea. They are told by e-mail, find it under "
                "“My ideas” and get the reminders about it."
            ),
            choices=[
                ("", _("No idea coach")),
                *(
                    (pk, candidate.get_full_name() or candidate.get_username())
                    for pk, candidate in self.candidates.items()
                ),
            ],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.order_fields(["coach", "internal_note"])

    @classmethod
    def is_permitted(cls, user):
        return permissions.can_assign_coach(user)

    def clean(self):
        # The form refuses too, whoever builds it: the view is not the only way in.
        if not self.is_permitted(self.user):
            raise ValidationError(_("Only a coordinator can give an idea a coach."))
        return super().clean()

    def clean_coach(self):
        pk = self.cleaned_data["coach"]
        return self.candidates[pk] if pk is not None else None

    def error_field(self, error):
        return "coach"

    def save(self):
        return actions.assign_coach(
            self.idea,
            self.cleaned_data["coach"],
            user=self.user,
            internal_note=self.cleaned_data["internal_note"],
        )


def coached_ideas(user):
    """The open ideas ``user`` coaches and may still see, longest in their stage first."""
    return (
        permissions.ideas_for_user(user)
        .filter(coach=user, stage__in=process.OPEN_STAGES)
        .order_by("stage_changed_at", "pk")
    )


def waiting_section(user):
    """ "Ideas I coach" in "Waiting for me" (``admin.waiting``): one query for anyone who
    uses the inbox (none for others), and the count for a coach."""
    if not permissions.can_use_inbox(user):
        return None
    ideas = list(coached_ideas(user).select_related("unit")[:COACHED_SHOWN])
    if not ideas:
        return None
    count = coached_ideas(user).count()
    visibility = permissions.idea_visibility(user)
    now = timezone.now()
    for idea in ideas:
        idea.admin_url = idea_admin_path(idea)
        idea.shown_title = visibility.title(idea)
        idea.days_in_stage = (now - idea.stage_changed_at).days
    return WaitingSection(
        "coached",
        _("Ideas I coach"),
        "sluss_wagtail/admin/includes/waiting_coached.html",
        count=count,
        context={
            "ideas": ideas,
            "count": count,
            "inbox_url": inbox_path() + "?coach=me",
        },
    )
