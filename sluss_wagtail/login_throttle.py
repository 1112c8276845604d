"""The admin login, throttled per account and per address (with django-axes).

Guessing a coordinator's password is the shortest way to every idea giver's personal
data, so the Wagtail admin's login counts failures twice: per account (from whichever
addresses) and per address (whichever accounts). Past the limit both are refused for
a while, even with the right password, with a message that says so.

django-axes does the counting (it hooks into ``authenticate()``, so Wagtail's login
view and any other are covered). This module gives it the two things it takes from
the package: the client's address, counted the way the public forms' rate limits
count it (``rate_limits.client_address``, an IPv6 client by its /64), and the translated
answer to a refused login. A host site's settings::

    INSTALLED_APPS += ["axes"]
    MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last
    AUTHENTICATION_BACKENDS = [
        # First: axes' backend, but leaving authenticate() without a request alone.
        "sluss_wagtail.auth_backends.LoginThrottleBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    from sluss_wagtail.login_throttle import AXES_SETTINGS
    globals().update(AXES_SETTINGS)

``checks.check_login_throttle`` warns while the admin login is not throttled.
"""

import datetime
import ipaddress
import math

from django.utils.translation import gettext_lazy as _

# Read by a site's settings module (AXES_SETTINGS), so nothing else is imported here
# before it is needed.

#: Settings for django-axes; a site may change the numbers.
AXES_SETTINGS = {
    # Per account and, separately, per address (each list item is counted on its own).
    "AXES_LOCKOUT_PARAMETERS": ["username", "ip_address"],
    "AXES_FAILURE_LIMIT": 5,
    "AXES_COOLOFF_TIME": datetime.timedelta(minutes=15),
    "AXES_RESET_ON_SUCCESS": True,
    "AXES_CLIENT_IP_CALLABLE": "sluss_wagtail.login_throttle.client_ip",
    "AXES_LOCKOUT_CALLABLE": "sluss_wagtail.login_throttle.lockout_response",
    # No log of every successful login (addresses are personal data); failures only,
    # kept until the cool-off ends.
    "AXES_DISABLE_ACCESS_LOG": True,
}

LOCKED_MESSAGE = _(
    "Too many failed sign-ins for this account or from this address. For your security, "
    "sign-in is paused: try again in %(minutes)s minutes. If you have forgotten your "
    "password, ask for a new one."
)


def client_ip(request):
    """The address a login is counted by: the rate limits' client, an IPv6 one as the
    first address of its /64 (axes stores an address)."""
    from . import rate_limits

    bucket = rate_limits.rate_limit_bucket(rate_limits.client_address(request))
    try:
        return str(ipaddress.ip_network(bucket, strict=False).network_address)
    except ValueError:
        return bucket or None


def cool_off_minutes():
    from django.conf import settings

    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cool_off, int | float):
        cool_off = datetime.timedelta(hours=cool_off)
    if not isinstance(cool_off, datetime.timedelta):
        return None
    return max(1, math.ceil(cool_off.total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the message instead of "wrong password", as a 429."""
    from django.forms.forms import NON_FIELD_ERRORS
    from django.http import HttpResponse
    from django.template.response import TemplateResponse

    message = LOCKED_MESSAGE % {"minutes": cool_off_minutes() or 15}
    context = getattr(original_response, "context_data", None)
    form = context.get("form") if isinstance(context, dict) else None
    if isinstance(original_response, TemplateResponse) and form is not None:
        form.errors[NON_FIELD_ERRORS] = form.error_class([message])
        response = TemplateResponse(
            request,
            original_response.template_name,
            context,
            status=429,
            using=getattr(original_response, "using", None),
        )
        # Returned from a middleware, after Django renders responses: render it here.
        response.render()
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    minutes = cool_off_minutes()
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    return response
