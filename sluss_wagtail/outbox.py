"""E-mails that did not go out: recorded where a task fails, sent again by a command.

No task backend retries a task (the immediate one cannot, ``django_tasks_db``'s worker
does not). So a notice whose e-mail fails is recorded as a ``FailedEmail`` whatever the
backend, coordinators see it in the admin, and ``manage.py sluss_resend_emails`` (from
cron) sends it again: the one place an e-mail is retried.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models.emails import FailedEmail

#: How long one run of the command may take to send one e-mail before another run may
#: take it over (a run that died mid-send).
CLAIM_SECONDS = 600
ERROR_MAX_LENGTH = FailedEmail._meta.get_field("error").max_length
# A mail server's error often quotes the address it refused: personal data, left out.
EMAIL_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"'@]+@[^\s<>()\[\],;:\"'@]+")


class EmailNotSent(Exception):
    """A task's e-mail could not be sent; it is recorded as a ``FailedEmail``.

    Raised in place of the mail server's error, whose message (often quoting the
    refused address) would otherwise be kept in the task backend's results and logs.
    """


@dataclass(frozen=True)
class Notice:
    """What a task sends: ``send(object_id)`` returns what it sent (nothing: nothing to
    send), ``idea_of(object_id)`` the key of the idea the notice is about."""

    kind: str
    send: Callable
    idea_of: Callable


def describe_error(exc):
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return EMAIL_ADDRESS.sub("…", text)[:ERROR_MAX_LENGTH]


def record_failure(notice, object_id, exc, *, now=None):
    """Record (or count one more attempt of) the notice ``object_id`` that failed."""
    now = now or timezone.now()
    error = describe_error(exc)
    open_records = FailedEmail.objects.unsent().filter(kind=notice.kind, object_id=object_id)
    if open_records.update(attempts=F("attempts") + 1, error=error, last_attempt_at=now):
        return
    idea_id = notice.idea_of(object_id)
    if idea_id is None:
        return  # the idea is gone: nobody to tell
    try:
        with transaction.atomic():
            FailedEmail.objects.create(
                idea_id=idea_id,
                kind=notice.kind,
                object_id=object_id,
                error=error,
                created_at=now,
                last_attempt_at=now,
            )
    except IntegrityError:
        # Another process recorded the same notice a moment ago.
        open_records.update(attempts=F("attempts") + 1, error=error, last_attempt_at=now)


def run(notice, object_id):
    """Send the notice from a task; a failure is recorded, then raised (the task failed)."""
    try:
        sent = notice.send(object_id)
    except Exception as exc:
        # Recorded, then raised: the backend logs the failed task and keeps its traceback,
        # which shows neither the mail server's words nor an address (``from None``).
        record_failure(notice, object_id, exc)
        raise EmailNotSent(f"{notice.kind} {object_id}: {describe_error(exc)}") from None
    return count(sent)


def count(sent):
    """How many messages ``sent`` is (a task's result must be JSON)."""
    if not sent:
        return 0
    return len(sent) if isinstance(sent, list) else 1


def claim(record_id, now):
    """Take the record for this run: one conditional UPDATE, so of two runs at once
    (cron overlapping itself, two machines) exactly one gets it, on every database."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        FailedEmail.objects.unsent()
        .filter(free, pk=record_id)
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )


def resend(notices, *, now=None):
    """Send every unsent e-mail again, oldest first; returns ``{status: count}``.

    ``notices`` maps each kind to its ``Notice``. A notice is rendered again from what is
    in the database now; one that has nothing to send any more (the contact was erased,
    the unit has no address) is marked obsolete. A run that dies between sending and
    marking sends that e-mail once more after ``CLAIM_SECONDS``: at least once, never lost.
    """
    now = now or timezone.now()
    results = {"sent": 0, "obsolete": 0, "failed": 0, "skipped": 0}
    ids = list(
        FailedEmail.objects.unsent().order_by("created_at", "pk").values_list("pk", flat=True)
    )
    for record_id in ids:
        if not claim(record_id, now):
            results["skipped"] += 1
            continue
        record = FailedEmail.objects.get(pk=record_id)
        record.attempts += 1
        record.last_attempt_at = timezone.now()
        record.claimed_until = None
        try:
            sent = notices[record.kind].send(record.object_id)
        except Exception as exc:
            record.error = describe_error(exc)
            record.save(update_fields=["attempts", "last_attempt_at", "claimed_until", "error"])
            results["failed"] += 1
            continue
        if count(sent):
            record.status = FailedEmail.Status.SENT
            record.sent_at = record.last_attempt_at
            results["sent"] += 1
        else:
            record.status = FailedEmail.Status.OBSOLETE
            results["obsolete"] += 1
        record.save(
            update_fields=["attempts", "last_attempt_at", "claimed_until", "status", "sent_at"]
        )
    return results
