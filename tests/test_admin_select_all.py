"""The inbox's column of checkboxes has a "select all" in its header, as Wagtail's listings
do: hidden in the markup (the script shows it and makes it work; tests/browser proves
that), and only for those who may act on ideas in bulk."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from tests.factories import IdeaFactory, create_coordinator, create_reviewed_unit, create_reviewer

pytestmark = pytest.mark.django_db

INBOX_URL = reverse("sluss_wagtail_idea_modeladmin_index")


def test_the_header_of_the_checkboxes_selects_all(client):
    IdeaFactory(title="Bänkar vid sjön")
    client.force_login(create_coordinator())
    html = client.get(INBOX_URL).content.decode()
    start = html.index("<thead>")
    head = html[start : html.index("</thead>", start)]
    assert 'id="sluss-select-all"' in head
    assert 'aria-label="{}"'.format(gettext("Select all ideas on this page")) in head
    assert "hidden" in head[head.index('id="sluss-select-all"') :].split(">")[0]
    # The header is markup, not escaped text.
    assert "&lt;input" not in html


def test_no_select_all_without_bulk_actions(client):
    unit = create_reviewed_unit("Parkförvaltningen")
    IdeaFactory(title="Bänkar vid sjön", unit=unit)
    reviewer = create_reviewer(unit, username="granskare")
    reviewer.user_permissions.remove(*reviewer.user_permissions.filter(codename="change_idea"))
    client.force_login(reviewer)
    html = client.get(INBOX_URL).content.decode()
    assert "Bänkar vid sjön" in html
    assert "sluss-select-all" not in html
