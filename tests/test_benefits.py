"""Benefits realisation: expected benefits, follow-ups (a missed one shows), closing with
lessons, the implementation plan; in the admin, in e-mail, and in public (never for a
confidential idea)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from sluss_wagtail import benefits, notifications
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import (
    Benefit,
    BenefitFollowUp,
    IdeaEvent,
    ImplementationStep,
    Sluice,
)
from sluss_wagtail.models.benefits import FollowUpState, add_months, chart_rows
from sluss_wagtail.models.sluices import parse_follow_up_months
from tests import xss_vectors
from tests.factories import (
    IdeaFactory,
    create_admin_user,
    create_benefit,
    create_coordinator,
    create_innovation,
    create_showcase_index,
    plant_live_confidential_innovation,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def owner():
    return create_admin_user(
        "wagtailadmin.access_admin", username="nyttoagare", email="agare@exempelby.invalid"
    )


@pytest.fixture
def idea():
    return IdeaFactory(stage="implemented", title="Digitala lås")


# The models ----------------------------------------------------------------------------------


def test_follow_ups_are_planned_at_the_sluices_months(idea, owner):
    sluice = idea.sluice
    sluice.benefit_follow_up_months = "3, 9, 12"
    sluice.save()
    benefit = Benefit(
        idea=idea,
        kind="hours",
        title="Färre nyckelturer",
        expected=400,
        owner=owner,
        starts_on=datetime.date(2026, 1, 31),
    )
    benefits.record_benefit(benefit, user=owner)
    assert [f.due_on for f in benefit.follow_ups.all()] == [
        datetime.date(2026, 4, 30),
        datetime.date(2026, 10, 31),
        datetime.date(2027, 1, 31),
    ]
    # The unit of measure the kind suggests; the history says so.
    assert benefit.unit_of_measure
    assert idea.events.filter(kind=IdeaEvent.Kind.BENEFIT).count() == 1


def test_the_default_is_six_and_twelve_months(idea):
    assert Sluice.objects.get(pk=idea.sluice_id).get_follow_up_months() == [6, 12]


@pytest.mark.parametrize("value", ["", "sex", "0", "6, 500", "6;12", "-6"])
def test_follow_up_months_must_be_whole_months(value):
    sluice = Sluice(name="Grannby", benefit_follow_up_months=value)
    with pytest.raises(ValidationError):
        sluice.full_clean()


def test_months_parse_in_order_each_once():
    assert parse_follow_up_months("12, 6, 6") == [6, 12]
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)


def test_a_follow_up_not_done_in_time_is_missed_and_one_done_late_says_so(idea, owner):
    benefit = create_benefit(idea, owner=owner, starts_on=TODAY - datetime.timedelta(days=300))
    six, twelve = benefit.follow_ups.all()
    assert six.state() == FollowUpState.MISSED
    assert twelve.state() == FollowUpState.UPCOMING
    assert twelve.state(twelve.due_on) == FollowUpState.DUE
    benefits.record_follow_up(six, user=owner, measured_value=Decimal("120"))
    assert six.state() == FollowUpState.DONE_LATE
    benefit.refresh_from_db()
    assert benefit.realised == Decimal("120")
    assert benefit.realised_on == six.due_on


def test_a_benefit_closes_with_its_lessons(idea, owner):
    benefit = create_benefit(idea, owner=owner, follow_ups_done={0: 380})
    with pytest.raises(ValidationError):
        benefits.close_benefit(benefit, "realised", user=owner, lessons="  ")
    benefits.close_benefit(benefit, "partly", user=owner, lessons="Nycklarna kom tillbaka.")
    benefit.refresh_from_db()
    assert benefit.status == "partly" and benefit.closed_at
    # A closed benefit is no longer due.
    assert not BenefitFollowUp.objects.due(TODAY + datetime.timedelta(days=400)).exists()


def test_the_share_realised_counts_from_the_baseline(idea):
    benefit = create_benefit(idea, baseline=100, expected=300, follow_ups_done={0: 200})
    assert benefit.share_realised == pytest.approx(0.5)
    (row,) = chart_rows([benefit])
    assert row["expected_length"] == 100 and row["realised_length"] == pytest.approx(66.7)
    assert row["percent"] == 50


def test_a_step_cannot_end_before_it_starts(idea):
    step = ImplementationStep(
        idea=idea,
        title="Enhet A",
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError):
        benefits.save_step(step, user=None)


# The admin ------------------------------------------------------------------------------------


def action_url(idea, action):
    return idea_admin_path(idea, action)


def test_a_coordinator_records_a_benefit_and_plans_steps(client, idea, owner):
    coordinator = create_coordinator()
    client.force_login(coordinator)
    response = client.post(
        action_url(idea, "add_benefit"),
        {
            "add_benefit-kind": "money",
            "add_benefit-title": "Lägre kostnad för nycklar",
            "add_benefit-unit_of_measure": "kr per år",
            "add_benefit-baseline": "90000",
            "add_benefit-expected": "30000",
            "add_benefit-for_whom": "Hemtjänsten",
            "add_benefit-starts_on": TODAY.isoformat(),
            "add_benefit-owner": owner.pk,
            "add_benefit-months": "6, 12",
        },
    )
    assert response.status_code == 302
    benefit = Benefit.objects.get(idea=idea)
    assert benefit.owner == owner and benefit.follow_ups.count() == 2
    for title in ("Enhet A", "Enhet B"):
        client.post(
            action_url(idea, "plan_step"),
            {"plan_step-title": title, "plan_step-status": "planned"},
        )
    step = idea.implementation_steps.get(title="Enhet A")
    client.post(
        action_url(idea, "plan_step"),
        {"plan_step-step": step.pk, "plan_step-status": "done"},
    )
    step.refresh_from_db()
    assert step.status == "done" and step.title == "Enhet A"
    page = client.get(idea_admin_path(idea))
    text = page.content.decode()
    assert "Lägre kostnad för nycklar" in text and "Enhet B" in text


def test_the_idea_page_shows_a_missed_follow_up(client, idea, owner):
    create_benefit(idea, owner=owner, starts_on=TODAY - datetime.timedelta(days=300))
    client.force_login(create_coordinator())
    text = client.get(idea_admin_path(idea)).content
    assert b"sluss-follow-up--missed" in text


def test_the_owner_sees_follow_ups_due_on_the_dashboard_and_records_one(client, idea, owner):
    benefit = create_benefit(idea, owner=owner)
    client.force_login(owner)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "sluss-follow-ups-due" in home and benefit.title in home
    follow_up = benefit.follow_ups.first()
    url = reverse("sluss_wagtail_benefit_follow_up", args=[follow_up.pk])
    response = client.post(
        url, {"measured_value": "390", "how_measured": "Tidrapporter", "comment": "Bra"}
    )
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert benefit.realised == Decimal("390")
    # Recorded once: a second post changes nothing.
    client.post(url, {"measured_value": "1", "how_measured": "Gissning"})
    benefit.refresh_from_db()
    assert benefit.realised == Decimal("390")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "sluss-follow-ups-due" not in home


# Hostile input on the benefit and follow-up forms


@pytest.mark.parametrize("vector", xss_vectors.XSS_VECTORS[:12])
def test_markup_in_a_benefit_and_a_follow_up_is_shown_as_text(client, idea, owner, vector):
    client.force_login(create_coordinator())
    client.post(
        action_url(idea, "add_benefit"),
        {
            "add_benefit-kind": "other",
            "add_benefit-title": vector[:200],
            "add_benefit-unit_of_measure": vector[:60],
            "add_benefit-expected": "10",
            "add_benefit-for_whom": vector[:200],
            "add_benefit-starts_on": (TODAY - datetime.timedelta(days=200)).isoformat(),
            "add_benefit-owner": owner.pk,
            "add_benefit-months": "6",
        },
    )
    benefit = Benefit.objects.get(idea=idea)
    follow_up = benefit.follow_ups.get()
    client.force_login(owner)
    client.post(
        reverse("sluss_wagtail_benefit_follow_up", args=[follow_up.pk]),
        {"measured_value": "5", "how_measured": vector, "comment": vector},
    )
    client.force_login(create_coordinator(username="samordnare2"))
    page = client.get(idea_admin_path(idea))
    xss_vectors.assert_no_live_vector(page.content.decode())
    showcase = create_showcase_index()
    innovation = create_innovation(showcase, idea=idea)
    xss_vectors.assert_no_live_vector(client.get(innovation.url).content.decode())


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("measured_value", "tolv", "measured_value"),
        ("measured_value", "1" * 20, "measured_value"),
        ("how_measured", "x" * 2001, "how_measured"),
        ("how_measured", "Tid\x00rapporter", "how_measured"),
        ("comment", "\x00", "comment"),
        ("how_measured", "", "how_measured"),
    ],
)
def test_a_bad_follow_up_is_a_form_error_and_nothing_is_recorded(
    client, idea, owner, field, value, error_field
):
    benefit = create_benefit(idea, owner=owner)
    follow_up = benefit.follow_ups.first()
    client.force_login(owner)
    data = {"measured_value": "5", "how_measured": "Tidrapporter", "comment": ""}
    data[field] = value
    response = client.post(reverse("sluss_wagtail_benefit_follow_up", args=[follow_up.pk]), data)
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    follow_up.refresh_from_db()
    assert follow_up.recorded_at is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("add_benefit-kind", "lots"),
        ("add_benefit-expected", "1e400"),
        ("add_benefit-title", "a\x00b"),
        ("add_benefit-title", "x" * 201),
        ("add_benefit-owner", "999999"),
        ("add_benefit-months", "6, 9999"),
        ("add_benefit-starts_on", "2026-02-30"),
    ],
)
def test_a_bad_benefit_is_a_form_error_and_nothing_is_saved(client, idea, owner, field, value):
    client.force_login(create_coordinator())
    data = {
        "add_benefit-kind": "hours",
        "add_benefit-title": "Färre nyckelturer",
        "add_benefit-expected": "400",
        "add_benefit-starts_on": TODAY.isoformat(),
        "add_benefit-owner": owner.pk,
        "add_benefit-months": "6, 12",
        field: value,
    }
    response = client.post(action_url(idea, "add_benefit"), data)
    assert response.status_code == 200
    assert not Benefit.objects.exists()


# The reminder -------------------------------------------------------------------------------


def test_the_owner_is_reminded_once_of_a_follow_up_that_has_come(idea, owner):
    create_benefit(idea, owner=owner)
    mail.outbox.clear()
    sent = notifications.send_follow_up_reminders()
    assert [message.to for message in sent] == [[owner.email]]
    assert "Färre timmar med pappersblanketter" in sent[0].body
    follow_up = BenefitFollowUp.objects.get(benefit__idea=idea, due_on__lte=TODAY)
    assert reverse("sluss_wagtail_benefit_follow_up", args=[follow_up.pk]) in sent[0].body
    assert notifications.send_follow_up_reminders() == []


def test_no_reminder_before_the_date_or_without_an_owner(idea, owner):
    create_benefit(idea, owner=owner, starts_on=TODAY)
    create_benefit(idea, owner=None)
    assert notifications.send_follow_up_reminders() == []
    later = timezone.now() + datetime.timedelta(days=190)
    assert len(notifications.send_follow_up_reminders(now=later)) == 1


# In public ----------------------------------------------------------------------------------


def test_the_innovation_page_shows_realised_against_expected_and_the_plan(client, idea):
    create_benefit(idea, follow_ups_done={0: 380})
    create_benefit(idea, kind="co2e", title="Mindre bilkörning", expected=3, baseline=None)
    ImplementationStep.objects.create(idea=idea, title="Utrullning till enhet A", status="done")
    page = create_innovation(create_showcase_index(), idea=idea)
    text = client.get(page.url).content.decode()
    assert "sluss-benefit__chart" in text and 'aria-hidden="true"' in text
    assert "Färre timmar med pappersblanketter" in text and "380" in text
    assert "Mindre bilkörning" in text
    assert "Utrullning till enhet A" in text


def test_the_status_page_shows_the_implementation_plan(client, idea):
    ImplementationStep.objects.create(idea=idea, title="Utrullning till enhet B")
    text = client.get(idea.get_status_url()).content.decode()
    assert "Utrullning till enhet B" in text


def test_a_confidential_ideas_benefits_never_appear(client):
    showcase = create_showcase_index()
    page = plant_live_confidential_innovation(showcase)
    create_benefit(page.idea, title="Hemlig nytta", kind="money")
    assert client.get(page.url).status_code == 404
    listing = client.get(showcase.url + "?benefit=money").content.decode()
    assert "Hemlig nytta" not in listing and page.title not in listing


def test_the_showcase_filters_by_kind_of_benefit(client):
    showcase = create_showcase_index()
    with_money = create_innovation(
        showcase, title="Pengar sparade", idea=IdeaFactory(stage="implemented")
    )
    create_benefit(with_money.idea, kind="money")
    create_innovation(showcase, title="Utan nytta")
    listed = client.get(showcase.url + "?benefit=money").content.decode()
    assert "Pengar sparade" in listed and "Utan nytta" not in listed
    assert "1 expected benefit" in listed or "1 förväntad nytta" in listed
    everything = client.get(showcase.url + "?benefit=nonsense").content.decode()
    assert "Utan nytta" in everything


# Statistics -------------------------------------------------------------------------------


def test_realised_benefits_are_summed_per_year_unit_and_kind_each_unit_of_measure_apart():
    from sluss_wagtail import stats
    from tests.factories import OrganisationUnitFactory

    unit = OrganisationUnitFactory(name="Hemtjänsten")
    ideas = [IdeaFactory(stage="implemented", unit=unit) for _ in range(3)]
    create_benefit(ideas[0], follow_ups_done={0: 100})
    create_benefit(ideas[1], follow_ups_done={0: 50})
    create_benefit(ideas[2], unit_of_measure="kr per år", follow_ups_done={0: 7})
    create_benefit(ideas[2], title="Inte mätt än")
    rows = stats.realised_benefits()
    assert [(r.unit, r.kind, r.unit_of_measure, r.count, r.realised) for r in rows] == [
        ("Hemtjänsten", "hours", "kr per år", 1, 7),
        ("Hemtjänsten", "hours", "timmar per år", 2, 150),
    ]
    other_sluice = Sluice.objects.create(name="Grannby")
    assert stats.realised_benefits(sluices=other_sluice) == []


def test_the_share_of_follow_ups_done_on_time(idea, owner):
    from sluss_wagtail import stats

    # Two past their time: one done on time, one missed; one not due yet.
    on_time = create_benefit(idea, owner=owner, months=[6, 12], follow_ups_done={0: 10})
    missed = create_benefit(
        idea, owner=owner, months=[6], starts_on=TODAY - datetime.timedelta(days=300)
    )
    assert on_time.follow_ups.count() == 2 and missed.follow_ups.count() == 1
    timeliness = stats.follow_ups_on_time()
    assert (timeliness.due, timeliness.on_time) == (2, 1)
    assert timeliness.share == 0.5


def test_the_report_and_its_export_show_the_benefits(client, idea, owner):
    create_benefit(idea, owner=owner, follow_ups_done={0: 380})
    client.force_login(create_coordinator())
    url = reverse("sluss_wagtail_innovation_report")
    html = client.get(url).content.decode()
    assert escape(gettext("Realised benefits per year, unit and kind")) in html
    assert "380" in html
    export = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode()
    assert gettext("Share done on time (%)") in export


def test_a_coordinator_follows_up_and_closes_a_benefit_on_the_ideas_page(client, idea, owner):
    benefit = create_benefit(idea, owner=owner)
    follow_up = benefit.follow_ups.first()
    client.force_login(create_coordinator())
    response = client.post(
        action_url(idea, "follow_up"),
        {
            "follow_up-follow_up": follow_up.pk,
            "follow_up-measured_value": "410",
            "follow_up-how_measured": "Tidrapporter",
        },
    )
    assert response.status_code == 302
    response = client.post(
        action_url(idea, "close_benefit"),
        {
            "close_benefit-benefit": benefit.pk,
            "close_benefit-status": "realised",
            "close_benefit-lessons": "Det gick bättre än väntat.",
        },
    )
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert (benefit.realised, benefit.status) == (Decimal("410"), "realised")
    # Nothing left to close or follow up: the forms say so.
    page = client.get(action_url(idea, "close_benefit")).content.decode()
    assert escape(gettext("The idea has no benefit being followed up.")) in page
