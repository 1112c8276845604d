"""The dialogue with the idea giver in the admin: the thread on the idea's page (a panel
of its workspace) and the page where a coordinator or the coach writes to the giver.

Who may write is ``permissions.may_converse``; what of the giver the thread shows is
``permissions.idea_visibility``: without the personal-data permission the giver is
"the idea giver", their name, address and phone are taken out of every text, and their
files are not listed.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.auth import permission_denied

from .. import dialogue, permissions
from ..links import idea_admin_path, inbox_path
from ..models import DialogueMessage, Idea
from ..models.dialogue import MESSAGE_MAX_LENGTH

Kind = DialogueMessage.Kind


def write_url(idea):
    return reverse("sluss_wagtail_dialogue_write", args=[idea.pk])


class WriteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What you write"),
        choices=[(Kind.QUESTION, _("A question")), (Kind.MESSAGE, _("A message"))],
        initial=Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("To the idea giver"),
        help_text=_(
            "The idea giver reads it on their idea's page and answers there; they are "
            "e-mailed if they left an address. It is part of the idea's history, a public "
            "record."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what you want to say to the idea giver.")},
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(
                _("Write what you want to say to the idea giver."), code="required"
            )
        return text


def panel_context(user, idea, visibility):
    """The thread as ``user`` may see it, for the idea's page: one query, and one for the
    files when the user may see them and there are any."""
    thread = dialogue.thread(idea)
    if not thread:
        pass
    elif visibility.contact:
        for message in thread:
            message.shown_text = message.text
    else:
        dialogue.deidentified(idea, thread)
    if visibility.attachments:
        dialogue.with_files(thread)
    for message in thread:
        if not visibility.attachments:
            message.files = []
        message.files_hidden = not visibility.attachments and bool(message.file_count)
        if message.author is not None:
            message.who = message.author.get_full_name() or message.author.get_username()
        elif message.is_from_giver:
            message.who = _("The idea giver")
        else:
            message.who = _("The innovation sluice")
    return {
        "dialogue_thread": thread,
        # The idea's page found the idea among the user's: no need to look again.
        "dialogue_may_write": permissions.may_converse(user, idea, visible=True),
        "dialogue_write_url": write_url(idea),
        "dialogue_participation": dialogue.answers_in_thread(idea, thread),
    }


class WriteView(View):
    """Write to the idea giver (GET: the form, POST: the message), then back to the idea."""

    template_name = "sluss_wagtail/dialogue/admin_write.html"

    def dispatch(self, request, idea_pk):
        idea = get_object_or_404(Idea.objects.select_related("contact"), pk=idea_pk)
        if not permissions.may_converse(request.user, idea):
            if permissions.can_view_idea(request.user, idea):
                return permission_denied(request)
            if not permissions.can_use_inbox(request.user):
                return permission_denied(request)
            raise Http404
        self.idea = idea
        return super().dispatch(request, idea_pk)

    def render(self, form):
        idea = self.idea
        breadcrumbs = [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": inbox_path(), "label": _("Ideas")},
            {"url": idea_admin_path(idea), "label": idea.reference},
            {"url": "", "label": _("Write to the idea giver")},
        ]
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "idea": idea,
                "form": form,
                "stage": idea.stage_info,
                "breadcrumbs_items": breadcrumbs,
                "return_url": idea_admin_path(idea) + "#sluss-panel-dialogue",
                "action_url": write_url(idea),
                "has_address": bool(getattr(getattr(idea, "contact", None), "email", "")),
            },
        )

    def get(self, request, idea_pk):
        return self.render(WriteForm())

    def post(self, request, idea_pk):
        form = WriteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was sent. Correct what the form says."))
            return self.render(form)
        data = form.cleaned_data
        dialogue.write_to_giver(self.idea, user=request.user, text=data["text"], kind=data["kind"])
        messages.success(request, _("Your message to the idea giver is on the idea's page."))
        return redirect(idea_admin_path(self.idea) + "#sluss-panel-dialogue")


def admin_urls():
    return [
        path(
            "sluss/dialogue/<int:idea_pk>/write/",
            WriteView.as_view(),
            name="sluss_wagtail_dialogue_write",
        )
    ]
