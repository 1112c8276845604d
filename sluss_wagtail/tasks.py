"""Background work: ``django.tasks`` on Django 6, the ``django_tasks`` backport on 5.2.

The default backend runs a task at once, after the commit; a real site points ``TASKS``
at a worker backend (``django_tasks_db``, the ``worker`` extra) and runs its worker.
Tasks take primary keys, never model instances, and a task whose idea or event is gone
does nothing. No backend retries a task: an e-mail that fails is recorded
(``outbox``) and sent again by ``manage.py sluss_resend_emails``.
"""

from functools import partial

from django.db import transaction

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

from . import notifications, outbox, page_types
from .models.dialogue import DialogueMessage
from .models.emails import FailedEmail
from .models.ideas import Idea, IdeaEvent

Kind = FailedEmail.Kind


def after_commit(function, *args):
    """Call ``function(*args)`` once the transaction commits (``robust``: a failure is
    logged, never raised): how the package enqueues its tasks and runs its hooks."""
    transaction.on_commit(partial(function, *args), robust=True)


def _one(queryset, pk):
    """The row ``pk`` of ``queryset``, or None. Without the model's default order: one row
    has nothing to sort, and compiling an idea's order with its joins cost a millisecond
    a read (a submission's tasks read the idea twice in the request; issue 23)."""
    return queryset.filter(pk=pk).order_by().first()


def _idea(idea_id):
    # The challenge (a page: a wide join) is read only for an idea that has one.
    return _one(Idea.objects.select_related("contact", "unit"), idea_id)


def _event(event_id):
    return _one(IdeaEvent.objects.select_related("idea__contact", "idea__unit"), event_id)


def _idea_of_event(event_id):
    return _one(IdeaEvent.objects.values_list("idea_id", flat=True), event_id)


def _idea_of_page(page_id):
    return _one(page_types.innovation_model().objects.values_list("idea_id", flat=True), page_id)


def _idea_itself(idea_id):
    return _one(Idea.objects.values_list("pk", flat=True), idea_id)


# What each task sends, in plain functions: the tasks run them, and so does
# sluss_resend_emails for an e-mail that failed. Each returns what it sent.


def idea_receipt(idea_id):
    idea = _idea(idea_id)
    return notifications.send_idea_receipt(idea) if idea is not None else None


def new_idea_to_coordinators(idea_id):
    idea = _idea(idea_id)
    if idea is None:
        return None
    # The coordinators of the site it came through; none set (the default): nothing sent.
    return notifications.send_new_idea_to_coordinators(idea)


def feedback(event_id):
    event = _event(event_id)
    return notifications.send_feedback(event) if event is not None else None


def unit_assignment(event_id):
    event = _event(event_id)
    return notifications.send_unit_assignment(event) if event is not None else None


def coach_assignment(event_id):
    event = _event(event_id)
    return notifications.send_coach_assignment(event) if event is not None else None


def innovation_published(page_id):
    page = _one(page_types.innovation_model().objects.select_related("idea__contact"), page_id)
    return notifications.send_innovation_published(page) if page is not None else None


def follow_confirmation(subscription_id):
    from .models.following import Subscription

    found = _one(Subscription.objects.select_related("idea"), subscription_id)
    return notifications.send_follow_confirmation(found) if found is not None else None


def follower_feedback(event_id):
    event = _event(event_id)
    return notifications.send_follower_feedback(event) if event is not None else None


def _revision_page(revision_id):
    from wagtail.models import Revision

    revision = _one(Revision.objects, revision_id)
    if revision is None or revision.base_content_type_id is None:
        return None
    model = page_types.challenge_model()
    return _one(model.objects, revision.object_id)


def follower_outcome(revision_id):
    page = _revision_page(revision_id)
    return notifications.send_follower_outcome(page, revision_id) if page is not None else None


def follower_adoption(adoption_id):
    from .models.adoptions import Adoption

    adoption = _one(Adoption.objects, adoption_id)
    return notifications.send_follower_adoption(adoption) if adoption is not None else None


def _idea_of_subscription(subscription_id):
    from .models.following import Subscription

    return _one(Subscription.objects.values_list("idea_id", flat=True), subscription_id)


def _idea_of_revision(revision_id):
    # A challenge's outcome is about no idea: a failure is logged by the task, not kept.
    return None


def _idea_of_adoption(adoption_id):
    from .models.adoptions import Adoption

    page_id = _one(Adoption.objects.values_list("innovation_id", flat=True), adoption_id)
    return _idea_of_page(page_id) if page_id else None


