"""Public views that are not pages: the idea giver's status page."""

import contextlib

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from . import dialogue, privacy, process, rate_limits
from .conf import sluss_settings
from .forms import DialogueAnswerForm, ParticipationForm
from .links import keep_link_private
from .models import Idea, IdeaAttachment, IdeaContact, IdeaEvent
from .models.dialogue import DialogueMessage


class IdeaStatusView(TemplateView):
    """The private status page behind the link in the receipt; no login.

    Shows the stage, the process and the public notes, never personal data.
    An idea marked as a duplicate shows the original it is handled with.
    """

    template_name = "sluss_wagtail/idea_status.html"

    def get(self, request, *args, **kwargs):
        return keep_link_private(super().get(request, *args, **kwargs))

    def get_idea(self):
        idea = (
            Idea.objects.select_related("duplicate_of__challenge", "challenge")
            .annotate(**privacy_annotations())
            .for_status_token(self.kwargs["token"])
        )
        if idea is None:
            raise Http404
        return idea

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        idea = self.get_idea()
        followed = idea.duplicate_of or idea
        context.update(
            {
                "sluss_base_template": sluss_settings.BASE_TEMPLATE,
                "idea": idea,
                "followed_idea": followed,
                "stage": followed.stage_info,
                "steps": process.forward_steps(followed.stage),
                # Feedback on another giver's confidential idea is for that giver only.
                "public_events": (
                    [] if masked_original(idea, followed) else list(followed.get_public_events())
                ),
                "show_decision": not masked_original(idea, followed),
                # The implementation plan of what the giver follows (not of a masked original).
                "implementation_steps": (
                    []
                    if masked_original(idea, followed)
                    else list(followed.implementation_steps.all())
                ),
                "holds_personal_data": holds_personal_data(idea),
                "withdraw_url": reverse("sluss_wagtail:idea_withdraw", args=[idea.status_token]),
                "erase_url": reverse("sluss_wagtail:idea_erase", args=[idea.status_token]),
                "consent_url": reverse(
                    "sluss_wagtail:idea_withdraw_consent", args=[idea.status_token]
                ),
                "publishes": privacy.has_publishing_consent(idea),
            }
        )
        # The dialogue with the idea giver: the thread and its forms.
        return add_status_context(context, idea)


def privacy_annotations():
    """What the status page says about withdrawal and erasure, in the idea's own query."""
    own = {"idea": OuterRef("pk")}
    return {
        "is_withdrawn": Exists(IdeaEvent.objects.filter(kind=IdeaEvent.Kind.WITHDRAWN, **own)),
        "is_erased": Exists(IdeaEvent.objects.filter(kind=IdeaEvent.Kind.ERASED, **own)),
        "consent_withdrawn": Exists(
            IdeaEvent.objects.filter(kind=IdeaEvent.Kind.CONSENT_WITHDRAWN, **own)
        ),
        "has_contact": Exists(IdeaContact.objects.filter(**own)),
        "has_attachments": Exists(IdeaAttachment.objects.filter(**own)),
    }


def masked_original(idea, followed):
    return followed.pk != idea.pk and followed.confidential


def holds_personal_data(idea):
    return bool(idea.has_contact or idea.has_attachments or idea.submitted_by_id)


@method_decorator(rate_limits.rate_limit("status"), name="post")
class IdeaPrivacyActionView(IdeaStatusView):
    """A confirmation step reached from the status page: GET asks, POST (with CSRF) acts.

    Subclasses say what is asked (``template_name``), whether it can be done
    (``is_possible``) and what doing it is (``act``). After acting the person
    goes back to the status page, which says what happened.
    """

    http_method_names = ["get", "post"]

    def is_possible(self, idea):
        raise NotImplementedError

    def act(self, idea):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["possible"] = self.is_possible(context["idea"])
        return context

    def post(self, request, *args, **kwargs):
        idea = self.get_idea()
        if self.is_possible(idea):
            self.act(idea)
            return keep_link_private(redirect(idea.get_status_url()))
        # Already done (a second click, another tab): the page says so.
        return keep_link_private(self.render_to_response(self.get_context_data()))


class IdeaWithdrawView(IdeaPrivacyActionView):
    """The idea giver withdraws the idea."""

    template_name = "sluss_wagtail/idea_withdraw.html"

    def is_possible(self, idea):
        return not idea.is_withdrawn

    def act(self, idea):
        # A withdrawal in another tab a moment ago: nothing more to do.
        with contextlib.suppress(privacy.WithdrawalNotAllowed):
            privacy.withdraw(idea)


class IdeaEraseView(IdeaPrivacyActionView):
    """The idea giver has their contact details (and files) erased at once."""

    template_name = "sluss_wagtail/idea_erase.html"

    def is_possible(self, idea):
        return holds_personal_data(idea)

    def act(self, idea):
        privacy.erase_contact(idea, reason=_("The idea giver asked for erasure."))


class IdeaConsentView(IdeaPrivacyActionView):
    """The idea giver withdraws the consent to publish their text and name."""

    template_name = "sluss_wagtail/idea_withdraw_consent.html"

    def is_possible(self, idea):
        return privacy.has_publishing_consent(idea)

    def act(self, idea):
        privacy.withdraw_consent(idea)


def add_status_context(context, idea):
    """The thread and the forms on the status page (``IdeaStatusView``)."""
    messages = dialogue.thread(idea)
    asked = any(message.kind == DialogueMessage.Kind.PARTICIPATION for message in messages)
    open_ = dialogue.may_answer(idea)
    written_to = any(not message.is_from_giver for message in messages)
    context["dialogue_messages"] = messages
    if open_ and written_to and "answer_form" not in context:
        context["answer_form"] = DialogueAnswerForm()
    if open_ and asked and "participation_form" not in context:
        answers = dialogue.answers_in_thread(idea, messages)
        context["participation_form"] = ParticipationForm(idea=idea, answers=answers)
    context["answer_url"] = reverse("sluss_wagtail:dialogue_answer", args=[idea.status_token])
    context["participation_url"] = reverse(
        "sluss_wagtail:dialogue_participation", args=[idea.status_token]
    )
    return context
