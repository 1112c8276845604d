"""The admin login is throttled per account and per address (django-axes, configured by
``sluss_wagtail.login_throttle``), with a clear message, and the right password does not
help while locked.

Through Wagtail's own login view, with real users and the real database.
"""

import pytest
from django.test import Client
from django.urls import reverse

from sluss_wagtail import checks, login_throttle
from tests.factories import create_coordinator

pytestmark = pytest.mark.django_db

LIMIT = login_throttle.AXES_SETTINGS["AXES_FAILURE_LIMIT"]
PASSWORD = "rätt-lösenord-123"


@pytest.fixture
def coordinator(db):
    user = create_coordinator(username="samordnare")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(username, password, address="192.0.2.10", **extra):
    client = Client(REMOTE_ADDR=address, **extra)
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return client, response


def signed_in(client):
    return "_auth_user_id" in client.session


def locked(response):
    html = response.content.decode()
    return response.status_code == 429 and (
        "Too many failed sign-ins" in html or "För många misslyckade inloggningar" in html
    )


def test_the_right_password_signs_in(coordinator):
    client, response = sign_in("samordnare", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_failures_for_one_account_from_many_addresses_lock_the_account(coordinator):
    for number in range(LIMIT - 1):
        _client, response = sign_in("samordnare", "fel", address=f"198.51.100.{number + 1}")
        assert response.status_code == 200  # the ordinary "wrong password"
    _client, response = sign_in("samordnare", "fel", address="203.0.113.50")
    assert locked(response)  # the last failure allowed locks at once
    # From yet another address, and with the right password: still refused, and said so.
    client, response = sign_in("samordnare", PASSWORD, address="203.0.113.77")
    assert locked(response)
    assert not signed_in(client)
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert 'name="username"' in html  # the login page, not a bare error


def test_failures_for_many_accounts_from_one_address_lock_the_address(coordinator):
    for number in range(LIMIT - 1):
        _client, response = sign_in(f"gissning{number}", "fel", address="198.51.100.99")
        assert response.status_code == 200
    _client, response = sign_in("gissning-sist", "fel", address="198.51.100.99")
    assert locked(response)
    client, response = sign_in("samordnare", PASSWORD, address="198.51.100.99")
    assert locked(response)
    assert not signed_in(client)
    # The account itself is not locked: from another address the right password works.
    client, response = sign_in("samordnare", PASSWORD, address="192.0.2.200")
    assert response.status_code == 302
    assert signed_in(client)


def test_an_ipv6_client_is_one_address_for_its_whole_64(coordinator):
    for number in range(LIMIT):
        sign_in(f"gissning{number}", "fel", address=f"2001:db8:7:8::{number + 1:x}")
    client, response = sign_in("samordnare", PASSWORD, address="2001:db8:7:8:ffff::1")
    assert locked(response)
    client, response = sign_in("samordnare", PASSWORD, address="2001:db8:7:9::1")
    assert response.status_code == 302


def test_the_message_is_in_english_under_english(coordinator):
    from django.utils import translation

    for number in range(LIMIT):
        sign_in("samordnare", "fel", address=f"198.51.100.{number + 1}")
    with translation.override("en"):
        _client, response = sign_in(
            "samordnare", PASSWORD, address="203.0.113.1", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 429
    assert "15 minutes" in response.content.decode() or "15 minuter" in response.content.decode()


def test_hostile_usernames_never_crash_and_still_count(coordinator):
    hostile = ["", "\x00" * 10, "a" * 10_000, "samordnare' OR 1=1 --", "<script>", "å" * 150]
    for username in hostile:
        _client, response = sign_in(username, "fel", address="198.51.100.200")
        assert response.status_code in (200, 429)
    for number in range(LIMIT):
        sign_in(f"gissning{number}", "fel", address="198.51.100.200")
    _client, response = sign_in("samordnare", PASSWORD, address="198.51.100.200")
    assert locked(response)


def test_the_client_ip_follows_the_rate_limits_address(rf, settings):
    settings.SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:1:2::abcd")
    assert login_throttle.client_ip(request) == "2001:db8:1:2::"
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="::ffff:192.0.2.9")
    assert login_throttle.client_ip(request) == "192.0.2.9"


# The system check a host site sees -------------------------------------------------------


def test_a_site_without_the_throttle_is_warned(monkeypatch):
    installed = checks.apps.is_installed
    monkeypatch.setattr(
        checks.apps, "is_installed", lambda name: name != "axes" and installed(name)
    )
    assert [m.id for m in checks.check_login_throttle(None)] == ["sluss_wagtail.W040"]


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (["username", "ip_address"], []),
        (["ip_address", "username"], []),
        (["ip_address"], ["sluss_wagtail.W041"]),
        ([["username", "ip_address"]], ["sluss_wagtail.W041"]),  # only the pair together
    ],
)
def test_a_throttle_that_does_not_count_both_is_warned(settings, parameters, expected):
    settings.AXES_LOCKOUT_PARAMETERS = parameters
    assert [m.id for m in checks.check_login_throttle(None)] == expected


def test_the_example_site_is_configured_without_warnings():
    from django.core import checks as django_checks

    found = [m.id for m in django_checks.run_checks() if m.id.startswith(("axes.", "sluss"))]
    assert found == []


def test_authenticate_without_a_request_still_works(coordinator):
    """A script or the test client's login() has no address to count; axes' own backend
    would raise, this one leaves it to the model backend."""
    from django.contrib.auth import authenticate

    assert authenticate(username="samordnare", password=PASSWORD) == coordinator
    assert authenticate(username="samordnare", password="fel") is None
    assert Client().login(username="samordnare", password=PASSWORD)
