"""Rate limits per client address on every public form, and the 429 page.

A check a flood notices: POSTs are counted per scope and client address in a Django
cache. Every public form's view calls::

    limited = rate_limits.check_rate_limit(request, "idea")
    if limited:
        return rate_limits.rate_limited_response(request, limited)

or is decorated with ``@rate_limits.rate_limit("idea")``. The quiet checks against bots
(honeypot, fill time, the form token) are in ``spam.py``.
"""

import dataclasses
import datetime
import functools
import hashlib
import ipaddress
import math
import time

from django.core.cache import caches
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from .conf import sluss_settings

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
    from .models.settings import SlussSettings

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
