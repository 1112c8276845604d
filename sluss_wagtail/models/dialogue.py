"""The dialogue with the idea giver: a thread of messages per idea.

A coordinator (or the idea's coach) writes to the idea giver; the giver reads it on the
status page (no account: the status link is the key) and answers there. The thread is
part of the idea's history, a public record: a message is never edited, and each one
leaves an ``IdeaEvent`` (``message``) as every other step does. Erasure
(``privacy.COPIES``, key ``dialogue``) takes the giver's identity out of it: their
name, address, phone and organisation in every message's text become a marker, and
their files go with the idea's other attachments. Answers' files are the idea's
attachments (``IdeaAttachment``), linked to the answer they came with.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constraints import text_length_constraints
from .ideas import Idea, IdeaAttachment

MESSAGE_MAX_LENGTH = 5_000


class DialogueMessageQuerySet(models.QuerySet):
    def from_giver(self):
        return self.filter(direction=DialogueMessage.Direction.FROM_GIVER)

    def to_giver(self):
        return self.filter(direction=DialogueMessage.Direction.TO_GIVER)


class DialogueMessage(models.Model):
    """One message in an idea's thread: to the idea giver, or the giver's answer."""

    class Direction(models.TextChoices):
        TO_GIVER = "to_giver", _("To the idea giver")
        FROM_GIVER = "from_giver", _("From the idea giver")

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        QUESTION = "question", _("Question")
        ANSWER = "answer", _("Answer")
        # Asked when development starts: take part in developing and testing, publish the name.
        PARTICIPATION = "participation", _("Invitation to take part")

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        related_name="dialogue_messages",
    )
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    # The member of staff who wrote it; none for the giver's answers and for what the
    # package asks by itself (the invitation to take part).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    attachments = models.ManyToManyField(
        IdeaAttachment,
        verbose_name=_("attachments"),
        blank=True,
        related_name="dialogue_messages",
    )
    # The opened answer form it came from: one opened form, one answer at most.
    form_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # When the giver's identity was taken out of it (erasure, retention).
    erased_at = models.DateTimeField(_("identity erased"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = DialogueMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message in the dialogue")
        verbose_name_plural = _("messages in the dialogue")
        indexes = [
            models.Index(fields=["idea", "created_at", "id"], name="sluss_dialogue_thread"),
        ]
        constraints = [
            *text_length_constraints("dialoguemessage", {"text": MESSAGE_MAX_LENGTH}),
        ]

    def __str__(self):
        return f"{self.idea_id} {self.direction} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Messages are part of the history and immutable; write a new one.")
        super().save(*args, **kwargs)

    @property
    def is_from_giver(self):
        return self.direction == self.Direction.FROM_GIVER


class DialogueReading(models.Model):
    """When a member of staff last read an idea's thread (its workspace, where the thread
    is): the giver's answers after it are "not yet read" on their dashboard ("Waiting for
    me", ``admin.waiting``). One row per reader and idea, written over; it holds nothing
    of the idea giver."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        verbose_name = _("reading of the dialogue")
        verbose_name_plural = _("readings of the dialogue")
        constraints = [
            models.UniqueConstraint(fields=["user", "idea"], name="sluss_dialogue_read_once"),
        ]

    def __str__(self):
        return f"{self.idea_id} {self.user_id} {self.read_at:%Y-%m-%d %H:%M}"
