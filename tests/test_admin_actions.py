"""Acting on ideas in the admin: each action is a form on the idea's page, and each leaves an event.

The forms post to their own views, which go through ``process.move_idea`` and
``sluss_wagtail.actions``; a refusal is an error in the form, never a 500,
and nothing is half done. Bulk actions on the inbox's selected rows too.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from sluss_wagtail import process
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea, IdeaEvent
from tests.factories import (
    IdeaFactory,
    create_reviewer,
    grant,
)

pytestmark = pytest.mark.django_db

INDEX_URL = inbox_path()
BULK_URL = inbox_path("bulk")


def action_url(action, idea):
    return idea_admin_path(idea, action)


def messages_of(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def last_message(response):
    return messages_of(response)[-1]


def form_errors(response, action):
    """The errors of the action's form, shown again on its page."""
    forms = {entry["name"]: entry["form"] for entry in response.context["action_forms"]}
    return forms[action].errors


@pytest.fixture
def idea(db, reviewed_units):
    return IdeaFactory(title="Bänkar vid sjön", unit=reviewed_units[0])


def move(client, idea, to_stage, **data):
    data = {f"move-{name}": value for name, value in {"to_stage": to_stage, **data}.items()}
    return client.post(action_url("move", idea), data)


def refresh(idea):
    return Idea.objects.get(pk=idea.pk)


# Moves


def test_an_idea_goes_from_received_to_implemented_with_feedback_at_each_step(
    coordinator_client, coordinator_user, idea
):
    journey = [
        (process.SCREENING, "Tack! Vi bedömer nu din idé."),
        (process.DEVELOPMENT, "Vi utvecklar idén tillsammans med parken."),
        (process.PILOT, "Vi testar tre bänkar i sommar."),
        (process.EVALUATION, "Testet är klart; vi utvärderar."),
        (process.IMPLEMENTED, "Bänkarna står kvar för gott."),
    ]
    for stage, note in journey:
        response = move(coordinator_client, idea, stage, public_note=note, internal_note="Intern")
        assert response.status_code == 302
        assert response["Location"] == idea_admin_path(idea)
        assert last_message(response)[0] == "success"
        assert refresh(idea).stage == stage
    events = list(refresh(idea).events.filter(kind=IdeaEvent.Kind.MOVED))
    assert [(event.from_stage, event.to_stage) for event in events] == [
        (process.RECEIVED, process.SCREENING),
        (process.SCREENING, process.DEVELOPMENT),
        (process.DEVELOPMENT, process.PILOT),
        (process.PILOT, process.EVALUATION),
        (process.EVALUATION, process.IMPLEMENTED),
    ]
    assert [event.public_note for event in events] == [note for _, note in journey]
    assert all(
        event.user == coordinator_user and event.internal_note == "Intern" for event in events
    )
    # The idea giver reads the feedback on the status page.
    status_page = coordinator_client.get(idea.get_status_url()).content.decode()
    for _, note in journey:
        assert note in status_page


def test_evaluation_may_go_back_to_a_new_test(coordinator_client, coordinator_user, idea):
    for stage in (process.SCREENING, process.PILOT, process.EVALUATION):
        process.move_idea(idea, stage, user=coordinator_user)
    assert (
        move(coordinator_client, idea, process.PILOT, public_note="Vi testar igen.").status_code
        == 302
    )
    assert refresh(idea).stage == process.PILOT


def test_closing_without_a_decision_is_a_form_error(coordinator_client, idea):
    response = move(coordinator_client, idea, process.CLOSED, public_note="  ")
    assert response.status_code == 200
    assert list(form_errors(response, "move")) == ["public_note"]
    assert last_message(response)[0] == "error"
    assert refresh(idea).stage == process.RECEIVED
    assert refresh(idea).events.count() == 1


def test_closing_with_a_decision(coordinator_client, idea):
    response = move(coordinator_client, idea, process.CLOSED, public_note="Det finns redan bänkar.")
    assert response.status_code == 302
    idea = refresh(idea)
    assert idea.stage == process.CLOSED
    assert idea.decision == "Det finns redan bänkar."


def test_forwarding_without_a_destination_is_a_form_error(coordinator_client, idea):
    response = move(coordinator_client, idea, process.FORWARDED, public_note="Vi skickar vidare.")
    assert response.status_code == 200
    assert list(form_errors(response, "move")) == ["destination"]
    assert refresh(idea).stage == process.RECEIVED


def test_forwarding_with_a_destination(coordinator_client, idea):
    response = move(coordinator_client, idea, process.FORWARDED, destination="Felanmälan")
    assert response.status_code == 302
    idea = refresh(idea)
    assert (idea.stage, idea.forwarded_to) == (process.FORWARDED, "Felanmälan")
    assert idea.events.last().destination == "Felanmälan"


