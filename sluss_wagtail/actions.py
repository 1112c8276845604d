"""What a coordinator does to an idea besides moving it; every action leaves an event.

Moves between stages go through ``process.move_idea``; these are the other
changes: the unit, duplicates, confidentiality, tags and corrections of the
text. The history is never edited: each change is a new ``IdeaEvent`` that
says who, when and what changed, so the original stays readable.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.actions.unpublish_page import UnpublishPageAction

from . import page_types, process
from .models.ideas import Idea, IdeaEvent
from .signals import coach_assigned, unit_assigned

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
    if unit is not None and unit.sluice_id != idea.sluice_id:
        # Each sluice's ideas go to its own units only.
        raise ValidationError(_("The unit belongs to another sluice than the idea."))
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


def _user_name(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def assign_coach(idea, coach, *, user, internal_note=""):
    """Give ``idea`` to the coach ``coach`` (or to none); the coach hears of it by e-mail.

    The coach must be an admin user who may see the idea (``permissions.may_coach``);
    the history keeps who was coach before."""
    from . import permissions

    if idea.coach_id == (coach.pk if coach else None):
        return None
    if coach is not None and not permissions.may_coach(coach, idea):
        raise ValidationError(_("The idea coach must be an admin user who may see the idea."))
    old = _user_name(idea.coach) if idea.coach_id else ""
    with transaction.atomic():
        idea.coach = coach
        idea.save(update_fields=["coach", "updated_at"])
        event = record(
            idea,
            IdeaEvent.Kind.COACH,
            user=user,
            internal_note=internal_note,
            changes={"coach": {"old": old, "new": _user_name(coach)}},
        )
    if coach is not None:
        coach_assigned.send(sender=Idea, idea=idea, event=event)
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
    """Mark an idea confidential (or no longer). A confidential idea is never public: an
    innovation page already published from it is unpublished at once, its scheduled
    publishing and its moderation are cancelled (an editor may publish it again once the
    idea is no longer confidential; until then every publish is refused, see
    ``InnovationPageMixin.save()``).

    Who may do this is ``permissions.can_set_confidential()``; the admin's form and view
    ask it."""
    if idea.confidential == confidential:
        return None
    with transaction.atomic():
        idea.confidential = confidential
        idea.save(update_fields=["confidential", "updated_at"])
        unpublished = []
        if confidential:
            for page in page_types.innovation_model().objects.filter(idea=idea):
                # Nothing left to publish it later: no scheduled revision, no moderation.
                page.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
                workflow_state = page.current_workflow_state
                if workflow_state:
                    workflow_state.cancel(user=_user(user))
                if page.live:
                    # The coordinator's decision about the idea overrides page permissions:
                    # a confidential idea must leave the site even if they cannot edit it.
                    UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
                    unpublished.append(page.title)
        changes = {"confidential": {"old": not confidential, "new": confidential}}
        if unpublished:
            changes["unpublished"] = unpublished
        return record(
            idea,
            IdeaEvent.Kind.CONFIDENTIAL,
            user=user,
            internal_note=internal_note,
            changes=changes,
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
        idea.full_clean(
            exclude=["sluice", "unit", "source_page", "site", "submitted_by", "duplicate_of"]
        )
        idea.save(update_fields=[*changes, "updated_at"])
        return record(
            idea, IdeaEvent.Kind.CORRECTED, user=user, internal_note=internal_note, changes=changes
        )


def save_pilot(pilot, *, user):
    """Save a new or changed small-scale test of an idea, and say so in the idea's history."""
    created = pilot.pk is None
    with transaction.atomic():
        pilot.full_clean(exclude=["idea", "units", "decided_by"])
        pilot.save()
        return record(
            pilot.idea,
            IdeaEvent.Kind.PILOT_RECORDED,
            user=user,
            changes={
                "pilot": {
                    "title": pilot.title,
                    "outcome": pilot.outcome,
                    "created": created,
                }
            },
        )


