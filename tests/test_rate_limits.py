"""Rate limits on the public forms: a flood from one address gets a friendly 429 page.

Only POSTs count; the page says when to try again and that nothing was saved, and
offers the contact address. The client address is REMOTE_ADDR unless the site says
how many proxies of its own stand in front of it.
"""

import datetime
import os
import re
import uuid

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.utils.html import escape
from django.utils.translation import gettext

from sluss_wagtail import rate_limits
from sluss_wagtail.models import Idea, SlussSettings
from tests.conftest import form_token, valid_idea_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limit(settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (2, 600)}


def send(client, page, **overrides):
    html = client.get(page.url).content.decode()
    return client.post(page.url, valid_idea_data(form_token=form_token(html), **overrides))


def test_a_flood_of_posts_gets_a_friendly_429_and_nothing_is_saved(
    client, submission_page, tight_limit
):
    SlussSettings.objects.update_or_create(
        site=submission_page.get_site(), defaults={"contact_email": "idesluss@exempelby.invalid"}
    )
    assert send(client, submission_page, title="Första").status_code == 302
    assert send(client, submission_page, title="Andra").status_code == 302

    response = send(client, submission_page, title="Tredje")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    # In the site's language (gettext: the same test before and after translation).
    assert f"<h1>{escape(gettext('Too many attempts: please wait a while'))}</h1>" in html
    assert escape(gettext("Nothing you sent this time has been saved.")) in html
    assert 'href="mailto:idesluss@exempelby.invalid"' in html
    assert "no-store" in response["Cache-Control"]
    # The page is the site's own: the base template with the package's styles.
    assert 'class="skip-link"' in html and "sluss_wagtail.css" in html
    assert list(Idea.objects.values_list("title", flat=True)) == ["Andra", "Första"]


def test_the_429_page_is_in_english_under_en(client, submission_page, tight_limit):
    english_url = "/en" + submission_page.url
    for _ in range(3):
        response = client.post(english_url, {})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Nothing you sent this time has been saved." in html
    assert re.search(r"Please try again in \d+ minutes?, at \d\d:\d\d\.", html)


def test_reading_the_form_is_never_limited(client, submission_page, tight_limit):
    for _ in range(20):
        assert client.get(submission_page.url).status_code == 200


def test_every_post_counts_even_a_bots_or_a_wrong_one(client, submission_page, tight_limit):
    assert client.post(submission_page.url, {"website": "spam"}).status_code == 200
    assert client.post(submission_page.url, {}).status_code == 200
    assert client.post(submission_page.url, {}).status_code == 429


def test_each_address_has_its_own_count(submission_page, tight_limit):
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(2):
        assert first.post(submission_page.url, {}).status_code == 200
    assert first.post(submission_page.url, {}).status_code == 429
    assert second.post(submission_page.url, {}).status_code == 200


def test_a_forged_forwarded_for_header_does_not_give_a_new_count(submission_page, tight_limit):
    client = Client(REMOTE_ADDR="192.0.2.1")
    for number in range(3):
        response = client.post(submission_page.url, {}, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert response.status_code == 429


def test_the_count_restarts_when_the_period_is_over(client, submission_page, settings, monkeypatch):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (1, 600)}
    now = [1_800_000_000.0]
    monkeypatch.setattr(rate_limits.time, "time", lambda: now[0])
    assert client.post(submission_page.url, {}).status_code == 200
    refused = client.post(submission_page.url, {})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    now[0] += 600
    assert client.post(submission_page.url, {}).status_code == 200