@pytest.mark.parametrize("to_stage", [process.RECEIVED, process.SPREAD + "x", "", "<script>"])
def test_a_stage_the_process_does_not_allow_from_here_is_refused(
    coordinator_client, idea, to_stage
):
    response = move(coordinator_client, idea, to_stage, public_note="Hoppa")
    assert response.status_code == 200
    assert list(form_errors(response, "move")) == ["to_stage"]
    assert refresh(idea).events.count() == 1


def test_a_backward_move_is_refused(coordinator_client, coordinator_user, idea):
    process.move_idea(idea, process.DEVELOPMENT, user=coordinator_user)
    response = move(coordinator_client, idea, process.SCREENING)
    assert list(form_errors(response, "move")) == ["to_stage"]
    assert refresh(idea).stage == process.DEVELOPMENT


def test_a_parked_idea_resumes_where_it_was(coordinator_client, coordinator_user, idea):
    process.move_idea(idea, process.DEVELOPMENT, user=coordinator_user)
    assert move(coordinator_client, idea, process.PARKED).status_code == 302
    response = coordinator_client.get(action_url("move", idea))
    offered = dict(response.context["form"].fields["to_stage"].choices)
    assert list(offered) == [process.DEVELOPMENT, process.CLOSED]
    assert move(coordinator_client, idea, process.DEVELOPMENT).status_code == 302
    assert refresh(idea).stage == process.DEVELOPMENT


def test_an_ended_idea_offers_no_move(coordinator_client, coordinator_user, idea):
    process.move_idea(idea, process.CLOSED, user=coordinator_user, public_note="Nej tack.")
    response = coordinator_client.get(action_url("move", idea))
    assert not response.context["form"].has_targets
    response = move(coordinator_client, idea, process.SCREENING)
    assert list(form_errors(response, "move")) == ["to_stage"]


def test_the_move_form_changes_nothing_until_sent_by_post_with_the_csrf_token(
    coordinator_user, idea
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_user)
    # GET is the form's own page (it works without JavaScript) and changes nothing.
    response = client.get(action_url("move", idea))
    assert response.status_code == 200
    assert f'action="{action_url("move", idea)}"' in response.content.decode()
    assert refresh(idea).events.count() == 1
    response = client.post(action_url("move", idea), {"move-to_stage": process.SCREENING})
    assert response.status_code == 403
    assert refresh(idea).stage == process.RECEIVED


def test_an_action_on_an_idea_that_does_not_exist_is_a_404(coordinator_client, idea):
    assert (
        coordinator_client.post(f"/admin/sluss_wagtail/idea/move/{idea.pk + 1}/").status_code == 404
    )
    assert coordinator_client.post("/admin/sluss_wagtail/idea/move/abc/").status_code == 404


# The other actions


def test_a_correction_keeps_the_original_text_in_the_history(
    coordinator_client, coordinator_user, idea
):
    data = {
        "correct-title": "Bänkar runt sjön",
        "correct-description": idea.description,
        "correct-need": "Äldre och barnfamiljer behöver kunna vila.",
        "correct-beneficiaries": "",
        "correct-internal_note": "Stavfel",
    }
    response = coordinator_client.post(action_url("correct", idea), data)
    assert response.status_code == 302
    corrected = refresh(idea)
    assert corrected.title == "Bänkar runt sjön"
    event = corrected.events.last()
    assert event.kind == IdeaEvent.Kind.CORRECTED
    assert event.user == coordinator_user and event.internal_note == "Stavfel"
    assert event.changes == {
        "title": {"old": "Bänkar vid sjön", "new": "Bänkar runt sjön"},
        "need": {"old": idea.need, "new": "Äldre och barnfamiljer behöver kunna vila."},
    }
    html = coordinator_client.get(idea_admin_path(idea)).content.decode()
    history = html[html.index('class="sluss-admin-timeline"') :]
    assert "Bänkar vid sjön" in history and idea.need in history


def test_a_correction_without_the_required_text_is_a_form_error(coordinator_client, idea):
    data = {"correct-title": "", "correct-description": "x", "correct-need": "y"}
    response = coordinator_client.post(action_url("correct", idea), data)
    assert "title" in form_errors(response, "correct")
    assert refresh(idea).title == "Bänkar vid sjön"


