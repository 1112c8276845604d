"""The decisions and the money they granted in the innovation report and on the dashboard.

The figures come from ``stats.decision_figures`` (over ``stats.decisions_and_money`` and
``stats.money_granted_by``); the report shows them as sections, so its CSV and XLSX
exports carry them, within the reader's sluices and the report's filters.
"""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from sluss_wagtail import assessing, stats
from sluss_wagtail.caching import IDEAS
from sluss_wagtail.models import Sluice
from sluss_wagtail.models.assessment import DecisionKind
from tests.factories import (
    COORDINATOR_PERMISSIONS,
    IdeaFactory,
    OrganisationUnitFactory,
    create_admin_user,
    create_challenge,
    create_challenge_index,
    create_coordinator,
)

pytestmark = pytest.mark.django_db

DASHBOARD_URL = reverse("wagtailadmin_home")
REPORT_URL = reverse("sluss_wagtail_innovation_report")
SECTION = "Decisions and money granted"


def in_english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def this_year(month, day=1):
    """A day of this year no later than today (so a decision may be dated then)."""
    today = timezone.localdate()
    return min(date(today.year, month, day), today)


def decide(idea, kind=DecisionKind.TEST, amount=None, on=None):
    decider = create_coordinator(username="beslutare")
    return assessing.decide(
        idea,
        kind,
        user=decider,
        reasons="Idérådet beslutade.",
        amount_granted=None if amount is None else Decimal(amount),
        funding_source="Innovationsfonden" if amount is not None else "",
        decided_on=on,
    )


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def granted():
    """Two units, two challenges, grants in two months (January and this month), a
    decision to close without money, and a grant of last year (outside this year)."""
    today = timezone.localdate()
    january, now = this_year(1), today.replace(day=1)
    index = create_challenge_index()
    opens, closes = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=30)
    paths = create_challenge(index, title="Trygga skolvägar", opens_at=opens, closes_at=closes)
    parks = create_challenge(index, title="Levande parker", opens_at=opens, closes_at=closes)
    school = OrganisationUnitFactory(name="Skolförvaltningen")
    park = OrganisationUnitFactory(name="Parkförvaltningen")
    decide(IdeaFactory(unit=school, challenge=paths), amount=10000, on=january)
    decide(IdeaFactory(unit=school, challenge=parks), amount=2500, on=today)
    decide(IdeaFactory(unit=park, challenge=parks), amount=4000, on=today)
    decide(IdeaFactory(unit=park), DecisionKind.CLOSE, on=today)
    decide(IdeaFactory(unit=park), amount=99000, on=date(today.year - 1, 6, 1))
    return {"school": school, "park": park, "parks": parks, "months": (january, now)}


def test_the_figures_count_decisions_and_money_per_unit_challenge_and_month(granted, english):
    figures = stats.decision_figures(*stats.year_period())
    assert figures.by_kind == [("Test in small scale", 3), ("Close", 1)]
    assert figures.total == 4 and figures.grants == 3
    assert figures.granted == Decimal("16500")
    assert figures.by_unit == [
        ("Skolförvaltningen", Decimal("12500")),
        ("Parkförvaltningen", Decimal("4000")),
    ]
    assert figures.by_challenge == [
        ("Trygga skolvägar", Decimal("10000")),
        ("Levande parker", Decimal("6500")),
    ]
    january, now = granted["months"]
    if january == now:  # in January both grants fall in the same month
        assert [amount for _label, amount in figures.by_month] == [Decimal("16500")]
    else:
        assert [amount for _label, amount in figures.by_month] == [
            Decimal("10000"),
            Decimal("6500"),
        ]
    # Every year: last year's grant too.
    assert stats.decision_figures().granted == Decimal("115500")
    # The report's filters: a unit, a challenge.
    school = stats.decision_figures(*stats.year_period(), unit=granted["school"])
    assert school.total == 2 and school.by_challenge == [
        ("Trygga skolvägar", Decimal("10000")),
        ("Levande parker", Decimal("2500")),
    ]
    parks = stats.decision_figures(*stats.year_period(), challenge=granted["parks"])
    assert parks.by_unit == [
        ("Parkförvaltningen", Decimal("4000")),
        ("Skolförvaltningen", Decimal("2500")),
    ]
    # Without money nothing is per unit; a grant without a challenge is under its own label.
    closed = stats.decision_figures(*stats.year_period(), unit=granted["park"])
    assert closed.by_challenge == [("Levande parker", Decimal("4000"))]
    assert stats.decision_figures(unit=granted["park"]).by_challenge[0] == (
        "Not to a challenge",
        Decimal("99000"),
    )


def test_the_figures_of_an_empty_period_are_empty(english):
    figures = stats.decision_figures(date(2001, 1, 1), date(2001, 12, 31))
    assert figures.by_kind == [] and figures.total == 0 and figures.granted == 0
    assert figures.by_unit == [] and figures.by_challenge == [] and figures.by_month == []


