"""The right site speaks: an idea sent through a site hears from that site.

Two Wagtail sites with their own settings (sender, feedback promise, contact address,
coordinators, retention) and hosts. Every e-mail about an idea comes from the site it
came through, promises what that site promises, gives its contact address and links to
its host; its coordinators, and only they, hear of it. ``SEND_PATHS`` lists every way
the package sends an e-mail: a new one (a notice in ``tasks.NOTICES``, a ``send_*`` in
``notifications``) fails ``test_every_way_an_e_mail_is_sent_is_proven_here`` until it is
added and proven over both sites.
"""

import re
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from sluss_wagtail import actions, notifications, privacy, process, tasks
from sluss_wagtail.models import FailedEmail, Idea, SlussSettings
from sluss_wagtail.pages.models import IdeaSubmissionPage
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_benefit,
    create_innovation,
    create_showcase_index,
)

pytestmark = pytest.mark.django_db

GIVER = "karin@exempelby.invalid"
#: The admin's own address: one admin for every site (WAGTAILADMIN_BASE_URL).
ADMIN_BASE_URL = "https://admin.exempelby.invalid"
Kind = FailedEmail.Kind


def configure(site, **values):
    site_settings = SlussSettings.for_site(site)
    for name, value in values.items():
        setattr(site_settings, name, value)
    site_settings.save()
    return site_settings


def speaker(site, base_url, page, **values):
    configure(
        site,
        from_email=values["sender"],
        contact_email=values["contact"],
        coordinator_emails="\n".join(values["coordinators"]),
        feedback_promise_days=values["promise"],
        retention_days=values["retention"],
    )
    return SimpleNamespace(site=site, base_url=base_url, page=page, **values)


@pytest.fixture
def sites(settings):
    """The default site (reached at SLUSS_WAGTAIL_BASE_URL, as before there were several
    sites) and a neighbour's on its own host, each with its own settings and form; the
    admin on a host of its own."""
    settings.SLUSS_WAGTAIL_BASE_URL = "https://www.exempelby.invalid"
    settings.WAGTAILADMIN_BASE_URL = ADMIN_BASE_URL
    default = Site.objects.get(is_default_site=True)
    page_one = IdeaSubmissionPage(title="Lämna en idé", slug="lamna-en-ide")
    default.root_page.add_child(instance=page_one)
    page_one.save_revision().publish()
    one = speaker(
        default,
        "https://www.exempelby.invalid",
        page_one,
        host="www.exempelby.invalid",
        sender="idesluss@exempelby.invalid",
        contact="fragor@exempelby.invalid",
        coordinators=["ingrid@exempelby.invalid"],
        promise=14,
        retention=1000,
    )
    home_two = Page.get_first_root_node().add_child(
        instance=Page(title="Grannby intranät", slug="grannby")
    )
    site_two = Site.objects.create(
        hostname="intranat.grannby.invalid", port=443, root_page=home_two, site_name="Grannby"
    )
    page_two = IdeaSubmissionPage(title="Lämna en idé", slug="lamna-en-ide")
    home_two.add_child(instance=page_two)
    page_two.save_revision().publish()
    two = speaker(
        site_two,
        "https://intranat.grannby.invalid",
        page_two,
        host="intranat.grannby.invalid",
        sender="noreply@grannby.invalid",
        contact="innovation@grannby.invalid",
        coordinators=["lisa@grannby.invalid", "omar@grannby.invalid"],
        promise=5,
        retention=10,
    )
    return SimpleNamespace(one=one, two=two, each=(one, two))


def other(sites, site):
    return sites.one if site is sites.two else sites.two


def path_on(site, page):
    return page.get_url_parts()[2]


def post_idea_on(client, site, page=None, **overrides):
    """Open the form on ``site``'s host like a browser, then send it."""
    path = path_on(site, page or site.page)
    host = {"HTTP_HOST": site.host, "secure": True}
    html = client.get(path, **host).content.decode()
    return client.post(path, valid_idea_data(form_token=form_token(html), **overrides), **host)


def bodies(message):
    return [message.body, *(content for content, _mimetype in message.alternatives)]


def promise_in(text):
    found = re.search(r"(?:Inom|within|mer än|more than) (\d+) (?:dag|day)", text)
    return int(found.group(1)) if found else None


def assert_speaks_for(message, site, other_site, idea=None):
    """``message`` comes from ``site``: its sender, links to its host (or the admin's),
    and nothing of the other site."""
    assert message.from_email == site.sender
    for text in bodies(message):
        for theirs in (other_site.host, other_site.contact, other_site.sender):
            assert theirs not in text
        for url in re.findall(r"https?://[^\s\"'<>]+", text):
            assert url.startswith((site.base_url + "/", ADMIN_BASE_URL + "/")), url
    if idea is not None and message.to == [GIVER]:
        status_url = site.base_url + idea.get_status_url()
        for text in bodies(message):
            assert status_url in text
            assert site.contact in text


