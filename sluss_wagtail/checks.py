"""System checks: bad configuration is reported by ``manage.py check``, not by a crash."""

from django.apps import apps
from django.core.checks import Error, Tags, Warning, register

from . import page_types
from .conf import sluss_settings


def is_whole_number(value, low, high=None):
    """``value`` is an int (not a bool) from ``low`` up to ``high`` (no limit if None)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return low <= value and (high is None or value <= high)


REQUIRED_APPS = ("wagtail.contrib.settings", "taggit", "modelcluster")


@register(Tags.compatibility)
def check_required_apps(app_configs, **kwargs):
    return [
        Error(
            f"sluss_wagtail needs {name!r} in INSTALLED_APPS.",
            id="sluss_wagtail.E001",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


@register()
def check_reference_format(app_configs, **kwargs):
    pattern = sluss_settings.REFERENCE_FORMAT
    try:
        first = pattern.format(year=2026, number=1)
        second = pattern.format(year=2026, number=2)
        next_year = pattern.format(year=2027, number=1)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as error:
        return [
            Error(
                f"SLUSS_WAGTAIL_REFERENCE_FORMAT {pattern!r} cannot be formatted: {error}.",
                hint="Use the fields {year} and {number}, e.g. 'IDE-{year}-{number:04d}'.",
                id="sluss_wagtail.E002",
            )
        ]
    if len({first, second, next_year}) < 3 or len(first) > 40:
        return [
            Error(
                f"SLUSS_WAGTAIL_REFERENCE_FORMAT {pattern!r} does not give unique references "
                "of at most 40 characters.",
                hint="Include both {year} and {number}.",
                id="sluss_wagtail.E003",
            )
        ]
    return []


@register()
def check_numbers(app_configs, **kwargs):
    errors = []
    if not 16 <= int(sluss_settings.STATUS_TOKEN_BYTES) <= 48:
        # 16 bytes are 128 bits; 48 bytes fill the 64 characters of the column.
        errors.append(
            Error(
                "SLUSS_WAGTAIL_STATUS_TOKEN_BYTES must be between 16 (128 bits) and 48.",
                id="sluss_wagtail.E004",
            )
        )
    if sluss_settings.MIN_FILL_SECONDS < 0 or sluss_settings.MIN_FILL_SECONDS > 120:
        errors.append(
            Warning(
                "SLUSS_WAGTAIL_MIN_FILL_SECONDS should be between 0 and 120 seconds.",
                id="sluss_wagtail.W001",
            )
        )
    seconds = sluss_settings.STATS_CACHE_SECONDS
    if not is_whole_number(seconds, 0, 86400):
        errors.append(
            Error(
                "SLUSS_WAGTAIL_STATS_CACHE_SECONDS must be a whole number of seconds from 0 "
                "(no cache) to 86400.",
                id="sluss_wagtail.E005",
            )
        )
    return errors


@register()
def check_attachments(app_configs, **kwargs):
    """The attachment settings: known types, sane limits, and a storage that is private."""
    from pathlib import Path

    from django.conf import settings

    from .attachments import KNOWN_TYPES, default_root

    errors = []
    types = sluss_settings.ATTACHMENT_TYPES
    if isinstance(types, str) or not all(kind in KNOWN_TYPES for kind in types):
        errors.append(
            Error(
                f"SLUSS_WAGTAIL_ATTACHMENT_TYPES {types!r} must be a list of "
                f"{', '.join(sorted(KNOWN_TYPES))}.",
                hint="Types are read from the file's content; only these can be checked.",
                id="sluss_wagtail.E101",
            )
        )
    max_bytes = sluss_settings.ATTACHMENT_MAX_BYTES
    if not is_whole_number(max_bytes, 1):
        errors.append(
            Error(
                "SLUSS_WAGTAIL_ATTACHMENT_MAX_BYTES must be a positive whole number of bytes.",
                id="sluss_wagtail.E102",
            )
        )
    elif max_bytes > 100 * 1024 * 1024:
        errors.append(
            Warning(
                "SLUSS_WAGTAIL_ATTACHMENT_MAX_BYTES is above 100 MB; files are read into memory.",
                id="sluss_wagtail.W101",
            )
        )
    max_files = sluss_settings.ATTACHMENT_MAX_FILES
    if not is_whole_number(max_files, 0, 10):
        errors.append(
            Error(
                "SLUSS_WAGTAIL_ATTACHMENT_MAX_FILES must be a whole number from 0 (no uploads) "
                "to 10.",
                id="sluss_wagtail.E103",
            )
        )
    decoded = sluss_settings.ATTACHMENT_MAX_DECODED_BYTES
    if not is_whole_number(decoded, 1024 * 1024):
        errors.append(
            Error(
                "SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES must be a whole number of bytes, "
                "at least 1048576 (1 MB).",
                hint="The largest picture once decoded: width × height × bytes per pixel.",
                id="sluss_wagtail.E106",
            )
        )
    elif decoded > 512 * 1024 * 1024:
        errors.append(
            Warning(
                "SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES is above 512 MB; cleaning a "
                "picture needs about twice as much memory, per request.",
                id="sluss_wagtail.W103",
            )
        )
    alias = sluss_settings.ATTACHMENT_STORAGE
    if alias:
        if alias not in getattr(settings, "STORAGES", {}):
            errors.append(
                Error(
                    f"SLUSS_WAGTAIL_ATTACHMENT_STORAGE {alias!r} is not an alias in STORAGES.",
                    id="sluss_wagtail.E104",
                )
            )
        elif alias == "default":
            errors.append(
                Warning(
                    "SLUSS_WAGTAIL_ATTACHMENT_STORAGE is the default storage, which usually "
                    "serves public media: attachments hold personal data.",
                    hint="Give attachments a storage of their own, without public URLs.",
                    id="sluss_wagtail.W102",
                )
            )
    elif settings.MEDIA_ROOT:
        root = default_root().resolve()
        media = Path(settings.MEDIA_ROOT).resolve()
        if root == media or media in root.parents:
            errors.append(
                Error(
                    "SLUSS_WAGTAIL_ATTACHMENT_ROOT is inside MEDIA_ROOT, where anyone can "
                    "download the files.",
                    hint="Choose a folder outside MEDIA_ROOT (the default is beside it).",
                    id="sluss_wagtail.E105",
                )
            )
    return errors


@register()
def check_rate_limits(app_configs, **kwargs):
    """The public forms' rate limits: well-formed, counted in a cache that exists."""
    from django.conf import settings

    errors = []
    limits = sluss_settings.RATE_LIMITS
    if not isinstance(limits, dict):
        limits = {}
        errors.append(
            Error(
                "SLUSS_WAGTAIL_RATE_LIMITS must be a dict of scope to (posts, seconds) or None.",
                id="sluss_wagtail.E030",
            )
        )
    for scope, limit in limits.items():
        valid = limit is None or (
            isinstance(limit, list | tuple)
            and len(limit) == 2
            and all(isinstance(number, int) and number >= 0 for number in limit)
            and limit[1] > 0
        )
        if not valid:
            errors.append(
                Error(
                    f"SLUSS_WAGTAIL_RATE_LIMITS[{scope!r}] is {limit!r}.",
                    hint="Use (posts, seconds), e.g. (5, 600), or None to switch it off.",
                    id="sluss_wagtail.E031",
                )
            )
    if sluss_settings.RATE_LIMIT_CACHE not in getattr(settings, "CACHES", {"default": {}}):
        errors.append(
            Error(
                f"SLUSS_WAGTAIL_RATE_LIMIT_CACHE {sluss_settings.RATE_LIMIT_CACHE!r} is not "
                "in CACHES.",
                id="sluss_wagtail.E032",
            )
        )
    proxies = sluss_settings.TRUSTED_PROXY_COUNT
    if not isinstance(proxies, int) or proxies < 0:
        errors.append(
            Error(
                "SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT must be a whole number, 0 or more.",
                hint="The number of your own proxies that append to X-Forwarded-For.",
                id="sluss_wagtail.E033",
            )
        )
    return errors


