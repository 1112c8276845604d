"""The public forms."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import attachments, dialogue
from .conf import sluss_settings
from .models.adoptions import Adoption
from .models.benefits import DEFAULT_UNITS, BenefitKind, BenefitStatus
from .models.dialogue import MESSAGE_MAX_LENGTH
from .models.ideas import (
    ORGANISATION_KINDS,
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Idea,
    IdeaContact,
    SubmitterKind,
)
from .models.sluices import Sluice
from .models.units import OrganisationUnit
from .spam import SpamProtectedForm

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{5,40}$")


def ask_for_files_again(form):
    """When a form with chosen files comes back with errors, say so at its files: a
    browser cannot keep a chosen file (the idea form, the giver's answer)."""
    if form.is_bound and form._errors and "attachments" in form.fields and form.files:
        chosen = [f for f in form.files.getlist(form.add_prefix("attachments")) if f]
        if chosen and "attachments" not in form._errors:
            form._errors["attachments"] = form.error_class(
                [_("Choose your files again: they could not be kept while the form had errors.")]
            )
            form.cleaned_data.pop("attachments", None)


class TelInput(forms.TextInput):
    input_type = "tel"


def yes_no_field(label, help_text, required_message):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_file_clean(item, initial) for item in data if item]
        return [single_file_clean(data, initial)] if data else []


class ReadOnceChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices from the queryset's rows once it has read them: Django's iterator reads
    them again (on PostgreSQL a server-side cursor: three round trips)."""

    def __iter__(self):
        if self.queryset._result_cache is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class UnitChoiceField(forms.ModelChoiceField):
    iterator = ReadOnceChoiceIterator


class IdeaForm(SpamProtectedForm):
    """The idea form on the public site: the open inflow, and challenges.

    One question per label, in plain language. ``save()`` creates the idea
    through ``Idea.objects.submit`` and returns it.
    """

    title = forms.CharField(
        label=_("Give your idea a short title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Enter a short title for your idea.")},
    )
    description = forms.CharField(
        label=_("Describe your idea"),
        help_text=_("What would you like to change, start or try?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe your idea.")},
    )
    need = forms.CharField(
        label=_("What need or problem does your idea solve?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us what need or problem your idea solves.")},
    )
    beneficiaries = forms.CharField(
        label=_("Who would benefit from your idea? (optional)"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submitter_kind = forms.ChoiceField(
        label=_("Who are you?"),
        choices=SubmitterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who you are.")},
    )
    organisation = forms.CharField(
        label=_("Name of your association or business"),
        help_text=_("Needed if you send the idea for an association or a business."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    unit = UnitChoiceField(
        label=_("Your unit (optional, for employees)"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        empty_label=_("Choose a unit"),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        max_length=IdeaContact._meta.get_field("email").max_length,
        help_text=_(
            "We use it to send you a receipt and feedback. Without an e-mail address we "
            "cannot write to you: save the status link you get instead."
        ),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Enter an e-mail address in the right format, like name@example.com.")
        },
    )
    phone = forms.CharField(
        label=_("Your phone number (optional)"),
        max_length=40,
        required=False,
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    publish_idea = yes_no_field(
        _("May we publish your idea on our website?"),
        _("We never publish anything before we have checked it."),
        _("Answer whether we may publish your idea."),
    )
    publish_name = yes_no_field(
        _("May we publish your name with the idea?"),
        _("If you answer no, the idea is shown without your name."),
        _("Answer whether we may publish your name."),
    )

    attachments = MultipleFileField(
        label=_("Pictures or documents (optional)"),
        required=False,
    )

    def __init__(self, data=None, *args, page=None, user=None, sluice=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.page = page
        # The sluice the idea goes to (its primary key): the request's site's, given by the
        # page's view, else that of the page's site. Its units are the ones to choose from.
        self.sluice_pk = getattr(sluice, "pk", sluice) or Sluice.objects.pk_for_page(page)
        self.setup_attachments_field()
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["unit"].queryset = OrganisationUnit.objects.active().of_sluice(self.sluice_pk)
        # No maxlength in the HTML: a browser cuts pasted text without a word,
        # so the length is checked on the server with a clear message instead.
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        if self.user is not None:
            self.fields["name"].initial = self.user.get_full_name() or self.user.get_username()
            self.fields["email"].initial = self.user.email

    def offers_units(self):
        """Whether the form asks for a unit (the sluice has active units): one query, whose
        rows are the field's choices too (``ReadOnceChoiceIterator``)."""
        return bool(self.fields["unit"].queryset)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(
                _("Enter a phone number with digits, spaces and hyphens, like 0302-52 10 00."),
                code="invalid",
            )
        return phone

    def setup_attachments_field(self):
        max_files = int(sluss_settings.ATTACHMENT_MAX_FILES)
        if max_files <= 0 or not attachments.allowed_types():
            del self.fields["attachments"]
            return
        field = self.fields["attachments"]
        field.help_text = _(
            "Up to %(count)s files, %(types)s, at most %(size)s MB each. "
            "We remove the location and other hidden details from pictures."
        ) % {
            "count": max_files,
            "types": attachments.describe_allowed_types(),
            "size": f"{int(sluss_settings.ATTACHMENT_MAX_BYTES) / (1024 * 1024):g}",
        }
        field.widget.attrs["accept"] = ",".join(attachments.allowed_types())

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        max_files = int(sluss_settings.ATTACHMENT_MAX_FILES)
        if len(uploads) > max_files:
            raise forms.ValidationError(
                _("Choose at most %(count)s files.") % {"count": max_files}, code="max_files"
            )
        clean_files, errors = [], []
        for upload in uploads:
            try:
                clean_files.append(attachments.clean_upload(upload))
            except attachments.AttachmentError as error:
                errors.append(forms.ValidationError(str(error), code="invalid_file"))
        if errors:
            raise forms.ValidationError(errors)
        return clean_files

    def full_clean(self):
        super().full_clean()
        ask_for_files_again(self)

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("submitter_kind") in ORGANISATION_KINDS
            and "organisation" not in self.errors
            and not cleaned_data.get("organisation", "").strip()
        ):
            self.add_error(
                "organisation",
                forms.ValidationError(
                    _("Enter the name of your association or business."), code="required"
                ),
            )
        if cleaned_data.get("publish_name") and not cleaned_data.get("publish_idea"):
            # A name is only ever published with its idea.
            cleaned_data["publish_name"] = False
        return cleaned_data

    def get_idea_fields(self):
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "description": data["description"].strip(),
            "need": data["need"].strip(),
            "beneficiaries": data["beneficiaries"].strip(),
            "submitter_kind": data["submitter_kind"],
            "unit": data["unit"],
            "publish_idea": data["publish_idea"],
            "publish_name": data["publish_name"],
            "submitted_by": self.user,
            "sluice_id": self.sluice_pk,
        }

    def get_contact_fields(self):
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "email": data["email"],
            "phone": data["phone"],
            "organisation": data["organisation"].strip(),
        }

    already_sent_message = _(
        "This form has already been sent, with other answers. Your answers are kept: check "
        "them and send the form again to send them as a new idea."
    )

    def get_submission_key(self, fields):
        """The same opened form with the same answers is one submission.

        A double click or a reload sends the same token and answers (files by their
        content) and gets the first idea back. Other answers on the same opened
        form are refused (``spam.FormAlreadySent``; the view shows the form again
        with a new token), so one opened form never makes two ideas.
        """
        pages = (fields.get(name) for name in ("source_page", "challenge"))
        return self.get_answers_key(*(getattr(page, "pk", "") for page in pages))

    def save(self, **extra_fields):
        """The new idea, or the one this opened form made with the same answers; raises
        ``spam.FormAlreadySent`` for other answers on an opened form already sent."""
        fields = {"language": get_language() or "", **self.get_idea_fields(), **extra_fields}
        return Idea.objects.submit(
            contact=self.get_contact_fields(),
            attachments=self.cleaned_data.get("attachments") or [],
            submission_key=self.get_submission_key(fields),
            form_key=self.form_key,
            **fields,
        )