def to_giver(messages):
    return [message for message in messages if message.to == [GIVER]]


def to_staff(messages):
    return [message for message in messages if message.to != [GIVER]]


# The idea knows its site ------------------------------------------------------------------


def test_an_idea_sent_through_the_second_site_hears_from_it(
    sites, client, django_capture_on_commit_callbacks
):
    two = sites.two
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea_on(client, two)
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.site == two.site
    (receipt,) = to_giver(mail.outbox)
    assert_speaks_for(receipt, two, sites.one, idea)
    assert receipt.body.count(two.base_url + idea.get_status_url()) == 1
    assert promise_in(receipt.body) == two.promise
    (note,) = to_staff(mail.outbox)  # the second site's coordinators only
    assert note.to == two.coordinators
    assert_speaks_for(note, two, sites.one)


def test_an_idea_sent_through_the_default_site_hears_from_it(
    sites, client, django_capture_on_commit_callbacks
):
    one = sites.one
    with django_capture_on_commit_callbacks(execute=True):
        post_idea_on(client, one)
    idea = Idea.objects.get()
    assert idea.site == one.site
    (receipt,) = to_giver(mail.outbox)
    assert_speaks_for(receipt, one, sites.two, idea)
    assert promise_in(receipt.body) == one.promise
    assert [message.to for message in to_staff(mail.outbox)] == [one.coordinators]


def test_a_site_sharing_the_tree_speaks_for_what_came_through_it(
    sites, client, django_capture_on_commit_callbacks
):
    """An intranet on the public site's pages: the request says which site, not the page."""
    intranet = Site.objects.create(
        hostname="intranat.exempelby.invalid", port=443, root_page=sites.one.site.root_page
    )
    configure(intranet, from_email="intranat@exempelby.invalid", coordinator_emails="")
    with django_capture_on_commit_callbacks(execute=True):
        post_idea_on(
            client, SimpleNamespace(host="intranat.exempelby.invalid"), page=sites.one.page
        )
    idea = Idea.objects.get()
    assert idea.site == intranet
    (receipt,) = mail.outbox  # the intranet names no coordinators
    assert receipt.from_email == "intranat@exempelby.invalid"
    assert "https://intranat.exempelby.invalid" + idea.get_status_url() in receipt.body


def test_an_idea_created_without_a_request_takes_its_pages_site_else_the_default(sites):
    assert IdeaFactory(source_page=sites.two.page).site == sites.two.site
    assert IdeaFactory().site == sites.one.site
    assert IdeaFactory(site=sites.two.site).site == sites.two.site


def test_the_settings_and_the_address_of_an_idea_come_from_one_accessor(sites):
    idea = IdeaFactory(site=sites.two.site)
    assert SlussSettings.for_idea(idea).from_email == sites.two.sender
    assert SlussSettings.for_idea(idea).contact_email == sites.two.contact
    assert idea.get_absolute_status_url() == sites.two.base_url + idea.get_status_url()
    configure(sites.two.site, from_email="ny@grannby.invalid")
    assert SlussSettings.for_idea(idea).from_email == "ny@grannby.invalid"
    sites.two.site.port = 8000
    sites.two.site.save()
    assert idea.get_absolute_status_url().startswith("http://intranat.grannby.invalid:8000/")
    sites.two.site.delete()  # the idea's site is gone: the default site speaks
    idea.refresh_from_db()
    assert idea.site is None
    assert SlussSettings.for_idea(idea).from_email == sites.one.sender
    assert idea.get_absolute_status_url() == sites.one.base_url + idea.get_status_url()


# Every way an e-mail is sent, over both sites ---------------------------------------------


def an_idea(site, **fields):
    return IdeaFactory(site=site.site, source_page=site.page, **fields)


def a_public_idea(site, **fields):
    """As ``an_idea``, and shown in public (``Idea.objects.public()``)."""
    from tests.factories import create_public_idea

    return create_public_idea(site=site.site, source_page=site.page, **fields)


def receipt(sites, site):
    idea = an_idea(site)
    return idea, lambda: tasks.NOTICES[Kind.RECEIPT].send(idea.pk)


def new_idea(sites, site):
    idea = an_idea(site)
    return idea, lambda: tasks.NOTICES[Kind.NEW_IDEA].send(idea.pk)