def test_assigning_a_unit_leaves_an_event(coordinator_client, idea, reviewed_units):
    response = coordinator_client.post(
        action_url("assign_unit", idea),
        {"assign_unit-unit": reviewed_units[1].pk, "assign_unit-internal_note": "Rör skolgården"},
    )
    assert response.status_code == 302
    assert refresh(idea).unit == reviewed_units[1]
    event = refresh(idea).events.last()
    assert event.kind == IdeaEvent.Kind.UNIT
    assert event.changes == {"unit": {"old": "Parkförvaltningen", "new": "Skolförvaltningen"}}


def test_a_reviewer_who_routes_an_idea_away_returns_to_the_inbox(client, idea, reviewed_units):
    client.force_login(create_reviewer(reviewed_units[0], username="granskare_park"))
    response = client.post(
        action_url("assign_unit", idea), {"assign_unit-unit": reviewed_units[1].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == INDEX_URL
    assert refresh(idea).unit == reviewed_units[1]


def test_assigning_an_inactive_or_unknown_unit_is_a_form_error(
    coordinator_client, idea, reviewed_units
):
    reviewed_units[1].is_active = False
    reviewed_units[1].save()
    for value in (reviewed_units[1].pk, 999999, "x"):
        response = coordinator_client.post(
            action_url("assign_unit", idea), {"assign_unit-unit": value}
        )
        assert list(form_errors(response, "assign_unit")) == ["unit"]
    assert refresh(idea).unit == reviewed_units[0]


def test_marking_a_duplicate_by_reference_leaves_an_event(coordinator_client, idea):
    original = IdeaFactory(title="Fler bänkar", unit=idea.unit)
    response = coordinator_client.post(
        action_url("mark_duplicate", idea),
        {
            "mark_duplicate-reference": original.reference.lower(),
            "mark_duplicate-public_note": "Samma idé som en annan; du följer den.",
        },
    )
    assert response.status_code == 302
    assert refresh(idea).duplicate_of == original
    event = refresh(idea).events.last()
    assert event.kind == IdeaEvent.Kind.DUPLICATE
    assert event.changes == {"duplicate_of": {"old": "", "new": original.reference}}
    # Not a duplicate after all.
    response = coordinator_client.post(
        action_url("mark_duplicate", idea), {"mark_duplicate-reference": ""}
    )
    assert response.status_code == 302
    assert refresh(idea).duplicate_of is None


@pytest.mark.parametrize("reference", ["IDE-1999-9999", "", "self"])
def test_an_unknown_reference_is_a_form_error(coordinator_client, idea, reference):
    reference = idea.reference if reference == "self" else reference
    response = coordinator_client.post(
        action_url("mark_duplicate", idea), {"mark_duplicate-reference": reference}
    )
    assert response.status_code == 200
    assert list(form_errors(response, "mark_duplicate")) == ["reference"]
    assert refresh(idea).duplicate_of is None
    assert refresh(idea).events.count() == 1


def test_a_reviewer_cannot_name_another_units_idea_as_the_original(client, reviewed_units, idea):
    other_units_idea = IdeaFactory(unit=reviewed_units[1])
    client.force_login(create_reviewer(reviewed_units[0], username="granskare_park"))
    response = client.post(
        action_url("mark_duplicate", idea),
        {"mark_duplicate-reference": other_units_idea.reference},
    )
    assert list(form_errors(response, "mark_duplicate")) == ["reference"]
    assert other_units_idea.reference in str(form_errors(response, "mark_duplicate"))
    assert other_units_idea.title not in response.content.decode()


def test_confidentiality_on_and_off_leaves_events(client, coordinator_user, idea):
    # The coordinators' role may see (and so mark) confidential ideas.
    coordinator_client = client
    coordinator_client.force_login(grant(coordinator_user, "sluss_wagtail.view_confidential_idea"))
    url = action_url("confidential", idea)
    assert coordinator_client.post(url, {"confidential-confidential": "on"}).status_code == 302
    assert refresh(idea).confidential is True
    assert coordinator_client.post(url, {}).status_code == 302
    assert refresh(idea).confidential is False
    kinds = list(refresh(idea).events.values_list("kind", flat=True))
    assert kinds.count(IdeaEvent.Kind.CONFIDENTIAL) == 2
    # Nothing to change: no event, and the user is told.
    response = coordinator_client.post(url, {})
    assert last_message(response)[0] == "info"
    assert refresh(idea).events.count() == 3


def test_tags_are_comma_separated_and_leave_an_event(coordinator_client, idea):
    idea.tags.set(["gammal"])
    response = coordinator_client.post(
        action_url("tags", idea), {"tags-tags": "trygghet, park och natur ,, Äldre"}
    )
    assert response.status_code == 302
    assert sorted(refresh(idea).tags.names()) == ["park och natur", "trygghet", "Äldre"]
    event = refresh(idea).events.last()
    assert event.kind == IdeaEvent.Kind.TAGS
    assert event.changes["tags"] == {
        "old": ["gammal"],
        "new": ["park och natur", "trygghet", "Äldre"],
    }


def test_a_tag_longer_than_taggit_allows_is_a_form_error(coordinator_client, idea):
    response = coordinator_client.post(action_url("tags", idea), {"tags-tags": "x" * 101})
    assert list(form_errors(response, "tags")) == ["tags"]
    assert list(refresh(idea).tags.names()) == []


# Bulk actions on the inbox's selected rows


def bulk(client, ideas, action, **data):
    return client.post(BULK_URL, {"ideas": [idea.pk for idea in ideas], "action": action, **data})


def test_the_inbox_offers_labelled_checkboxes_and_the_bulk_form(coordinator_client, idea):
    html = coordinator_client.get(INDEX_URL).content.decode()
    assert f'id="sluss-select-{idea.pk}" form="sluss-bulk-form"' in html
    assert f'<label for="sluss-select-{idea.pk}" class="w-sr-only">' in html
    assert f'action="{BULK_URL}"' in html
    assert 'name="action" value="move"' in html and 'name="action" value="assign_unit"' in html


def test_bulk_assign_unit(coordinator_client, reviewed_units):
    ideas = [
        IdeaFactory(unit=reviewed_units[0]),
        IdeaFactory(),
        IdeaFactory(unit=reviewed_units[1]),
    ]
    response = bulk(coordinator_client, ideas, "assign_unit", unit=reviewed_units[1].pk)
    assert response.status_code == 302
    assert response["Location"] == INDEX_URL
    assert all(refresh(idea).unit == reviewed_units[1] for idea in ideas)
    # An event for each idea whose unit changed.
    assert IdeaEvent.objects.filter(kind=IdeaEvent.Kind.UNIT).count() == 2
    level, text = last_message(response)
    assert level == "success" and all(idea.reference in text for idea in ideas)


def test_bulk_move_when_every_idea_may_move(coordinator_client, coordinator_user, reviewed_units):
    ideas = [IdeaFactory(unit=reviewed_units[0]) for _ in range(3)]
    process.move_idea(ideas[0], process.SCREENING, user=coordinator_user)
    response = bulk(
        coordinator_client,
        ideas,
        "move",
        to_stage=process.DEVELOPMENT,
        public_note="Vi går vidare.",
    )
    assert response.status_code == 302
    assert {refresh(idea).stage for idea in ideas} == {process.DEVELOPMENT}
    moves = IdeaEvent.objects.filter(to_stage=process.DEVELOPMENT)
    assert moves.count() == 3
    assert set(moves.values_list("public_note", flat=True)) == {"Vi går vidare."}
    assert last_message(response)[0] == "success"


def test_a_mixed_bulk_move_changes_nothing_and_names_the_ideas_that_cannot_move(
    coordinator_client, coordinator_user, reviewed_units
):
    movable = IdeaFactory(unit=reviewed_units[0])
    ahead = IdeaFactory(unit=reviewed_units[0])
    closed = IdeaFactory(unit=reviewed_units[1])
    process.move_idea(ahead, process.PILOT, user=coordinator_user)
    process.move_idea(closed, process.CLOSED, user=coordinator_user, public_note="Nej.")
    events_before = IdeaEvent.objects.count()
    response = bulk(
        coordinator_client, [movable, ahead, closed], "move", to_stage=process.DEVELOPMENT
    )
    assert response.status_code == 302
    assert [refresh(idea).stage for idea in (movable, ahead, closed)] == [
        process.RECEIVED,
        process.PILOT,
        process.CLOSED,
    ]
    assert IdeaEvent.objects.count() == events_before
    ((level, text),) = messages_of(response)
    assert level == "error"
    assert ahead.reference in text and closed.reference in text
    assert movable.reference not in text


def test_bulk_closing_without_a_decision_changes_nothing(coordinator_client, reviewed_units):
    ideas = [IdeaFactory(unit=reviewed_units[0]) for _ in range(2)]
    response = bulk(coordinator_client, ideas, "move", to_stage=process.CLOSED)
    assert {refresh(idea).stage for idea in ideas} == {process.RECEIVED}
    assert last_message(response)[0] == "error"


def test_a_bulk_move_that_fails_half_way_is_rolled_back(
    coordinator_client, reviewed_units, monkeypatch
):
    ideas = [IdeaFactory(unit=reviewed_units[0]) for _ in range(3)]
    real_move = process.move_idea
    calls = []

    def failing_move(idea, to_stage, **kwargs):
        calls.append(idea.pk)
        if len(calls) == 2:
            raise process.TransitionNotAllowed("Someone moved it first.", to_stage=to_stage)
        return real_move(idea, to_stage, **kwargs)

    monkeypatch.setattr(process, "move_idea", failing_move)
    response = bulk(coordinator_client, ideas, "move", to_stage=process.SCREENING)
    assert len(calls) == 2
    assert {refresh(idea).stage for idea in ideas} == {process.RECEIVED}
    assert IdeaEvent.objects.filter(kind=IdeaEvent.Kind.MOVED).count() == 0
    assert last_message(response)[0] == "error"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "move", "to_stage": process.SCREENING},  # nothing selected
        {"ideas": ["abc"], "action": "move", "to_stage": process.SCREENING},
        {"ideas": ["1"], "action": "move"},  # no stage
        {"ideas": ["1"], "action": "assign_unit"},  # no unit
        {"ideas": ["1"], "action": "delete"},
    ],
)
def test_an_incomplete_bulk_form_changes_nothing(coordinator_client, idea, data):
    data = {**data, "ideas": [str(idea.pk) if pk == "1" else pk for pk in data.get("ideas", [])]}
    response = coordinator_client.post(BULK_URL, data)
    assert response.status_code == 302
    assert last_message(response)[0] == "error"
    assert refresh(idea).events.count() == 1


