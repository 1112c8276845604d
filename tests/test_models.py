"""Ideas as data: reference numbers, status tokens, personal data kept apart, immutable history."""

import threading

import pytest
from django.db import DataError, IntegrityError, connection, connections
from django.utils import timezone

from sluss_wagtail.models import Idea, IdeaEvent, ReferenceCounter
from sluss_wagtail.models.ideas import format_reference
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def this_year():
    return timezone.localdate().year


def test_references_are_a_sequence_per_year():
    first, second = IdeaFactory(), IdeaFactory()
    year = this_year()
    assert first.reference == f"IDE-{year}-0001"
    assert second.reference == f"IDE-{year}-0002"
    ReferenceCounter.objects.create(year=year + 1, last_number=41)
    assert ReferenceCounter.next_number(year + 1) == 42


def test_the_reference_format_is_configurable(settings):
    settings.SLUSS_WAGTAIL_REFERENCE_FORMAT = "LERUM/{year}/{number}"
    assert IdeaFactory().reference == f"LERUM/{this_year()}/1"
    assert format_reference(2026, 42) == "LERUM/2026/42"


def test_a_failed_submission_gives_its_number_back():
    IdeaFactory()
    with pytest.raises((IntegrityError, DataError)):
        # A title longer than the column makes PostgreSQL refuse the row; on SQLite
        # the too-long description breaks the check constraint. Either way: rollback.
        Idea.objects.submit(
            title="x" * 300, description="x" * 20_000, need="x", submitter_kind="resident"
        )
    assert IdeaFactory().reference.endswith("-0002")


def test_status_tokens_are_unguessable_and_unique():
    tokens = {IdeaFactory().status_token for _ in range(20)}
    assert len(tokens) == 20
    # token_urlsafe(24): 32 characters of 6 bits = 192 bits of randomness.
    assert all(len(token) >= 32 for token in tokens)


def test_personal_data_is_kept_apart_from_the_idea():
    idea = IdeaFactory(contact={"name": "Karin Lund", "email": "karin@exempelby.invalid"})
    field_names = {field.name for field in Idea._meta.get_fields()}
    assert not {"name", "email", "phone"} & field_names
    assert idea.contact.name == "Karin Lund"


def test_an_idea_without_contact_details_has_no_contact_row():
    idea = IdeaFactory(contact={"name": "", "email": "", "phone": "", "organisation": ""})
    assert not hasattr(idea, "contact")


def test_the_history_is_immutable():
    idea = IdeaFactory()
    event = idea.events.get()
    event.public_note = "changed"
    with pytest.raises(ValueError):
        event.save()
    assert IdeaEvent.objects.get(pk=event.pk).public_note == ""


def test_the_same_submission_key_gives_the_same_idea():
    first = IdeaFactory(submission_key="abc")
    second = IdeaFactory(submission_key="abc")
    assert first.pk == second.pk
    assert Idea.objects.count() == 1


def test_the_idea_submitted_hook_runs_after_commit(django_capture_on_commit_callbacks):
    from wagtail import hooks

    seen = []
    with (
        hooks.register_temporarily(
            "sluss_wagtail_idea_submitted", lambda idea: seen.append(idea.reference)
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        idea = IdeaFactory()
        assert seen == []
    assert seen == [idea.reference]


def test_a_failing_hook_never_loses_the_idea(django_capture_on_commit_callbacks):
    from wagtail import hooks

    def broken(idea):
        raise RuntimeError("records system down")

    with (
        hooks.register_temporarily("sluss_wagtail_idea_submitted", broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        IdeaFactory()
    assert Idea.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_never_share_a_reference():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises all writers anyway")
    workers = 16
    barrier = threading.Barrier(workers)
    references, errors = [], []

    def submit(n):
        try:
            barrier.wait(timeout=30)
            idea = Idea.objects.submit(
                title=f"Samtidig idé {n}", description="x", need="y", submitter_kind="resident"
            )
            references.append(idea.reference)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = this_year()
    assert sorted(references) == [f"IDE-{year}-{n:04d}" for n in range(1, workers + 1)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_first_submissions_of_a_year_create_one_counter():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    workers = 8
    barrier = threading.Barrier(workers)
    numbers, errors = [], []

    def take(n):
        from django.db import transaction

        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                numbers.append(ReferenceCounter.next_number(2099))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, workers + 1))
    assert ReferenceCounter.objects.filter(year=2099).count() == 1
