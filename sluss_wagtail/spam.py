"""Protection of the public forms against bots.

Two quiet checks that people never notice: a honeypot field hidden from
people and screen readers, and a signed token that records when the form was
opened, so a form sent faster than a person can fill it is recognised. The
token's random part also identifies one filled-in form, so sending it twice
(a double click, a reload) is recognised too.

The rate limit every public form also needs lives in ``rate_limits.py``.
"""

import hashlib
import secrets
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .conf import sluss_settings

TOKEN_SALT = "sluss_wagtail.spam.form_token"
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"


class FormAlreadySent(Exception):
    """The opened form was sent before with other answers; ``existing`` is what it made.

    One opened form makes at most one idea (or registration): the same answers sent
    again return the first one, other answers are refused with this.
    """

    def __init__(self, existing=None):
        super().__init__(existing)
        self.existing = existing


def sent_before(queryset, submission_key, form_key):
    """After an insert failed on the form's keys: the row the same answers made before
    (``submission_key``), else ``FormAlreadySent`` with the row the same opened form made
    with other answers (``form_key``). None when neither is there: the failure was
    something else, for the caller to raise again."""
    if submission_key:
        existing = queryset.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if form_key:
        existing = queryset.filter(form_key=form_key).first()
        if existing is not None:
            raise FormAlreadySent(existing)
    return None


def _answer_text(value):
    """One answer as text, for the answers' digest: files by their content."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\x1f".join(_answer_text(item) for item in value)
    if hasattr(value, "sha256"):  # a cleaned attachment
        return value.sha256
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def new_form_token():
    return signing.dumps({"n": secrets.token_urlsafe(16), "t": time.time()}, salt=TOKEN_SALT)


def read_form_token(token):
    """Return ``(nonce, opened_at)`` from a token, or ``None`` if it is forged."""
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT)
        return str(data["n"]), float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class SpamProtectedForm(forms.Form):
    """A form with a honeypot and a minimum fill time.

    Call ``is_bot()`` before ``is_valid()``: a bot gets a normal-looking
    reply and nothing is stored. ``submission_key`` identifies this filled-in
    form, for making a repeated submission harmless.
    """

    honeypot_field = HONEYPOT_FIELD
    token_field = TOKEN_FIELD
    #: Shown when the opened form was sent before with other answers.
    already_sent_message = _(
        "This form has already been sent, with other answers. Your answers are kept: check "
        "them and send the form again to send them as a new one."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field] = forms.CharField(required=False)
        self.fields[self.token_field] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=new_form_token
        )

    def _token(self):
        return read_form_token(self.data.get(self.token_field)) if self.is_bound else None

    def is_bot(self):
        if not self.is_bound:
            return False
        if self.data.get(self.honeypot_field):
            return True
        token = self._token()
        if token is None:
            return True
        elapsed = time.time() - token[1]
        return elapsed < sluss_settings.MIN_FILL_SECONDS

    def current_token(self):
        """The token to render: the one being filled in, or a new one if it is gone or too
        old, or if this opened form was already sent (``refuse_as_already_sent``)."""
        if getattr(self, "_renewed_token", None):
            return self._renewed_token
        token = self._token()
        if token is None or time.time() - token[1] > sluss_settings.FORM_MAX_AGE_SECONDS:
            return new_form_token()
        return self.data.get(self.token_field)

    @property
    def submission_key(self):
        token = self._token()
        return token[0] if token else None

    @property
    def form_key(self):
        """A digest of the opened form's token, the same whatever its answers: one opened
        form makes at most one thing (the database keeps it unique)."""
        nonce = self.submission_key
        return hashlib.sha256(f"form\0{nonce}".encode()).hexdigest() if nonce else None

    def get_answers_key(self, *context):
        """A digest of this opened form with all its answers (and ``context``, such as the
        page): sent again unchanged, it finds what the first sending made."""
        if not self.submission_key:
            return None
        parts = [self.submission_key, *map(str, context)]
        for name in sorted(self.cleaned_data):
            if name not in (self.honeypot_field, self.token_field):
                parts.append(f"{name}\0{_answer_text(self.cleaned_data[name])}")
        return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()

    def refuse_as_already_sent(self):
        """The form comes back with its answers, a message, and a new token: sending it
        again makes a new one."""
        self.add_error(None, forms.ValidationError(self.already_sent_message, code="already_sent"))
        self._renewed_token = new_form_token()

    def clean(self):
        cleaned_data = super().clean()
        token = self._token()
        if token and time.time() - token[1] > sluss_settings.FORM_MAX_AGE_SECONDS:
            raise forms.ValidationError(
                _(
                    "The form was open for a long time, so for your security it must be sent "
                    "again. Your answers are kept: check them and send the form once more."
                ),
                code="expired",
            )
        return cleaned_data

    def visible_questions(self):
        """The fields a person answers (not the honeypot or the token)."""
        return [f for f in self.visible_fields() if f.name != self.honeypot_field]