@register()
def check_import_settings(app_configs, **kwargs):
    # Ids in the 60s: the import's own range.
    errors = []
    timeout = sluss_settings.IMPORT_TIMEOUT_SECONDS
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= 120:
        errors.append(
            Error(
                "SLUSS_WAGTAIL_IMPORT_TIMEOUT_SECONDS must be a number of seconds above 0 "
                "and at most 120.",
                id="sluss_wagtail.E061",
            )
        )
    max_bytes = sluss_settings.IMPORT_MAX_BYTES
    if not is_whole_number(max_bytes, 1024):
        errors.append(
            Error(
                "SLUSS_WAGTAIL_IMPORT_MAX_BYTES must be a whole number of bytes, at least 1024.",
                id="sluss_wagtail.E062",
            )
        )
    if not isinstance(sluss_settings.IMPORT_ALLOW_PRIVATE_ADDRESSES, bool):
        errors.append(
            Error(
                "SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES must be True or False.",
                id="sluss_wagtail.E063",
            )
        )
    return errors


# Deploy checks (``manage.py check --deploy``): ids in the 300s.

#: Domains reserved for documentation (RFC 2606): a link there reaches nobody.
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


def base_url_problem(url):
    """Why ``url`` cannot be the base of links in e-mails, or ``None`` if it can."""
    import ipaddress
    from urllib.parse import urlsplit

    if not url:
        return "unset"
    try:
        parts = urlsplit(str(url))
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "invalid"
    if parts.scheme not in ("http", "https") or not host:
        return "invalid"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        mapped = getattr(address, "ipv4_mapped", None) or address
        if mapped.is_loopback or mapped.is_unspecified:
            return "loopback"
    elif host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    if any(host == domain or host.endswith("." + domain) for domain in EXAMPLE_DOMAINS):
        return "example"
    if parts.scheme != "https":
        return "http"
    return None


