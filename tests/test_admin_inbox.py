"""The inbox in the Wagtail admin: listing, filters, search, exports, and an idea's own page.

Who may see what is tested across every URL in ``test_permission_matrix.py``;
the actions on an idea in ``test_admin_actions.py``.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sluss_wagtail import actions, process
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea, IdeaEvent, SustainableDevelopmentGoal
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_admin_user,
    create_ideas_in_bulk,
    create_reviewer,
    grant,
)

pytestmark = pytest.mark.django_db

INDEX_URL = inbox_path()


def listed_references(response):
    return [idea.reference for idea in response.context["object_list"]]


# The listing


def test_the_inbox_lists_ideas_with_their_columns(coordinator_client, reviewed_units):
    idea = IdeaFactory(title="Bänkar vid sjön", unit=reviewed_units[0])
    Idea.objects.filter(pk=idea.pk).update(stage_changed_at=timezone.now() - timedelta(days=12))
    response = coordinator_client.get(INDEX_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert listed_references(response) == [idea.reference]
    row = html[html.index(f'data-object-pk="{idea.pk}"') :]
    row = row[: row.index("</tr>")]
    for text in (idea.reference, "Bänkar vid sjön", "Inkommen", "Parkförvaltningen", "Invånare"):
        assert text in row
    assert re.search(r'<td class="field-challenge[^"]*">—</td>', row)
    assert '<td class="field-days_in_stage title">12</td>' in row
    assert idea_admin_path(idea) in row


def test_the_inbox_is_in_the_admin_menu(coordinator_client):
    response = coordinator_client.get(reverse("wagtailadmin_home"))
    assert INDEX_URL in response.content.decode()


def test_the_inbox_filters_by_stage_unit_kind_tag_goal_and_confidentiality(
    coordinator_client, coordinator_user, reviewed_units
):
    park, school = reviewed_units
    received = IdeaFactory(unit=park)
    screening = IdeaFactory(unit=school, submitter_kind="employee")
    process.move_idea(screening, process.SCREENING, user=coordinator_user)
    screening.tags.add("trygghet")
    screening.sdgs.add(SustainableDevelopmentGoal.objects.get(number=11))
    received.confidential = True
    received.save()

    def listed(query):
        return listed_references(coordinator_client.get(INDEX_URL + query))

    assert listed("?stage__exact=screening") == [screening.reference]
    assert listed(f"?unit__id__exact={park.pk}") == [received.reference]
    assert listed("?submitter_kind__exact=employee") == [screening.reference]
    assert listed("?tag=trygghet") == [screening.reference]
    assert listed("?sdg=11") == [screening.reference]
    assert listed("?confidential__exact=1") == [received.reference]


def test_the_tag_filter_offers_only_the_tags_of_ideas_the_user_may_see(client, reviewed_units):
    park, school = reviewed_units
    IdeaFactory(unit=park).tags.add("parkbänkar")
    IdeaFactory(unit=school).tags.add("skolgårdar")
    client.force_login(create_reviewer(park, username="granskare_park"))
    html = client.get(INDEX_URL).content.decode()
    assert "?tag=parkb" in html and ">parkbänkar</a>" in html
    assert "skolgårdar" not in html


@pytest.mark.parametrize("query", ["0042", "sjön", "Sjön", "promenad", "vila"])
def test_the_inbox_searches_reference_title_and_text(coordinator_client, query):
    idea = IdeaFactory(
        title="Bänkar vid sjön",
        description="Fler bänkar längs promenadstråket.",
        need="Äldre behöver vila.",
    )
    Idea.objects.filter(pk=idea.pk).update(reference="IDE-2026-0042")
    IdeaFactory(title="Något helt annat", description="Annat.", need="Annat.")
    response = coordinator_client.get(INDEX_URL, {"q": query})
    assert listed_references(response) == ["IDE-2026-0042"]


def test_the_inbox_orders_by_days_in_stage(coordinator_client):
    old, new = IdeaFactory(), IdeaFactory()
    Idea.objects.filter(pk=old.pk).update(stage_changed_at=timezone.now() - timedelta(days=30))
    column = 8  # select, reference, title, stage, unit, challenge, kind, received, days
    response = coordinator_client.get(INDEX_URL, {"o": f"-{column}"})
    assert listed_references(response) == [old.reference, new.reference]
    response = coordinator_client.get(INDEX_URL, {"o": f"{column}"})
    assert listed_references(response) == [new.reference, old.reference]


# The inbox's query budgets (listing, filters, search, exports): tests/test_query_budgets.py.


# Exports


def export(client, export_format, query=""):
    response = client.get(f"{INDEX_URL}?export={export_format}{query}")
    assert response.status_code == 200
    if export_format == "csv":
        text = b"".join(response.streaming_content).decode()
        return list(csv.reader(io.StringIO(text)))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [
        ["" if value is None else value for value in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]


@pytest.fixture
def exported_ideas(coordinator_user, reviewed_units):
    park, school = reviewed_units
    open_idea = IdeaFactory(
        title="Bänkar vid sjön",
        unit=park,
        contact={"name": "Karin Lund", "email": "karin@exempelby.invalid", "phone": "0302-1"},
    )
    open_idea.tags.set(["bänkar", "äldre"])
    open_idea.sdgs.add(SustainableDevelopmentGoal.objects.get(number=3))
    secret = IdeaFactory(
        title="Skyddat boende",
        description="Hemlig beskrivning",
        need="Hemligt behov",
        unit=park,
        contact={"name": "Nils Berg", "email": "nils@exempelby.invalid"},
    )
    actions.set_confidential(secret, True, user=coordinator_user)
    other_unit = IdeaFactory(title="Skolgården", unit=school)
    return open_idea, secret, other_unit


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_coordinator_exports_every_idea_with_contact_details(
    coordinator_client, exported_ideas, export_format
):
    open_idea, secret, other_unit = exported_ideas
    rows = export(coordinator_client, export_format)
    heading, *ideas = rows
    assert heading[:3] == ["Ärendenummer", "Rubrik", "Steg"]
    assert heading[-4:] == ["Namn", "E-post", "Telefon", "Organisation"]
    by_reference = {row[0]: dict(zip(heading, row, strict=True)) for row in ideas}
    assert set(by_reference) == {open_idea.reference, secret.reference, other_unit.reference}
    row = by_reference[open_idea.reference]
    assert row["Rubrik"] == "Bänkar vid sjön"
    assert row["Steg"] == "Inkommen"
    assert row["Enhet"] == "Parkförvaltningen"
    assert row["Taggar"] == "bänkar, äldre"
    assert "3." in row["Globala mål"]
    assert row["E-post"] == "karin@exempelby.invalid"
    assert row["Telefon"] == "0302-1"
    # A coordinator_user sees every idea, so even a confidential idea's text.
    assert by_reference[secret.reference]["Idén"] == "Hemlig beskrivning"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_reviewer_exports_only_the_units_ideas_without_personal_data(
    client, reviewed_units, exported_ideas, export_format
):
    open_idea, secret, other_unit = exported_ideas
    client.force_login(create_reviewer(reviewed_units[0], username="granskare_park"))
    rows = export(client, export_format)
    heading, *ideas = rows
    assert "E-post" not in heading and "Namn" not in heading
    assert sorted(row[0] for row in ideas) == sorted([open_idea.reference, secret.reference])
    content = repr(rows)
    for personal in ("Karin Lund", "karin@exempelby.invalid", "Nils Berg", "0302-1"):
        assert personal not in content
    # The confidential idea's text is masked for whoever may not see every idea.
    assert "Hemlig beskrivning" not in content and "Hemligt behov" not in content
    by_reference = {row[0]: dict(zip(heading, row, strict=True)) for row in ideas}
    assert by_reference[open_idea.reference]["Idén"] == open_idea.description


def test_a_reviewer_with_the_personal_data_permission_exports_contact_details(
    client, reviewed_units, exported_ideas
):
    client.force_login(
        create_reviewer(
            reviewed_units[0], "sluss_wagtail.view_ideacontact", username="granskare_park"
        )
    )
    heading, *ideas = export(client, "csv")
    assert heading[-4:] == ["Namn", "E-post", "Telefon", "Organisation"]
    assert "karin@exempelby.invalid" in repr(ideas)
    assert "Skolgården" not in repr(ideas)


def test_the_export_has_the_filtered_and_searched_rows_of_every_page(
    coordinator_client, reviewed_units
):
    create_ideas_in_bulk(60, unit=reviewed_units[0])
    create_ideas_in_bulk(5, unit=reviewed_units[1])
    assert len(export(coordinator_client, "csv", f"&unit__id__exact={reviewed_units[0].pk}")) == 61
    wanted = IdeaFactory(title="Cykelställ vid stationen")
    rows = export(coordinator_client, "xlsx", "&q=cykelställ")
    assert [row[0] for row in rows[1:]] == [wanted.reference]


def test_the_csv_export_does_not_let_a_spreadsheet_run_an_idea_as_a_formula(coordinator_client):
    IdeaFactory(title='=HYPERLINK("https://evil.invalid","klicka")')
    heading, row = export(coordinator_client, "csv")
    assert row[1] == '\'=HYPERLINK("https://evil.invalid","klicka")'


# An idea's own page


@pytest.fixture
def idea_with_history(coordinator_user, reviewed_units):
    submitter = UserFactory(username="karin", first_name="Karin", last_name="Lund")
    idea = IdeaFactory(
        title="Bänkar vid sjön",
        unit=reviewed_units[0],
        submitted_by=submitter,
        contact={"name": "Karin Lund", "email": "karin@exempelby.invalid", "phone": "0302-1"},
    )
    idea.tags.set(["bänkar"])
    idea.sdgs.add(SustainableDevelopmentGoal.objects.get(number=3))
    process.move_idea(
        idea,
        process.SCREENING,
        user=coordinator_user,
        public_note="Tack, vi bedömer idén.",
        internal_note="Kolla med parkchefen.",
    )
    actions.correct_idea(idea, user=coordinator_user, title="Bänkar runt sjön")
    return idea


def test_an_ideas_page_shows_the_idea_and_its_history_oldest_first(
    coordinator_client, idea_with_history
):
    idea = idea_with_history
    response = coordinator_client.get(idea_admin_path(idea))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (idea.reference, "Bänkar runt sjön", idea.description, idea.need):
        assert text in html
    for text in ("Parkförvaltningen", "bänkar", "3. God hälsa och välbefinnande"):
        assert text in html
    events = response.context["events"]
    assert [event.kind for event in events] == ["submitted", "moved", "corrected"]
    timeline = html[html.index('class="sluss-admin-timeline"') :]
    assert timeline.index("Tack, vi bedömer idén.") < timeline.index("Bänkar vid sjön")
    assert "Kolla med parkchefen." in timeline
    assert "Inkommen → Bedömning" in timeline
    # The correction keeps the original beside the new text.
    assert "Bänkar vid sjön" in timeline and "Bänkar runt sjön" in timeline
    assert "Ingrid Andersson" in timeline  # the coordinator_user who acted


def test_an_ideas_page_shows_changes_that_have_no_before_and_after(
    coordinator_client, coordinator_user
):
    idea = IdeaFactory()
    actions.record(
        idea,
        IdeaEvent.Kind.CORRECTED,
        user=coordinator_user,
        changes={"page": {"id": 7, "title": "Bänkar i stadsparken"}, "source_page": "Import"},
    )
    response = coordinator_client.get(idea_admin_path(idea))
    rows = response.context["events"][-1].change_rows
    assert rows[0] == {"label": "Page", "details": "7, Bänkar i stadsparken"}
    assert rows[1]["details"] == "Import"
    assert "Bänkar i stadsparken" in response.content.decode()


def test_an_ideas_page_shows_contact_details_to_those_who_may_see_them(
    coordinator_client, idea_with_history
):
    html = coordinator_client.get(idea_admin_path(idea_with_history)).content.decode()
    for text in ("Karin Lund", "karin@exempelby.invalid", "0302-1", "karin"):
        assert text in html


def test_an_ideas_page_shows_a_reviewer_no_personal_data(client, reviewed_units, idea_with_history):
    client.force_login(create_reviewer(reviewed_units[0], username="granskare_park"))
    response = client.get(idea_admin_path(idea_with_history))
    assert response.status_code == 200
    html = response.content.decode()
    for personal in ("Karin", "Lund", "karin@exempelby.invalid", "0302-1"):
        assert personal not in html
    # The submitting account would name the idea giver in the history too.
    assert response.context["events"][0].kind == IdeaEvent.Kind.SUBMITTED
    assert "Karin" not in str(response.context["events"][0].who)


def test_an_ideas_page_links_duplicates_and_their_original(coordinator_client, coordinator_user):
    original, duplicate = IdeaFactory(), IdeaFactory()
    actions.mark_duplicate(duplicate, original, user=coordinator_user)
    html = coordinator_client.get(idea_admin_path(original)).content.decode()
    assert f'href="{idea_admin_path(duplicate)}"' in html
    html = coordinator_client.get(idea_admin_path(duplicate)).content.decode()
    assert f'href="{idea_admin_path(original)}"' in html


def test_a_reviewer_sees_the_reference_of_another_units_original_without_a_link(
    client, coordinator_user, reviewed_units
):
    original, duplicate = IdeaFactory(unit=reviewed_units[1]), IdeaFactory(unit=reviewed_units[0])
    actions.mark_duplicate(duplicate, original, user=coordinator_user)
    client.force_login(create_reviewer(reviewed_units[0], username="granskare_park"))
    html = client.get(idea_admin_path(duplicate)).content.decode()
    assert original.reference in html
    assert idea_admin_path(original) not in html
    assert original.title not in html


def test_an_ideas_move_form_offers_only_the_allowed_stages(coordinator_client, idea_with_history):
    url = idea_admin_path(idea_with_history, "move")
    response = coordinator_client.get(url)
    move_form = response.context["form"]
    offered = [key for key, label in move_form.fields["to_stage"].choices]
    assert offered == process.allowed_targets(process.SCREENING)
    assert process.RECEIVED not in offered


def test_an_ideas_page_has_labelled_forms_for_every_action(
    client, coordinator_user, idea_with_history
):
    # The coordinators' role may also see (and so mark) confidential ideas.
    client.force_login(grant(coordinator_user, "sluss_wagtail.view_confidential_idea"))
    # The idea's page has every action in its menu; each action is a labelled form on a
    # page of its own.
    html = client.get(idea_admin_path(idea_with_history)).content.decode()
    actions = (
        "move", "assign_unit", "mark_duplicate", "confidential", "tags", "correct",
        "add_pilot", "pilot_result", "decide_pilot", "promote",
    )  # fmt: skip
    legends = 0
    for action in actions:
        url = idea_admin_path(idea_with_history, action)
        assert f'href="{url}"' in html
        action_html = client.get(url).content.decode()
        assert f'action="{url}"' in action_html
        legends += action_html.count("<legend>")
    assert legends == len(actions)
    html = client.get(idea_admin_path(idea_with_history, "move"))
    html = html.content.decode()
    assert 'for="id_move-to_stage"' in html and 'id="id_move-to_stage"' in html


def test_an_ideas_page_without_actions_for_a_reader(client, reviewed_units, idea_with_history):
    reader = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_idea",
        groups=[reviewed_units[0].reviewer_group],
        username="lasare",
    )
    client.force_login(reader)
    response = client.get(idea_admin_path(idea_with_history))
    assert response.status_code == 200
    assert "action_forms" not in response.context and "action_menu" not in response.context
    assert '<form id="sluss-action-' not in response.content.decode()
    assert 'class="sluss-admin-menu"' not in response.content.decode()
    move_url = idea_admin_path(idea_with_history, "move")
    assert client.get(move_url).status_code in (302, 403)


# An idea's page's query budget: tests/test_query_budgets.py.


def test_one_helper_names_the_ideas_admin_page_and_wagtails_finder_agrees(coordinator_user):
    """``links.idea_admin_path`` is the idea's page in the admin, for code, templates
    (``{% idea_admin_path %}``) and Wagtail's admin URL finder alike."""
    from django.template import Context, Template
    from wagtail.admin.admin_url_finder import AdminURLFinder

    idea = IdeaFactory()
    path = idea_admin_path(idea)
    assert path == f"{inbox_path()}inspect/{idea.pk}/"
    assert idea_admin_path(idea.pk) == path
    assert AdminURLFinder(coordinator_user).get_edit_url(idea) == path
    template = Template(
        '{% load sluss_wagtail_tags %}{% idea_admin_path idea %} {% idea_admin_path idea "move" %}'
    )
    assert template.render(Context({"idea": idea})) == f"{path} {idea_admin_path(idea, 'move')}"
