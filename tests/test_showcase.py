"""The showcase: promoting an idea, moderating the page, and finding innovations."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import Workflow, WorkflowTask
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from sluss_wagtail import actions, process
from sluss_wagtail.models import IdeaEvent, Pilot, ShowcaseReviewTask
from sluss_wagtail.pages.models import InnovationPage, ShowcaseIndexPage
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_innovation,
    create_showcase_index,
)


class ShowcasePageRules(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.showcase = create_showcase_index()
        cls.innovation = create_innovation(
            cls.showcase,
            pilots=[{"title": "Tio brukare", "outcome": "failed", "lessons": "Låsen frös."}],
        )

    def test_innovations_live_only_in_a_showcase(self):
        self.assertCanCreateAt(ShowcaseIndexPage, InnovationPage)
        self.assertCanNotCreateAt(HomePage, InnovationPage)
        self.assertCanCreateAt(HomePage, ShowcaseIndexPage)

    def test_pages_are_routable_and_renderable(self):
        for page in (self.showcase, self.innovation):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)

    def test_a_failed_tests_lessons_are_shown(self):
        html = self.client.get(self.innovation.url).content.decode()
        self.assertIn("Låsen frös.", html)
        self.assertIn("Fungerade inte", html)


@pytest.fixture
def coordinator(db):
    return UserFactory(username="koordinator")


@pytest.fixture
def showcase(db):
    return create_showcase_index()


def implemented_idea(coordinator, **kwargs):
    idea = IdeaFactory(**kwargs)
    process.move_idea(idea, "pilot", user=coordinator)
    Pilot.objects.create(
        idea=idea,
        title="Tio brukare i tre månader",
        hypothesis="Mindre tid går till nycklar.",
        success_criteria="En halvtimme mindre per dag.",
        outcome="successful",
        result="40 minuter mindre per dag.",
        lessons="Låsen behöver ett reservbatteri.",
    )
    process.move_idea(idea, "evaluation", user=coordinator)
    process.move_idea(idea, "implemented", user=coordinator)
    idea.sdgs.set([3, 11])
    idea.tags.set(["hemtjänst", "digitalt"])
    return idea


def test_promoting_with_consent_prefills_the_draft(coordinator, showcase):
    unit = OrganisationUnitFactory(name="Hemtjänst Norr")
    idea = implemented_idea(
        coordinator,
        title="Digitala lås",
        description="Byt nycklar mot digitala lås.",
        need="Nycklar kommer bort.",
        unit=unit,
        publish_idea=True,
        publish_name=True,
    )
    page = actions.promote_idea(idea, showcase, user=coordinator)
    page.refresh_from_db()
    assert not page.live and page.has_unpublished_changes
    assert (page.title, page.summary, page.idea_giver_name) == (
        "Digitala lås",
        "Byt nycklar mot digitala lås.",
        "Karin Lund",
    )
    assert (page.unit, page.contact_unit, page.status) == (unit, unit, "implemented")
    assert sorted(page.sdgs.values_list("number", flat=True)) == [3, 11]
    assert sorted(page.tags.names()) == ["digitalt", "hemtjänst"]
    assert [p.lessons for p in page.pilots.all()] == ["Låsen behöver ett reservbatteri."]
    assert InnovationPage.objects.get(idea=idea) == page
    assert idea.events.last().kind == IdeaEvent.Kind.PROMOTED


def test_promoting_without_consent_leaks_no_text_and_no_name(coordinator, showcase):
    idea = implemented_idea(
        coordinator,
        title="Hemlig rubrik",
        description="Idégivarens egna ord",
        need="Behovet med egna ord",
        publish_idea=False,
        publish_name=True,
    )
    page = actions.promote_idea(idea, showcase, user=coordinator)
    revision_text = str(page.get_latest_revision().content)
    for secret in ("Hemlig rubrik", "Idégivarens egna ord", "Behovet med egna ord", "Karin"):
        assert secret not in revision_text
        assert secret not in page.title + page.summary
    assert idea.reference in page.title


def test_the_name_needs_its_own_consent(coordinator, showcase):
    idea = implemented_idea(coordinator, publish_idea=True, publish_name=False)
    page = actions.promote_idea(idea, showcase, user=coordinator)
    assert page.idea_giver_name == ""
    page.idea_giver_name = "Karin Lund"
    with pytest.raises(ValidationError):
        page.full_clean()


@pytest.mark.parametrize("stage", ["received", "screening", "pilot", "closed"])
def test_only_evaluated_implemented_or_spread_ideas_are_promoted(coordinator, showcase, stage):
    idea = IdeaFactory()
    if stage == "closed":
        process.move_idea(idea, stage, user=coordinator, public_note="Nej")
    elif stage != "received":
        process.move_idea(idea, stage, user=coordinator)
    with pytest.raises(ValidationError):
        actions.promote_idea(idea, showcase, user=coordinator)


def test_a_confidential_idea_is_never_promoted(coordinator, showcase):
    idea = implemented_idea(coordinator, confidential=True)
    with pytest.raises(ValidationError):
        actions.promote_idea(idea, showcase, user=coordinator)


# The workflow ---------------------------------------------------------------------------


@pytest.fixture
def review(db, showcase):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    moderators = Group.objects.create(name="Moderatorer")
    moderators.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=moderators, page=showcase, permission_type=permission.split("_")[0]
        )
    task = ShowcaseReviewTask.objects.create(name="Granskning av goda exempel")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Granskning")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.workflow_pages.create(page=showcase)
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators)
    return {"task": task, "workflow": workflow, "moderator": moderator}


CHECKLIST = {
    "consent_checked": True,
    "no_named_individuals": True,
    "nothing_unlawful": True,
    "images_described": True,
}


def submit_for_review(page, user):
    workflow = page.get_workflow()
    workflow.start(page, user)
    page.refresh_from_db()
    return page.current_workflow_task_state


def test_approving_needs_the_whole_checklist_and_publishing_tells_the_idea_giver(
    coordinator, showcase, review, django_capture_on_commit_callbacks
):
    from wagtail import hooks

    idea = implemented_idea(coordinator, publish_idea=True)
    page = actions.promote_idea(idea, showcase, user=coordinator)
    state = submit_for_review(page, coordinator)
    task = review["task"]
    assert [name for name, _label, _modal in task.get_actions(page, review["moderator"])] == [
        "reject",
        "approve",
    ]
    with pytest.raises(PermissionDenied):
        task.on_action(
            state, review["moderator"], "approve", **{**CHECKLIST, "nothing_unlawful": False}
        )
    page.refresh_from_db()
    assert not page.live

    published = []
    mail.outbox.clear()
    with (
        hooks.register_temporarily("sluss_wagtail_innovation_published", published.append),
        django_capture_on_commit_callbacks(execute=True),
    ):
        task.on_action(state, review["moderator"], "approve", comment="", **CHECKLIST)
    page.refresh_from_db()
    assert page.live
    assert [p.pk for p in published] == [page.pk]
    (message,) = [m for m in mail.outbox if m.to == ["karin@exempelby.invalid"]]
    # On the site's public address, as the status link (the Wagtail site is localhost).
    assert "https://www.exempelby.invalid" + page.get_url_parts()[2] in message.body


def test_rejecting_needs_a_comment_that_goes_back_to_the_editor(coordinator, showcase, review):
    idea = implemented_idea(coordinator)
    page = actions.promote_idea(idea, showcase, user=coordinator)
    state = submit_for_review(page, coordinator)
    task = review["task"]
    with pytest.raises(PermissionDenied):
        task.on_action(state, review["moderator"], "reject", comment="")
    task.on_action(state, review["moderator"], "reject", comment="Ta bort namnet i texten.")
    state.refresh_from_db()
    assert state.status == state.STATUS_REJECTED
    assert state.comment == "Ta bort namnet i texten."
    page.refresh_from_db()
    assert not page.live


def test_no_e_mail_when_the_idea_giver_did_not_allow_publishing(
    coordinator, showcase, django_capture_on_commit_callbacks
):
    idea = implemented_idea(coordinator, publish_idea=False)
    page = actions.promote_idea(idea, showcase, user=coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    assert mail.outbox == []


# Finding innovations ----------------------------------------------------------------------


@pytest.fixture
def innovations(showcase):
    health = OrganisationUnitFactory(name="Hemtjänst")
    return {
        "locks": create_innovation(
            showcase, title="Digitala lås", sdgs=[3], tags=["digitalt"], unit=health
        ),
        "benches": create_innovation(
            showcase, title="Bänkar vid sjön", sdgs=[11], tags=["park"], status="spread"
        ),
        "calendar": create_innovation(
            showcase,
            title="Lokalkalender",
            summary="En kalender för skolans lokaler.",
            sdgs=[11],
            origin="municipality",
            origin_name="Alingsås kommun",
        ),
        "draft": create_innovation(showcase, title="Utkast", sdgs=[11], publish=False),
    }


def titles(client, url):
    html = client.get(url).content.decode()
    return sorted(
        title
        for title in ("Digitala lås", "Bänkar vid sjön", "Lokalkalender", "Utkast")
        if title in html
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [
        ("", ["Bänkar vid sjön", "Digitala lås", "Lokalkalender"]),
        ("?sdg=11", ["Bänkar vid sjön", "Lokalkalender"]),
        ("?sdg=11&status=spread", ["Bänkar vid sjön"]),
        ("?tag=digitalt", ["Digitala lås"]),
        ("?origin=municipality", ["Lokalkalender"]),
        ("?q=kalender", ["Lokalkalender"]),
        ("?q=kalender&sdg=3", []),
        (
            "?sdg=99&status=nonsense&unit=x&origin=%00",
            ["Bänkar vid sjön", "Digitala lås", "Lokalkalender"],
        ),
        # A search too long finds nothing, and the page says why (test_search_input).
        ("?q=" + "x" * 300, []),
    ],
)
def test_filters_and_search_combine(client, showcase, innovations, query, expected):
    assert titles(client, showcase.url + query) == expected


@pytest.mark.django_db
def test_filters_survive_pagination(client, showcase, innovations, settings):
    ShowcaseIndexPage.per_page = 1
    try:
        html = client.get(showcase.url + "?sdg=11").content.decode()
        assert "?sdg=11&amp;page=2" in html
        second = titles(client, showcase.url + "?sdg=11&page=2")
        assert len(second) == 1
    finally:
        ShowcaseIndexPage.per_page = 12


# The showcase's and an innovation page's query budgets: tests/test_query_budgets.py.
