"""Background work: ``django.tasks`` on Django 6, the ``django_tasks`` backport on 5.2.

The default backend runs a task at once; a real site points ``TASKS`` at a
worker backend. Tasks take primary keys, never model instances.
"""

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

from . import notifications
from .models import Idea


@task()
def send_idea_receipt(idea_id):
    idea = Idea.objects.select_related("contact").filter(pk=idea_id).first()
    if idea is not None:
        notifications.send_idea_receipt(idea)
