"""Protection of the public forms against bots.

Two quiet checks that people never notice: a honeypot field hidden from
people and screen readers, and a signed token that records when the form was
opened, so a form sent faster than a person can fill it is recognised. The
token's random part also identifies one filled-in form, so sending it twice
(a double click, a reload) is recognised too.
"""

import secrets
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .conf import sluss_settings

TOKEN_SALT = "sluss_wagtail.spam.form_token"
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"


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
        """The token to render: the one being filled in, or a new one if it is gone or too old."""
        token = self._token()
        if token is None or time.time() - token[1] > sluss_settings.FORM_MAX_AGE_SECONDS:
            return new_form_token()
        return self.data.get(self.token_field)

    @property
    def submission_key(self):
        token = self._token()
        return token[0] if token else None

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