def report_rows(client, query=None):
    response = client.get(REPORT_URL, {"export": "csv", **(query or {})})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def test_the_report_and_its_csv_show_the_decisions(client, granted):
    client.force_login(in_english(create_coordinator()))
    start = f"{timezone.localdate().year}-01-01"
    period = {"received_from": start, "received_to": str(timezone.localdate())}
    html = client.get(REPORT_URL, period).content.decode()
    assert f'<caption class="sluss-admin-report__caption">{SECTION}</caption>' in html
    assert re.search(r'<th scope="row">Test in small scale</th><td>3</td>', html)
    assert re.search(r'<th scope="row">Skolförvaltningen</th><td>12500', html)
    rows = report_rows(client, period)
    assert [SECTION, "Test in small scale", "3"] in rows
    assert [SECTION, "Close", "1"] in rows
    assert [SECTION, "Decisions in all", "4"] in rows
    assert [SECTION, "Tests granted money", "3"] in rows
    assert [SECTION, "Money granted (SEK)", "16500.00"] in rows
    assert ["Money granted per unit (SEK)", "Parkförvaltningen", "4000.00"] in rows
    assert ["Money granted per challenge (SEK)", "Trygga skolvägar", "10000.00"] in rows
    assert [row[0] for row in rows].count("Money granted per month (SEK)") >= 1
    # The spreadsheet too, the money as a number.
    response = client.get(REPORT_URL, {"export": "xlsx", **period})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [SECTION, "Money granted (SEK)", 16500] in cells
    # The unit filter narrows the decisions as it does every section.
    rows = report_rows(client, {**period, "unit": granted["park"].pk})
    assert [SECTION, "Decisions in all", "2"] in rows
    assert ["Money granted per unit (SEK)", "Skolförvaltningen", "2500.00"] not in rows
    # Without a period: every decision, last year's too.
    assert [SECTION, "Money granted (SEK)", "115500.00"] in report_rows(client)


def test_the_dashboard_tells_this_years_decisions_and_money(client, granted):
    client.force_login(in_english(create_coordinator()))
    html = client.get(DASHBOARD_URL).content.decode()
    year = timezone.localdate().year
    assert f"4 decisions in {year}, and 16,500 SEK granted for tests." in html


def test_the_dashboard_says_nothing_of_decisions_without_any(client):
    client.force_login(in_english(create_coordinator()))
    assert "sluss-admin-insight__decisions" not in client.get(DASHBOARD_URL).content.decode()


def test_a_coordinator_sees_only_the_decisions_of_their_sluice(client):
    lerum = Sluice.objects.default()
    alingsas = Sluice.objects.create(name="Alingsås", reference_format="ALI-{year}-{number:04d}")
    groups = {}
    for sluice in (lerum, alingsas):
        groups[sluice.pk] = Group.objects.create(name=f"Innovationsledare {sluice.name}")
        sluice.coordinator_groups.add(groups[sluice.pk])
    lerum_unit = OrganisationUnitFactory(name="Park Lerum", sluice=lerum)
    alingsas_unit = OrganisationUnitFactory(name="Park Alingsås", sluice=alingsas)
    today = timezone.localdate()
    decide(IdeaFactory(sluice=lerum, unit=lerum_unit), amount=1000, on=today)
    decide(IdeaFactory(sluice=alingsas, unit=alingsas_unit), amount=7000, on=today)
    decide(IdeaFactory(sluice=alingsas, unit=alingsas_unit), DecisionKind.PARK, on=today)

    assert stats.decision_figures(sluices=[alingsas]).granted == Decimal("7000")
    client.force_login(
        in_english(
            create_admin_user(*COORDINATOR_PERMISSIONS, groups=[groups[lerum.pk]], username="lerum")
        )
    )
    rows = report_rows(client)
    assert [SECTION, "Decisions in all", "1"] in rows
    assert [SECTION, "Money granted (SEK)", "1000.00"] in rows
    assert not [row for row in rows if "Alingsås" in row[1] or row[1] == "Park"]
    html = client.get(REPORT_URL).content.decode()
    assert "Park Alingsås" not in html and "7000" not in html
    assert (
        f"1 decision in {today.year}, and 1,000 SEK granted for tests."
        in client.get(DASHBOARD_URL).content.decode()
    )
    # A network coordinator sees both, and may choose one.
    client.force_login(
        in_english(
            create_admin_user(
                *COORDINATOR_PERMISSIONS, "sluss_wagtail.view_all_sluices", username="natverket"
            )
        )
    )
    assert [SECTION, "Decisions in all", "3"] in report_rows(client)
    assert [SECTION, "Decisions in all", "2"] in report_rows(client, {"sluice": alingsas.pk})
    assert (
        f"2 decisions in {today.year}, and 7,000 SEK granted for tests."
        in client.get(DASHBOARD_URL, {"sluice": alingsas.pk}).content.decode()
    )


def many_decisions(size):
    """``size`` decisions in ``size`` units and challenges, over two months."""
    index = create_challenge_index()
    opens, closes = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=30)
    today = timezone.localdate()
    for n in range(size):
        challenge = create_challenge(
            index, title=f"Utmaning {n}", slug=f"utmaning-{n}", opens_at=opens, closes_at=closes
        )
        idea = IdeaFactory(unit=OrganisationUnitFactory(name=f"Enhet {n}"), challenge=challenge)
        decide(idea, amount=1000 + n, on=this_year(1) if n % 2 else today)


# The report's sections of decisions: the kinds and the money (one query), and the money
# per unit, challenge and month (one each): four queries when the figures are counted
# again, none while they are in the cache. The dashboard's line: one query.
REPORT_QUERIES = 11
REPORT_FIGURES_QUERIES = 11
DASHBOARD_QUERIES = 20  # with "Waiting for me" (tests/test_insight_admin.py)
DASHBOARD_FIGURES_QUERIES = 10


@pytest.mark.parametrize("size", [2, 12])
def test_the_decisions_take_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    many_decisions(size)
    client.force_login(in_english(create_coordinator()))
    for url, cached, counted in (
        (REPORT_URL, REPORT_QUERIES, REPORT_FIGURES_QUERIES),
        (DASHBOARD_URL, DASHBOARD_QUERIES, DASHBOARD_FIGURES_QUERIES),
    ):
        client.get(url)  # the first visit makes the site's settings
        IDEAS.bump()
        with django_assert_num_queries(cached + counted):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_num_queries(cached):
            client.get(url)
    assert [SECTION, "Decisions in all", str(size)] in report_rows(client)
