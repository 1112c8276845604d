"""Hostile input on the public idea form: markup, NUL bytes, huge values, forged choices and bots.

Whatever is sent, the idea giver's words come back as text, never as markup; a
bad value is a form error tied to its field, never a server error; a bot is
answered politely and nothing is stored.
"""

import re
import time
from html.parser import HTMLParser

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext

from sluss_wagtail import spam
from sluss_wagtail.models import Idea
from tests import xss_vectors
from tests.conftest import form_token, valid_idea_data
from tests.factories import IdeaFactory, OrganisationUnitFactory, create_submission_page
from tests.worlds import world_per_module

pytestmark = pytest.mark.django_db

# One idea submission page for the module's many tests (each rolls back what it sends).
_page, world = world_per_module(create_submission_page)


@pytest.fixture
def submission_page(world):
    return world


CONFIRMATION_TEMPLATE = "sluss_wagtail/pages/idea_submission_page_confirmation.html"

# The questions a person answers in their own words, with the longest answer each takes.
TEXT_FIELD_LIMITS = {
    "title": 200,
    "description": 10_000,
    "need": 10_000,
    "beneficiaries": 2_000,
    "organisation": 200,
    "name": 200,
    "phone": 40,
    "email": 254,  # what IdeaContact.email holds
}
TEXT_FIELDS = list(TEXT_FIELD_LIMITS)

# The shared corpus (tests/xss_vectors.py): every vector through every field.
XSS_VECTORS = xss_vectors.XSS_VECTORS


