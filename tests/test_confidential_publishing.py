"""Publishing an innovation whose idea is confidential is refused on every path, and the
editor is told why; only those who may see confidential ideas mark or unmark one.

The refusal is one mechanism (``InnovationPageMixin.save()``); each test here takes one
way a page gets published: the editor's button (also with a date), bulk publish,
scheduled publishing, a workflow's approval, ``save_revision().publish()`` in code, a
copy that keeps the page live and ``add_child()`` of a live page.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.actions.copy_page import CopyPageAction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from sluss_wagtail import actions, process
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import IdeaEvent, ShowcaseReviewTask
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import (
    IdeaFactory,
    UserFactory,
    create_coordinator,
    create_innovation,
    create_reviewed_unit,
    create_reviewer,
    create_showcase_index,
    grant,
    innovation_edit_data,
    plant_live_confidential_innovation,
)

pytestmark = pytest.mark.django_db

TITLE = "Skyddat boende för våldsutsatta"


@pytest.fixture
def coordinator(db):
    return grant(create_coordinator(), "sluss_wagtail.view_confidential_idea")


@pytest.fixture
def editor(db):
    return UserFactory(username="redaktor", is_superuser=True, is_staff=True)


@pytest.fixture
def showcase(db):
    return create_showcase_index()


@pytest.fixture
def draft(coordinator, showcase):
    """A draft innovation promoted from an idea that was then marked confidential."""
    idea = IdeaFactory(title=TITLE, publish_idea=True)
    process.move_idea(idea, process.IMPLEMENTED, user=coordinator)
    page = actions.promote_idea(idea, showcase, user=coordinator)
    actions.set_confidential(idea, True, user=coordinator)
    return InnovationPage.objects.get(pk=page.pk)


# A PermissionDenied, as Wagtail's own refusals to publish are (the package's is
# ``sluss_wagtail.models.ConfidentialPublishError``).
ConfidentialPublishError = PermissionDenied


def reason():
    """What the editor is told, in the language of the test (Swedish)."""
    from sluss_wagtail.models.showcase import PUBLISH_REFUSED_MESSAGE

    return str(PUBLISH_REFUSED_MESSAGE)


def is_live(page):
    return InnovationPage.objects.get(pk=page.pk).live


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Every way to publish ---------------------------------------------------------------------


def test_publishing_in_code_is_refused(draft):
    from sluss_wagtail.models import ConfidentialPublishError as Refused

    with pytest.raises(Refused):
        draft.save_revision().publish()
    with pytest.raises(Refused):
        draft.get_latest_revision().publish(skip_permission_checks=True)
    assert not is_live(draft)


def test_a_live_copy_or_a_live_new_page_of_the_idea_is_refused(draft, showcase):
    with pytest.raises(ConfidentialPublishError):
        create_innovation(showcase, title="Ny sida", idea=draft.idea)
    # A page made live behind Wagtail's back cannot be copied live either.
    planted = plant_live_confidential_innovation(showcase, title="Planterad")
    with pytest.raises(ConfidentialPublishError):
        CopyPageAction(planted, to=showcase, update_attrs={"slug": "kopia"}).execute(
            skip_permission_checks=True
        )
    assert list(InnovationPage.objects.filter(live=True)) == [planted]


def test_the_editors_publish_button_is_refused_with_the_reason(client, editor, draft):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    opened = client.get(url)
    assert opened.status_code == 200
    # The edit view says it before the editor tries.
    assert any(reason() in message for message in messages_of(opened))

    response = client.post(
        url, innovation_edit_data(draft, title="Ny rubrik", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert any(reason() in message for message in messages_of(response))
    assert not is_live(draft)
    # The changes are kept as a draft.
    assert InnovationPage.objects.get(pk=draft.pk).get_latest_revision_as_object().title == (
        "Ny rubrik"
    )


def test_scheduling_from_the_editor_is_refused_too(client, editor, draft):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    later = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        url, innovation_edit_data(draft, go_live_at=later, **{"action-publish": "1"})
    )
    assert response.status_code == 302
    assert any(reason() in message for message in messages_of(response))
    assert not draft.revisions.exclude(approved_go_live_at=None).exists()


def test_bulk_publish_is_refused_with_the_pages_named(client, editor, draft, showcase):
    other = create_innovation(showcase, title="Annan innovation", publish=False)
    client.force_login(editor)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = f"?id={draft.pk}&id={other.pk}&next=/admin/pages/{showcase.pk}/"
    response = client.post(url + query, {"include_descendants": ""})
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert TITLE in message and reason() in message
    # All or nothing: the other page waits for the editor to leave this one out.
    assert not is_live(draft) and not is_live(other)


def test_bulk_publish_of_the_showcase_with_its_subpages_is_refused(client, editor, draft):
    client.force_login(editor)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(f"{url}?id={draft.get_parent().pk}", {"include_descendants": "on"})
    assert response.status_code == 302
    assert any(TITLE in message for message in messages_of(response))
    assert not is_live(draft)


def test_scheduled_publishing_is_refused(coordinator, showcase):
    idea = IdeaFactory(title=TITLE, stage=process.IMPLEMENTED)
    page = create_innovation(showcase, title=TITLE, idea=idea, publish=False)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()  # scheduled, not yet live
    assert page.revisions.exclude(approved_go_live_at=None).exists()

    # Marking the idea cancels what was scheduled ...
    actions.set_confidential(idea, True, user=coordinator)
    assert not page.revisions.exclude(approved_go_live_at=None).exists()
    # ... and a schedule that survived anyway is cancelled when its time comes, while
    # every other page due in the same run is published (Wagtail's command would stop at
    # the first refusal).
    page.revisions.update(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    other = create_innovation(showcase, title="Lånecyklar", publish=False)
    other.go_live_at = timezone.now() + timedelta(hours=1)
    other.save_revision().publish()
    revision = other.revisions.latest("created_at")  # its time has come
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=30)
    revision.content["go_live_at"] = revision.approved_go_live_at.isoformat()
    revision.save()
    errors = StringIO()
    call_command("publish_scheduled", stderr=errors)
    assert not is_live(page)
    assert is_live(other)
    assert f"innovation {page.pk}" in errors.getvalue()
    assert not page.revisions.exclude(approved_go_live_at=None).exists()


def moderators_workflow(showcase, task):
    from django.contrib.auth.models import Group

    moderators = Group.objects.create(name="Moderatorer")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Granskning")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.workflow_pages.create(page=showcase)
    moderator = UserFactory(username="moderator", is_superuser=True, is_staff=True)
    moderator.groups.add(moderators)
    return workflow, moderator


def test_the_showcase_review_offers_no_approval_and_refuses_one(coordinator, showcase):
    task = ShowcaseReviewTask.objects.create(name="Granskning av goda exempel")
    workflow, moderator = moderators_workflow(showcase, task)
    idea = IdeaFactory(title=TITLE, stage=process.IMPLEMENTED)
    page = create_innovation(showcase, title=TITLE, idea=idea, publish=False)
    workflow.start(page, coordinator)
    page = InnovationPage.objects.get(pk=page.pk)
    state = page.current_workflow_task_state
    # An idea marked behind the actions' back: the review is still running.
    type(idea).objects.filter(pk=idea.pk).update(confidential=True)
    assert [name for name, _label, _modal in task.get_actions(page, moderator)] == ["reject"]
    checklist = dict.fromkeys(
        ("consent_checked", "no_named_individuals", "nothing_unlawful", "images_described"), True
    )
    with pytest.raises(ConfidentialPublishError):
        task.on_action(state, moderator, "approve", comment="", **checklist)
    assert not is_live(page)


def test_a_plain_wagtail_approval_is_refused(client, coordinator, showcase):
    task = GroupApprovalTask.objects.create(name="Godkännande")
    workflow, moderator = moderators_workflow(showcase, task)
    idea = IdeaFactory(title=TITLE, stage=process.IMPLEMENTED)
    page = create_innovation(showcase, title=TITLE, idea=idea, publish=False)
    workflow.start(page, coordinator)
    page = InnovationPage.objects.get(pk=page.pk)
    type(idea).objects.filter(pk=idea.pk).update(confidential=True)
    state = page.current_workflow_task_state
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    response = client.post(url, {"comment": ""})
    # Wagtail's answer to a refused publish: its own message, never an error page.
    assert response.status_code == 302
    assert not is_live(page)
    state.refresh_from_db()
    assert state.status == state.STATUS_IN_PROGRESS


def test_the_editor_offers_no_approval_of_a_plain_wagtail_task_and_says_why(
    client, coordinator, showcase
):
    task = GroupApprovalTask.objects.create(name="Godkännande")
    workflow, moderator = moderators_workflow(showcase, task)
    idea = IdeaFactory(title=TITLE, stage=process.IMPLEMENTED)
    page = create_innovation(showcase, title=TITLE, idea=idea, publish=False)
    workflow.start(page, coordinator)
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    approve = 'data-workflow-action-name="approve"'
    assert approve in client.get(url).content.decode()  # offered while it may be published

    type(idea).objects.filter(pk=idea.pk).update(confidential=True)
    response = client.get(url)
    html = response.content.decode()
    assert approve not in html
    assert 'data-workflow-action-name="reject"' in html
    assert any(reason() in message for message in messages_of(response))


def test_marking_the_idea_cancels_its_pages_review(coordinator, showcase):
    task = ShowcaseReviewTask.objects.create(name="Granskning av goda exempel")
    workflow, _moderator = moderators_workflow(showcase, task)
    idea = IdeaFactory(title=TITLE, stage=process.IMPLEMENTED)
    page = create_innovation(showcase, title=TITLE, idea=idea, publish=False)
    workflow.start(page, coordinator)
    actions.set_confidential(idea, True, user=coordinator)
    page = InnovationPage.objects.get(pk=page.pk)
    assert page.current_workflow_state is None


def test_once_no_longer_confidential_the_page_can_be_published(coordinator, draft):
    actions.set_confidential(draft.idea, False, user=coordinator)
    draft.get_latest_revision().publish()
    assert is_live(draft)


# Who may mark an idea confidential -------------------------------------------------------


@pytest.fixture
def unit_and_idea(db):
    unit = create_reviewed_unit("Socialförvaltningen")
    return unit, IdeaFactory(title=TITLE, unit=unit)


def action_url(idea):
    return idea_admin_path(idea, "confidential")


@pytest.mark.parametrize("marked", [False, True])
def test_a_reviewer_is_not_offered_and_is_refused_the_confidentiality(
    client, unit_and_idea, marked
):
    unit, idea = unit_and_idea
    if marked:
        actions.set_confidential(idea, True, user=None)
    client.force_login(create_reviewer(unit, username="granskare"))
    # Not in the idea's menu, and its own page refuses them.
    html = client.get(idea_admin_path(idea)).content.decode()
    assert f'href="{action_url(idea)}"' not in html
    assert client.get(action_url(idea))["Location"] == reverse("wagtailadmin_home")
    data = {} if marked else {"confidential-confidential": "on"}
    response = client.post(action_url(idea), data)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    idea.refresh_from_db()
    assert idea.confidential is marked
    assert not idea.events.filter(kind=IdeaEvent.Kind.CONFIDENTIAL, user__isnull=False).exists()


def test_a_coordinator_without_the_permission_is_refused_too(client, unit_and_idea):
    _unit, idea = unit_and_idea
    client.force_login(create_coordinator(username="utan_sekretess"))
    assert f'href="{action_url(idea)}"' not in client.get(idea_admin_path(idea)).content.decode()
    assert f'action="{action_url(idea)}"' not in client.get(action_url(idea)).content.decode()
    client.post(action_url(idea), {"confidential-confidential": "on"})
    idea.refresh_from_db()
    assert not idea.confidential


def test_the_form_refuses_whoever_builds_it(unit_and_idea):
    from sluss_wagtail.admin.forms import ConfidentialForm

    unit, idea = unit_and_idea
    reviewer = create_reviewer(unit, username="granskare")
    form = ConfidentialForm(idea, reviewer, data={"confidential": "on"})
    assert not form.is_valid()
    assert form.non_field_errors() == [
        str(_("Only someone who may see confidential ideas can change the confidentiality."))
    ]
    allowed = ConfidentialForm(idea, create_coordinator_who_sees_confidential(), data={})
    assert allowed.is_valid()


def create_coordinator_who_sees_confidential():
    return grant(create_coordinator(username="sekretess"), "sluss_wagtail.view_confidential_idea")


def test_a_coordinator_who_may_see_confidential_ideas_marks_one(client, unit_and_idea):
    _unit, idea = unit_and_idea
    client.force_login(create_coordinator_who_sees_confidential())
    assert f'href="{action_url(idea)}"' in client.get(idea_admin_path(idea)).content.decode()
    assert f'action="{action_url(idea)}"' in client.get(action_url(idea)).content.decode()
    response = client.post(action_url(idea), {"confidential-confidential": "on"})
    assert response.status_code == 302 and response["Location"] == idea_admin_path(idea)
    idea.refresh_from_db()
    assert idea.confidential
