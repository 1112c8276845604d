"""Following and support by e-mail (``sluss_wagtail.following``): double opt-in, the
one-click unsubscribe, the manage page, what followers hear, support counted once, and
the address as personal data (retention, erasure, access)."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from sluss_wagtail import actions, following, privacy, process
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import (
    FailedEmail,
    FollowerNotice,
    Idea,
    IdeaEvent,
    SlussSettings,
    Subscription,
)
from tests.conftest import form_token
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_adoption,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_innovation,
    create_public_idea,
    create_showcase_index,
    get_permissions,
)

pytestmark = pytest.mark.django_db

REAL_AFTER_COMMIT = __import__("sluss_wagtail.tasks").tasks.after_commit

FAN = "Fan@Exempelby.invalid"


def t(msgid):
    """``msgid`` as the pages say it (Swedish once the lead's catalogue has it)."""
    with translation.override("sv"):
        return translation.gettext(msgid)


fan = FAN.lower()


def public_idea(**fields):
    return create_public_idea(**fields)


def follow_url(target):
    if isinstance(target, Idea):
        return reverse("sluss_wagtail:follow", args=["idea", target.pk])
    return reverse("sluss_wagtail:follow", args=["page", target.pk])


def post_follow(client, target, email=FAN, support=False, **extra):
    url = reverse("sluss_wagtail:support", args=[target.pk]) if support else follow_url(target)
    token = form_token(client.get(url).content.decode())
    return client.post(url, {"email": email, "form_token": token, **extra})


def links_in(message):
    return re.findall(r"https?://[^\s\"'<>]+", message.body)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def confirm_link(message):
    return next(path_of(url) for url in links_in(message) if "/follow/confirm/" in url)


def follow_and_confirm(client, target, email=FAN, support=False):
    mail.outbox.clear()
    post_follow(client, target, email=email, support=support)
    (message,) = to(email)
    response = client.post(confirm_link(message))
    assert response.status_code == 200
    mail.outbox.clear()
    return Subscription.objects.filter(email=email.lower()).latest("pk")


def to(email=FAN):
    """The messages to ``email`` (the idea giver hears of a move too)."""
    return [message for message in mail.outbox if message.to == [email.lower()]]


@pytest.fixture(autouse=True)
def _at_once(monkeypatch):
    """What waits for the commit runs at once (the test's transaction never commits)."""
    from sluss_wagtail import tasks

    monkeypatch.setattr(tasks, "after_commit", lambda function, *args: function(*args))


def test_the_confirmation_waits_for_the_commit(monkeypatch, django_capture_on_commit_callbacks):
    from sluss_wagtail import tasks

    monkeypatch.setattr(tasks, "after_commit", REAL_AFTER_COMMIT)
    idea = public_idea()
    subscription = Subscription.objects.create(kind="follow", idea=idea, email=fan)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        following.request_confirmation(subscription)
    assert to() == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(to()) == 1


@pytest.fixture
def challenge():
    index = create_challenge_index()
    now = timezone.now()
    return create_challenge(
        index, opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=10)
    )


@pytest.fixture
def innovation():
    return create_innovation(create_showcase_index())


# Double opt-in --------------------------------------------------------------------------


def test_following_sends_only_a_confirmation_and_nothing_counts_until_it_is_confirmed(client):
    idea = public_idea()
    response = post_follow(client, idea)
    assert response.status_code == 200
    assert t("Check your e-mail") in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == fan and not subscription.is_confirmed
    (message,) = to()
    assert "List-Unsubscribe" not in message.extra_headers
    # A move with feedback before confirming: nothing to the unconfirmed address.
    mail.outbox.clear()
    process.move_idea(idea, process.SCREENING, user=None, public_note="Vi läser den.")
    assert to() == []
    assert list(following.followers(idea)) == []


def test_the_confirmation_link_asks_then_confirms_on_post(client):
    idea = public_idea()
    post_follow(client, idea)
    link = confirm_link(to()[0])
    page = client.get(link)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert not Subscription.objects.get().is_confirmed  # a mail scanner's GET confirms nothing
    done = client.post(link)
    assert t("Your address is confirmed") in done.content.decode()
    assert Subscription.objects.get().is_confirmed


