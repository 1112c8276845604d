"""Benefits beyond the municipality: in the feeds and the API, brought over by the import, and
reported by an adoption ("we use this too") itself."""

import json

import pytest

from sluss_wagtail import importing
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import AdoptionStatus, Benefit
from tests import xss_vectors
from tests.conftest import form_token
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_benefit,
    create_innovation,
    create_showcase_index,
    plant_live_confidential_innovation,
    valid_adoption_data,
)
from tests.test_import import a_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def showcases(db):
    ours = create_showcase_index(title="Genomförda innovationer", slug="genomforda")
    theirs = create_showcase_index(title="Andra kommuners innovationer", slug="andra")
    return ours, theirs


def json_feed(client, showcase, query=""):
    response = client.get(showcase.url + showcase.reverse_subpage("json_feed") + query)
    return json.loads(response.content)


def an_innovation_with_benefits(showcase):
    idea = IdeaFactory(stage="implemented")
    owner = UserFactory(username="nyttoagare", first_name="Ingrid", last_name="Nyttoägare")
    owner_name = "Nyttoägare"
    create_benefit(idea, owner=owner, follow_ups_done={0: 380})
    create_benefit(idea, kind="co2e", title="Mindre bilkörning", expected=3, baseline=None)
    return create_innovation(showcase, title="Digitala lås", idea=idea), owner_name


def test_the_feed_and_the_api_carry_realised_against_expected(client, showcases):
    ours, _theirs = showcases
    page, owner_name = an_innovation_with_benefits(ours)
    feed = json_feed(client, ours)
    [item] = feed["items"]
    hours, co2e = item["_sluss"]["benefits"]
    assert hours["kind"] == "hours" and hours["expected"] == 400 and hours["realised"] == 380
    assert co2e["realised"] is None and co2e["baseline"] is None
    assert owner_name not in json.dumps(feed)
    api = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert api["sluss"]["benefits"] == item["_sluss"]["benefits"]


def test_a_confidential_ideas_benefits_are_in_no_feed(client, showcases):
    ours, _theirs = showcases
    page = plant_live_confidential_innovation(ours)
    create_benefit(page.idea, title="Hemlig nytta")
    assert "Hemlig nytta" not in json.dumps(json_feed(client, ours))
    assert "Hemlig nytta" not in json.dumps(json_feed(client, ours, "?benefit=hours"))


def test_the_import_brings_the_benefits_over(client, showcases):
    ours, theirs = showcases
    an_innovation_with_benefits(ours)
    feed = importing.parse_feed(
        client.get(ours.url + ours.reverse_subpage("json_feed")).content,
        source="https://www.alingsas.invalid/feed/json/",
    )
    [change] = importing.run_import(feed, theirs)
    copied = Benefit.objects.filter(innovation=change.page).order_by("pk")
    assert [(b.kind, b.expected, b.realised) for b in copied] == [
        ("hours", 400, 380),
        ("co2e", 3, None),
    ]
    # An import again replaces them: nothing doubles.
    importing.run_import(feed, theirs)
    assert Benefit.objects.filter(innovation=change.page).count() == 2
    # Once published, the copy shows them as its own.
    change.page.refresh_from_db()
    change.page.save_revision().publish()
    text = client.get(change.page.url).content.decode()
    assert "Färre timmar med pappersblanketter" in text and "380" in text


@pytest.mark.parametrize(
    "benefit",
    [
        "nytta",
        {"kind": "magic", "title": "x", "unit_of_measure": "h", "expected": 1},
        {"kind": "hours", "title": "", "unit_of_measure": "h", "expected": 1},
        {"kind": "hours", "title": "x", "unit_of_measure": "h", "expected": "1"},
        {"kind": "hours", "title": "x", "unit_of_measure": "h", "expected": True},
        {"kind": "hours", "title": "x", "unit_of_measure": "h", "expected": 1e300},
        {"kind": "hours", "title": "x", "unit_of_measure": "h", "expected": 1, "status": "ok"},
        {"kind": "hours", "title": "x\x00", "unit_of_measure": "h", "expected": 1},
        {"kind": "hours", "title": "x", "unit_of_measure": "h" * 61, "expected": 1},
    ],
)
def test_a_bad_benefit_in_a_feed_is_refused_with_a_clear_error(benefit):
    data = json.dumps(a_feed(sluss_benefits=[benefit])).encode()
    with pytest.raises(importing.FeedError) as error:
        importing.parse_feed(data)
    assert "Innovation 1" in str(error.value)


# An adoption reports its own benefit


@pytest.fixture
def innovation(db):
    return create_innovation(create_showcase_index(), title="Digitala lås")


