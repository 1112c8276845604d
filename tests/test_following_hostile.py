"""Hostile input on the follow and support forms, and on what they show and send.

Whatever is sent, never a server error; a bad address is a form error tied to its
field; markup in an address or in what a follower is told of (an idea's title, an
adoption's organisation) is text on every page and in every e-mail, never markup.
"""

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from sluss_wagtail import following, process, spam
from sluss_wagtail.models import Subscription
from tests import xss_vectors
from tests.conftest import form_token
from tests.factories import create_public_idea
from tests.strategies import emails, form_data, free_text
from tests.test_hostile_input import (
    assert_nothing_executable,
    assert_shown_as_text,
    email_with_local_part,
)

pytestmark = pytest.mark.django_db

VECTORS = xss_vectors.XSS_VECTORS


@pytest.fixture(autouse=True)
def _at_once(monkeypatch):
    from sluss_wagtail import tasks

    monkeypatch.setattr(tasks, "after_commit", lambda function, *args: function(*args))


def urls(idea):
    return [
        reverse("sluss_wagtail:follow", args=["idea", idea.pk]),
        reverse("sluss_wagtail:support", args=[idea.pk]),
    ]


@pytest.mark.parametrize("vector", VECTORS)
def test_markup_in_the_address_comes_back_as_text(client, no_rate_limits, vector):
    idea = create_public_idea()
    for url in urls(idea):
        token = form_token(client.get(url).content.decode())
        response = client.post(url, {"email": vector, "form_token": token})
        html = response.content.decode()
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            assert 'aria-invalid="true"' in html
            if vector.strip():
                assert_shown_as_text(html, vector.strip())
        assert_nothing_executable(html)


@pytest.mark.parametrize("vector", VECTORS[:12])
def test_a_quoted_address_with_markup_is_text_in_its_confirmation(client, vector):
    address = email_with_local_part(vector)
    if address is None:
        pytest.skip("not a valid address")
    idea = create_public_idea()
    url = urls(idea)[0]
    token = form_token(client.get(url).content.decode())
    mail.outbox.clear()
    client.post(url, {"email": address, "form_token": token})
    (message,) = [m for m in mail.outbox if m.to == [address.lower()]]
    assert_nothing_executable(message.alternatives[0][0])


@pytest.mark.parametrize("vector", VECTORS)
def test_markup_in_an_ideas_title_is_text_in_the_box_the_pages_and_the_e_mails(client, vector):
    idea = create_public_idea(title=vector[:200])
    box = Template(
        '{% include "sluss_wagtail/following/follow_form.html" with target=idea %}'
    ).render(Context({"idea": idea}))
    assert_nothing_executable(box)
    assert_shown_as_text(client.get(urls(idea)[0]).content.decode(), idea.title)
    subscription = Subscription.objects.create(
        kind="follow", idea=idea, email="fan@exempelby.invalid", confirmed_at=timezone.now()
    )
    manage = reverse(
        "sluss_wagtail:follow_manage", args=[following.make_token(subscription, "manage")]
    )
    assert_shown_as_text(client.get(manage).content.decode(), idea.title)
    mail.outbox.clear()
    process.move_idea(idea, process.SCREENING, user=None, public_note=vector)
    (message,) = [m for m in mail.outbox if m.to == ["fan@exempelby.invalid"]]
    html = message.alternatives[0][0]
    assert_nothing_executable(html)
    assert "\n" not in message.subject and "\r" not in message.subject


@pytest.mark.parametrize(
    "value",
    ["fan@exempel\x00by.invalid", "fan@exempelby.invalid\r\nBcc: x@evil.invalid", "ä" * 100_000],
    ids=["nul", "header injection", "huge"],
)
def test_a_broken_address_is_a_form_error_and_reaches_no_header(client, value):
    idea = create_public_idea()
    mail.outbox.clear()
    for url in urls(idea):
        token = form_token(client.get(url).content.decode())
        response = client.post(url, {"email": value, "form_token": token})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
    assert Subscription.objects.count() == 0
    assert not [m for m in mail.outbox if m.to != ["karin@exempelby.invalid"]]


def test_a_post_without_a_csrf_token_is_refused():
    from django.test import Client

    idea = create_public_idea()
    strict = Client(enforce_csrf_checks=True)
    for url in urls(idea):
        token = form_token(strict.get(url).content.decode())
        response = Client(enforce_csrf_checks=True).post(
            url, {"email": "fan@exempelby.invalid", "form_token": token}
        )
        assert response.status_code == 403
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize("token", ["", "x", "a:b:c", "%00", "../../etc", "<script>"])
def test_odd_link_tokens_are_refused_politely(client, token):
    for name in ("follow_confirm", "follow_unsubscribe", "follow_manage"):
        try:
            url = reverse(f"sluss_wagtail:{name}", args=[token])
        except Exception:  # not even a URL: nothing to open
            continue
        response = client.get(url)
        assert response.status_code in (400, 404)
        assert_nothing_executable(response.content.decode())


follow_form_data = form_data(
    {
        "email": st.one_of(emails(), free_text(254)),
        "website": st.one_of(st.just(""), st.just(""), free_text(20)),
    }
)


@given(data=follow_form_data, support=st.booleans())
def test_the_follow_and_support_forms_never_fail_and_store_what_they_accept(
    client, no_rate_limits, data, support
):
    idea = create_public_idea() if not hasattr(client, "_idea") else client._idea
    client._idea = idea
    url = urls(idea)[1 if support else 0]
    before = Subscription.objects.count()
    response = client.post(url, {**data, "form_token": spam.new_form_token()})
    # Never a server error: the test client raises on one, and anything else is an answer.
    assert response.status_code in (200, 400)
    event("refused" if response.status_code == 400 else "answered")
    if response.status_code == 400 or data["website"]:
        assert Subscription.objects.count() == before
        return
    email = data["email"].strip().lower()
    found = Subscription.objects.get(
        idea=idea, email=email, kind="support" if support else "follow"
    )
    assert not found.is_confirmed