def test_a_reviewer_cannot_act_in_bulk_on_another_units_ideas(client, reviewed_units):
    own, other = IdeaFactory(unit=reviewed_units[0]), IdeaFactory(unit=reviewed_units[1])
    client.force_login(create_reviewer(reviewed_units[0], username="granskare_park"))
    response = bulk(client, [own, other], "move", to_stage=process.SCREENING)
    assert last_message(response)[0] == "error"
    assert other.title not in last_message(response)[1]
    assert {refresh(own).stage, refresh(other).stage} == {process.RECEIVED}


def test_bulk_returns_to_the_filtered_inbox_but_never_elsewhere(
    coordinator_client, idea, reviewed_units
):
    data = {"ideas": [idea.pk], "action": "assign_unit", "unit": reviewed_units[1].pk}
    back = f"{INDEX_URL}?stage__exact=received"
    assert coordinator_client.post(BULK_URL, {**data, "next": back})["Location"] == back
    for elsewhere in ("https://evil.invalid/", "//evil.invalid/admin/", "/admin/"):
        response = coordinator_client.post(BULK_URL, {**data, "next": elsewhere})
        assert response["Location"] == INDEX_URL


def test_bulk_is_post_only(coordinator_client):
    assert coordinator_client.get(BULK_URL).status_code == 405