def adopt(client, page, **overrides):
    url = page.url + page.reverse_subpage("adopt")
    token = form_token(client.get(url).content.decode())
    return client.post(url, valid_adoption_data(form_token=token, **overrides))


def test_an_adoption_reports_its_benefit_shown_once_confirmed(client, innovation, settings):
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
    response = adopt(
        client, innovation, benefit_kind="hours", benefit_value="120", benefit_unit="timmar"
    )
    assert response.status_code == 302
    benefit = Benefit.objects.get()
    assert benefit.realised == 120 and benefit.status == "realised"
    assert "timmar" not in client.get(innovation.url).content.decode()
    benefit.adoption.status = AdoptionStatus.CONFIRMED
    benefit.adoption.save()
    text = client.get(innovation.url).content.decode()
    assert "120 timmar" in text and benefit.adoption.organisation in text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"benefit_kind": "hours"}, "benefit_value"),
        ({"benefit_value": "12"}, "benefit_kind"),
        ({"benefit_kind": "magic", "benefit_value": "12"}, "benefit_kind"),
        ({"benefit_kind": "hours", "benefit_value": "tolv"}, "benefit_value"),
        ({"benefit_kind": "hours", "benefit_value": "1" * 30}, "benefit_value"),
        ({"benefit_kind": "hours", "benefit_value": "1", "benefit_unit": "h\x00"}, "benefit_unit"),
        ({"benefit_kind": "hours", "benefit_value": "1", "benefit_unit": "h" * 61}, "benefit_unit"),
    ],
)
def test_a_bad_reported_benefit_is_a_form_error(client, innovation, settings, overrides, field):
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
    response = adopt(client, innovation, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Benefit.objects.exists()


@pytest.mark.parametrize("vector", xss_vectors.XSS_VECTORS[:10])
def test_markup_in_a_reported_benefit_comes_back_as_text(client, innovation, settings, vector):
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
    response = adopt(
        client, innovation, benefit_kind="hours", benefit_value="x", benefit_unit=vector[:60]
    )
    xss_vectors.assert_no_live_vector(response.content.decode())
    adopt(client, innovation, benefit_kind="hours", benefit_value="5", benefit_unit=vector[:60])
    for benefit in Benefit.objects.select_related("adoption"):
        benefit.adoption.status = AdoptionStatus.CONFIRMED
        benefit.adoption.save()
    xss_vectors.assert_no_live_vector(client.get(innovation.url).content.decode())


# The demo


def test_the_demo_innovation_has_benefits_in_the_admin_the_page_the_feed_and_the_import(
    settings, client
):
    from django.core.management import call_command

    from demo.management.commands import _demo_benefits
    from demo.management.commands.sluss_demo import OTHER_SHOWCASE_SLUG
    from sluss_wagtail import page_types
    from sluss_wagtail.models import Idea

    settings.DEBUG = True
    call_command("sluss_demo")
    other = page_types.showcase_model().objects.get(slug=OTHER_SHOWCASE_SLUG)
    for _ in range(2):  # idempotent
        _demo_benefits.build(None, other_showcase=other)
    idea = Idea.objects.get(submission_key=_demo_benefits.DEMO_IDEA)
    realised, pending = Benefit.objects.filter(idea=idea).order_by("pk")
    assert realised.status == "realised" and realised.realised == 1350
    assert realised.follow_ups.order_by("due_on").first().state() == "done"
    assert pending.status == "open" and pending.realised is None
    assert idea.implementation_steps.count() == 3
    page = page_types.innovation_model().objects.get(idea=idea)
    text = client.get(page.url).content.decode()
    assert "Mindre tid på att hämta och lämna nycklar" in text and "1350" in text
    feed = json_feed(client, page.get_parent().specific)
    assert any(item["_sluss"]["benefits"] for item in feed["items"])
    [copy_] = page_types.innovation_model().objects.child_of(other).live()
    assert Benefit.objects.filter(innovation=copy_).count() == 2
    assert "1350" in client.get(copy_.url).content.decode()
    client.force_login(get_user_model_admin())
    admin_page = client.get(idea_admin_path(idea))
    assert "Lägre kostnad för borttappade nycklar" in admin_page.content.decode()


def get_user_model_admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="koordinator")


def test_the_moderator_sees_the_reported_benefit_before_confirming(client, innovation, settings):
    from django.urls import reverse

    from tests.factories import create_admin_user

    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
    adopt(client, innovation, benefit_kind="money", benefit_value="9000", benefit_unit="kr/år")
    adoption = Benefit.objects.get().adoption
    moderator = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_adoption",
        "sluss_wagtail.change_adoption",
        username="moderator",
    )
    client.force_login(moderator)
    url = reverse("sluss_wagtail_adoption_modeladmin_inspect", args=[adoption.pk])
    assert "9000 kr/år" in client.get(url).content.decode()