# What a decision after a small-scale test does to the idea.
DECISION_TARGETS = {
    "scale_up": process.IMPLEMENTED,
    "test_again": process.PILOT,
    "stop": process.CLOSED,
}


def decide_pilot(pilot, decision, *, user, public_note="", internal_note=""):
    """Record the decision after a small-scale test and move the idea accordingly.

    Scale up → implemented, test again → back to pilot, stop → closed (the
    lessons become the decision text unless a public note is given). An idea
    still at ``pilot`` passes evaluation on the way, as the process requires.
    Nothing moves without a decision; a move the process forbids raises
    ``TransitionNotAllowed`` and nothing is saved.
    """
    from django.utils import timezone

    if decision not in DECISION_TARGETS:
        raise ValidationError(_("Choose a decision: scale up, test again or stop."))
    idea = pilot.idea
    if idea.stage not in (process.PILOT, process.EVALUATION):
        raise process.TransitionNotAllowed(
            _("A decision after a test needs the idea to be in a test or its evaluation."),
            from_stage=idea.stage,
        )
    target = DECISION_TARGETS[decision]
    note = (public_note or "").strip()
    if target == process.CLOSED and not note:
        note = pilot.lessons.strip()
    with transaction.atomic():
        if idea.stage == process.PILOT:
            process.move_idea(idea, process.EVALUATION, user=user, internal_note=pilot.title)
        process.move_idea(idea, target, user=user, public_note=note, internal_note=internal_note)
        pilot.decision = decision
        pilot.decided_at = timezone.now()
        pilot.decided_by = _user(user)
        pilot.save(update_fields=["decision", "decided_at", "decided_by"])
        return record(
            idea,
            IdeaEvent.Kind.PILOT_DECIDED,
            user=user,
            changes={
                "pilot": {"title": pilot.title, "outcome": pilot.outcome, "decision": decision}
            },
        )


#: Stages from which an idea can be promoted to the showcase.
PROMOTABLE_STAGES = frozenset({process.EVALUATION, process.IMPLEMENTED, process.SPREAD})


def promote_idea(idea, showcase, *, user, title=None):
    """Create a draft innovation page under ``showcase``, pre-filled from the idea.

    The idea's text goes into the draft only if its giver allowed publishing,
    their name only if they allowed that; the rest (goals, tags, unit, the
    tests' results and lessons) belongs to the municipality. The draft goes
    through the showcase's workflow before anyone sees it.
    """
    from .models.innovations import InnovationStatus

    if idea.stage not in PROMOTABLE_STAGES:
        raise ValidationError(
            _("Only an idea at evaluation, implemented or spread can be promoted.")
        )
    if idea.confidential:
        raise ValidationError(_("A confidential idea is never published."))
    contact = getattr(idea, "contact", None)
    if idea.publish_idea:
        title = title or idea.title
        summary = idea.description[:500]
    else:
        # Without consent, nothing the idea giver wrote goes into the draft.
        title = title or _("Innovation from idea %(reference)s") % {"reference": idea.reference}
        summary = _("Write the summary here before you send the page to review.")
    page = page_types.innovation_model()(
        title=str(title)[:255],
        summary=str(summary),
        status=(
            InnovationStatus.SPREAD
            if idea.stage == process.SPREAD
            else InnovationStatus.IMPLEMENTED
        ),
        unit=idea.unit,
        contact_unit=idea.unit,
        idea=idea,
        idea_giver_name=(
            contact.name if idea.publish_idea and idea.publish_name and contact else ""
        ),
        live=False,
    )
    if idea.publish_idea:
        page.body = [("paragraph", f"<p>{escape(idea.need)}</p>")] if idea.need else []
    pilot_model = page_types.innovation_pilot_model()
    page.pilots = [
        pilot_model(
            title=pilot.title,
            outcome=pilot.outcome,
            result=pilot.result,
            lessons=pilot.lessons,
            starts_on=pilot.starts_on,
            ends_on=pilot.ends_on,
        )
        for pilot in idea.pilots.all()
    ]
    with transaction.atomic():
        showcase.add_child(instance=page)
        page.sdgs.set(idea.sdgs.all())
        page.dimensions.set(idea.dimensions.all())
        page.tags.set(list(idea.tags.names()))
        page.save_revision(user=_user(user))
        record(
            idea,
            IdeaEvent.Kind.PROMOTED,
            user=user,
            changes={"page": {"id": page.pk, "title": page.title}},
        )
    return page


