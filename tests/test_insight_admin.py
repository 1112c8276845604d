"""Insight in the admin: the dashboard panel, the innovation report and the register export.

Only coordinators see them; the figures themselves are tested in ``test_stats.py``.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sluss_wagtail import process, stats
from sluss_wagtail.caching import IDEAS
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import Idea
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_admin_user,
    create_coordinator,
    create_ideas_in_bulk,
    create_reviewed_unit,
    create_reviewer,
)

pytestmark = pytest.mark.django_db

DASHBOARD_URL = reverse("wagtailadmin_home")
REPORT_URL = reverse("sluss_wagtail_innovation_report")
REGISTER_URL = reverse("sluss_wagtail_register_export")
HOME_URL = DASHBOARD_URL
REPORT_HEADINGS = ["Section", "Figure", "Value"]
REGISTER_HEADINGS = ["Date received", "Reference number", "Title", "Direction", "Kind of sender"]


def in_english(user):
    """The admin in English for ``user``: the tests read the package's source strings."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def coordinator_client(client):
    client.force_login(in_english(create_coordinator()))
    return client


def late_idea(**fields):
    """An idea received 30 days ago that has had no feedback."""
    idea = IdeaFactory(**fields)
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=30))
    return idea


def panel(html):
    match = re.search(
        r'id="sluss-insight-section".*?id="sluss-insight-years".*?</table>', html, re.S
    )
    return match and match.group(0)


# ---- who sees what --------------------------------------------------------------------------


def other_roles():
    unit = create_reviewed_unit("Parken")
    return {
        "reviewer": create_reviewer(unit, username="granskare"),
        "moderator": create_admin_user("wagtailadmin.access_admin", username="moderator"),
        "editor": create_admin_user(
            "wagtailadmin.access_admin", "wagtailcore.add_page", username="redaktor"
        ),
    }


def test_only_coordinators_see_the_panel_and_the_reports(client):
    for name, user in other_roles().items():
        client.force_login(user)
        dashboard = client.get(DASHBOARD_URL).content.decode()
        assert 'id="sluss-insight-section"' not in dashboard, name
        assert REPORT_URL not in dashboard, name
        for url in (
            REPORT_URL,
            REGISTER_URL,
            REPORT_URL + "?export=csv",
            REGISTER_URL + "?export=xlsx",
        ):
            response = client.get(url)
            # Wagtail's admin sends a user who may not do something back to the dashboard.
            assert (response.status_code, response.get("Location")) == (302, HOME_URL), (name, url)
    client.force_login(in_english(create_coordinator()))
    dashboard = client.get(DASHBOARD_URL).content.decode()
    assert 'id="sluss-insight-section"' in dashboard
    assert REPORT_URL in dashboard and REGISTER_URL in dashboard  # the reports menu
    assert client.get(REPORT_URL).status_code == 200
    assert client.get(REGISTER_URL).status_code == 200


def test_someone_logged_out_is_sent_to_the_login(client):
    response = client.get(REPORT_URL)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


# ---- the dashboard panel --------------------------------------------------------------------


def test_the_panel_draws_the_funnel_with_a_title_and_a_table(coordinator_client):
    staff = UserFactory(username="koordinator")
    for _n in range(3):
        IdeaFactory()
    moved = IdeaFactory()
    process.move_idea(moved, "screening", user=staff, public_note="Vi tittar på den.")
    html = panel(coordinator_client.get(DASHBOARD_URL).content.decode())
    svg = re.search(r'<svg class="sluss-admin-chart__svg".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg
    labelledby = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for ident in labelledby:
        assert f'id="{ident}"' in svg
    assert re.search(r"<title id=\"[^\"]+\">\S", svg)
    assert "style=" not in html
    table = re.search(r"<table class=\"listing sluss-admin-chart__table\">.*?</table>", html, re.S)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>', table.group(0))
    assert rows[:3] == [("Received", "4"), ("Screening", "1"), ("Development", "0")]


def test_the_panel_links_the_ideas_waiting_past_the_promise(coordinator_client):
    late = late_idea(title="Väntar länge")
    IdeaFactory(title="Alldeles ny")
    html = panel(coordinator_client.get(DASHBOARD_URL).content.decode())
    inspect = idea_admin_path(late)
    assert f'<a href="{inspect}">{late.reference} Väntar länge</a>' in html
    assert "Alldeles ny" not in html
    assert "30 days" in html


def test_the_panel_compares_this_year_with_last_year(coordinator_client):
    IdeaFactory()
    old = IdeaFactory()
    year = timezone.localdate().year
    Idea.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=year - 1))
    stats.retally(old.pk)  # update() sends no signals
    html = panel(coordinator_client.get(DASHBOARD_URL).content.decode())
    assert f'<th scope="col">{year}</th>' in html
    assert re.search(r'<th scope="row">Ideas received</th><td>1</td><td>1</td>', html)


