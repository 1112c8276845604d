"""Assessment by criteria and decisions in the admin: the coordinator asks, the assessor
assesses the idea de-identified, the idea's page sums it up, the inbox sorts and
filters by it, and a council's decision moves the idea."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from sluss_wagtail import assessing, process
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Assessment, AssessmentRequest, Decision
from sluss_wagtail.models.assessment import criteria_for
from tests.factories import (
    IdeaFactory,
    create_assessor,
    create_coordinator,
    create_criteria,
    create_reviewed_unit,
    create_reviewer,
)

pytestmark = pytest.mark.django_db

GIVER = {"name": "Signe Sarskildsson", "email": "signe@privat.invalid", "phone": "0709-876543"}
DUE = (timezone.localdate() + timedelta(days=14)).isoformat()
WAITING_URL = reverse("sluss_wagtail_assessments")
INDEX_URL = inbox_path()


def action_url(name, idea):
    return idea_admin_path(idea, name)


def assess_url(request):
    return reverse("sluss_wagtail_assess", args=[request.pk])


@pytest.fixture
def world(db):
    criteria = create_criteria(specs=(("Nytta", 2), ("Kostnad", 1)))
    unit = create_reviewed_unit("Parkförvaltningen")
    idea = IdeaFactory(
        title="Signes bänkar",
        description="Jag heter Signe Sarskildsson och vill ha bänkar i parken.",
        unit=unit,
        contact=GIVER,
    )
    return {
        "criteria": criteria,
        "unit": unit,
        "idea": idea,
        "coordinator": create_coordinator(),
        "assessor": create_assessor(email="bedomare@exempelby.invalid"),
        "second": create_assessor(username="bedomare2", email="bedomare2@exempelby.invalid"),
        "reviewer": create_reviewer(unit, username="granskare"),
    }


def ask(world, *assessors):
    return assessing.request_assessments(
        world["idea"],
        assessors or [world["assessor"]],
        user=world["coordinator"],
        due_on=timezone.localdate() + timedelta(days=7),
    )


def scores_data(criteria, *scores, comment="Bra idé."):
    data = {}
    for criterion, score in zip(criteria, scores, strict=True):
        data[f"score_{criterion.pk}"] = str(score)
        data[f"comment_{criterion.pk}"] = comment
    return data


def assert_no_giver(text):
    for value in (*GIVER.values(), "Signe", "Sarskildsson"):
        assert value not in text, value


# ---- asking --------------------------------------------------------------------------------


def test_a_coordinator_asks_two_assessors_who_are_told_by_e_mail(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["coordinator"])
    idea = world["idea"]
    page = client.get(action_url("request_assessment", idea))
    assert page.status_code == 200
    assert "bedomare2" in page.content.decode() or "Ingrid" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url("request_assessment", idea),
            {
                "request_assessment-assessors": [world["assessor"].pk, world["second"].pk],
                "request_assessment-due_on": DUE,
            },
        )
    assert response.status_code == 302
    assert AssessmentRequest.objects.filter(idea=idea).count() == 2
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["bedomare2@exempelby.invalid", "bedomare@exempelby.invalid"]
    for message in mail.outbox:
        assert_no_giver(message.body)
        assert_no_giver(message.alternatives[0][0])


@pytest.mark.parametrize(
    "data, field",
    [
        ({"request_assessment-due_on": DUE}, "assessors"),
        ({"request_assessment-assessors": ["999999"], "request_assessment-due_on": DUE}, None),
        ({"request_assessment-assessors": ["x' OR 1=1"], "request_assessment-due_on": DUE}, None),
        ({"request_assessment-due_on": "2001-01-01"}, "due_on"),
        ({"request_assessment-due_on": "<script>alert(1)</script>"}, "due_on"),
    ],
)
def test_a_bad_request_for_assessments_saves_nothing(client, world, data, field):
    client.force_login(world["coordinator"])
    data = {"request_assessment-assessors": [world["assessor"].pk], **data}
    if field == "assessors":
        data.pop("request_assessment-assessors")
    response = client.post(action_url("request_assessment", world["idea"]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was changed" in html or "Inget ändrades" in html
    assert "<script>alert(1)</script>" not in html
    assert not AssessmentRequest.objects.exists()


def test_a_non_assessor_cannot_be_asked_through_the_form(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        action_url("request_assessment", world["idea"]),
        {"request_assessment-assessors": [world["reviewer"].pk], "request_assessment-due_on": DUE},
    )
    assert response.status_code == 200
    assert not AssessmentRequest.objects.exists()


# ---- assessing -----------------------------------------------------------------------------


def test_the_assessor_finds_what_waits_and_assesses_it_de_identified(client, world):
    (request,) = ask(world)
    client.force_login(world["assessor"])
    waiting = client.get(WAITING_URL)
    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert world["idea"].reference in html
    assert_no_giver(html)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert world["idea"].reference in home
    assert_no_giver(home)
    form = client.get(assess_url(request))
    assert form.status_code == 200
    html = form.content.decode()
    assert "bänkar i parken" in html and "Nytta" in html
    assert_no_giver(html)
    response = client.post(assess_url(request), scores_data(world["criteria"], 4, 2))
    assert response.status_code == 302 and response["Location"] == WAITING_URL
    assessment = Assessment.objects.get()
    assert assessment.assessor == world["assessor"]
    assert sorted(s.score for s in assessment.scores.all()) == [2, 4]
    assert not list(assessing.waiting_for(world["assessor"]))


def test_a_second_assessment_supersedes_the_first_through_the_form(client, world):
    (request,) = ask(world)
    client.force_login(world["assessor"])
    client.post(assess_url(request), scores_data(world["criteria"], 1, 1))
    again = client.get(assess_url(request)).content.decode()
    assert "supersedes" in again or "ersätter" in again
    client.post(assess_url(request), scores_data(world["criteria"], 5, 5))
    assert Assessment.objects.count() == 2
    assert Assessment.objects.current().get().weighted_total == Decimal("100.00")


def test_a_conflict_of_interest_instead_of_scores(client, world):
    (request,) = ask(world)
    client.force_login(world["assessor"])
    response = client.post(
        assess_url(request), {"conflict": "on", "conflict_note": "Jag känner idégivaren."}
    )
    assert response.status_code == 302
    assert Assessment.objects.get().conflict_of_interest


@pytest.mark.parametrize(
    "make_data",
    [
        lambda criteria: {},
        lambda criteria: scores_data(criteria, 4, 9),
        lambda criteria: scores_data(criteria, 4, -1),
        lambda criteria: scores_data(criteria, "<script>alert(1)</script>", 2),
        lambda criteria: scores_data(criteria, 4, 2, comment="x" * 2001),
        lambda criteria: {"conflict": "on", "conflict_note": ""},
        lambda criteria: {"conflict": "on", "conflict_note": "x" * 2001},
        lambda criteria: {**scores_data(criteria, 4, 2), f"score_{criteria[0].pk}": "4\x00"},
    ],
)
def test_hostile_input_on_the_assessment_form_saves_nothing(client, world, make_data):
    (request,) = ask(world)
    client.force_login(world["assessor"])
    response = client.post(assess_url(request), make_data(world["criteria"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html or "Inget sparades" in html
    assert "<script>alert(1)</script>" not in html
    assert 'class="error-message"' in html
    assert not Assessment.objects.exists()


def test_a_comment_is_shown_escaped_on_the_ideas_page(client, world):
    (request,) = ask(world)
    client.force_login(world["assessor"])
    client.post(
        assess_url(request),
        scores_data(world["criteria"], 4, 2, comment='<img src=x onerror="alert(1)">'),
    )
    client.force_login(world["coordinator"])
    page = client.get(idea_admin_path(world["idea"]))
    html = page.content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x" in html


def test_another_assessors_request_is_a_404(client, world):
    (request,) = ask(world)
    client.force_login(world["second"])
    assert client.get(assess_url(request)).status_code == 404
    assert client.post(assess_url(request), scores_data(world["criteria"], 3, 3)).status_code == 404
    assert not Assessment.objects.exists()


def test_the_unit_reviewer_never_sees_the_assessment_form(client, world):
    (request,) = ask(world)
    client.force_login(world["reviewer"])
    assert client.get(assess_url(request))["Location"] == reverse("wagtailadmin_home")
    assert client.get(WAITING_URL)["Location"] == reverse("wagtailadmin_home")


# ---- the summary, the inbox ----------------------------------------------------------------


def assessed(world):
    first, second = ask(world, world["assessor"], world["second"])
    criteria = criteria_for(world["idea"])
    assessing.submit_assessment(
        first,
        user=world["assessor"],
        scores={criteria[0].pk: 5, criteria[1].pk: 3},
        comments={criteria[0].pk: "Stor nytta för äldre."},
    )
    assessing.submit_assessment(
        second, user=world["second"], scores={criteria[0].pk: 3, criteria[1].pk: 1}
    )


def test_the_ideas_page_sums_the_assessments_up(client, world):
    assessed(world)
    client.force_login(world["coordinator"])
    page = client.get(idea_admin_path(world["idea"]))
    html = page.content.decode()
    assert "sluss-panel-assessment" in html
    assert "Stor nytta för äldre." in html
    assert "5, 3" in html  # Nytta's scores
    assert "58.33" in html or "58,33" in html  # (83.33 + 33.33) / 2


def test_a_unit_reviewer_sees_no_assessment_panel(client, world):
    assessed(world)
    client.force_login(world["reviewer"])
    page = client.get(idea_admin_path(world["idea"]))
    assert page.status_code == 200
    assert "sluss-panel-assessment" not in page.content.decode()
    assert "Stor nytta för äldre." not in page.content.decode()


def test_the_inbox_filters_waiting_for_assessment_and_sorts_by_the_weighted_total(client, world):
    other = IdeaFactory(title="Fler soptunnor")
    low = IdeaFactory(title="Lägre betyg")
    assessed(world)
    (request,) = assessing.request_assessments(
        low, [world["assessor"]], user=world["coordinator"], due_on=timezone.localdate()
    )
    client.force_login(world["coordinator"])
    waiting = client.get(INDEX_URL, {"assessment": "waiting"}).content.decode()
    assert low.title in waiting
    assert other.title not in waiting and world["idea"].title not in waiting
    criteria = criteria_for(low)
    assessing.submit_assessment(
        request, user=world["assessor"], scores={criteria[0].pk: 1, criteria[1].pk: 1}
    )
    columns = (
        client.get(INDEX_URL)
        .context["view"]
        .model_admin.get_list_display(client.get(INDEX_URL).wsgi_request)
    )
    position = columns.index("weighted_total")
    html = client.get(INDEX_URL, {"o": f"-{position}"}).content.decode()
    assert html.index(world["idea"].title) < html.index(low.title)
    html = client.get(INDEX_URL, {"o": f"{position}"}).content.decode()
    assert html.index(low.title) < html.index(world["idea"].title)
    assessed_only = client.get(INDEX_URL, {"assessment": "assessed"}).content.decode()
    assert other.title not in assessed_only and low.title in assessed_only


# ---- decisions -----------------------------------------------------------------------------


def decision_data(**overrides):
    data = {
        "decide-kind": "test",
        "decide-decided_on": timezone.localdate().isoformat(),
        "decide-body": "Idérådet",
        "decide-present": "Anna Berg, Per Holm",
        "decide-reasons": "Idérådet beviljar pengar för ett test i en park.",
        "decide-internal_note": "",
        "decide-amount_granted": "25000",
        "decide-funding_source": "Innovationsfonden",
        "decide-destination": "",
    }
    data.update({f"decide-{key}": value for key, value in overrides.items()})
    return data


def test_a_council_decision_through_the_decision_page(client, world):
    idea = world["idea"]
    process.move_idea(idea, process.SCREENING, user=world["coordinator"])
    client.force_login(world["coordinator"])
    page = client.get(action_url("decide", idea))
    assert page.status_code == 200
    response = client.post(action_url("decide", idea), decision_data())
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.amount_granted == Decimal("25000") and decision.body == "Idérådet"
    idea.refresh_from_db()
    assert idea.stage == process.PILOT
    status = client.get(idea.get_status_url()).content.decode()
    assert "Idérådet beviljar pengar" in status


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "launch"},
        {"kind": "test", "reasons": ""},
        {"present": ""},
        {"amount_granted": "-5"},
        {"amount_granted": "1e400"},
        {"amount_granted": "<script>alert(1)</script>"},
        {"kind": "develop"},  # money granted for something other than a test
        {"funding_source": ""},
        {"decided_on": "2999-01-01"},
        {"decided_on": "igår"},
        {"kind": "forward", "amount_granted": "", "funding_source": ""},  # no destination
        {"reasons": "x" * 10_001},
    ],
)
def test_hostile_input_on_the_decision_form_saves_nothing(client, world, overrides):
    idea = world["idea"]
    process.move_idea(idea, process.SCREENING, user=world["coordinator"])
    client.force_login(world["coordinator"])
    response = client.post(action_url("decide", idea), decision_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was changed" in html or "Inget ändrades" in html
    assert "<script>alert(1)</script>" not in html
    assert not Decision.objects.exists()
    idea.refresh_from_db()
    assert idea.stage == process.SCREENING


def test_errors_are_clear_and_in_the_admins_language(client, world):
    """The admin speaks Swedish here (``LANGUAGE_CODE``): each error is the translated
    message of the field that is wrong, not a generic one."""
    client.force_login(world["coordinator"])
    response = client.post(action_url("decide", world["idea"]), decision_data(present=""))
    html = response.content.decode()
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = str(_("Name those present when a body decided."))
    assert escape(expected) in html
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "assessor"])
def test_only_coordinators_ask_and_decide(client, world, who):
    client.force_login(world[who])
    for name, data in (
        ("decide", decision_data()),
        (
            "request_assessment",
            {
                "request_assessment-assessors": [world["assessor"].pk],
                "request_assessment-due_on": DUE,
            },
        ),
    ):
        response = client.post(action_url(name, world["idea"]), data)
        assert response.status_code in (302, 404)
        assert response.get("Location", "") != idea_admin_path(world["idea"])
    assert not Decision.objects.exists() and not AssessmentRequest.objects.exists()


# ---- the criteria in the admin -------------------------------------------------------------

CRITERIA_INDEX = reverse("sluss_wagtail_criterion_modeladmin_index")
CRITERIA_CREATE = reverse("sluss_wagtail_criterion_modeladmin_create")


def criterion_data(**overrides):
    return {
        "name": "Trygghet",
        "question": "Hur ökar idén tryggheten?",
        "scale": "Inte alls\nLite\nMycket",
        "weight": "1.5",
        "order": "7",
        **overrides,
    }


def test_a_coordinator_configures_the_sluices_criteria(client, world):
    from sluss_wagtail.models import Criterion

    client.force_login(world["coordinator"])
    assert client.get(CRITERIA_INDEX).status_code == 200
    response = client.post(CRITERIA_CREATE, criterion_data())
    assert response.status_code == 302
    made = Criterion.objects.get(name="Trygghet")
    assert made.steps == 3 and made.sluice_id == world["idea"].sluice_id
    assert "Trygghet" in [c.name for c in criteria_for(world["idea"])]


@pytest.mark.parametrize(
    "overrides",
    [
        {"scale": "Bara ett"},
        {"scale": "\n".join(str(n) for n in range(11))},
        {"weight": "0"},
        {"weight": "-1"},
        {"weight": "1e9"},
        {"name": ""},
        {"name": "x" * 101},
    ],
)
def test_a_criterion_that_does_not_hold_is_refused(client, world, overrides):
    from sluss_wagtail.models import Criterion

    client.force_login(world["coordinator"])
    before = Criterion.objects.count()
    response = client.post(CRITERIA_CREATE, criterion_data(**overrides))
    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode()
    assert Criterion.objects.count() == before


@pytest.mark.parametrize("who", ["reviewer", "assessor"])
def test_only_coordinators_configure_criteria(client, world, who):
    from sluss_wagtail.models import Criterion

    client.force_login(world[who])
    home = reverse("wagtailadmin_home")
    assert client.get(CRITERIA_INDEX)["Location"] == home
    assert client.post(CRITERIA_CREATE, criterion_data())["Location"] == home
    edit = reverse("sluss_wagtail_criterion_modeladmin_edit", args=[world["criteria"][0].pk])
    assert client.post(edit, criterion_data())["Location"] == home
    assert not Criterion.objects.filter(name="Trygghet").exists()