def test_bulk_assign_leaves_no_event_where_the_unit_does_not_change(coordinator_client, idea):
    response = bulk(coordinator_client, [idea], "assign_unit", unit=idea.unit.pk)
    assert response.status_code == 302
    assert refresh(idea).events.count() == 1


# ---- a host site's own action -------------------------------------------------------------------


@pytest.fixture
def records_action():
    """An action a host site adds (``register_idea_action``): register the idea in its
    records system. Registered after the admin's URLs were built, as in a running site."""
    from django import forms

    from sluss_wagtail.admin.forms import ACTION_FORMS, IdeaActionForm, register_idea_action

    class RecordsForm(IdeaActionForm):
        legend = "Registrera i diariet"
        submit_label = "Registrera"
        success_message = "Registrerad."
        registered = []

        number = forms.CharField(label="Diarienummer", max_length=20)

        def save(self):
            self.registered.append((self.idea.pk, self.cleaned_data["number"]))
            return self.idea.events.last()

    register_idea_action("records", RecordsForm)
    yield RecordsForm
    del ACTION_FORMS["records"]


def test_a_host_site_adds_an_action_to_the_ideas_page(coordinator_client, records_action):
    from sluss_wagtail.admin.forms import register_idea_action

    idea = IdeaFactory()
    url = action_url("records", idea)
    page = coordinator_client.get(idea_admin_path(idea)).content.decode()
    assert records_action.legend in page and f'href="{url}"' in page
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, {"records-number": "KS 2026/17"})
    assert response.status_code == 302
    assert records_action.registered == [(idea.pk, "KS 2026/17")]
    assert last_message(response) == ("success", "Registrerad.")
    # Another form under a taken name is refused; an unknown action is no page.
    with pytest.raises(ValueError):
        register_idea_action("move", records_action)
    assert coordinator_client.get(idea_admin_path(idea, "unknown")).status_code == 404