def feedback(sites, site):
    idea = an_idea(site)
    event = process.move_idea(idea, "screening", user=None, public_note="Vi tittar på den.")
    return idea, lambda: tasks.NOTICES[Kind.FEEDBACK].send(event.pk)


def unit_assigned(sites, site):
    idea = an_idea(site)
    unit = OrganisationUnitFactory(name="Parken", contact_email="parken@exempelby.invalid")
    event = actions.assign_unit(idea, unit, user=UserFactory())
    return idea, lambda: tasks.NOTICES[Kind.UNIT_ASSIGNED].send(event.pk)


def innovation_published(sites, site):
    idea = an_idea(site, publish_idea=True)
    showcase = create_showcase_index(parent=site.site.root_page)
    page = create_innovation(showcase, idea=idea)
    return idea, lambda: tasks.NOTICES[Kind.INNOVATION_PUBLISHED].send(page.pk)


#: The idea coach's address (an admin user who may see every idea).
COACH = "coach@exempelby.invalid"


def a_coach():
    from tests.factories import create_coordinator

    return create_coordinator(username="idecoach", email=COACH)


def coach_assigned(sites, site):
    idea = an_idea(site)
    event = actions.assign_coach(idea, a_coach(), user=UserFactory())
    return idea, lambda: tasks.NOTICES[Kind.COACH_ASSIGNED].send(event.pk)


def coach_reminders(sites, site):
    idea = an_idea(site)
    actions.assign_coach(idea, a_coach(), user=UserFactory())
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=30))
    return idea, notifications.send_feedback_reminders


def feedback_reminders(sites, site):
    idea = an_idea(site, unit=OrganisationUnitFactory(contact_email="parken@exempelby.invalid"))
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=30))
    return idea, notifications.send_feedback_reminders


FOLLOWER = "foljare@exempelby.invalid"


def a_follower(**target):
    from sluss_wagtail.models import Subscription

    return Subscription.objects.create(
        kind="follow", email=FOLLOWER, confirmed_at=timezone.now(), **target
    )


def follow_confirmation(sites, site):
    from sluss_wagtail.models import Subscription

    idea = a_public_idea(site)
    subscription = Subscription.objects.create(kind="follow", idea=idea, email=FOLLOWER)
    return idea, lambda: tasks.NOTICES[Kind.FOLLOW_CONFIRM].send(subscription.pk)


def follower_feedback(sites, site):
    idea = a_public_idea(site)
    a_follower(idea=idea)
    event = process.move_idea(idea, "screening", user=None, public_note="Vi tittar på den.")
    return idea, lambda: tasks.NOTICES[Kind.FOLLOWER_FEEDBACK].send(event.pk)


def follower_outcome(sites, site):
    from tests.factories import create_challenge, create_challenge_index

    idea = an_idea(site)
    index = create_challenge_index(parent=site.site.root_page)
    now = timezone.now()
    challenge = create_challenge(
        index, opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1)
    )
    a_follower(page=challenge)
    challenge.outcome = "<p>Tre idéer testas.</p>"
    revision = challenge.save_revision()
    revision.publish()
    return idea, lambda: tasks.NOTICES[Kind.FOLLOWER_OUTCOME].send(revision.pk)


def follower_adoption(sites, site):
    from tests.factories import create_adoption

    idea = a_public_idea(site)
    page = create_innovation(create_showcase_index(parent=site.site.root_page), idea=idea)
    a_follower(page=page)
    adoption = create_adoption(page, status="confirmed")
    return idea, lambda: tasks.NOTICES[Kind.FOLLOWER_ADOPTION].send(adoption.pk)


def dialogue_message(sites, site):
    from sluss_wagtail import dialogue

    idea = an_idea(site)
    message = dialogue.write_to_giver(idea, user=UserFactory(), text="Vilken sjö menar du?")
    return idea, lambda: tasks.NOTICES[Kind.DIALOGUE_MESSAGE].send(message.pk)


def dialogue_answer(sites, site):
    from sluss_wagtail import dialogue

    idea = an_idea(site)
    dialogue.write_to_giver(idea, user=UserFactory(), text="Vilken sjö menar du?")
    message = dialogue.answer(idea, text="Kyrkviken.")
    return idea, lambda: tasks.NOTICES[Kind.DIALOGUE_ANSWER].send(message.pk)


def follow_up_reminders(sites, site):
    # The owner's address among the site's coordinators: the check below allows those.
    idea = an_idea(site)
    owner = UserFactory(username="agare", email=site.coordinators[0], is_staff=True)
    create_benefit(idea, owner=owner)
    return idea, notifications.send_follow_up_reminders