def test_a_scope_set_to_none_is_not_limited(client, submission_page, settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": None}
    for _ in range(8):
        assert client.post(submission_page.url, {}).status_code == 200


def test_a_challenge_form_is_limited_too(client, tight_limit):
    from django.utils import timezone

    from tests.factories import create_challenge, create_challenge_index

    now = timezone.now()
    challenge = create_challenge(
        create_challenge_index(),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
    )
    for _ in range(2):
        client.post(challenge.url, {})
    assert client.post(challenge.url, {}).status_code == 429


# The client address ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "198.51.100.7", "198.51.100.7"),  # our proxy appended what it saw
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # the client's own entry ignored
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1"),  # fewer hops than proxies: not through them all
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address(settings, proxies, forwarded_for, expected):
    settings.SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert rate_limits.client_address(request) == expected


def test_the_cache_holds_no_address_in_the_clear(settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (1, 600)}
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.77")
    rate_limits.check_rate_limit(request, "idea")
    keys = list(caches["default"]._cache)
    assert keys and not any("192.0.2.77" in key for key in keys)


# The reusable API -----------------------------------------------------------------------


def test_the_decorator_limits_any_view(settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"adoption": (1, 600)}
    from django.http import HttpResponse

    @rate_limits.rate_limit("adoption")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    assert view(factory.get("/")).status_code == 200
    assert view(factory.post("/")).status_code == 200
    response = view(factory.post("/"))
    response.render()
    assert response.status_code == 429
    assert response["Retry-After"]


def test_an_unnamed_scope_gets_the_default_limit(settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"default": (1, 60)}
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.5")
    assert rate_limits.check_rate_limit(request, "newsletter") is None
    limited = rate_limits.check_rate_limit(request, "newsletter")
    assert limited and limited.scope == "newsletter" and limited.limit == 1
    assert 0 < limited.retry_after <= 60


# The real shared cache ------------------------------------------------------------------

REDIS_URL = os.environ.get("SLUSS_WAGTAIL_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_cache(settings):
    """The rate limits counted in Redis (db 5), as in production; skips loudly without it."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"SKIPPED LOUDLY: no Redis at {REDIS_URL}; the Redis rate limit is untested")
    settings.CACHES = {
        **settings.CACHES,
        "sluss_rate_limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Each run counts under its own prefix: parallel runs never share a count.
            "KEY_PREFIX": f"sluss-test-{uuid.uuid4().hex}",
        },
    }
    settings.SLUSS_WAGTAIL_RATE_LIMIT_CACHE = "sluss_rate_limits"
    yield caches["sluss_rate_limits"]
    caches["sluss_rate_limits"].clear()


def test_the_limit_holds_in_redis_across_threads(submission_page, settings, redis_cache):
    """Twenty POSTs at once from one address, counted in Redis: exactly the limit passes."""
    from concurrent.futures import ThreadPoolExecutor

    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (5, 600)}
    factory = RequestFactory()

    def post(_):
        return rate_limits.check_rate_limit(factory.post("/", REMOTE_ADDR="192.0.2.9"), "idea")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(20)))
    assert sum(result is None for result in results) == 5
    assert all(result.retry_after > 0 for result in results if result is not None)


def test_the_idea_form_answers_429_with_redis(client, submission_page, settings, redis_cache):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (1, 600)}
    assert send(client, submission_page).status_code == 302
    assert send(client, submission_page, title="Igen").status_code == 429
    assert Idea.objects.count() == 1


# Bad configuration is caught by `manage.py check` ----------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SLUSS_WAGTAIL_RATE_LIMITS", {"idea": (5, 600), "status": None}, []),
        ("SLUSS_WAGTAIL_RATE_LIMITS", ["idea"], ["sluss_wagtail.E030"]),
        ("SLUSS_WAGTAIL_RATE_LIMITS", {"idea": "5/600"}, ["sluss_wagtail.E031"]),
        ("SLUSS_WAGTAIL_RATE_LIMITS", {"idea": (5, 0)}, ["sluss_wagtail.E031"]),
        ("SLUSS_WAGTAIL_RATE_LIMIT_CACHE", "nowhere", ["sluss_wagtail.E032"]),
        ("SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT", -1, ["sluss_wagtail.E033"]),
        ("SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT", "1", ["sluss_wagtail.E033"]),
    ],
)
def test_bad_rate_limit_settings_are_reported(settings, name, value, expected):
    from sluss_wagtail import checks

    setattr(settings, name, value)
    assert [message.id for message in checks.check_rate_limits(None)] == expected


# IPv6 clients are counted by /64 ------------------------------------------------------


def post_from(address, scope="idea"):
    return rate_limits.check_rate_limit(RequestFactory().post("/", REMOTE_ADDR=address), scope)


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        # One home's /64: the client picks any address in it (privacy extensions).
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", True),
        ("2001:db8:1:2::1", "2001:DB8:1:2:0:0:0:99", True),
        ("fe80::1%eth0", "fe80::2", True),
        # The neighbour's /64 is another client.
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("2001:db8:1:2::1", "2001:db8:2:2::1", False),
        # IPv4 is unchanged: every address its own client.
        ("192.0.2.1", "192.0.2.1", True),
        ("192.0.2.1", "192.0.2.2", False),
        # An IPv4-mapped IPv6 address (a dual-stack socket) is the IPv4 address.
        ("::ffff:192.0.2.1", "192.0.2.1", True),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.2", False),
        ("::ffff:192.0.2.1", "::ffff:0:0:1", False),  # the mapped range is not one /64
    ],
)
def test_ipv6_clients_are_counted_by_their_64(settings, first, second, shared):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (1, 600)}
    assert not post_from(first)
    assert bool(post_from(second)) is shared


def test_an_address_that_is_not_one_is_still_counted(settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"default": (1, 600)}
    for hostile in ("", "not an address", "2001:db8::1::2", "\x00" * 5000):
        assert not post_from(hostile, scope=f"s{len(hostile)}")
        assert post_from(hostile, scope=f"s{len(hostile)}")


def test_a_forwarded_ipv6_client_behind_our_proxy_is_counted_by_its_64(settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (1, 600)}
    settings.SLUSS_WAGTAIL_TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()

    def post(forwarded):
        request = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return rate_limits.check_rate_limit(request, "idea")

    assert not post("2001:db8:5:6::a")
    assert post("2001:db8:5:6::b")
    assert not post("2001:db8:5:7::a")