def _message(message_id):
    return _one(DialogueMessage.objects.select_related("idea__contact", "idea__site"), message_id)


def _idea_of_message(message_id):
    return _one(DialogueMessage.objects.values_list("idea_id", flat=True), message_id)


def dialogue_message(message_id):
    message = _message(message_id)
    return notifications.send_dialogue_message(message) if message is not None else None


def dialogue_answer(message_id):
    message = _message(message_id)
    return notifications.send_dialogue_answer(message) if message is not None else None


def assessment_request(request_id):
    from .models.assessment import AssessmentRequest

    request = _one(AssessmentRequest.objects.select_related("idea", "assessor"), request_id)
    return notifications.send_assessment_request(request) if request is not None else None


def _idea_of_assessment_request(request_id):
    from .models.assessment import AssessmentRequest

    return _one(AssessmentRequest.objects.values_list("idea_id", flat=True), request_id)


#: Every kind of notice: what sends it and which idea it is about.
NOTICES = {
    notice.kind: notice
    for notice in (
        outbox.Notice(Kind.RECEIPT, idea_receipt, _idea_itself),
        outbox.Notice(Kind.NEW_IDEA, new_idea_to_coordinators, _idea_itself),
        outbox.Notice(Kind.FEEDBACK, feedback, _idea_of_event),
        outbox.Notice(Kind.UNIT_ASSIGNED, unit_assignment, _idea_of_event),
        outbox.Notice(Kind.INNOVATION_PUBLISHED, innovation_published, _idea_of_page),
        outbox.Notice(Kind.FOLLOW_CONFIRM, follow_confirmation, _idea_of_subscription),
        outbox.Notice(Kind.FOLLOWER_FEEDBACK, follower_feedback, _idea_of_event),
        outbox.Notice(Kind.FOLLOWER_OUTCOME, follower_outcome, _idea_of_revision),
        outbox.Notice(Kind.FOLLOWER_ADOPTION, follower_adoption, _idea_of_adoption),
        outbox.Notice(Kind.COACH_ASSIGNED, coach_assignment, _idea_of_event),
        outbox.Notice(Kind.DIALOGUE_MESSAGE, dialogue_message, _idea_of_message),
        outbox.Notice(Kind.DIALOGUE_ANSWER, dialogue_answer, _idea_of_message),
        outbox.Notice(Kind.ASSESSMENT_REQUESTED, assessment_request, _idea_of_assessment_request),
    )
}


# The tasks return how many messages they sent: a worker stores the result as JSON.


@task()
def send_idea_receipt(idea_id):
    return outbox.run(NOTICES[Kind.RECEIPT], idea_id)


@task()
def send_new_idea_to_coordinators(idea_id):
    return outbox.run(NOTICES[Kind.NEW_IDEA], idea_id)


@task()
def send_feedback(event_id):
    return outbox.run(NOTICES[Kind.FEEDBACK], event_id)


@task()
def send_unit_assignment(event_id):
    return outbox.run(NOTICES[Kind.UNIT_ASSIGNED], event_id)


@task()
def send_innovation_published(page_id):
    return outbox.run(NOTICES[Kind.INNOVATION_PUBLISHED], page_id)


@task()
def send_follow_confirmation(subscription_id):
    return outbox.run(NOTICES[Kind.FOLLOW_CONFIRM], subscription_id)


@task()
def send_follower_feedback(event_id):
    return outbox.run(NOTICES[Kind.FOLLOWER_FEEDBACK], event_id)


@task()
def send_follower_outcome(revision_id):
    return outbox.run(NOTICES[Kind.FOLLOWER_OUTCOME], revision_id)


@task()
def send_follower_adoption(adoption_id):
    return outbox.run(NOTICES[Kind.FOLLOWER_ADOPTION], adoption_id)


@task()
def send_coach_assignment(event_id):
    return outbox.run(NOTICES[Kind.COACH_ASSIGNED], event_id)


@task()
def send_dialogue_message(message_id):
    return outbox.run(NOTICES[Kind.DIALOGUE_MESSAGE], message_id)


@task()
def send_dialogue_answer(message_id):
    return outbox.run(NOTICES[Kind.DIALOGUE_ANSWER], message_id)


@task()
def send_assessment_request(request_id):
    return outbox.run(NOTICES[Kind.ASSESSMENT_REQUESTED], request_id)


def resend_failed_emails(now=None):
    """Send every e-mail that failed again (``manage.py sluss_resend_emails``)."""
    return outbox.resend(NOTICES, now=now)