class PageProbe(HTMLParser):
    """Reads a page the way a browser would: the values of the form and anything executable."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.values = {}
        self.checked = {}
        self.handlers = []
        self.javascript_urls = []
        self.inline_scripts = []
        self._textarea = None
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs_dict = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            url = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction") and url.startswith("javascript:"):
                self.javascript_urls.append(value)
        name = attrs_dict.get("name")
        if tag == "input" and name:
            if attrs_dict.get("type") == "radio":
                if "checked" in attrs_dict:
                    self.checked[name] = attrs_dict.get("value")
            else:
                self.values[name] = attrs_dict.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "script" and "src" not in attrs_dict:
            self._script = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "script" and self._script is not None:
            self.inline_scripts.append(self._script)
            self._script = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data
        if self._script is not None:
            self._script += data


def assert_nothing_executable(html):
    xss_vectors.assert_no_live_vector(html)
    probe = PageProbe(html)
    assert probe.handlers == []
    assert probe.javascript_urls == []
    assert not any("alert" in script for script in probe.inline_scripts)
    return probe


def assert_shown_as_text(html, vector):
    """The vector is on the page escaped; where escaping changes it, never raw."""
    assert escape(vector) in html
    if escape(vector) != vector:
        assert vector not in html
    assert_nothing_executable(html)


def email_with_local_part(vector):
    """A valid e-mail address whose (quoted) local part is ``vector``, or None."""
    quoted = '"' + vector.replace("\\", "\\\\").replace('"', '\\"') + '"'
    address = f"{quoted}@exempelby.invalid"
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def fresh_token(client, page):
    return form_token(client.get(page.url).content.decode())


def error_summary_links(html):
    summary = re.search(r"<div class=\"sluss-error-summary\".*?</div>", html, re.S)
    assert summary is not None, "the error summary is missing"
    return set(re.findall(r'<a href="#([^"]+)"', summary.group(0)))


def assert_error_tied_to(html, field):
    """A GOV.UK error: linked from the summary, shown by the field, in its aria-describedby."""
    field_id = f"id_{field}"
    assert field_id in error_summary_links(html)
    assert f'id="{field_id}-error"' in html
    # The control (or the fieldset of radios) that names the error.
    control = re.search(
        rf"<(?:input|textarea|select|fieldset)[^>]*?"
        rf'(?:id="{field_id}"|aria-describedby="[^"]*{field_id}-error)[^>]*>',
        html,
    )
    assert control is not None
    assert f"{field_id}-error" in control.group(0)


def field_error(html, field):
    """The error message shown by the field."""
    match = re.search(
        rf'<p class="sluss-error-message" id="id_{field}-error">(.*?)</p>', html, re.S
    )
    return match.group(1)


# Markup and template syntax -------------------------------------------------------------


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_markup_in_every_field_comes_back_as_text_in_the_re_rendered_form(
    client, submission_page, vector
):
    data = valid_idea_data(form_token=fresh_token(client, submission_page))
    data.update(dict.fromkeys(TEXT_FIELDS, vector))

    response = client.post(submission_page.url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-sluss-error-summary" in html  # the phone and the e-mail address are refused
    probe = assert_nothing_executable(html)
    # A browser reads back exactly what was typed: no tag, attribute or text leaked out.
    assert {field: probe.values.get(field) for field in TEXT_FIELDS} == dict.fromkeys(
        TEXT_FIELDS, vector
    )
    assert_shown_as_text(html, vector)
    assert Idea.objects.count() == 0


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_markup_in_a_sent_idea_comes_back_as_text_on_every_page_and_in_the_receipt(
    client, submission_page, django_capture_on_commit_callbacks, vector
):
    email = email_with_local_part(vector) or "karin@exempelby.invalid"
    data = valid_idea_data(form_token=fresh_token(client, submission_page), email=email)
    free_text = ["title", "description", "need", "beneficiaries", "organisation", "name"]
    data.update(dict.fromkeys(free_text, vector))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submission_page.url, data)

    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.title == vector
    assert idea.contact.email == email

    confirmation = client.get(response["Location"]).content.decode()
    assert_shown_as_text(confirmation, email)

    status = client.get(idea.get_status_url()).content.decode()
    assert_shown_as_text(status, vector)
    assert re.search(rf"<h1[^>]*>{re.escape(escape(vector))}</h1>", status)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert_shown_as_text(html, vector)
    # The text part is plain text: the title as typed, not as HTML entities.
    assert vector in message.body


def test_template_syntax_in_an_idea_is_shown_not_run(
    client, post_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea(
            title="Bänk {{ 7*7 }} {% debug %} slut", description="Mer {{ request.META }}"
        )
    idea = Idea.objects.get()
    assert response.status_code == 302

    status = client.get(idea.get_status_url()).content.decode()
    receipt = mail.outbox[0].alternatives[0][0]
    for html in (status, receipt, mail.outbox[0].body):
        assert "Bänk {{ 7*7 }} {% debug %} slut" in html
        assert "Bänk 49" not in html


# NUL bytes ------------------------------------------------------------------------------

NUL_VALUES = {
    "title": "Bänkar\x00vid sjön",
    "description": "Ställ ut bänkar\x00",
    "need": "\x00Äldre behöver vila.",
    "beneficiaries": "Äldre\x00",
    "organisation": "Föreningen\x00Sjön",
    "name": "Karin\x00Lund",
    "phone": "0302\x00521000",
    "email": "karin\x00@exempelby.invalid",
}


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_nul_byte_in_a_field_is_a_form_error_tied_to_that_field(post_idea, field):
    response = post_idea(**{field: NUL_VALUES[field]})

    assert response.status_code == 200
    html = response.content.decode()
    assert error_summary_links(html) == {f"id_{field}"}
    assert_error_tied_to(html, field)
    assert Idea.objects.count() == 0


# Huge values ----------------------------------------------------------------------------

HUGE = 100_000
HUGE_VALUES = dict.fromkeys(TEXT_FIELDS, "ä" * HUGE) | {
    "email": "a" * HUGE + "@exempelby.invalid",
    "phone": "1" * HUGE,
}


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_huge_value_is_a_clear_error_and_the_other_answers_are_kept(post_idea, field):
    typed = valid_idea_data(submitter_kind="business", organisation="Sjöns vänner")
    response = post_idea(**{**typed, field: HUGE_VALUES[field]})

    assert response.status_code == 200
    html = response.content.decode()
    assert error_summary_links(html) == {f"id_{field}"}
    assert_error_tied_to(html, field)
    assert str(TEXT_FIELD_LIMITS[field]) in field_error(html, field)  # how long an answer may be
    assert Idea.objects.count() == 0

    probe = PageProbe(html)
    for other in TEXT_FIELDS:
        if other != field:
            assert probe.values[other] == typed[other]
    assert probe.checked == {
        "submitter_kind": "business",
        "publish_idea": "yes",
        "publish_name": "no",
    }


def test_an_e_mail_address_longer_than_the_database_holds_is_a_form_error(post_idea):
    label = "d" * 63
    address = "karin@" + ".".join([label] * 4) + ".se"  # valid, 265 characters
    validate_email(address)
    assert 254 < len(address) <= 320

    response = post_idea(email=address)

    assert response.status_code == 200
    assert_error_tied_to(response.content.decode(), "email")
    assert Idea.objects.count() == 0


def test_a_line_break_in_the_e_mail_address_never_reaches_the_mail_headers(
    post_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea(email="karin@exempelby.invalid\r\nBcc: alla@exempelby.invalid")
    assert response.status_code == 200
    assert_error_tied_to(response.content.decode(), "email")
    assert Idea.objects.count() == 0
    assert mail.outbox == []


# Choices that are not on offer ----------------------------------------------------------


@pytest.fixture
def units(db):
    """An active unit, so the form asks for one, and one that no longer takes ideas."""
    return {
        "active": OrganisationUnitFactory(name="Park och natur"),
        "inactive": OrganisationUnitFactory(name="Nedlagd enhet", is_active=False),
    }


CHOICE_CASES = [
    ("submitter_kind", "admin"),
    ("submitter_kind", "RESIDENT"),
    ("submitter_kind", "\x00"),
    ("submitter_kind", '"><script>alert(1)</script>'),
    ("publish_idea", "maybe"),
    ("publish_idea", "1"),
    ("publish_idea", "\x00"),
    ("publish_name", "ja"),
    ("publish_name", "\x00"),
    ("unit", "abc"),
    ("unit", "\x00"),
    ("unit", "1 OR 1=1"),
    ("unit", "9" * 30),
    ("unit", "-1"),
]


@pytest.mark.parametrize(("field", "value"), CHOICE_CASES)
def test_a_choice_that_is_not_offered_is_a_form_error(post_idea, units, field, value):
    response = post_idea(**{field: value})

    assert response.status_code == 200
    html = response.content.decode()
    assert error_summary_links(html) == {f"id_{field}"}
    assert_error_tied_to(html, field)
    assert_nothing_executable(html)
    assert Idea.objects.count() == 0


@pytest.mark.parametrize("which", ["missing", "inactive"])
def test_a_unit_that_does_not_exist_or_no_longer_takes_ideas_is_a_form_error(
    post_idea, units, which
):
    pk = units["inactive"].pk if which == "inactive" else max(u.pk for u in units.values()) + 1000

    response = post_idea(unit=str(pk))

    assert response.status_code == 200
    assert_error_tied_to(response.content.decode(), "unit")
    assert Idea.objects.count() == 0


def test_an_offered_unit_is_taken(post_idea, units):
    assert post_idea(unit=str(units["active"].pk)).status_code == 302
    assert Idea.objects.get().unit == units["active"]


# Cross-site request forgery -------------------------------------------------------------


def test_a_post_without_a_csrf_token_is_refused(submission_page):
    client = Client(enforce_csrf_checks=True)
    html = client.get(submission_page.url).content.decode()
    data = valid_idea_data(form_token=form_token(html))

    response = client.post(submission_page.url, data)

    assert response.status_code == 403
    assert Idea.objects.count() == 0
    # The same form with the CSRF token from the page goes through.
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    with_csrf = {**data, "csrfmiddlewaretoken": csrf}
    assert client.post(submission_page.url, with_csrf).status_code == 302
    assert Idea.objects.count() == 1


# Bots -----------------------------------------------------------------------------------


def assert_polite_bot_reply(response):
    assert response.status_code == 200
    assert CONFIRMATION_TEMPLATE in [template.name for template in response.templates]
    html = response.content.decode()
    assert "data-sluss-error-summary" not in html
    assert 'name="form_token"' not in html
    assert Idea.objects.count() == 0
    assert mail.outbox == []


def test_a_filled_honeypot_gets_a_thank_you_and_nothing_is_stored(
    post_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea(**{spam.HONEYPOT_FIELD: "https://spam.example"})
    assert_polite_bot_reply(response)


def signed(payload, **kwargs):
    return signing.dumps(payload, **{"salt": spam.TOKEN_SALT, **kwargs})


def tampered(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


FORGED_TOKENS = {
    "missing": None,
    "empty": "",
    "garbage": "not-a-token",
    "wrong salt": signing.dumps({"n": "abc", "t": 0}, salt="another.salt"),
    "wrong key": signed({"n": "abc", "t": 0}, key="not-the-secret-key"),
    "no time": signed({"n": "abc"}),
    "time is text": signed({"n": "abc", "t": "yesterday"}),
    "not a dict": signed(["abc", 0]),
    "tampered": tampered(spam.new_form_token()),
}


@pytest.mark.parametrize("token", FORGED_TOKENS.values(), ids=FORGED_TOKENS.keys())
def test_a_missing_or_forged_form_token_gets_a_thank_you_and_nothing_is_stored(
    client, submission_page, django_capture_on_commit_callbacks, token
):
    data = valid_idea_data()
    if token is not None:
        data["form_token"] = token
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submission_page.url, data)
    assert_polite_bot_reply(response)


def test_a_form_sent_faster_than_a_person_can_fill_it_gets_a_thank_you(
    settings, post_idea, django_capture_on_commit_callbacks
):
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea()
    assert_polite_bot_reply(response)


def test_a_form_filled_for_longer_than_the_minimum_time_is_taken(settings, client, submission_page):
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 60
    token = signed({"n": "opened-a-while-ago", "t": time.time() - 61})
    assert client.post(submission_page.url, valid_idea_data(form_token=token)).status_code == 302
    assert Idea.objects.count() == 1


def test_an_expired_form_asks_to_be_sent_again_and_keeps_the_answers(
    settings, client, submission_page
):
    settings.SLUSS_WAGTAIL_FORM_MAX_AGE_SECONDS = 60
    old_token = signed({"n": "opened-yesterday", "t": time.time() - 3600})
    data = valid_idea_data(form_token=old_token, title="Bänkar vid badplatsen")

    response = client.post(submission_page.url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-sluss-error-summary" in html
    message = gettext(
        "The form was open for a long time, so for your security it must be sent "
        "again. Your answers are kept: check them and send the form once more."
    )
    assert escape(message) in html
    assert Idea.objects.count() == 0
    probe = PageProbe(html)
    assert probe.values["title"] == "Bänkar vid badplatsen"
    assert probe.values["description"] == data["description"]
    assert probe.checked["submitter_kind"] == "resident"
    # The form carries a new token, so sending it once more works.
    new_token = probe.values["form_token"]
    assert new_token != old_token
    assert spam.read_form_token(new_token)[1] > time.time() - 60
    assert client.post(submission_page.url, {**data, "form_token": new_token}).status_code == 302
    assert Idea.objects.count() == 1


def test_the_same_form_sent_twice_gives_one_idea(
    client, submission_page, django_capture_on_commit_callbacks
):
    data = valid_idea_data(form_token=fresh_token(client, submission_page))

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(submission_page.url, data)
        second = client.post(submission_page.url, data)

    confirmation = submission_page.url + submission_page.reverse_subpage("confirmation")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == confirmation
    idea = Idea.objects.get()
    assert idea.reference in client.get(confirmation).content.decode()
    assert len(mail.outbox) == 1


def test_a_different_idea_sent_from_the_same_opened_form_is_not_lost(client, submission_page):
    token = fresh_token(client, submission_page)
    first = client.post(submission_page.url, valid_idea_data(form_token=token))
    # The browser's back button shows the same form, token and all; the person writes a new idea.
    second = client.post(
        submission_page.url, valid_idea_data(form_token=token, title="Lekplats vid skolan")
    )
    # One opened form is one idea: the new one comes back, kept, to be sent as a new idea.
    assert first.status_code == 302
    assert second.status_code == 200
    html = second.content.decode()
    assert "Lekplats vid skolan" in html
    third = client.post(
        submission_page.url,
        valid_idea_data(form_token=form_token(html), title="Lekplats vid skolan"),
    )
    assert third.status_code == 302
    titles = sorted(Idea.objects.values_list("title", flat=True))
    assert titles == ["Bänkar vid sjön", "Lekplats vid skolan"]


# Who must name an organisation ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["association", "business"])
@pytest.mark.parametrize("organisation", ["", "   "])
def test_associations_and_businesses_must_name_their_organisation(post_idea, kind, organisation):
    response = post_idea(submitter_kind=kind, organisation=organisation)
    assert response.status_code == 200
    html = response.content.decode()
    assert error_summary_links(html) == {"id_organisation"}
    assert_error_tied_to(html, "organisation")
    assert Idea.objects.count() == 0


@pytest.mark.parametrize("kind", ["resident", "employee", "other"])
def test_others_need_not_name_an_organisation(post_idea, kind):
    assert post_idea(submitter_kind=kind, organisation="").status_code == 302
    assert Idea.objects.get().submitter_kind == kind


@pytest.mark.parametrize("organisation", ["ö" * 300, "Föreningen\x00Sjön"], ids=["too long", "nul"])
def test_a_refused_organisation_name_gets_one_error_that_fits(post_idea, organisation):
    response = post_idea(submitter_kind="association", organisation=organisation)

    html = response.content.decode()
    assert_error_tied_to(html, "organisation")
    assert field_error(html, "organisation").count("sluss-visually-hidden") == 1
    assert escape(gettext("Enter the name of your association or business.")) not in html


# Status links that do not exist ---------------------------------------------------------

NONEXISTENT_TOKENS = {
    "short": "nope",
    "200 characters": "a" * 200,
    "sql": "'%20OR%20'1'='1",
    "markup": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "unicode": "%C3%A5%C3%A4%C3%B6%E2%80%AE",
    "broken utf-8": "%FF%FE",
    "percent": "100%25",
    "dots": "..",
    "nul": "abc%00def",
}
TOKEN_CASES = [pytest.param(token, id=name) for name, token in NONEXISTENT_TOKENS.items()]


@pytest.mark.parametrize("token", TOKEN_CASES)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_status_link_that_does_not_exist_is_not_found(prefix, token):
    client = Client(raise_request_exception=False)
    url = f"{prefix}/idesluss/status/{token}/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code in (404, 405)


def test_a_post_to_a_real_status_link_is_refused_and_changes_nothing(client):
    idea = IdeaFactory()
    response = client.post(idea.get_status_url(), {"stage": "implemented"})
    assert response.status_code == 405
    idea.refresh_from_db()
    assert idea.stage == "received"
