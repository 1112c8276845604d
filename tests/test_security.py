"""Security promises the whole site keeps, each tested across every place it applies.

- ``manage.py check --deploy`` finds nothing to warn about in the production settings,
  which send a strict Content-Security-Policy on Django 6.0 and later;
- no public page needs inline script or style, so that policy breaks nothing;
- every POST, public or in the admin, needs the CSRF token;
- no redirect parameter leads to another site;
- status links: unknown or malformed tokens and ids are plain 404s, and a token is
  compared in constant time (the database finds it by its first characters only).
"""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import sluss_wagtail.admin.views  # noqa: F401 (registers every action of an idea's page)
from sluss_wagtail import process, roles
from sluss_wagtail.admin.forms import ACTION_FORMS
from sluss_wagtail.admin.importing import URL_NAME as IMPORT_URL_NAME
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Adoption, AdoptionStatus, Idea
from sluss_wagtail.models.ideas import STATUS_TOKEN_SELECTOR_LENGTH
from sluss_wagtail.pages.models import InnovationPage
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_adoption,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_innovation,
    create_showcase_index,
    valid_adoption_data,
)

pytestmark = pytest.mark.django_db

SITE = Path(__file__).resolve().parent.parent / "example_site"


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "SLUSS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="example_site.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="www.exempelby.invalid",
        REDIS_URL="redis://127.0.0.1:6379/5",
        WAGTAILADMIN_BASE_URL="https://www.exempelby.invalid",
        # The package of this checkout, not whichever one the virtualenv has installed.
        PYTHONPATH=str(SITE.parent),
        **extra,
    )
    return env


@pytest.mark.once
def test_check_deploy_finds_nothing_to_warn_about_in_the_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=SITE,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.once
def test_check_deploy_warns_when_production_has_no_public_base_url_for_e_mails():
    env = production_env(SLUSS_TRUSTED_PROXY_COUNT="0")
    env.pop("WAGTAILADMIN_BASE_URL")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=SITE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "sluss_wagtail.W301" in result.stderr + result.stdout
    assert "sluss_wagtail.W302" in result.stderr + result.stdout