def test_an_expired_confirmation_link_is_refused_with_a_clear_message(client, freezer=None):
    idea = public_idea()
    post_follow(client, idea)
    link = confirm_link(to()[0])
    subscription = Subscription.objects.get()
    later = timezone.now() + following.CONFIRM_MAX_AGE + timedelta(minutes=1)
    import time as time_module

    real_time = time_module.time
    try:
        time_module.time = lambda: later.timestamp()
        response = client.post(link)
    finally:
        time_module.time = real_time
    assert response.status_code == 410
    text = response.content.decode()
    assert t("The link has expired") in text
    subscription.refresh_from_db()
    assert not subscription.is_confirmed


#: Made in the test, not at collection: a signed value holds the time it was made, and
#: pytest-xdist's workers must collect the same parameters.
FORGED_TOKENS = {
    "nonsense": lambda: "nonsense",
    "wrong secret": lambda: signing.dumps({"s": 1, "x": "wrong"}, salt=following.SALTS["confirm"]),
    "another salt": lambda: signing.dumps({"s": 1, "x": "x"}, salt="another.salt"),
    "too long": lambda: "a" * 300,
}


@pytest.mark.parametrize("forgery", list(FORGED_TOKENS))
def test_a_forged_link_is_refused_with_a_translated_message(client, forgery):
    token = FORGED_TOKENS[forgery]()
    public_idea()
    for name in ("follow_confirm", "follow_unsubscribe", "follow_manage"):
        response = client.get(reverse(f"sluss_wagtail:{name}", args=[token]))
        assert response.status_code == 400
        assert t("The link does not work") in response.content.decode()
    assert not Subscription.objects.confirmed().exists()


def test_a_confirmation_link_with_the_wrong_secret_opens_nothing(client):
    idea = public_idea()
    post_follow(client, idea)
    subscription = Subscription.objects.get()
    forged = signing.dumps({"s": subscription.pk, "x": "guess"}, salt=following.SALTS["confirm"])
    response = client.post(reverse("sluss_wagtail:follow_confirm", args=[forged]))
    assert response.status_code == 400
    assert not Subscription.objects.get().is_confirmed


def test_an_unsubscribe_link_does_not_confirm(client):
    idea = public_idea()
    post_follow(client, idea)
    subscription = Subscription.objects.get()
    wrong_purpose = following.make_token(subscription, "unsubscribe")
    response = client.post(reverse("sluss_wagtail:follow_confirm", args=[wrong_purpose]))
    assert response.status_code == 400
    assert not Subscription.objects.get().is_confirmed


def test_following_twice_never_tells_whether_the_address_follows(client):
    idea = public_idea()
    follow_and_confirm(client, idea)
    response = post_follow(client, idea)
    assert t("Check your e-mail") in response.content.decode()
    assert to() == []  # confirmed already: nothing more is sent
    assert Subscription.objects.count() == 1


def test_only_public_ideas_and_pages_can_be_followed(client, challenge):
    for hidden in (
        IdeaFactory(publish_idea=False),
        create_public_idea(confidential=True),
    ):
        assert client.get(follow_url(hidden)).status_code == 404
        assert client.post(follow_url(hidden), {"email": FAN}).status_code == 404
    withdrawn = public_idea()
    privacy.withdraw(withdrawn)
    assert client.get(follow_url(withdrawn)).status_code == 404
    assert client.get(reverse("sluss_wagtail:follow", args=["page", 999999])).status_code == 404
    other_kind = reverse("sluss_wagtail:follow", args=["other", challenge.pk])
    assert client.get(other_kind).status_code == 404
    assert Subscription.objects.count() == 0


def test_a_bot_gets_a_normal_answer_and_nothing_is_stored(client):
    idea = public_idea()
    response = post_follow(client, idea, website="http://spam.invalid")
    assert response.status_code == 200
    assert Subscription.objects.count() == 0 and to() == []
    response = client.post(follow_url(idea), {"email": FAN, "form_token": "forged"})
    assert response.status_code == 200
    assert Subscription.objects.count() == 0


def test_an_invalid_address_is_refused_in_words(client):
    idea = public_idea()
    response = post_follow(client, idea, email="inte en adress")
    assert response.status_code == 400
    assert t("Enter an e-mail address in the right format, like name@example.com.") in (
        response.content.decode()
    )
    assert Subscription.objects.count() == 0


