"""Every XSS vector of the corpus, in every field a person fills, on every view that shows it.

The public pages and the receipt are covered in ``test_hostile_input.py`` (through the
form); here the views staff use: the inbox listing, an idea's own page, the e-mail to
the coordinators and the CSV and XLSX exports. Whatever an idea giver typed is shown
as text, never run, and a spreadsheet never runs it as a formula.
"""

import csv
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils.html import escape
from openpyxl import load_workbook

from sluss_wagtail import notifications
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import SlussSettings
from tests.factories import IdeaFactory, create_coordinator
from tests.xss_vectors import XSS_VECTORS, assert_no_live_vector, assert_shown_as_text

# How stored text is escaped does not depend on the database engine (the vectors hold no
# character an engine stores differently: test_the_vectors_are_stored_alike_by_every_engine),
# so the PostgreSQL run leaves these out (`once`); what it stores differently (NUL bytes,
# search syntax) is in test_hostile_input and test_search_input, which run on both.
pytestmark = [pytest.mark.django_db, pytest.mark.once]

INDEX_URL = inbox_path()
FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture
def coordinator_client(client):
    cache.clear()
    client.force_login(create_coordinator())
    return client


def hostile_idea(vector):
    return IdeaFactory(
        title=vector,
        description=vector,
        need=vector,
        beneficiaries=vector,
        contact={"name": vector, "organisation": vector, "email": "karin@exempelby.invalid"},
    )


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_an_ideas_own_page_in_the_admin_shows_every_field_as_text(coordinator_client, vector):
    idea = hostile_idea(vector)
    response = coordinator_client.get(idea_admin_path(idea))
    assert response.status_code == 200
    html = response.content.decode()
    assert_shown_as_text(html, vector)
    # Title, idea, need, who benefits, name and organisation: each one as text.
    assert html.count(escape(vector)) >= 5


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_the_e_mail_to_the_coordinators_shows_the_idea_as_text(submission_page, vector):
    SlussSettings.objects.update_or_create(
        site=submission_page.get_site(),
        defaults={"coordinator_emails": "ingrid@exempelby.invalid"},
    )
    idea = hostile_idea(vector)
    mail.outbox.clear()
    notifications.send_new_idea_to_coordinators(idea)
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert_shown_as_text(html, vector)
    assert vector in message.body  # plain text: as typed
    assert "\n" not in message.subject and "\r" not in message.subject


def test_the_inbox_lists_every_vector_as_text(coordinator_client):
    for vector in XSS_VECTORS:
        hostile_idea(vector)
    html = "".join(
        coordinator_client.get(INDEX_URL, {"p": page}).content.decode() for page in (1, 2)
    )
    assert_no_live_vector(html)
    for vector in XSS_VECTORS:
        assert_shown_as_text(html, vector)


def read_export(client, export_format):
    response = client.get(INDEX_URL, {"export": export_format})
    assert response.status_code == 200
    assert "html" not in response["Content-Type"]
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return list(csv.reader(io.StringIO(content.decode())))
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            # Text cells only: nothing an idea giver wrote becomes a formula.
            assert cell.data_type != "f", f"a formula in {cell.coordinate}: {cell.value!r}"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_exports_hold_every_vector_as_inert_text(coordinator_client, export_format):
    for vector in XSS_VECTORS:
        hostile_idea(vector)
    heading, *rows = read_export(coordinator_client, export_format)
    titles = {row[heading.index("Rubrik")] for row in rows}
    for vector in XSS_VECTORS:
        if vector.startswith(FORMULA_STARTS):
            # A spreadsheet would run it: the CSV quotes it, the XLSX stores it as text.
            assert ("'" + vector in titles) if export_format == "csv" else (vector in titles)
        else:
            assert vector in titles


def test_the_vectors_are_stored_alike_by_every_engine():
    """These modules run on SQLite only (``once``): what makes that safe is that no vector
    holds what PostgreSQL stores otherwise than SQLite. A NUL byte (PostgreSQL refuses it),
    a lone surrogate (no encoding has it), or a text longer than a column (PostgreSQL
    refuses it, SQLite keeps it): hostile input of that kind goes in test_hostile_input."""
    from sluss_wagtail.models import Adoption

    # The shortest column a vector is written into, with the field's name after it.
    shortest = Adoption._meta.get_field("municipality").max_length - len(" municipality")
    for vector in XSS_VECTORS:
        assert "\x00" not in vector, vector
        assert not any(0xD800 <= ord(character) <= 0xDFFF for character in vector), vector
        assert len(vector) <= shortest, vector