ASSESSOR = "bedomare@exempelby.invalid"


def assessment_requested(sites, site):
    from sluss_wagtail import assessing
    from tests.factories import create_assessor

    idea = an_idea(site)
    (request,) = assessing.request_assessments(
        idea,
        [create_assessor(email=ASSESSOR)],
        user=UserFactory(),
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return idea, lambda: tasks.NOTICES[Kind.ASSESSMENT_REQUESTED].send(request.pk)


#: Every way the package sends an e-mail: the notices of ``tasks.NOTICES`` (which the
#: tasks and ``sluss_resend_emails`` send) and the reminders (``sluss_reminders``).
#: Each builds an idea on a site and returns it with what sends.
SEND_PATHS = {
    Kind.RECEIPT: receipt,
    Kind.NEW_IDEA: new_idea,
    Kind.FEEDBACK: feedback,
    Kind.UNIT_ASSIGNED: unit_assigned,
    Kind.INNOVATION_PUBLISHED: innovation_published,
    Kind.COACH_ASSIGNED: coach_assigned,
    Kind.DIALOGUE_MESSAGE: dialogue_message,
    Kind.DIALOGUE_ANSWER: dialogue_answer,
    "feedback_reminders": feedback_reminders,
    Kind.ASSESSMENT_REQUESTED: assessment_requested,
    Kind.FOLLOW_CONFIRM: follow_confirmation,
    Kind.FOLLOWER_FEEDBACK: follower_feedback,
    Kind.FOLLOWER_OUTCOME: follower_outcome,
    Kind.FOLLOWER_ADOPTION: follower_adoption,
    "follow_up_reminders": follow_up_reminders,
}
#: More ways through a path above, proven over both sites too.
MORE_PATHS = {"coach_reminders": coach_reminders}
#: The ``send_*`` functions of ``notifications`` each path goes through.
SENDERS = {
    "send_idea_receipt",
    "send_new_idea_to_coordinators",
    "send_feedback",
    "send_unit_assignment",
    "send_innovation_published",
    "send_feedback_reminders",
    "send_assessment_request",
    "send_follow_confirmation",
    "send_follower_feedback",
    "send_follower_outcome",
    "send_follower_adoption",
    "send_coach_assignment",
    "send_dialogue_message",
    "send_dialogue_answer",
    "send_follow_up_reminders",
}


def test_every_way_an_e_mail_is_sent_is_proven_here():
    reminders = {"feedback_reminders", "follow_up_reminders"}
    assert set(tasks.NOTICES) | reminders == set(SEND_PATHS)
    assert {name for name in dir(notifications) if name.startswith("send_")} == SENDERS


@pytest.mark.parametrize("which", ["one", "two"])
@pytest.mark.parametrize("path", [*SEND_PATHS, *MORE_PATHS])
def test_every_e_mail_about_an_idea_speaks_for_its_site(sites, which, path, monkeypatch):
    site = getattr(sites, which)
    idea, send = {**SEND_PATHS, **MORE_PATHS}[path](sites, site)
    # Nothing about an idea may ask the default site: it is the wrong one for site two.
    monkeypatch.setattr(
        SlussSettings, "for_default_site", classmethod(lambda cls: pytest.fail("default site"))
    )
    mail.outbox.clear()
    send()
    assert mail.outbox, f"{path} sent nothing"
    for message in mail.outbox:
        assert_speaks_for(message, site, other(sites, site), idea)
        if message.to != [GIVER]:
            assert set(message.to) <= {
                *site.coordinators,
                "parken@exempelby.invalid",
                FOLLOWER,
                COACH,
                ASSESSOR,
            }
    if path in (Kind.COACH_ASSIGNED, "coach_reminders"):
        assert [COACH] in [message.to for message in mail.outbox]


def test_reminders_go_per_site_with_each_sites_promise_and_coordinators(sites):
    unit = OrganisationUnitFactory(contact_email="parken@exempelby.invalid")
    ideas = {site.host: an_idea(site, unit=unit) for site in sites.each}
    Idea.objects.update(created_at=timezone.now() - timedelta(days=1))
    # A week on: past the second site's promise (5 days), within the first's (14).
    messages = notifications.send_feedback_reminders(now=timezone.now() + timedelta(days=7))
    assert sorted(tuple(message.to) for message in messages) == [
        ("lisa@grannby.invalid", "omar@grannby.invalid"),
        ("parken@exempelby.invalid",),
    ]
    for message in messages:
        assert_speaks_for(message, sites.two, sites.one)
        assert promise_in(message.body) == sites.two.promise
        assert ideas[sites.two.host].reference in message.body
        assert ideas[sites.one.host].reference not in message.body
    # Three weeks on: both sites, each to its own; the unit hears once from each site.
    mail.outbox.clear()
    call_command("sluss_reminders", stdout=StringIO())
    assert mail.outbox == []  # today nothing waits past either promise
    messages = notifications.send_feedback_reminders(now=timezone.now() + timedelta(days=21))
    for site in sites.each:
        own = [message for message in messages if message.from_email == site.sender]
        assert sorted(tuple(m.to) for m in own) == sorted(
            [tuple(site.coordinators), ("parken@exempelby.invalid",)]
        )
        for message in own:
            assert_speaks_for(message, site, other(sites, site))
            assert promise_in(message.body) == site.promise
            assert ideas[site.host].reference in message.body
            assert ideas[other(sites, site).host].reference not in message.body


def test_feedback_on_a_move_speaks_for_each_givers_own_site(
    sites, django_capture_on_commit_callbacks
):
    """The giver of a duplicate sent through the other site hears from that site."""
    original = an_idea(sites.two)
    duplicate = IdeaFactory(
        site=sites.one.site, contact={"name": "Bo", "email": "bo@exempelby.invalid"}
    )
    actions.mark_duplicate(duplicate, original, user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        process.move_idea(original, "development", user=None, public_note="Vi utvecklar den.")
    # The feedback, and the invitation to take part in development (``dialogue``).
    assert len(to_giver(mail.outbox)) == 2
    for to_original in to_giver(mail.outbox):
        assert_speaks_for(to_original, sites.two, sites.one, original)
    (to_duplicate,) = [m for m in mail.outbox if m.to == ["bo@exempelby.invalid"]]
    assert to_duplicate.from_email == sites.one.sender
    assert sites.one.base_url + duplicate.get_status_url() in to_duplicate.body


def test_a_withdrawal_on_the_status_page_is_confirmed_by_the_ideas_site(
    sites, client, django_capture_on_commit_callbacks
):
    idea = an_idea(sites.two)
    url = reverse("sluss_wagtail:idea_withdraw", args=[idea.status_token])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, HTTP_HOST=sites.two.host, secure=True)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_speaks_for(message, sites.two, sites.one, idea)


@pytest.mark.parametrize("view", ["idea_erase", "idea_withdraw_consent"])
def test_erasure_and_consent_withdrawal_send_no_e_mail(
    sites, client, django_capture_on_commit_callbacks, view
):
    """Nothing to speak: the status page, on the idea's own link, says what happened."""
    idea = an_idea(sites.two)
    url = reverse(f"sluss_wagtail:{view}", args=[idea.status_token])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, HTTP_HOST=sites.two.host, secure=True).status_code == 302
    assert mail.outbox == []


