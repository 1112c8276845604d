"""System checks: bad configuration is reported by ``manage.py check``, not by a crash."""

from django.apps import apps
from django.core.checks import Error, Tags, Warning, register

from .conf import sluss_settings

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
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 1024:
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
