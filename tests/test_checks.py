"""Bad configuration is reported by `manage.py check`, not by a crash at the first request."""

import pytest

from sluss_wagtail import checks


def ids(messages):
    return [message.id for message in messages]


def test_the_default_configuration_passes():
    assert checks.check_reference_format(None) == []
    assert checks.check_numbers(None) == []
    assert checks.check_required_apps(None) == []


@pytest.mark.parametrize(
    "pattern,expected",
    [
        ("IDE-{year}-{number:04d}", []),
        ("{number}/{year}", []),
        ("IDE-{yaer}-{number}", ["sluss_wagtail.E002"]),
        ("IDE-{year}-{number:x}", []),
        ("IDE-{number:q}", ["sluss_wagtail.E002"]),
        ("IDE-{year}", ["sluss_wagtail.E003"]),
        ("IDE-{number}", ["sluss_wagtail.E003"]),
        ("X" * 50 + "{year}{number}", ["sluss_wagtail.E003"]),
    ],
)
def test_the_reference_format_is_checked(settings, pattern, expected):
    settings.SLUSS_WAGTAIL_REFERENCE_FORMAT = pattern
    assert ids(checks.check_reference_format(None)) == expected


@pytest.mark.parametrize(
    "value,expected", [(8, ["sluss_wagtail.E004"]), (16, []), (64, ["sluss_wagtail.E004"])]
)
def test_the_status_token_length_is_checked(settings, value, expected):
    settings.SLUSS_WAGTAIL_STATUS_TOKEN_BYTES = value
    assert ids(checks.check_numbers(None)) == expected


def test_a_missing_app_is_reported(monkeypatch):
    installed = checks.apps.is_installed
    monkeypatch.setattr(
        checks.apps,
        "is_installed",
        lambda name: name != "wagtail.contrib.settings" and installed(name),
    )
    assert ids(checks.check_required_apps(None)) == ["sluss_wagtail.E001"]


def test_an_unknown_setting_name_is_a_programming_error():
    from sluss_wagtail.conf import sluss_settings

    with pytest.raises(AttributeError):
        sluss_settings.__getattr__("NO_SUCH_SETTING")


# Attachments


def test_the_default_attachment_settings_pass(settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_ROOT = None
    assert checks.check_attachments(None) == []


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("ATTACHMENT_TYPES", ["image/png", "application/pdf"], []),
        ("ATTACHMENT_TYPES", ["image/svg+xml"], ["sluss_wagtail.E101"]),
        ("ATTACHMENT_TYPES", "image/png", ["sluss_wagtail.E101"]),
        ("ATTACHMENT_MAX_BYTES", 0, ["sluss_wagtail.E102"]),
        ("ATTACHMENT_MAX_BYTES", "10MB", ["sluss_wagtail.E102"]),
        ("ATTACHMENT_MAX_BYTES", 500 * 1024 * 1024, ["sluss_wagtail.W101"]),
        ("ATTACHMENT_MAX_FILES", 0, []),
        ("ATTACHMENT_MAX_FILES", -1, ["sluss_wagtail.E103"]),
        ("ATTACHMENT_MAX_FILES", 50, ["sluss_wagtail.E103"]),
        ("ATTACHMENT_STORAGE", "nowhere", ["sluss_wagtail.E104"]),
        ("ATTACHMENT_STORAGE", "default", ["sluss_wagtail.W102"]),
    ],
)
def test_bad_attachment_settings_are_reported(settings, name, value, expected):
    setattr(settings, f"SLUSS_WAGTAIL_{name}", value)
    assert ids(checks.check_attachments(None)) == expected


def test_attachments_inside_media_root_are_an_error(settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_ROOT = f"{settings.MEDIA_ROOT}/privat"
    assert ids(checks.check_attachments(None)) == ["sluss_wagtail.E105"]
    settings.SLUSS_WAGTAIL_ATTACHMENT_ROOT = str(settings.MEDIA_ROOT)
    assert ids(checks.check_attachments(None)) == ["sluss_wagtail.E105"]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("IMPORT_TIMEOUT_SECONDS", 10, []),
        ("IMPORT_TIMEOUT_SECONDS", 0, ["sluss_wagtail.E061"]),
        ("IMPORT_TIMEOUT_SECONDS", "10", ["sluss_wagtail.E061"]),
        ("IMPORT_MAX_BYTES", 5 * 1024 * 1024, []),
        ("IMPORT_MAX_BYTES", 10, ["sluss_wagtail.E062"]),
        ("IMPORT_MAX_BYTES", 1.5e6, ["sluss_wagtail.E062"]),
        ("IMPORT_ALLOW_PRIVATE_ADDRESSES", True, []),
        ("IMPORT_ALLOW_PRIVATE_ADDRESSES", "no", ["sluss_wagtail.E063"]),
    ],
)
def test_the_import_settings_are_checked(settings, name, value, expected):
    setattr(settings, f"SLUSS_WAGTAIL_{name}", value)
    assert [error.id for error in checks.check_import_settings(None)] == expected


# ``manage.py check --deploy``: the base of links in e-mails, and the proxy count


