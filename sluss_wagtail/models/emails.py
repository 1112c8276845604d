"""E-mails about an idea that did not go out: recorded by the tasks, sent again by a command."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ideas import Idea


class FailedEmailQuerySet(models.QuerySet):
    def unsent(self):
        """The e-mails still waiting to be sent again."""
        return self.filter(status=FailedEmail.Status.FAILED)


class FailedEmail(models.Model):
    """A notice about an idea whose e-mail could not be sent, kept until it is sent again.

    It holds no personal data: ``manage.py sluss_resend_emails`` renders the notice again
    from the idea (a contact erased since has nothing to send), and the error is kept
    without the e-mail addresses in it (``outbox.describe_error``).
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt to the idea giver")
        NEW_IDEA = "new_idea", _("Note to the coordinators")
        FEEDBACK = "feedback", _("Feedback to the idea giver")
        UNIT_ASSIGNED = "unit_assigned", _("Note to the unit")
        INNOVATION_PUBLISHED = "innovation_published", _("Showcase notice to the idea giver")
        FOLLOW_CONFIRM = "follow_confirm", _("Confirmation to a follower")
        FOLLOWER_FEEDBACK = "follower_feedback", _("Feedback to the followers")
        FOLLOWER_OUTCOME = "follower_outcome", _("Challenge outcome to the followers")
        FOLLOWER_ADOPTION = "follower_adoption", _("New adoption to the followers")
        COACH_ASSIGNED = "coach_assigned", _("Note to the idea coach")
        DIALOGUE_MESSAGE = "dialogue_message", _("Message to the idea giver")
        DIALOGUE_ANSWER = "dialogue_answer", _("The idea giver's answer, to the coordinators")
        ASSESSMENT_REQUESTED = "assessment_requested", _("Request to an assessor")

    class Status(models.TextChoices):
        FAILED = "failed", _("Not sent")
        SENT = "sent", _("Sent again")
        OBSOLETE = "obsolete", _("Nothing to send any more")

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="failed_emails"
    )
    kind = models.CharField(_("e-mail"), max_length=30, choices=Kind.choices)
    # What the task was given: the idea's, the event's or the innovation page's key.
    object_id = models.PositiveBigIntegerField(_("object id"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FAILED
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    created_at = models.DateTimeField(_("first failed"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent again"), null=True, blank=True)
    # A run of sluss_resend_emails is sending it until then (see outbox.resend).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FailedEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One open record per notice: a notice that fails again counts an attempt.
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=Q(status="failed"),
                name="sluss_failedemail_one_open",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="sluss_failedemail_status")]
        verbose_name = _("e-mail not sent")
        verbose_name_plural = _("e-mails not sent")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.idea_id})"