class AdoptionDecision:
    """What confirming or rejecting an adoption did, for the moderator's message."""

    def __init__(self, adoption, *, moved=False, stage_left=None):
        self.adoption = adoption
        #: The idea behind the innovation moved to spread.
        self.moved = moved
        #: The stage an idea stayed at because the process does not allow the move.
        self.stage_left = stage_left


def is_outside_own_unit(adoption):
    """An adoption by another organisation than the innovation's responsible unit."""
    innovation = adoption.innovation.specific
    own = innovation.unit.name if innovation.unit_id else ""
    return adoption.organisation.strip().casefold() != own.strip().casefold()


def _decide_adoption(adoption, status, *, user, note):
    from django.utils import timezone

    from .models.adoptions import Adoption, AdoptionStatus

    # The row is locked so two moderators deciding at once cannot both win.
    locked = Adoption.objects.select_for_update().get(pk=adoption.pk)
    if locked.status != AdoptionStatus.PENDING:
        raise ValidationError(_("This adoption has already been decided."))
    adoption.status = status
    adoption.moderator_note = (note or "").strip()
    adoption.decided_at = timezone.now()
    adoption.decided_by = _user(user)
    adoption.full_clean(exclude=["innovation", "decided_by"])
    adoption.save(update_fields=["status", "moderator_note", "decided_at", "decided_by"])


def confirm_adoption(adoption, *, user, note=""):
    """Confirm a registered adoption: it is shown on the innovation's page from now on.

    The first confirmed adoption outside the innovation's own unit moves the idea
    behind it to spread, if the process allows that move from the idea's stage; if
    not, the stage is left and ``AdoptionDecision.stage_left`` says so. The hook
    ``sluss_wagtail_adoption_confirmed`` runs after the transaction commits.
    """
    from .models.adoptions import AdoptionStatus
    from .signals import adoption_confirmed

    decision = AdoptionDecision(adoption)
    with transaction.atomic():
        _decide_adoption(adoption, AdoptionStatus.CONFIRMED, user=user, note=note)
        idea = adoption.innovation.specific.idea
        if idea is not None and idea.stage != process.SPREAD and is_outside_own_unit(adoption):
            idea = Idea.objects.select_for_update().get(pk=idea.pk)
            if process.is_allowed(
                idea.stage, process.SPREAD, resume_stage=idea.stage_before_parking
            ):
                # Feedback to the idea giver: in their language, not the coordinator's.
                with translation.override(idea.giver_language):
                    note = _(
                        "Your idea is now also used by %(organisation)s in %(municipality)s."
                    ) % {
                        "organisation": adoption.organisation,
                        "municipality": adoption.municipality,
                    }
                process.move_idea(
                    idea,
                    process.SPREAD,
                    user=user,
                    public_note=note,
                    internal_note=_("Adoption confirmed."),
                )
                decision.moved = True
            else:
                decision.stage_left = idea.stage
    adoption_confirmed.send(sender=type(adoption), adoption=adoption)
    return decision


def reject_adoption(adoption, *, user, note=""):
    """Reject a registered adoption: it is never shown."""
    from .models.adoptions import AdoptionStatus

    with transaction.atomic():
        _decide_adoption(adoption, AdoptionStatus.REJECTED, user=user, note=note)
    return AdoptionDecision(adoption)
