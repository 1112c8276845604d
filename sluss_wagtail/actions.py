"""What a coordinator does to an idea besides moving it; every action leaves an event.

Moves between stages go through ``process.move_idea``; these are the other
changes: the unit, duplicates, confidentiality, tags and corrections of the
text. The history is never edited: each change is a new ``IdeaEvent`` that
says who, when and what changed, so the original stays readable.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Idea, IdeaEvent
from .signals import unit_assigned

CORRECTABLE_FIELDS = ("title", "description", "need", "beneficiaries")


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def record(idea, kind, *, user, public_note="", internal_note="", changes=None):
    return idea.events.create(
        kind=kind,
        user=_user(user),
        public_note=(public_note or "").strip(),
        internal_note=(internal_note or "").strip(),
        changes=changes or {},
    )


def assign_unit(idea, unit, *, user, internal_note=""):
    """Route the idea to ``unit`` (or to no unit); its contact hears of it."""
    if idea.unit_id == (unit.pk if unit else None):
        return None
    old = str(idea.unit) if idea.unit_id else ""
    with transaction.atomic():
        idea.unit = unit
        idea.save(update_fields=["unit", "updated_at"])
        event = record(
            idea,
            IdeaEvent.Kind.UNIT,
            user=user,
            internal_note=internal_note,
            changes={"unit": {"old": old, "new": str(unit) if unit else ""}},
        )
    if unit is not None:
        unit_assigned.send(sender=Idea, idea=idea, event=event)
    return event


def mark_duplicate(idea, original, *, user, public_note="", internal_note=""):
    """Link ``idea`` to ``original``; its giver then follows the original."""
    if original is not None:
        original = original.duplicate_of or original
        if original.pk == idea.pk:
            raise ValidationError(_("An idea cannot be a duplicate of itself."))
    with transaction.atomic():
        old = idea.duplicate_of.reference if idea.duplicate_of_id else ""
        idea.duplicate_of = original
        idea.save(update_fields=["duplicate_of", "updated_at"])
        # Ideas that followed this one now follow the original.
        if original is not None:
            idea.duplicates.update(duplicate_of=original)
        return record(
            idea,
            IdeaEvent.Kind.DUPLICATE,
            user=user,
            public_note=public_note,
            internal_note=internal_note,
            changes={"duplicate_of": {"old": old, "new": original.reference if original else ""}},
        )


def set_confidential(idea, confidential, *, user, internal_note=""):
    if idea.confidential == confidential:
        return None
    with transaction.atomic():
        idea.confidential = confidential
        idea.save(update_fields=["confidential", "updated_at"])
        return record(
            idea,
            IdeaEvent.Kind.CONFIDENTIAL,
            user=user,
            internal_note=internal_note,
            changes={"confidential": {"old": not confidential, "new": confidential}},
        )


def set_tags(idea, tags, *, user):
    new = sorted({str(tag).strip() for tag in tags if str(tag).strip()}, key=str.lower)
    old = sorted(idea.tags.names(), key=str.lower)
    if old == new:
        return None
    with transaction.atomic():
        idea.tags.set(new)
        return record(
            idea, IdeaEvent.Kind.TAGS, user=user, changes={"tags": {"old": old, "new": new}}
        )


def correct_idea(idea, *, user, internal_note="", **fields):
    """Correct the idea's text; the event keeps the original."""
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    changes = {
        name: {"old": getattr(idea, name), "new": value.strip()}
        for name, value in fields.items()
        if value is not None and value.strip() != getattr(idea, name)
    }
    if not changes:
        return None
    with transaction.atomic():
        for name, change in changes.items():
            setattr(idea, name, change["new"])
        idea.full_clean(exclude=["unit", "source_page", "submitted_by", "duplicate_of"])
        idea.save(update_fields=[*changes, "updated_at"])
        return record(
            idea, IdeaEvent.Kind.CORRECTED, user=user, internal_note=internal_note, changes=changes
        )