BASE_URL_PROBLEMS = {
    "unset": "is not set, so links in e-mails depend on the default Wagtail site",
    "invalid": "is not an http(s) address with a host",
    "loopback": "points at this machine (loopback), so links in e-mails reach nobody",
    "example": "is an example domain, so links in e-mails reach nobody",
    "http": "is plain http, so status links (secrets) travel unencrypted",
}


@register(Tags.security, deploy=True)
def check_deploy_base_url(app_configs, **kwargs):
    """The base of links in e-mails (status links, the admin): set, public and https."""
    from django.conf import settings

    if sluss_settings.BASE_URL:
        name, url = "SLUSS_WAGTAIL_BASE_URL", sluss_settings.BASE_URL
    else:
        name, url = "WAGTAILADMIN_BASE_URL", getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    problem = base_url_problem(url)
    if problem is None:
        return []
    shown = f" ({url!r})" if url else ""
    return [
        Warning(
            f"{name}{shown} {BASE_URL_PROBLEMS[problem]}.",
            hint=(
                "Set SLUSS_WAGTAIL_BASE_URL (or WAGTAILADMIN_BASE_URL) to the public "
                "https address of the site, e.g. 'https://www.lerum.se'."
            ),
            id="sluss_wagtail.W301",
        )
    ]


@register(Tags.security, deploy=True)
def check_deploy_proxy_count(app_configs, **kwargs):
    """Behind a proxy (SECURE_PROXY_SSL_HEADER) every request comes from the proxy's
    address: without a trusted proxy count all residents share one rate-limit bucket."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not (
        sluss_settings.TRUSTED_PROXY_COUNT
    ):
        return [
            Warning(
                "SECURE_PROXY_SSL_HEADER is set, so the site runs behind a proxy, but "
                "SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT is 0: the rate limits then count every "
                "resident as the proxy's one address, and a few POSTs lock everyone out.",
                hint="Set SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT to the number of your own "
                "proxies that append to X-Forwarded-For (usually 1).",
                id="sluss_wagtail.W302",
            )
        ]
    return []


@register(Tags.security)
def check_login_throttle(app_configs, **kwargs):
    """The admin login is throttled per account and per address (``login_throttle``)."""
    from django.conf import settings

    if not apps.is_installed("axes"):
        return [
            Warning(
                "The admin login is not throttled: anyone may guess passwords without limit.",
                hint="Install django-axes and configure it as sluss_wagtail.login_throttle "
                "describes (INSTALLED_APPS, MIDDLEWARE, AUTHENTICATION_BACKENDS, "
                "AXES_SETTINGS).",
                id="sluss_wagtail.W040",
            )
        ]
    # axes' own checks report a missing middleware or backend (axes.W002, axes.W003).
    parameters = getattr(settings, "AXES_LOCKOUT_PARAMETERS", None) or ["ip_address"]
    separate = {item for item in parameters if isinstance(item, str)}
    if not {"username", "ip_address"} <= separate:
        return [
            Warning(
                f"AXES_LOCKOUT_PARAMETERS is {parameters!r}: the admin login is not throttled "
                "per account and per address each on its own.",
                hint='Use ["username", "ip_address"] (login_throttle.AXES_SETTINGS).',
                id="sluss_wagtail.W041",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs, **kwargs):
    """A process-local default cache is never stale (``caching``), but it costs queries."""
    # Ids in the 80s: the caches.
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache

    from .caching import cache_is_process_local

    backend = type(caches["default"])
    name = f"{backend.__module__}.{backend.__qualname__}"
    hint = (
        "Point CACHES['default'] at a cache every process shares: "
        "django.core.cache.backends.redis.RedisCache or "
        "django.core.cache.backends.memcached.PyMemcacheCache."
    )
    if cache_is_process_local():
        return [
            Warning(
                f"The default cache ({name}) is kept by each process for itself. "
                "sluss_wagtail then reads from the database whether its cached statistics, "
                "inbox counts, showcase listings and settings are still current: one query "
                "more in every request that shows them, and every process (app server, "
                "worker) counts them again after each change.",
                hint=hint,
                id="sluss_wagtail.W080",
            )
        ]
    if issubclass(backend, DummyCache):
        return [
            Warning(
                f"The default cache ({name}) keeps nothing: sluss_wagtail counts its "
                "statistics, inbox counts and showcase listings again on every request.",
                hint=hint,
                id="sluss_wagtail.W081",
            )
        ]
    return []


@register(deploy=True)
def check_trigram_setting(app_configs, **kwargs):
    """On PostgreSQL, "possibly the same as" reads the ideas' trigram index only where the
    connections lower pg_trgm's word similarity threshold (``similar.TRIGRAM_SETTING``)."""
    # Ids in the 90s: the database.
    from django.conf import settings

    return trigram_setting_warnings(settings.DATABASES)