class AdoptionForm(SpamProtectedForm):
    """ "We use this too": another unit or municipality registers that it uses an innovation.

    ``save(innovation)`` creates a pending ``Adoption`` (a moderator confirms it
    before it is shown) and returns it; the same filled-in form sent twice returns
    the first one.
    """

    organisation = forms.CharField(
        label=_("Your organisation or unit"),
        help_text=_("For example the home care service in the north district."),
        max_length=Adoption._meta.get_field("organisation").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Enter the name of your organisation or unit.")},
    )
    municipality = forms.CharField(
        label=_("Municipality"),
        max_length=Adoption._meta.get_field("municipality").max_length,
        error_messages={"required": _("Enter the municipality.")},
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Only for our questions about the registration; it is never published."),
        max_length=Adoption._meta.get_field("contact_email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.com."),
        },
    )
    adaptation = forms.CharField(
        label=_("How did you adapt it? (optional)"),
        help_text=_("What you changed so that it works for you. It is shown on the page."),
        max_length=Adoption._meta.get_field("adaptation").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    since = forms.DateField(
        label=_("In use since (optional)"),
        help_text=_("A date like 2026-03-15."),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.TextInput(),
        error_messages={"invalid": _("Enter the date like 2026-03-15.")},
    )

    # The benefit the adopting organisation realised itself (optional), shown with the
    # adoption once a moderator confirms it (``Benefit.adoption``).
    benefit_kind = forms.ChoiceField(
        label=_("What did it give you? (optional)"),
        choices=[("", _("Choose a kind of benefit")), *BenefitKind.choices],
        required=False,
    )
    benefit_value = forms.DecimalField(
        label=_("How much, per year (optional)"),
        help_text=_("A number, like 250."),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Enter a number, like 250.")},
    )
    benefit_unit = forms.CharField(
        label=_("Unit of measure (optional)"),
        help_text=_("Like hours per year or SEK per year."),
        max_length=60,
        required=False,
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def clean_benefit_unit(self):
        value = self.cleaned_data["benefit_unit"].strip()
        if "\x00" in value:
            raise forms.ValidationError(_("Remove the character that cannot be saved."))
        return value

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since is not None and not date(1900, 1, 1) <= since <= timezone.localdate():
            raise forms.ValidationError(
                _("Enter a date that has already been, like 2026-03-15."), code="invalid"
            )
        return since

    def clean(self):
        cleaned_data = super().clean()
        for name in ("organisation", "municipality", "adaptation"):
            value = cleaned_data.get(name)
            if isinstance(value, str):
                cleaned_data[name] = value.strip()
        benefit = [cleaned_data.get(name) for name in ("benefit_kind", "benefit_value")]
        if any(value not in (None, "") for value in benefit) and not all(
            value not in (None, "") for value in benefit
        ):
            missing = "benefit_value" if benefit[0] else "benefit_kind"
            if missing not in self.errors:
                self.add_error(missing, _("Give both the kind of benefit and how much."))
        return cleaned_data

    def get_benefit_fields(self):
        """The ``Benefit`` fields of the benefit the adopter reported, or None."""
        data = self.cleaned_data
        if not data.get("benefit_kind") or data.get("benefit_value") is None:
            return None
        kind = BenefitKind(data["benefit_kind"])
        unit = data["benefit_unit"] or str(DEFAULT_UNITS.get(kind, ""))[:60] or "-"
        return {
            "kind": kind,
            "title": str(kind.label)[:200],
            "unit_of_measure": unit,
            "expected": data["benefit_value"],
            "realised": data["benefit_value"],
            "realised_on": timezone.localdate(),
            "status": BenefitStatus.REALISED,
            "for_whom": data["organisation"][:200],
        }

    already_sent_message = _(
        "This form has already been sent, with other answers. Your answers are kept: check "
        "them and send the form again to register them as a new use."
    )

    def get_submission_key(self, innovation):
        """The same opened form with the same answers is one registration."""
        return self.get_answers_key(innovation.pk)

    def save(self, innovation):
        """The new registration, or the one this opened form made with the same answers;
        raises ``spam.FormAlreadySent`` for other answers on an opened form already sent."""
        data = self.cleaned_data
        fields = {
            "innovation": innovation,
            "organisation": data["organisation"],
            "municipality": data["municipality"],
            "contact_email": data["contact_email"],
            "adaptation": data["adaptation"],
            "since": data["since"],
        }
        key = self.get_submission_key(innovation)
        return Adoption.objects.register(
            submission_key=key,
            form_key=self.form_key if key is not None else None,
            benefit=self.get_benefit_fields(),
            **fields,
        )


# The dialogue with the idea giver, on the status page (``dialogue_views``) ---------------


class DialogueAnswerForm(SpamProtectedForm):
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
        ask_for_files_again(self)


class ParticipationForm(SpamProtectedForm):
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