def test_the_follow_form_is_rate_limited(client, settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"follow": (2, 600)}
    idea = public_idea()
    for number in range(2):
        assert post_follow(client, idea, email=f"p{number}@exempelby.invalid").status_code == 200
    response = post_follow(client, idea, email="p9@exempelby.invalid")
    assert response.status_code == 429
    assert Subscription.objects.count() == 2


# Unsubscribe and manage -----------------------------------------------------------------


def feedback_message(client, idea):
    follow_and_confirm(client, idea)
    process.move_idea(idea, process.SCREENING, user=None, public_note="Vi läser den nu.")
    return next(m for m in mail.outbox if m.to == [fan])


def test_every_message_to_a_follower_has_a_one_click_unsubscribe_and_the_headers(client):
    idea = public_idea()
    message = feedback_message(client, idea)
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe.strip("<>")
    assert url in message.body and url in message.alternatives[0][0]
    # RFC 8058: the mail client posts, without a CSRF token or a cookie.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        path_of(url), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Subscription.objects.count() == 0
    # A second click, or opening the link again: done, nothing broken.
    again = Client(enforce_csrf_checks=True).post(path_of(url))
    assert again.status_code == 200
    opened = client.get(path_of(url))
    assert opened.status_code == 200
    assert t("You get no more of these e-mails.") in opened.content.decode()


def test_the_unsubscribe_page_asks_on_get(client):
    idea = public_idea()
    message = feedback_message(client, idea)
    url = path_of(message.extra_headers["List-Unsubscribe"].strip("<>"))
    assert client.get(url).status_code == 200
    assert Subscription.objects.count() == 1


def test_the_manage_page_lists_everything_the_address_follows_and_stops_it(
    client, challenge, innovation
):
    idea = public_idea(title="Bänkar vid sjön")
    follow_and_confirm(client, challenge)
    follow_and_confirm(client, innovation)
    message = feedback_message(client, idea)
    manage = next(path_of(url) for url in links_in(message) if "/follow/manage/" in url)
    page = client.get(manage)
    text = page.content.decode()
    assert page["Cache-Control"] == "no-store, private"
    for title in (idea.title, challenge.title, innovation.title):
        assert title in text
    # Someone else's subscriptions are not listed.
    other = Subscription.objects.create(kind="follow", idea=idea, email="annan@exempelby.invalid")
    assert "annan@" not in client.get(manage).content.decode()
    client.post(manage)
    assert list(Subscription.objects.all()) == [other]


# What followers hear --------------------------------------------------------------------


def test_followers_hear_of_a_move_with_public_feedback_in_their_language(client):
    idea = public_idea(title="Bänkar vid sjön")
    with translation.override("en"):
        follow_and_confirm(client, idea, email="english@exempelby.invalid")
    follow_and_confirm(client, idea)
    process.move_idea(idea, process.SCREENING, user=None, public_note="Vi läser den nu.")
    to_fan = next(m for m in mail.outbox if m.to == [fan])
    to_english = next(m for m in mail.outbox if m.to == ["english@exempelby.invalid"])
    assert "Vi läser den nu." in to_fan.body and "Bänkar vid sjön" in to_fan.subject
    assert t("Hello,") in to_fan.body
    assert "Hello," in to_english.body
    # A move without public feedback tells no one.
    mail.outbox.clear()
    process.move_idea(idea, process.DEVELOPMENT, user=None, internal_note="intern")
    assert to() == []


def test_the_followers_e_mail_links_to_the_ideas_page_in_the_portfolio(client):
    from tests.factories import create_portfolio

    portfolio = create_portfolio()
    idea = public_idea(title="Bänkar vid sjön")
    follow_and_confirm(client, idea)
    process.move_idea(idea, process.SCREENING, user=None, public_note="Vi läser den nu.")
    (message,) = to()
    link = portfolio.reverse_subpage("idea", args=[idea.pk])
    assert f"{portfolio.url}{link}".lstrip("/") in message.body
    assert client.get(portfolio.url + link).status_code == 200