@pytest.mark.parametrize("number_of_ideas", [5, 200])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    coordinator_client, django_assert_num_queries, number_of_ideas
):
    ideas = create_ideas_in_bulk(number_of_ideas, stage="screening")
    Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    stats.recount()  # bulk_create and update() send no signals
    coordinator_client.get(DASHBOARD_URL)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = coordinator_client.get(DASHBOARD_URL)
    assert response.content.decode().count("sluss-admin-list") == 1
    IDEAS.bump()  # as any change of an idea does: the figures are counted again
    with django_assert_num_queries(DASHBOARD_QUERIES + DASHBOARD_FIGURES_QUERIES):
        coordinator_client.get(DASHBOARD_URL)


# The dashboard of a coordinator with Wagtail's own panels, and the insight panel: the
# ideas waiting (and how many) and this and last year's figures from the cache; after a
# change of the ideas the figures are counted again: this year's figures (3), last
# year's headline (2); the benefits realised and the follow-ups on time (2). "Waiting for
# me": the ideas the coordinator coaches (none here), the givers' answers not yet read and
# the follow-ups due of the user's benefits: one more each.
DASHBOARD_QUERIES = 20
# (And this year's decisions and the money they granted, counted again: +1.)
DASHBOARD_FIGURES_QUERIES = 8


# ---- the innovation report ------------------------------------------------------------------


def report_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_report_shows_every_figure_and_filters_by_unit(coordinator_client):
    north, south = create_reviewed_unit("Norr"), create_reviewed_unit("Söder")
    IdeaFactory(unit=north)
    IdeaFactory(unit=north)
    IdeaFactory(unit=south)
    html = coordinator_client.get(REPORT_URL).content.decode()
    assert re.search(r'<th scope="row">Ideas received</th><td>3</td>', html)
    assert 'role="img"' in html
    html = coordinator_client.get(REPORT_URL, {"unit": north.pk}).content.decode()
    assert re.search(r'<th scope="row">Ideas received</th><td>2</td>', html)


def test_the_report_filters_by_period(coordinator_client):
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=400))
    IdeaFactory()
    today = timezone.localdate()
    response = coordinator_client.get(
        REPORT_URL,
        {
            "received_from": (today - timedelta(days=10)).isoformat(),
            "received_to": today.isoformat(),
            "export": "csv",
        },
    )
    rows = report_rows(b"".join(response.streaming_content))
    assert ["Ideas", "Ideas received", "1"] in rows


