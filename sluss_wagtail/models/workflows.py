"""The showcase's moderation step in a Wagtail workflow."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask

#: What a moderator confirms before an innovation is shown to everyone.
MODERATION_CRITERIA = (
    (
        "consent_checked",
        _(
            "No personal data without consent: the idea giver's text and name "
            "appear only if they allowed publishing them."
        ),
    ),
    ("no_named_individuals", _("Nothing about named individuals.")),
    ("nothing_unlawful", _("Nothing illegal, abusive or advertising.")),
    ("images_described", _("Every image has an alternative text that describes it.")),
)


def _is_withheld(obj):
    from .showcase import InnovationPageMixin

    obj = getattr(obj, "specific_deferred", obj)
    return isinstance(obj, InnovationPageMixin) and obj.is_withheld()


class ShowcaseApprovalForm(TaskStateCommentForm):
    """Approving needs every moderation criterion confirmed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in MODERATION_CRITERIA:
            self.fields[name] = forms.BooleanField(
                label=label,
                required=True,
                error_messages={"required": _("Confirm this before you approve.")},
            )


class ShowcaseRejectionForm(TaskStateCommentForm):
    """Sending an innovation back needs a comment that tells the editor what to change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].help_text = _("Tell the editor what to change.")


class ShowcaseReviewTask(AbstractGroupApprovalTask):
    """A moderator of the showcase checks the publishing consents and the moderation
    criteria before an innovation is published."""

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            if _is_withheld(obj):
                # Approving would publish it: only sending it back is offered.
                return [("reject", _("Request changes"), True)]
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve after the checklist"), True),
            ]
        return []

    def get_form_for_action(self, action):
        return ShowcaseApprovalForm if action == "approve" else ShowcaseRejectionForm

    def get_template_for_action(self, action):
        if action == "approve":
            return "sluss_wagtail/admin/workflow_approve.html"
        return ""

    def on_action(self, task_state, user, action_name, **kwargs):
        # The action can arrive without the modal's form (e.g. a crafted request to the
        # page editor), so the form is checked here too: nothing is approved unchecked.
        form = self.get_form_for_action(action_name)(data=kwargs)
        if not form.is_valid():
            raise PermissionDenied(_("Confirm every point of the checklist, or give a comment."))
        if action_name == "approve" and _is_withheld(task_state.revision.content_object):
            from .showcase import ConfidentialPublishError

            raise ConfidentialPublishError()
        return super().on_action(
            task_state, user, action_name, comment=form.cleaned_data.get("comment", "")
        )

    @classmethod
    def get_description(cls):
        return _(
            "Showcase moderators check the publishing consents and the moderation criteria "
            "before an innovation is published."
        )

    class Meta:
        verbose_name = _("showcase review")
        verbose_name_plural = _("showcase reviews")
