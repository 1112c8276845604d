"""The demo's idea coach and assisted intake (``_demo_coach.build``, called by sluss_demo)."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from demo.management.commands import _demo_coach
from sluss_wagtail import permissions
from sluss_wagtail.models import Idea, IdeaEvent
from sluss_wagtail.models.ideas import Channel

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_phone_call_an_idea_coach_and_the_customer_centre(settings, client):
    settings.DEBUG = True
    call_command("sluss_demo", stdout=StringIO())
    command = SimpleNamespace(stdout=StringIO())
    # sluss_demo built the part already (two ideas registered by the customer centre).
    assert Idea.objects.filter(submission_key__startswith="demo-coach-").count() == 2
    assert _demo_coach.build(command) == 0  # idempotent
    phone = Idea.objects.get(submission_key="demo-coach-phone")
    assert phone.channel == Channel.PHONE
    registered = phone.events.get(kind=IdeaEvent.Kind.REGISTERED)
    assert registered.user.username == "kundcenter"
    User = get_user_model()
    coach = User.objects.get(username="idecoach")
    coached = Idea.objects.filter(coach=coach)
    assert coached.count() == _demo_coach.COACHED
    assert phone in coached
    assert all(permissions.may_coach(coach, idea) for idea in coached)
    centre = User.objects.get(username="kundcenter")
    assert permissions.can_register_ideas(centre)
    assert not permissions.can_use_inbox(centre)
    assert "kundcenter" in command.stdout.getvalue()
    # The coach logs in and finds their ideas on the dashboard; the customer centre its form.
    client.force_login(coach)
    assert phone.reference in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(centre)
    assert client.get(reverse("sluss_wagtail_intake")).status_code == 200
    assert client.get(reverse("sluss_wagtail_intake_receipt", args=[phone.pk])).status_code == 200
