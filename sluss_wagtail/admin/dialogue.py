"""The dialogue with the idea giver in the admin: the thread on the idea's page (a panel
of its workspace) and the page where a coordinator or the coach writes to the giver.

Who may write is ``permissions.may_converse``; what of the giver the thread shows is
``permissions.idea_visibility``: without the personal-data permission the giver is
"the idea giver", their name, address and phone are taken out of every text, and their
files are not listed.
"""

from django import forms
from django.contrib import messages
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.auth import permission_denied

from .. import dialogue, permissions, process
from ..links import idea_admin_path, inbox_path
from ..models import DialogueMessage, DialogueReading, Idea
from ..models.dialogue import MESSAGE_MAX_LENGTH
from .waiting import WaitingSection

Kind = DialogueMessage.Kind

#: How many ideas with unread answers "Waiting for me" lists.
UNREAD_SHOWN = 10


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
    may_write = permissions.may_converse(user, idea, visible=True)
    if may_write and any(message.is_from_giver for message in thread):
        # The thread is in front of them: the giver's answers are read (one query).
        mark_read(user, idea)
    return {
        "dialogue_thread": thread,
        # The idea's page found the idea among the user's: no need to look again.
        "dialogue_may_write": may_write,
        "dialogue_write_url": write_url(idea),
        "dialogue_participation": dialogue.answers_in_thread(idea, thread),
    }


def mark_read(user, idea, when=None):
    """``user`` has read ``idea``'s thread: one upsert, whether they had read it before."""
    DialogueReading.objects.bulk_create(
        [DialogueReading(idea=idea, user=user, read_at=when or timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "idea"],
        update_fields=["read_at"],
    )


def unread_answers(user):
    """The open ideas ``user`` converses about (``permissions.may_converse``: those they
    coach; every idea they see if they may act on ideas) whose giver answered after the
    user last read the thread, the latest answer first, as ``last_answer``."""
    ideas = permissions.ideas_for_user(user).filter(stage__in=process.OPEN_STAGES)
    if not (permissions.can_use_inbox(user) and permissions.can_change_ideas(user)):
        ideas = ideas.filter(coach=user)
    last_answer = (
        DialogueMessage.objects.from_giver()
        .filter(idea=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    read_at = DialogueReading.objects.filter(idea=OuterRef("pk"), user=user).values("read_at")[:1]
    return (
        ideas.annotate(last_answer=Subquery(last_answer), read_at=Subquery(read_at))
        .filter(last_answer__isnull=False)
        .filter(Q(read_at__isnull=True) | Q(last_answer__gt=F("read_at")))
        .order_by("-last_answer", "-pk")
    )


def waiting_section(user):
    """ "Answers from idea givers not yet read" in "Waiting for me" (``admin.waiting``):
    one query for a user of the inbox, none for others. The ideas by reference and title
    as the user may see it (a confidential one's masked); nothing of the giver."""
    if not permissions.can_use_inbox(user):
        return None
    ideas = list(unread_answers(user)[: UNREAD_SHOWN + 1])
    if not ideas:
        return None
    visibility = permissions.idea_visibility(user)
    shown = ideas[:UNREAD_SHOWN]
    for idea in shown:
        idea.shown_title = visibility.title(idea)
        idea.dialogue_url = idea_admin_path(idea) + "#sluss-panel-dialogue"
    return WaitingSection(
        "unread-answers",
        _("Answers from idea givers not yet read"),
        "sluss_wagtail/dialogue/waiting_section.html",
        context={"ideas": shown, "more": len(ideas) > UNREAD_SHOWN},
    )


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
