"""Background work: ``django.tasks`` on Django 6, the ``django_tasks`` backport on 5.2.

The default backend runs a task at once; a real site points ``TASKS`` at a
worker backend, which can also retry a task that failed (a mail server that
was down). Tasks take primary keys, never model instances, and a task whose
idea or event is gone does nothing.
"""

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

from . import notifications
from .models import Idea, IdeaEvent, InnovationPage, SlussSettings


def _idea(idea_id):
    # The challenge (a page: a wide join) is read only for an idea that has one.
    return Idea.objects.select_related("contact", "unit").filter(pk=idea_id).first()


def _event(event_id):
    return (
        IdeaEvent.objects.select_related("idea__contact", "idea__unit").filter(pk=event_id).first()
    )


@task()
def send_idea_receipt(idea_id):
    idea = _idea(idea_id)
    if idea is not None:
        notifications.send_idea_receipt(idea)


@task()
def send_new_idea_to_coordinators(idea_id):
    # No addresses set (the default): nothing to read, nothing to send.
    site_settings = SlussSettings.for_default_site()
    if not notifications.get_coordinator_emails(site_settings):
        return
    idea = _idea(idea_id)
    if idea is not None:
        notifications.send_new_idea_to_coordinators(idea, site_settings)


@task()
def send_feedback(event_id):
    event = _event(event_id)
    if event is not None:
        notifications.send_feedback(event)


@task()
def send_unit_assignment(event_id):
    event = _event(event_id)
    if event is not None:
        notifications.send_unit_assignment(event)


@task()
def send_innovation_published(page_id):
    page = InnovationPage.objects.select_related("idea__contact").filter(pk=page_id).first()
    if page is not None:
        notifications.send_innovation_published(page)