def test_followers_of_an_idea_that_is_no_longer_public_hear_nothing(client):
    idea = public_idea()
    follow_and_confirm(client, idea)
    Idea.objects.filter(pk=idea.pk).update(confidential=True)
    idea.refresh_from_db()
    process.move_idea(idea, process.SCREENING, user=None, public_note="Hemligt.")
    assert [m for m in mail.outbox if fan in m.to] == []


def test_a_notice_sent_again_reaches_only_those_not_told(client):
    from sluss_wagtail import tasks

    idea = public_idea()
    follow_and_confirm(client, idea)
    event = process.move_idea(idea, process.SCREENING, user=None, public_note="Ny status.")
    assert len([m for m in mail.outbox if m.to == [fan]]) == 1
    mail.outbox.clear()
    assert tasks.NOTICES[FailedEmail.Kind.FOLLOWER_FEEDBACK].send(event.pk) == []
    assert FollowerNotice.objects.count() == 1


def publish_outcome(challenge, outcome):
    challenge.outcome = outcome
    challenge.save_revision().publish()


def test_followers_hear_of_a_challenges_published_outcome_once(client, challenge):
    follow_and_confirm(client, challenge)
    publish_outcome(challenge, "<p>Tre idéer testas i höst.</p>")
    (message,) = to()
    assert "Tre idéer testas i höst." in message.body
    assert "<p>" not in message.body
    assert "List-Unsubscribe" in message.extra_headers
    # Published again with the same outcome (a typo fixed elsewhere): nothing more.
    mail.outbox.clear()
    challenge.summary = "Ny sammanfattning."
    challenge.save_revision().publish()
    assert to() == []
    publish_outcome(challenge, "<p>Två idéer blev av.</p>")
    assert len(to()) == 1


def test_followers_hear_of_a_new_confirmed_adoption(client, innovation):
    follow_and_confirm(client, innovation)
    adoption = create_adoption(innovation, organisation="Hemtjänsten Norr")
    assert to() == []  # pending: nothing yet
    actions.confirm_adoption(adoption, user=create_coordinator())
    to_fan = [m for m in mail.outbox if m.to == [fan]]
    assert len(to_fan) == 1
    assert "Hemtjänsten Norr" in to_fan[0].body
    assert "kontakt@alingsas.invalid" not in to_fan[0].body  # the adopter's address stays


def test_the_rendered_messages_escape_what_people_wrote(client, innovation):
    follow_and_confirm(client, innovation)
    adoption = create_adoption(innovation, organisation="<script>alert(1)</script>")
    actions.confirm_adoption(adoption, user=create_coordinator())
    (message,) = [m for m in mail.outbox if m.to == [fan]]
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


# Support --------------------------------------------------------------------------------


def test_support_is_counted_once_per_confirmed_address(client):
    idea = public_idea()
    post_follow(client, idea, support=True)
    assert following.support_count(idea) == 0  # not confirmed yet
    client.post(confirm_link(to()[0]))
    assert following.support_count(idea) == 1
    mail.outbox.clear()
    post_follow(client, idea, support=True, email=FAN.upper())
    assert to() == []
    assert following.support_count(idea) == 1


def test_support_is_counted_once_per_logged_in_user(client):
    idea = public_idea()
    user = UserFactory()
    client.force_login(user)
    mail.outbox.clear()
    url = reverse("sluss_wagtail:support", args=[idea.pk])
    for _attempt in range(2):
        token = form_token(client.get(url).content.decode())
        response = client.post(url, {"form_token": token})
        assert response.status_code == 200
    assert following.support_count(idea) == 1
    assert mail.outbox == []


def test_the_public_sees_the_count_only_if_the_site_says_so(client):
    idea = public_idea()
    Subscription.objects.create(kind="support", idea=idea, email=fan, confirmed_at=timezone.now())
    from django.template import Context, Template

    template = Template('{% include "sluss_wagtail/following/follow_form.html" with target=idea %}')
    html = template.render(Context({"idea": idea}))
    assert "sluss-support-count" not in html
    assert str(following.SUPPORT_MEANING) in html  # what support means, and what it does not
    settings_ = SlussSettings.for_idea(idea)
    settings_.show_support_count = True
    settings_.save()
    html = Template(
        '{% include "sluss_wagtail/following/follow_form.html" with target=idea %}'
    ).render(Context({"idea": idea}))
    assert "sluss-support-count" in html