# Retention, the 429 page and the feeds ----------------------------------------------------


def ended_days_ago(idea, days):
    process.move_idea(idea, process.CLOSED, user=None, public_note="Beslut.")
    idea.events.filter(to_stage=process.CLOSED).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return idea


def test_retention_follows_the_site_each_idea_came_through(sites):
    # No pages: the site an idea came through decides, not where a page is.
    ours = ended_days_ago(IdeaFactory(site=sites.one.site), 20)
    theirs = ended_days_ago(IdeaFactory(site=sites.two.site), 20)
    assert privacy.apply_retention() == [theirs.pk]  # 10 days there, 1000 here
    orphan = ended_days_ago(IdeaFactory(site=sites.two.site), 20)
    Idea.objects.filter(pk=orphan.pk).update(site=None)  # its site gone: the default's
    assert privacy.apply_retention() == [theirs.pk]
    configure(sites.one.site, retention_days=15)
    assert privacy.apply_retention() == [ours.pk, theirs.pk, orphan.pk]


def test_the_429_page_on_the_second_site_gives_its_contact(sites, client, settings):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (1, 600)}
    post_idea_on(client, sites.two)
    response = post_idea_on(client, sites.two)
    assert response.status_code == 429
    html = response.content.decode()
    assert sites.two.contact in html
    assert sites.one.contact not in html


def test_the_feed_of_the_second_site_links_to_its_host(sites, client):
    showcase = create_showcase_index(parent=sites.two.site.root_page)
    innovation = create_innovation(showcase)
    path = path_on(sites.two, showcase) + "feed/json/"
    feed = client.get(path, HTTP_HOST=sites.two.host, secure=True).json()
    assert feed["_sluss"]["publisher"] == "Grannby"
    assert feed["home_page_url"].startswith(sites.two.base_url + "/")
    (item,) = feed["items"]
    assert item["url"] == sites.two.base_url + path_on(sites.two, innovation)
