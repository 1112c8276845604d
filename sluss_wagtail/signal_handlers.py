"""Receivers of the package's signals, connected in ``AppConfig.ready()``.

Everything here runs after the transaction commits: a submission is saved
whatever happens to the e-mail or to a host site's hook.
"""

from functools import partial

from django.db import transaction

from . import hooks
from .signals import idea_moved, idea_submitted


def on_idea_submitted(sender, idea, **kwargs):
    from .tasks import send_idea_receipt

    transaction.on_commit(partial(send_idea_receipt.enqueue, idea.pk), robust=True)
    transaction.on_commit(partial(hooks.run_hooks, hooks.IDEA_SUBMITTED, idea), robust=True)


def on_idea_moved(sender, idea, event, **kwargs):
    transaction.on_commit(partial(hooks.run_hooks, hooks.IDEA_MOVED, idea, event), robust=True)


def connect():
    idea_submitted.connect(on_idea_submitted, dispatch_uid="sluss_wagtail.idea_submitted")
    idea_moved.connect(on_idea_moved, dispatch_uid="sluss_wagtail.idea_moved")
