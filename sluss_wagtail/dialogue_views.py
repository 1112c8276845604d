"""The dialogue on the idea giver's status page: the thread, the answer form, and the
answers on taking part in development. No login: the status link is the key.

Both forms are public forms like the idea form: a honeypot and a minimum fill time
(``spam.SpamProtectedForm``), a rate limit on every POST (``rate_limits.rate_limit``), files
checked and cleaned by ``attachments``; a refused answer comes back with a translated
message and nothing saved.
"""

from django.shortcuts import redirect
from django.utils.decorators import method_decorator

from . import dialogue, rate_limits, spam
from .forms import DialogueAnswerForm, ParticipationForm
from .links import keep_link_private
from .views import IdeaStatusView

#: The rate limit every POST of the dialogue's forms counts against.
RATE_LIMIT_SCOPE = "dialogue"


@method_decorator(rate_limits.rate_limit(RATE_LIMIT_SCOPE), name="post")
class DialogueFormView(IdeaStatusView):
    """A form of the status page: POST only; errors show the status page with the form."""

    http_method_names = ["post"]
    form_name = None

    def post(self, request, *args, **kwargs):
        return self.handle(request)

    def handle(self, request):
        raise NotImplementedError

    def done(self, idea, anchor):
        return keep_link_private(redirect(f"{idea.get_status_url()}?sent={anchor}#sluss-{anchor}"))

    def again(self, form):
        response = self.render_to_response(self.get_context_data(**{self.form_name: form}))
        return keep_link_private(response)


class DialogueAnswerView(DialogueFormView):
    form_name = "answer_form"

    def handle(self, request):
        idea = self.get_idea()
        if not dialogue.may_answer(idea) or not idea.dialogue_messages.to_giver().exists():
            return keep_link_private(redirect(idea.get_status_url()))
        form = DialogueAnswerForm(request.POST, request.FILES)
        if form.is_bot():
            # A caught bot sees a normal-looking reply; nothing is stored.
            return self.done(idea, "dialogue")
        if not form.is_valid():
            return self.again(form)
        try:
            dialogue.answer(
                idea,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data.get("attachments") or [],
                form_key=form.form_key,
            )
        except spam.FormAlreadySent as error:
            if error.existing is not None and error.existing.text == form.cleaned_data["text"]:
                return self.done(idea, "dialogue")  # a double click: the first one stands
            form.refuse_as_already_sent()
            return self.again(form)
        return self.done(idea, "dialogue")


class ParticipationView(DialogueFormView):
    form_name = "participation_form"

    def handle(self, request):
        idea = self.get_idea()
        if not dialogue.may_answer(idea) or not dialogue.participation_asked(idea):
            return keep_link_private(redirect(idea.get_status_url()))
        form = ParticipationForm(request.POST, idea=idea)
        if form.is_bot():
            return self.done(idea, "take-part")
        if not form.is_valid():
            return self.again(form)
        dialogue.record_participation(
            idea,
            take_part=form.cleaned_data["take_part"],
            publish_name=form.cleaned_data.get("publish_name", False),
        )
        return self.done(idea, "take-part")
