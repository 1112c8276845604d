"""The dialogue with the idea giver: what is written, answered and asked, in one place.

- ``write_to_giver``: a coordinator or the coach writes (a question, a message); the
  giver is e-mailed when they left an address (``signals.message_to_giver``, which
  ``signal_handlers`` turns into ``tasks.send_dialogue_message``).
- ``answer``: the giver answers on the status page, with files as on the idea form;
  the coordinators of the idea's site and its coach are told (``signals.giver_answered``:
  ``tasks.send_dialogue_answer``).
- ``ask_participation``: when development starts (``on_idea_moved``, on the
  ``idea_moved`` signal of ``process.move_idea``) the giver is asked whether they want
  to take part in developing and testing the idea, and whether their name may be
  published; ``record_participation`` records each answer (and each change) as an event.

Every message leaves an ``IdeaEvent`` in the idea's history; who may write is
``permissions.may_converse``; erasure is ``privacy.COPIES`` (``dialogue``).
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, JSONField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from . import process
from .attachments import get_attachment_storage
from .models.dialogue import DialogueMessage
from .models.ideas import Idea, IdeaAttachment, IdeaEvent
from .redaction import scrubber
from .signals import giver_answered, message_to_giver
from .spam import FormAlreadySent

Direction = DialogueMessage.Direction
Kind = DialogueMessage.Kind

#: What the history keeps of a participation answer: a key per question.
TAKE_PART = "take_part"
PUBLISH_NAME = "publish_name"
#: Shown in place of the giver's identity to those who may not see personal data.
HIDDEN_MARKER = _("(the idea giver)")


def write_to_giver(idea, *, user, text, kind=Kind.QUESTION):
    """A message from staff to the idea giver; the giver is e-mailed after commit."""
    text = (text or "").strip()
    if not text:
        raise ValueError("A message needs a text.")
    with transaction.atomic():
        message = DialogueMessage.objects.create(
            idea=idea,
            direction=Direction.TO_GIVER,
            kind=kind,
            author=user if getattr(user, "is_authenticated", False) else None,
            text=text,
        )
        # The history says who wrote when; the text is the message's, shown in the thread.
        idea.events.create(kind=IdeaEvent.Kind.MESSAGE, user=message.author)
    message_to_giver.send(sender=DialogueMessage, message=message)
    return message


def answer(idea, *, text, attachments=(), form_key=None):
    """The idea giver's answer from the status page, with its files (``CleanFile``s).

    All or nothing: the message, its files and its event are saved together, or none of
    them (a file written before a failure is deleted again). One opened form makes at most
    one answer: sent again, ``spam.FormAlreadySent`` with the first.
    """
    text = (text or "").strip()
    stored = []
    try:
        with transaction.atomic():
            message = DialogueMessage.objects.create(
                idea=idea,
                direction=Direction.FROM_GIVER,
                kind=Kind.ANSWER,
                text=text,
                form_key=form_key or None,
            )
            files = []
            for clean_file in attachments:
                attachment = IdeaAttachment.store(idea, clean_file)
                stored.append(attachment.file.name)
                files.append(attachment)
            if files:
                message.attachments.add(*files)
            idea.events.create(kind=IdeaEvent.Kind.ANSWER)
    except IntegrityError:
        for name in stored:
            get_attachment_storage().delete(name)
        existing = DialogueMessage.objects.filter(form_key=form_key).first() if form_key else None
        if existing is not None:
            raise FormAlreadySent(existing) from None
        raise
    except Exception:
        for name in stored:
            get_attachment_storage().delete(name)
        raise
    giver_answered.send(sender=DialogueMessage, message=message)
    return message


def last_participation():
    """The changes of the giver's latest answer on taking part, as a subquery on a row with
    the idea as ``idea`` (a message)."""
    return Subquery(
        IdeaEvent.objects.filter(
            idea=OuterRef("idea"),
            kind=IdeaEvent.Kind.PARTICIPATION,
            changes__has_key=TAKE_PART,
        )
        .order_by("-created_at", "-pk")
        .values("changes")[:1],
        output_field=JSONField(),
    )


def thread(idea):
    """The idea's messages, oldest first, in one query: with their authors, their number of
    files (``file_count``) and the giver's latest answer on taking part
    (``participation_changes``, the same on every message)."""
    return list(
        DialogueMessage.objects.filter(idea=idea)
        .select_related("author")
        .annotate(file_count=Count("attachments"), participation_changes=last_participation())
        .order_by("created_at", "pk")
    )


def with_files(messages):
    """Each message's files as ``files`` (one query, none when no message has a file)."""
    for message in messages:
        message.files = []
    if not any(message.file_count for message in messages):
        return messages
    by_pk = {message.pk: message for message in messages}
    links = DialogueMessage.attachments.through.objects.filter(
        dialoguemessage__in=list(by_pk)
    ).select_related("ideaattachment")
    for link in links.order_by("ideaattachment_id"):
        by_pk[link.dialoguemessage_id].files.append(link.ideaattachment)
    return messages