def test_the_report_exports_as_csv_and_xlsx(coordinator_client):
    IdeaFactory(title='=HYPERLINK("https://exempel.invalid")')
    response = coordinator_client.get(REPORT_URL, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = report_rows(b"".join(response.streaming_content))
    assert rows[0] == REPORT_HEADINGS
    assert ["Ideas", "Ideas received", "1"] in rows
    assert ["Ideas that reached each step", "Screening", "0"] in rows
    response = coordinator_client.get(REPORT_URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == REPORT_HEADINGS
    assert ["Ideas", "Ideas received", 1] in values


# ---- the register export --------------------------------------------------------------------


def test_the_register_lists_ideas_as_incoming_documents(coordinator_client):
    first = IdeaFactory(title="Bänkar vid sjön", submitter_kind="association")
    response = coordinator_client.get(REGISTER_URL, {"export": "csv"})
    rows = report_rows(b"".join(response.streaming_content))
    assert rows[0] == REGISTER_HEADINGS
    assert rows[1] == [
        timezone.localdate(first.created_at).isoformat(),
        first.reference,
        "Bänkar vid sjön",
        "Incoming",
        "Association",
    ]
    response = coordinator_client.get(REGISTER_URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == REGISTER_HEADINGS
    assert values[1][1:] == [first.reference, "Bänkar vid sjön", "Incoming", "Association"]


def test_the_register_masks_confidential_titles_without_the_permission(client):
    IdeaFactory(title="Hemlig idé om skolan", confidential=True)
    client.force_login(in_english(create_coordinator()))
    html = client.get(REGISTER_URL).content.decode()
    assert "Hemlig idé om skolan" not in html
    assert "(confidential)" in html
    csv_rows = report_rows(b"".join(client.get(REGISTER_URL, {"export": "csv"}).streaming_content))
    assert csv_rows[1][2] == "(confidential)"

    allowed = create_coordinator(username="registrator")
    from tests.factories import get_permissions

    allowed.user_permissions.add(*get_permissions("sluss_wagtail.view_confidential_idea"))
    client.force_login(allowed)
    assert "Hemlig idé om skolan" in client.get(REGISTER_URL).content.decode()


def test_the_register_export_does_not_let_a_title_run_as_a_formula(coordinator_client):
    IdeaFactory(title="=1+2")
    response = coordinator_client.get(REGISTER_URL, {"export": "csv"})
    rows = report_rows(b"".join(response.streaming_content))
    assert rows[1][2] == "'=1+2"
    response = coordinator_client.get(REGISTER_URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = list(sheet.iter_rows())[1][2]
    assert cell.data_type == "s" and cell.value == "=1+2"


@pytest.mark.parametrize("number_of_ideas", [5, 200])
def test_the_reports_run_a_fixed_number_of_queries(
    coordinator_client, django_assert_num_queries, number_of_ideas
):
    create_ideas_in_bulk(number_of_ideas)
    stats.recount()  # bulk_create sends no signals
    for url, expected, exported in (
        (REPORT_URL, REPORT_QUERIES, REPORT_EXPORT_QUERIES),
        (REGISTER_URL, REGISTER_QUERIES, REGISTER_EXPORT_QUERIES),
    ):
        coordinator_client.get(url)
        with django_assert_num_queries(expected):
            assert coordinator_client.get(url).status_code == 200
        with django_assert_num_queries(exported):
            response = coordinator_client.get(url, {"export": "csv"})
            assert len(list(response.streaming_content)) > 1
    IDEAS.bump()  # as any change of an idea does: the figures are counted again
    with django_assert_num_queries(REPORT_QUERIES + REPORT_FIGURES_QUERIES):
        assert coordinator_client.get(REPORT_URL).status_code == 200


# Measured, and the same at 5 and 200 ideas. The report: the session, the user, the
# permissions and profile, Wagtail's menu, the filters' choices, and the figures from the
# cache; its export leaves out the menu and the choices. After a change of the ideas the
# figures are counted again (stats.compute: three queries here). The
# register: the same people, menu and choices, the count and a page of ideas; its export
# the people and all the ideas in one query.
REPORT_QUERIES = 11
# (And benefits realisation: the benefits realised and the follow-ups on time, +2.)
# (And the decisions: the kinds and the money, the money per unit, challenge and month, +4.)
REPORT_FIGURES_QUERIES = 9
REPORT_EXPORT_QUERIES = 5
REGISTER_QUERIES = 13
REGISTER_EXPORT_QUERIES = 6


def test_the_report_of_an_empty_period_says_so(coordinator_client):
    html = coordinator_client.get(
        REPORT_URL, {"received_from": "2001-01-01", "received_to": "2001-12-31"}
    ).content.decode()
    assert re.search(r'<th scope="row">Ideas received</th><td>0</td>', html)
    goals = re.search(r"<caption[^>]*>Global goals</caption>.*?</table>", html, re.S).group(0)
    assert "None in this period." in goals
    lead_times = re.search(r"<caption[^>]*>Lead times.*?</table>", html, re.S).group(0)
    assert "<td>—</td>" in lead_times