def trigram_setting_warnings(databases):
    """W090 for each PostgreSQL database of ``databases`` (``DATABASES``) whose connections
    do not set ``similar.TRIGRAM_SETTING``."""
    import re

    from .similar import TRIGRAM_SETTING, TRIGRAM_THRESHOLD, threshold_lets_index

    setting = re.compile(re.escape(TRIGRAM_SETTING) + r"\s*=\s*([^\s]+)")
    messages = []
    for alias, database in databases.items():
        if database.get("ENGINE") != "django.db.backends.postgresql":
            continue
        found = setting.findall(str(database.get("OPTIONS", {}).get("options", "")))
        # The last one counts, as in PostgreSQL's own reading of the options.
        if found and threshold_lets_index(found[-1]):
            continue
        said = (
            f"sets {TRIGRAM_SETTING} to {found[-1]}, not {TRIGRAM_THRESHOLD}"
            if found
            else f"does not set {TRIGRAM_SETTING}"
        )
        messages.append(
            Warning(
                f"DATABASES[{alias!r}] {said}: an idea's "
                '"possibly the same as" then compares the idea with every idea the '
                "coordinator may see, not only those the trigram index finds (about 1.7 s "
                "at 100,000 ideas).",
                hint=(
                    f'Add "-c {TRIGRAM_SETTING}={TRIGRAM_THRESHOLD}" to '
                    f'DATABASES[{alias!r}]["OPTIONS"]["options"] (or set it for the database '
                    "role with ALTER ROLE … SET, and silence this warning)."
                ),
                id="sluss_wagtail.W090",
            )
        )
    return messages


@register()
def check_page_models(app_configs, **kwargs):
    """Each role has its page model: ``sluss_wagtail.pages`` in INSTALLED_APPS, or the
    site's own pages built on the mixins (README, "Your own base page")."""
    errors = []
    unknown = set(sluss_settings.PAGE_MODELS) - set(page_types.ROLES)
    if unknown:
        errors.append(
            Error(
                f"SLUSS_WAGTAIL_PAGE_MODELS names unknown roles: {', '.join(sorted(unknown))}.",
                hint=f"The roles are {', '.join(page_types.ROLES)}.",
                id="sluss_wagtail.E401",
            )
        )
    for role in page_types.ROLES:
        try:
            page_types.get_model(role)
        except page_types.PageTypeError as error:
            errors.append(
                Error(
                    f"The sluice has no page model for {role!r}: {error}",
                    hint=(
                        "Add 'sluss_wagtail.pages' to INSTALLED_APPS (Wagtail's own page "
                        "model), or define the pages from the mixins (README, 'Your own base "
                        "page'); with several, name one in SLUSS_WAGTAIL_PAGE_MODELS."
                    ),
                    id="sluss_wagtail.E402",
                )
            )
    return errors