@pytest.mark.parametrize(
    ("own", "wagtail", "expected"),
    [
        (None, "https://www.lerum.se", []),
        ("https://www.lerum.se", "http://127.0.0.1:8000", []),  # the package's own wins
        (None, "", ["sluss_wagtail.W301"]),
        (None, None, ["sluss_wagtail.W301"]),
        (None, "http://www.lerum.se", ["sluss_wagtail.W301"]),
        (None, "https://localhost", ["sluss_wagtail.W301"]),
        (None, "https://admin.localhost:8443", ["sluss_wagtail.W301"]),
        (None, "https://127.0.0.1", ["sluss_wagtail.W301"]),
        (None, "https://127.8.9.1:8000/", ["sluss_wagtail.W301"]),
        (None, "https://[::1]/", ["sluss_wagtail.W301"]),
        (None, "https://[::ffff:127.0.0.1]/", ["sluss_wagtail.W301"]),
        (None, "https://0.0.0.0", ["sluss_wagtail.W301"]),
        (None, "https://example.com", ["sluss_wagtail.W301"]),
        (None, "https://www.EXAMPLE.com.", ["sluss_wagtail.W301"]),
        (None, "https://kommun.example.org", ["sluss_wagtail.W301"]),
        (None, "https://notexample.com", []),
        (None, "www.lerum.se", ["sluss_wagtail.W301"]),  # no scheme
        (None, "https://[::1", ["sluss_wagtail.W301"]),  # not even a URL
        ("http://127.0.0.1:8000", "https://www.lerum.se", ["sluss_wagtail.W301"]),
    ],
)
def test_check_deploy_warns_about_the_base_url_of_links_in_emails(settings, own, wagtail, expected):
    settings.SLUSS_WAGTAIL_BASE_URL = own
    if wagtail is None:
        del settings.WAGTAILADMIN_BASE_URL
    else:
        settings.WAGTAILADMIN_BASE_URL = wagtail
    assert ids(checks.check_deploy_base_url(None)) == expected


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        (None, 0, []),
        (("HTTP_X_FORWARDED_PROTO", "https"), 0, ["sluss_wagtail.W302"]),
        (("HTTP_X_FORWARDED_PROTO", "https"), 1, []),
        (None, 1, []),
    ],
)
def test_check_deploy_warns_when_behind_a_proxy_that_is_not_trusted(
    settings, header, proxies, expected
):
    settings.SECURE_PROXY_SSL_HEADER = header
    settings.SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT = proxies
    assert ids(checks.check_deploy_proxy_count(None)) == expected


@pytest.mark.django_db
def test_the_deploy_checks_run_only_with_deploy(settings):
    from django.core import checks as django_checks

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT = 0
    found = ids(django_checks.run_checks(include_deployment_checks=True))
    assert {"sluss_wagtail.W301", "sluss_wagtail.W302"} <= set(found)
    plain = ids(django_checks.run_checks())
    assert not {"sluss_wagtail.W301", "sluss_wagtail.W302"} & set(plain)


# ``check --deploy``: pg_trgm's threshold, for "possibly the same as" through the index ------

POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "sluice"}


@pytest.mark.parametrize(
    ("databases", "expected"),
    [
        ({"default": POSTGRES}, ["sluss_wagtail.W090"]),
        (
            {"default": {**POSTGRES, "OPTIONS": {"options": "-c statement_timeout=5000"}}},
            ["sluss_wagtail.W090"],
        ),
        (
            {
                "default": {
                    **POSTGRES,
                    "OPTIONS": {"options": "-c pg_trgm.word_similarity_threshold=0.3"},
                }
            },
            [],
        ),
        (
            {
                "default": {
                    **POSTGRES,
                    "OPTIONS": {"options": "-c pg_trgm.word_similarity_threshold=0.30"},
                }
            },
            [],
        ),
        # Set, but to another threshold: the operator would keep other titles than
        # ``rank`` counts, so the index is not used.
        (
            {
                "default": {
                    **POSTGRES,
                    "OPTIONS": {"options": "-c pg_trgm.word_similarity_threshold=0.6"},
                }
            },
            ["sluss_wagtail.W090"],
        ),
        (
            {
                "default": {
                    **POSTGRES,
                    "OPTIONS": {
                        "options": "-c pg_trgm.word_similarity_threshold=0.3 "
                        "-c pg_trgm.word_similarity_threshold=0.5"
                    },
                }
            },
            ["sluss_wagtail.W090"],
        ),
        ({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}, []),
        (
            {"default": {"ENGINE": "django.db.backends.sqlite3"}, "reports": POSTGRES},
            ["sluss_wagtail.W090"],
        ),
    ],
)
def test_check_deploy_warns_where_postgresql_connections_leave_the_trigram_threshold(
    databases, expected
):
    warnings = checks.trigram_setting_warnings(databases)
    assert ids(warnings) == expected
    for warning in warnings:
        assert "pg_trgm.word_similarity_threshold=0.3" in warning.hint


def test_the_example_sites_database_settings_set_the_trigram_threshold(monkeypatch):
    from example_site.settings.base import database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sluice")
    database = database_from_env("unused.sqlite3")
    assert checks.trigram_setting_warnings({"default": database}) == []
    assert checks.check_trigram_setting(None) == []  # the tests' own database, either kind
