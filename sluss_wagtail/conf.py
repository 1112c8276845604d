"""The one accessor for the package's settings.

Every setting is named ``SLUSS_WAGTAIL_<NAME>`` in the host site's settings and
read here, so that defaults live in one place::

    from sluss_wagtail.conf import sluss_settings
    sluss_settings.REFERENCE_FORMAT

Bad values are reported by the system checks in ``checks.py``.
"""

from django.conf import settings

PREFIX = "SLUSS_WAGTAIL_"

DEFAULTS = {
    # Template the package's public pages extend; the host site's own base by default.
    "BASE_TEMPLATE": "base.html",
    # str.format() pattern for reference numbers; gets ``year`` and ``number``.
    "REFERENCE_FORMAT": "IDE-{year}-{number:04d}",
    # Bytes of randomness in a status token (24 bytes = 192 bits; at least 16).
    "STATUS_TOKEN_BYTES": 24,
    # Seconds a person needs at least to fill the public form; faster is a bot.
    "MIN_FILL_SECONDS": 3,
    # Seconds after which an opened form is too old to send (the person reloads it).
    "FORM_MAX_AGE_SECONDS": 60 * 60 * 24,
    # Sender of e-mails to idea givers; Django's DEFAULT_FROM_EMAIL when None.
    "FROM_EMAIL": None,
    # Scheme and host of the default site in links in e-mails, e.g. "https://www.lerum.se"
    # (other sites: their Wagtail root_url). Falls back to WAGTAILADMIN_BASE_URL, then to
    # the default Wagtail site's root_url.
    "BASE_URL": None,
    # Attachments to ideas (see README, "Privacy and retention").
    # Content types the idea form accepts; the type is read from the file's content.
    "ATTACHMENT_TYPES": ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"),
    # Largest file in bytes (10 MB) and most files per idea; 0 files turns uploads off.
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    "ATTACHMENT_MAX_FILES": 3,
    # Largest picture once decoded, in bytes: width × height × bytes per pixel as it is
    # held in memory (4 for a colour picture, 1 for grey). A larger one is refused before
    # it is decoded. 100 MB takes a 24-megapixel photo; cleaning one needs about twice
    # this much memory at most.
    "ATTACHMENT_MAX_DECODED_BYTES": 100 * 1024 * 1024,
    # An alias in STORAGES for the attachments; None for a private folder on disk.
    "ATTACHMENT_STORAGE": None,
    # The private folder when ATTACHMENT_STORAGE is None: never inside MEDIA_ROOT.
    # None means "sluss_wagtail_private" beside MEDIA_ROOT (not in it).
    "ATTACHMENT_ROOT": None,
    # Rate limits of the public forms per client address: scope -> (POSTs, seconds), or
    # None to switch a scope off. Merged over RATE_LIMIT_DEFAULTS in spam.py; "default"
    # applies to a scope not named.
    "RATE_LIMITS": {},
    # The Django cache alias that counts POSTs; one shared by every app server (Redis).
    "RATE_LIMIT_CACHE": "default",
    # How many reverse proxies in front of the site append to X-Forwarded-For. 0: the
    # client is REMOTE_ADDR and the header is ignored (it is whatever the client says).
    "TRUSTED_PROXY_COUNT": 0,
    # sluss_import: seconds to wait for another installation's feed (connecting and reading).
    "IMPORT_TIMEOUT_SECONDS": 10,
    # sluss_import: the largest feed read, in bytes; a larger one is refused.
    "IMPORT_MAX_BYTES": 5 * 1024 * 1024,
    # sluss_import: allow feeds on loopback, link-local and private addresses. Off, so an
    # import can never be used to reach the municipality's internal network; tests and
    # an installation that imports from its own intranet turn it on.
    "IMPORT_ALLOW_PRIVATE_ADDRESSES": False,
    # Seconds the statistics (stats.compute(), stats.headline()) are kept in the cache at
    # most. Every change of an idea starts them afresh at once; the limit is for the
    # figures that change with time alone (feedback whose promise has just run out).
    # 0 turns the cache off.
    "STATS_CACHE_SECONDS": 5 * 60,
}


class SlussSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown sluss_wagtail setting {name!r}")
        return getattr(settings, PREFIX + name, DEFAULTS[name])

    def __dir__(self):
        return list(DEFAULTS)


sluss_settings = SlussSettings()
