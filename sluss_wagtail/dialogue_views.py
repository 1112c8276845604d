"""The dialogue on the idea giver's status page: the thread, the answer form, and the
answers on taking part in development. No login: the status link is the key.

Both forms are public forms like the idea form: a honeypot and a minimum fill time
(``spam.SpamProtectedForm``), a rate limit on every POST (``rate_limits.rate_limit``), files
checked and cleaned by ``attachments``; a refused answer comes back with a translated
message and nothing saved.
"""

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from . import dialogue, rate_limits, spam
from .forms import IdeaForm, MultipleFileField, yes_no_field
from .links import keep_link_private
from .models.dialogue import MESSAGE_MAX_LENGTH, DialogueMessage
from .views import IdeaStatusView

#: The rate limit every POST of the dialogue's forms counts against.
RATE_LIMIT_SCOPE = "dialogue"


class DialogueAnswerForm(spam.SpamProtectedForm):
    """The idea giver's answer in the thread, with files as on the idea form."""

    text = forms.CharField(
        label=_("Your answer"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write your answer."),
            "max_length": _(
                "Your answer is too long: at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )
    attachments = MultipleFileField(label=_("Pictures or documents (optional)"), required=False)

    already_sent_message = _(
        "This answer has already been sent, with another text. Your text is kept: check it "
        "and send it again to send it as a new answer."
    )

    # The same files, limits and messages as the idea form.
    setup_attachments_field = IdeaForm.setup_attachments_field
    clean_attachments = IdeaForm.clean_attachments

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_attachments_field()
        for field in self.fields.values():
            # Checked on the server with a clear message, as on the idea form.
            field.widget.attrs.pop("maxlength", None)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write your answer."), code="required")
        return text

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors and "attachments" in self.fields and self.files:
            chosen = [f for f in self.files.getlist(self.add_prefix("attachments")) if f]
            if chosen and "attachments" not in self._errors:
                # A browser cannot keep a chosen file when the form comes back.
                self._errors["attachments"] = self.error_class(
                    [
                        _(
                            "Choose your files again: they could not be kept while the "
                            "form had errors."
                        )
                    ]
                )
                self.cleaned_data.pop("attachments", None)


class ParticipationForm(spam.SpamProtectedForm):
    """Taking part in developing and testing the idea, and publishing the name."""

    take_part = yes_no_field(
        _("Would you like to take part in developing and testing the idea?"),
        _("We get in touch with you about how. You can change your answer later."),
        _("Answer whether you want to take part."),
    )
    publish_name = yes_no_field(
        _("May we publish your name with the idea?"),
        _("If you answer no, the idea is shown without your name."),
        _("Answer whether we may publish your name."),
    )

    def __init__(self, *args, idea, answers=None, **kwargs):
        answers = answers or dialogue.participation_answers(idea)
        initial = {}
        if answers[dialogue.TAKE_PART] is not None:
            initial["take_part"] = "yes" if answers[dialogue.TAKE_PART] else "no"
        initial["publish_name"] = "yes" if answers[dialogue.PUBLISH_NAME] else "no"
        super().__init__(*args, initial=initial, **kwargs)
        if not idea.publish_idea:
            # A name is only ever published with its idea.
            del self.fields["publish_name"]


def may_answer(idea):
    return not idea.is_withdrawn


def add_status_context(context, idea):
    """The thread and the forms on the status page (``IdeaStatusView``)."""
    messages = dialogue.thread(idea)
    asked = any(message.kind == DialogueMessage.Kind.PARTICIPATION for message in messages)
    open_ = may_answer(idea)
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
        if not may_answer(idea) or not idea.dialogue_messages.to_giver().exists():
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
        if not may_answer(idea) or not dialogue.participation_asked(idea):
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