def test_coordinators_see_the_support_count_on_the_ideas_admin_page(client):
    idea = public_idea()
    Subscription.objects.create(kind="support", idea=idea, email=fan, confirmed_at=timezone.now())
    Subscription.objects.create(kind="support", idea=idea, email="ny@exempelby.invalid")
    client.force_login(create_coordinator())
    response = client.get(idea_admin_path(idea))
    text = response.content.decode()
    assert 'id="sluss-idea-following"' in text
    counts = re.search(r'id="sluss-idea-following".*?</section>', text, re.S).group(0)
    assert "1 " in counts


def test_the_follow_box_is_on_the_challenge_and_innovation_pages(client, challenge, innovation):
    for page in (challenge, innovation):
        html = client.get(page.url).content.decode()
        assert follow_url(page) in html
        assert 'name="email"' in html


# Personal data --------------------------------------------------------------------------


def test_erasure_by_address_removes_follows_and_keeps_support_counted(client, challenge):
    idea = public_idea()
    follow_and_confirm(client, idea)
    follow_and_confirm(client, challenge)
    follow_and_confirm(client, idea, support=True)
    assert privacy.erase_subscriptions_for_email(FAN) == 3
    assert not Subscription.objects.filter(email=fan).exists()
    assert following.support_count(idea) == 1


def test_the_personal_data_page_finds_exports_and_erases_subscriptions(client):
    idea = public_idea(title="Bänkar vid sjön")
    follow_and_confirm(client, idea)
    coordinator = create_coordinator()
    coordinator.user_permissions.add(*get_permissions("sluss_wagtail.erase_ideacontact"))
    client.force_login(coordinator)
    url = reverse("sluss_wagtail_personal_data")
    found = client.post(url, {"email": FAN, "action": "find"}).content.decode()
    assert "Bänkar vid sjön" in found
    exported = client.post(url, {"email": FAN, "action": "json"})
    data = json.loads(exported.content)
    assert data["following"][0]["email"] == fan
    assert data["following"][0]["title"] == "Bänkar vid sjön"
    client.post(url, {"email": FAN, "action": "erase"})
    assert not Subscription.objects.exists()


def test_retention_removes_unconfirmed_ended_and_idle_addresses(client, challenge):
    idea = public_idea()
    follow_and_confirm(client, idea)
    follow_and_confirm(client, challenge)
    follow_and_confirm(client, idea, support=True)
    post_follow(client, challenge, email="ny@exempelby.invalid")
    # Nothing is due yet.
    assert following.apply_retention(apply=False) == 0
    old = timezone.now() - timedelta(days=5)
    Subscription.objects.pending().update(created_at=old)
    assert following.apply_retention(apply=True) == 1
    # The idea ends, and its site's retention passes.
    event = process.move_idea(idea, process.CLOSED, user=None, public_note="Nej.")
    IdeaEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=800))
    # The challenge's follower was last written to long ago.
    Subscription.objects.filter(page__isnull=False).update(
        confirmed_at=timezone.now() - timedelta(days=800), last_sent_at=None
    )
    out = __import__("io").StringIO()
    call_command("sluss_retention", "--apply", stdout=out)
    assert "3 follower(s) erased" in out.getvalue()
    assert not Subscription.objects.exclude(email__isnull=True).exists()
    assert following.support_count(idea) == 1  # counted, without the address


# The demo -------------------------------------------------------------------------------


def test_the_demo_follower_hears_of_a_move_with_an_unsubscribe_link(challenge):
    import io
    from types import SimpleNamespace

    from demo.management.commands import _demo_follow

    out = io.StringIO()
    command = SimpleNamespace(stdout=out)
    subscription = _demo_follow.build(command)
    assert _demo_follow.build(command) == subscription  # run again: the same follower
    assert Subscription.objects.filter(page=challenge, email=_demo_follow.FOLLOWER).exists()
    assert "runserver" in out.getvalue()
    idea = subscription.idea
    mail.outbox.clear()
    process.move_idea(idea, process.SCREENING, user=None, public_note="Vi tittar på den.")
    (message,) = to(_demo_follow.FOLLOWER)
    assert "/follow/unsubscribe/" in message.body
    assert "List-Unsubscribe" in message.extra_headers
