"""Protection of the public forms against bots.

Two quiet checks that people never notice: a honeypot field hidden from
people and screen readers, and a signed token that records when the form was
opened, so a form sent faster than a person can fill it is recognised. The
token's random part also identifies one filled-in form, so sending it twice
(a double click, a reload) is recognised too.

And one check a flood notices: a rate limit per client address on every
public form, counted in a Django cache. Every public form's view calls::

    limited = spam.check_rate_limit(request, "idea")
    if limited:
        return spam.rate_limited_response(request, limited)

or is decorated with ``@spam.rate_limit("idea")``.
"""

import dataclasses
import datetime
import functools
import hashlib
import ipaddress
import math
import secrets
import time

from django import forms
from django.core import signing
from django.core.cache import caches
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
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


# Rate limits ----------------------------------------------------------------------------

#: POSTs per client address and period, by scope; SLUSS_WAGTAIL_RATE_LIMITS overrides.
RATE_LIMIT_DEFAULTS = {
    "default": (5, 600),
    "idea": (5, 600),
    "adoption": (5, 600),
    # The status page's withdraw and erase forms: a person needs one or two.
    "status": (10, 600),
    # Following and support (``following_views``): the forms, and the links from e-mails.
    "follow": (5, 600),
    "follow_link": (20, 600),
    # The dialogue's answer form and the answers on taking part, on the status page.
    "dialogue": (10, 600),
    # The idea form's similar-idea hint: asked as the visitor writes (a script waits for a
    # pause in the typing), or by the form's "look for similar ideas" button.
    "similar": (60, 600),
}
RATE_LIMIT_TEMPLATE = "sluss_wagtail/429.html"


@dataclasses.dataclass(frozen=True)
class RateLimited:
    """A refused POST: which scope, its limit, and how long until the next one is counted."""

    scope: str
    limit: int
    period: int
    retry_after: int

    def __bool__(self):
        return True


def get_rate_limit(scope):
    """``(posts, seconds)`` for ``scope``, or ``None`` if the scope is not limited."""
    limits = {**RATE_LIMIT_DEFAULTS, **(sluss_settings.RATE_LIMITS or {})}
    return limits[scope] if scope in limits else limits.get("default")


def client_address(request):
    """The address of the client that sent ``request``.

    ``REMOTE_ADDR`` unless SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT says how many proxies of our
    own append to X-Forwarded-For: then the address the outermost of them saw, counted
    from the right. Anything further left was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(sluss_settings.TRUSTED_PROXY_COUNT or 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through them all.
        return remote
    return forwarded[-proxies]


#: One IPv6 client is a /64: a home or a phone gets a whole /64 and picks any address in it.
IPV6_CLIENT_PREFIX = 64


def rate_limit_bucket(address):
    """What one client is, for counting: an IPv4 address, or the /64 of an IPv6 one.

    An IPv4-mapped IPv6 address (``::ffff:192.0.2.1``, a dual-stack socket) is its
    IPv4 address. Anything that is not an address is counted as it is.
    """
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0].strip())
    except ValueError:
        return str(address)
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(ip)


def _rate_limit_key(scope, address, window):
    # A hash, so the cache holds no IP address (personal data) in the clear.
    bucket = rate_limit_bucket(address)
    digest = hashlib.sha256(f"{scope}\0{bucket}".encode()).hexdigest()[:32]
    return f"sluss_wagtail:rl:{scope}:{digest}:{window}"


def check_rate_limit(request, scope):
    """Count a POST to the public form ``scope``; a ``RateLimited`` once over the limit.

    Returns ``None`` when the request may go on (every GET, and POSTs within the limit).
    Fixed windows of the scope's period: at most the limit in each window, and the
    answer says when the window ends.
    """
    if request.method != "POST":
        return None
    limit = get_rate_limit(scope)
    if not limit:
        return None
    posts, period = int(limit[0]), int(limit[1])
    now = time.time()
    window = int(now // period)
    key = _rate_limit_key(scope, client_address(request), window)
    cache = caches[sluss_settings.RATE_LIMIT_CACHE]
    # add() then incr(): both atomic in Redis and locmem, so concurrent POSTs count right.
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=period + 1)
        count = 1
    if count <= posts:
        return None
    retry_after = max(1, math.ceil((window + 1) * period - now))
    return RateLimited(scope=scope, limit=posts, period=period, retry_after=retry_after)


def rate_limited_response(request, limited, *, template=RATE_LIMIT_TEMPLATE, context=None):
    """The friendly 429 page: when to try again, that nothing was saved, whom to write to."""
    from .models import SlussSettings

    try:
        site_settings = SlussSettings.for_request(request)
    except Exception:  # no Wagtail site for this host: the page still answers
        site_settings = None
    retry_at = timezone.localtime() + datetime.timedelta(seconds=limited.retry_after)
    response = TemplateResponse(
        request,
        template,
        {
            "sluss_base_template": sluss_settings.BASE_TEMPLATE,
            "sluss_site_settings": site_settings,
            "limited": limited,
            "retry_minutes": math.ceil(limited.retry_after / 60),
            "retry_at": retry_at,
            **(context or {}),
        },
        status=429,
    )
    response["Retry-After"] = str(limited.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limit(scope):
    """Decorate a view (or a page's view method) so its POSTs are rate limited in ``scope``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            request = next(arg for arg in args if isinstance(arg, HttpRequest))
            limited = check_rate_limit(request, scope)
            if limited:
                return rate_limited_response(request, limited)
            return view(*args, **kwargs)

        return wrapper

    return decorator
