"""The one accessor for the package's settings.

Every setting is named ``SLUSS_WAGTAIL_<NAME>`` in the host site's settings and
read here, so that defaults live in one place::

    from sluss_wagtail.conf import sluss_settings
    sluss_settings.REFERENCE_FORMAT

Each setting is declared once in ``SETTINGS`` with its default and what it does; the
documentation's configuration reference is generated from it (``docs/_ext``), and a test
fails when a setting has no description or the package reads one that is not declared.
Bad values are reported by the system checks in ``checks.py``.
"""

from dataclasses import dataclass

from django.conf import settings

PREFIX = "SLUSS_WAGTAIL_"


@dataclass(frozen=True)
class Setting:
    """A setting's default and what it does (Markdown, for the reference)."""

    default: object
    help: str
    #: The section of the configuration reference it is listed under.
    topic: str


SETTINGS = {
    "BASE_TEMPLATE": Setting(
        "base.html",
        "The template the package's public pages extend: the host site's own base, "
        "which must have the blocks `title`, `extra_css`, `content` and "
        "`extra_js`, as `wagtail start` lays them out.",
        "Pages",
    ),
    "REFERENCE_FORMAT": Setting(
        "IDE-{year}-{number:04d}",
        "The `str.format()` pattern of reference numbers; it gets `year` and "
        "`number` (a sequence per year, unique under concurrent submissions).",
        "Ideas",
    ),
    "STATUS_TOKEN_BYTES": Setting(
        24,
        "Bytes of randomness in an idea's status link: 16 to 48 (24 bytes = 192 bits).",
        "Ideas",
    ),
    "MIN_FILL_SECONDS": Setting(
        3,
        "Seconds a person needs at least to fill a public form; a form sent faster is "
        "treated as a bot's, which sees a normal-looking reply and stores nothing.",
        "Public forms",
    ),
    "FORM_MAX_AGE_SECONDS": Setting(
        60 * 60 * 24,
        "Seconds after which an opened form is too old to send: the person sends it "
        "again, with their answers kept.",
        "Public forms",
    ),
    "FROM_EMAIL": Setting(
        None,
        "The sender of e-mails to idea givers when a site's *Innovation sluice settings* "
        "name none; `DEFAULT_FROM_EMAIL` when unset.",
        "E-mail",
    ),
    "BASE_URL": Setting(
        None,
        "Scheme and host of the default site in links in e-mails, e.g. "
        '`"https://www.lerum.se"`; every other site links to its own Wagtail '
        "`root_url` (hostname and port). Else `WAGTAILADMIN_BASE_URL`, else the default "
        "site's `root_url`.",
        "E-mail",
    ),
    "ATTACHMENT_TYPES": Setting(
        ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"),
        "Content types the idea form accepts, read from each file's content (not its "
        "name). Pictures are decoded and saved again without their metadata.",
        "Attachments",
    ),
    "ATTACHMENT_MAX_BYTES": Setting(
        10 * 1024 * 1024,
        "The largest file in bytes (10 MB).",
        "Attachments",
    ),
    "ATTACHMENT_MAX_FILES": Setting(
        3,
        "The most files per idea; `0` turns uploads off.",
        "Attachments",
    ),
    "ATTACHMENT_MAX_DECODED_BYTES": Setting(
        100 * 1024 * 1024,
        "The largest picture once decoded, in bytes: width × height × bytes per pixel as "
        "it is held in memory (4 for a colour picture, 1 for grey). A larger one is "
        "refused before it is decoded. 100 MB takes a 24-megapixel photo; cleaning one "
        "needs about twice this much memory at most.",
        "Attachments",
    ),
    "ATTACHMENT_STORAGE": Setting(
        None,
        "An alias in `STORAGES` for the attachments; `None` for a private folder on "
        "disk (`ATTACHMENT_ROOT`). Attachments are never served from `MEDIA_URL`.",
        "Attachments",
    ),
    "ATTACHMENT_ROOT": Setting(
        None,
        "The private folder when `ATTACHMENT_STORAGE` is `None`, never inside "
        '`MEDIA_ROOT`. `None` means `"sluss_wagtail_private"` beside '
        "`MEDIA_ROOT` (not in it). Back it up with the database.",
        "Attachments",
    ),
    "RATE_LIMITS": Setting(
        {},
        "POSTs per client address to each public form, `{scope: (posts, seconds)}`, "
        "merged over the defaults `idea` and `adoption`: `(5, 600)`, `status`: "
        "`(10, 600)`, `follow` (the follow and support forms): `(5, 600)`, "
        "`follow_link` (the buttons behind the links in followers' e-mails): `(20, 600)`, "
        "`default` (any other scope): `(5, 600)`. `None` switches "
        "a scope off.",
        "Public forms",
    ),
    "RATE_LIMIT_CACHE": Setting(
        "default",
        "The `CACHES` alias that counts the POSTs: one shared by every app server "
        "(Redis) in production; with a process-local cache each process counts alone.",
        "Public forms",
    ),
    "TRUSTED_PROXY_COUNT": Setting(
        0,
        "How many reverse proxies of your own append to `X-Forwarded-For`. `0`: the "
        "client is `REMOTE_ADDR` and the header is ignored (any client can write it).",
        "Public forms",
    ),
    "IMPORT_TIMEOUT_SECONDS": Setting(
        10,
        "`sluss_import`: seconds to wait for another installation's feed, connecting "
        "and reading together.",
        "Spreading",
    ),
    "IMPORT_MAX_BYTES": Setting(
        5 * 1024 * 1024,
        "`sluss_import`: the largest feed read, in bytes; a larger one is refused.",
        "Spreading",
    ),
    "IMPORT_ALLOW_PRIVATE_ADDRESSES": Setting(
        False,
        "`sluss_import`: allow feeds on loopback, link-local and private addresses. "
        "Off, so an import can never be used to reach the municipality's internal "
        "network; an installation that imports from its own intranet turns it on.",
        "Spreading",
    ),
    "STATS_CACHE_SECONDS": Setting(
        5 * 60,
        "The longest the statistics (`stats.compute()`, `stats.headline()`) stay in "
        "the cache. Every change of an idea starts them afresh at once; the limit is for "
        "the figures that change with time alone (feedback whose promise has just run "
        "out). `0` turns the cache off.",
        "Statistics",
    ),
    "PAGE_MODELS": Setting(
        {},
        "The page model of each part of the sluice (`idea_submission`, "
        "`challenge_index`, `challenge`, `showcase`, `innovation`; "
        '`sluss_wagtail.page_types.ROLES`) as `"app_label.ModelName"`, where a site '
        "has more than one page built on its mixin, e.g. "
        '`{"innovation": "mysite.InnovationPage"}`. Not needed with one of each; '
        "`manage.py check` says when it is (`sluss_wagtail.E402`).",
        "Pages",
    ),
}

#: Each setting's default, by name.
DEFAULTS = {name: setting.default for name, setting in SETTINGS.items()}


class PackageSettings:
    """`sluss_settings`: each `SLUSS_WAGTAIL_<NAME>` of the host site, or its default."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown sluss_wagtail setting {name!r}")
        return getattr(settings, PREFIX + name, DEFAULTS[name])

    def __dir__(self):
        return list(DEFAULTS)


sluss_settings = PackageSettings()