def identity_values(idea):
    return Idea.objects.giver_identities([idea.pk])[idea.pk]


def deidentified(idea, messages):
    """The messages' texts without the giver's identity (for those who may not see it):
    ``message.shown_text`` on each."""
    scrub = scrubber(identity_values(idea), HIDDEN_MARKER)
    for message in messages:
        message.shown_text = scrub(message.text)
    return messages


# Taking part in development ---------------------------------------------------------------


def participation_asked(idea):
    return DialogueMessage.objects.filter(idea=idea, kind=Kind.PARTICIPATION).exists()


def ask_participation(idea):
    """Ask the giver (once) whether they want to take part and may be named; or None."""
    if participation_asked(idea):
        return None
    # The move into development is its event; the giver's answers are theirs.
    message = DialogueMessage.objects.create(
        idea=idea, direction=Direction.TO_GIVER, kind=Kind.PARTICIPATION
    )
    message_to_giver.send(sender=DialogueMessage, message=message)
    return message


_UNKNOWN = object()


def participation_answers(idea, changes=_UNKNOWN):
    """The giver's latest answers: ``{"take_part": True/False/None, "publish_name": bool}``.
    ``changes``: the latest answer's, when read already (``thread``)."""
    answers = {TAKE_PART: None, PUBLISH_NAME: bool(idea.publish_name)}
    if changes is _UNKNOWN:
        changes = (
            IdeaEvent.objects.filter(
                idea=idea, kind=IdeaEvent.Kind.PARTICIPATION, changes__has_key=TAKE_PART
            )
            .order_by("-created_at", "-pk")
            .values_list("changes", flat=True)
            .first()
        )
    if isinstance((changes or {}).get(TAKE_PART), dict):
        answers[TAKE_PART] = changes[TAKE_PART].get("new")
    return answers


def answers_in_thread(idea, messages):
    """The answers on taking part as the thread read them; None when nobody asked."""
    asked = [message for message in messages if message.kind == Kind.PARTICIPATION]
    if not asked:
        return None
    return participation_answers(idea, asked[0].participation_changes)


def record_participation(idea, *, take_part, publish_name):
    """Record the giver's answers as an event; ``None`` when nothing changed.

    The name's answer is the idea's own consent (``Idea.publish_name``), which every
    public page reads; a name is only ever published with its idea, so without the
    consent to publish the idea it stays off. Taking it back takes the name off the
    innovation pages (``privacy.withdraw_name``).
    """
    from . import privacy

    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        before = participation_answers(idea)
        publish_name = bool(publish_name) and idea.publish_idea
        changes = {}
        if before[TAKE_PART] != take_part:
            changes[TAKE_PART] = {"old": before[TAKE_PART], "new": take_part}
        if before[PUBLISH_NAME] != publish_name:
            changes[PUBLISH_NAME] = {"old": before[PUBLISH_NAME], "new": publish_name}
        if not changes:
            return None
        if PUBLISH_NAME in changes:
            if publish_name:
                idea.publish_name = True
                idea.save(update_fields=["publish_name", "updated_at"])
            else:
                privacy.withdraw_name(idea)
        return idea.events.create(kind=IdeaEvent.Kind.PARTICIPATION, changes=changes)


def on_idea_moved(sender, idea, event, **kwargs):
    """Development starts: the giver is asked about taking part (``signal_handlers``)."""
    if event.to_stage == process.DEVELOPMENT and event.from_stage != process.DEVELOPMENT:
        ask_participation(idea)


def may_answer(idea):
    """Whether the giver may still answer in the thread (a withdrawn idea takes no answers)."""
    return not idea.is_withdrawn