@pytest.mark.once
@pytest.mark.skipif(django.VERSION < (6, 0), reason="Django's CSP arrived in 6.0")
def test_the_production_settings_send_a_strict_content_security_policy():
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.utils.csp import build_policy\n"
        "assert 'django.middleware.csp.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE\n"
        "print(build_policy(settings.SECURE_CSP))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=SITE,
        env={**production_env(), "PYTHONPATH": os.pathsep.join([str(SITE), str(SITE.parent)])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    policy = result.stdout.strip()
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


# No inline script or style on any public page --------------------------------------------


class InlineCode(HTMLParser):
    """What a strict CSP blocks: inline scripts, <style>, style="" and on*="" handlers."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")


@pytest.fixture
def every_public_page(client, submission_page, settings):
    """(name, response) for every kind of public page the package serves."""
    now = timezone.now()
    index = create_challenge_index()
    challenge = create_challenge(
        index, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10)
    )
    showcase = create_showcase_index()
    innovation = create_innovation(showcase)
    pages = [
        ("form", client.get(submission_page.url)),
        ("form with errors", client.post(submission_page.url, {"title": ""})),
        ("challenge index", client.get(index.url)),
        ("challenge", client.get(challenge.url)),
        ("showcase", client.get(showcase.url)),
        ("innovation", client.get(innovation.url)),
    ]
    html = client.get(submission_page.url).content.decode()
    sent = client.post(submission_page.url, valid_idea_data(form_token=form_token(html)))
    pages.append(("confirmation", client.get(sent["Location"])))
    idea = Idea.objects.get()
    pages.append(("status", client.get(idea.get_status_url())))
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"idea": (0, 600)}
    pages.append(("too many attempts", client.post(submission_page.url, {})))
    pages.append(("not found", client.get("/finns-inte/")))
    return pages


def test_no_public_page_has_inline_script_style_or_handlers(every_public_page):
    statuses = {name: response.status_code for name, response in every_public_page}
    assert statuses == {
        "form": 200,
        "form with errors": 200,
        "challenge index": 200,
        "challenge": 200,
        "showcase": 200,
        "innovation": 200,
        "confirmation": 200,
        "status": 200,
        "too many attempts": 429,
        "not found": 404,
    }
    found = {
        name: InlineCode(response.content.decode()).found for name, response in every_public_page
    }
    assert found == {name: [] for name, _ in every_public_page}


# CSRF on every POST ---------------------------------------------------------------------


def test_the_public_forms_refuse_a_post_without_the_csrf_token(submission_page):
    now = timezone.now()
    challenge = create_challenge(
        create_challenge_index(),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )
    client = Client(enforce_csrf_checks=True)
    for page in (submission_page, challenge):
        html = client.get(page.url).content.decode()
        response = client.post(page.url, valid_idea_data(form_token=form_token(html)))
        assert response.status_code == 403
    assert Idea.objects.count() == 0


def test_the_public_form_takes_a_post_with_the_csrf_token(submission_page):
    client = Client(enforce_csrf_checks=True)
    html = client.get(submission_page.url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = valid_idea_data(form_token=form_token(html), csrfmiddlewaretoken=csrf)
    assert client.post(submission_page.url, data).status_code == 302
    assert Idea.objects.count() == 1


@pytest.mark.parametrize("action", [*ACTION_FORMS, "bulk"])
def test_every_admin_action_refuses_a_post_without_the_csrf_token(action):
    idea = IdeaFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(create_coordinator())
    if action == "bulk":
        url = inbox_path("bulk")
        data = {"ideas": [idea.pk], "action": "move", "to_stage": process.SCREENING}
    else:
        url = idea_admin_path(idea, action)
        data = {"move-to_stage": process.SCREENING, "correct-title": "Ändrad"}
    before = (idea.stage, idea.title, idea.unit_id, idea.events.count())
    assert client.post(url, data).status_code == 403
    idea.refresh_from_db()
    assert (idea.stage, idea.title, idea.unit_id, idea.events.count()) == before


# No open redirects -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.invalid/",
        "//evil.invalid/admin/sluss_wagtail/idea/",
        "/\\evil.invalid/",
        "javascript:alert(1)",
        "https://evil.invalid/admin/sluss_wagtail/idea/",
    ],
)
def test_no_next_parameter_leads_to_another_site(client, next_url):
    client.force_login(create_coordinator())
    response = client.post(inbox_path("bulk"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == inbox_path()


def test_the_login_page_never_sends_a_person_to_another_site(client):
    user = create_coordinator()
    user.set_password("lösenord-för-test")
    user.save()
    response = client.post(
        reverse("wagtailadmin_login") + "?next=https://evil.invalid/",
        {
            "username": user.username,
            "password": "lösenord-för-test",
            "next": "https://evil.invalid/",
        },
    )
    assert response.status_code == 302
    assert "evil.invalid" not in response["Location"]


def test_the_confirmation_without_an_idea_goes_back_to_the_form_on_this_site(
    client, submission_page
):
    response = client.get(submission_page.url + "confirmation/?next=https://evil.invalid/")
    assert response.status_code == 302
    assert response["Location"] == submission_page.url


# Status tokens ---------------------------------------------------------------------------


def test_a_status_link_is_found_by_its_whole_token_only():
    idea = IdeaFactory()
    token = idea.status_token
    assert Idea.objects.for_status_token(token) == idea
    selector = token[:STATUS_TOKEN_SELECTOR_LENGTH]
    for guess in (
        selector + "A" * (len(token) - len(selector)),  # the right selector, a wrong rest
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character wrong at the end
        token.swapcase(),  # SQLite's LIKE ignores case; the comparison does not
        token[:-1],
        token + "x",
        selector,
        "",
    ):
        assert Idea.objects.for_status_token(guess) is None, guess


@pytest.mark.parametrize(
    "token", ["x" * 32, "0" * 22, "kort", "a" * 65, "../../etc/passwd", "%00" * 10]
)
def test_an_unknown_or_malformed_token_is_a_plain_404(client, token):
    IdeaFactory()
    response = client.get(f"/idesluss/status/{token}/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


def test_an_old_status_link_keeps_working(client):
    """Links sent before the constant-time lookup hold the same token: they still open."""
    idea = IdeaFactory()
    assert client.get(f"/idesluss/status/{idea.status_token}/").status_code == 200


@pytest.mark.parametrize("pk", ["999999", "abc", "-1", "1e3"])
def test_an_unknown_idea_id_in_the_admin_is_a_plain_404(client, pk):
    client.force_login(create_coordinator())
    response = client.get(f"/admin/sluss_wagtail/idea/inspect/{pk}/")
    assert response.status_code == 404


# CSRF on the spread work's POSTs (adoptions, their moderation, the import) --------------


def test_the_adoption_form_refuses_a_post_without_the_csrf_token():
    innovation = create_innovation(create_showcase_index())
    url = innovation.url + innovation.reverse_subpage("adopt")
    client = Client(enforce_csrf_checks=True)
    html = client.get(url).content.decode()
    assert client.post(url, valid_adoption_data(form_token=form_token(html))).status_code == 403
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("decision", ["confirm", "reject"])
def test_deciding_an_adoption_refuses_a_post_without_the_csrf_token(decision):
    adoption = create_adoption(create_innovation(create_showcase_index()))
    moderator = UserFactory(username="moderator")
    moderator.groups.add(roles.ensure_groups()[roles.MODERATORS])
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    url = reverse(f"sluss_wagtail_adoption_modeladmin_{decision}", args=[adoption.pk])
    assert client.post(url, {"note": "Kontrollerad"}).status_code == 403
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.PENDING
    # The 403 is the missing token's: with it, the moderator decides.
    html = client.get(
        reverse("sluss_wagtail_adoption_modeladmin_inspect", args=[adoption.pk])
    ).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert (
        client.post(url, {"note": "Kontrollerad", "csrfmiddlewaretoken": csrf}).status_code == 302
    )
    adoption.refresh_from_db()
    assert adoption.status != AdoptionStatus.PENDING


def test_the_import_refuses_a_post_without_the_csrf_token(django_user_model):
    showcase = create_showcase_index()
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        django_user_model.objects.create_superuser("importer", "importer@exempelby.invalid", "x")
    )
    data = {
        "source": "https://www.alingsas.invalid/innovationer/feed/json/",
        "showcase": showcase.pk,
        "confirm": "import",
    }
    assert client.post(reverse(IMPORT_URL_NAME), data).status_code == 403
    assert not InnovationPage.objects.child_of(showcase).exists()
