"""The sluice: stages, allowed moves and ``move_idea()``.

This module is the only definition of the process. Admin views, public
pages, notifications, statistics and tests all read it from here. It knows
nothing of views and imports no models: an idea is moved through its own
fields and its ``events`` relation.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    description: str
    # An open stage is part of the way forward; the others end or pause the idea.
    is_open: bool

    def __reduce__(self):
        # Pickled by its key (the statistics' cache holds the funnel's stages): unpickling
        # its two lazy labels rebuilt a proxy class each, most of a cached figure's cost.
        return (get_stage, (self.key,))


RECEIVED = "received"
SCREENING = "screening"
DEVELOPMENT = "development"
PILOT = "pilot"
EVALUATION = "evaluation"
IMPLEMENTED = "implemented"
SPREAD = "spread"
CLOSED = "closed"
PARKED = "parked"
FORWARDED = "forwarded"

STAGES = (
    Stage(RECEIVED, _("Received"), _("The idea has arrived and has a reference number."), True),
    Stage(
        SCREENING,
        _("Screening"),
        _("We assess the idea's benefit, effects and feasibility."),
        True,
    ),
    Stage(
        DEVELOPMENT,
        _("Development"),
        _("The idea is being worked out, together with the idea giver where possible."),
        True,
    ),
    Stage(
        PILOT,
        _("Small-scale test"),
        _("The idea is tried for a limited time or in one unit before anything is rolled out."),
        True,
    ),
    Stage(
        EVALUATION,
        _("Evaluation"),
        _("The results of the test are measured against the success criteria."),
        True,
    ),
    Stage(IMPLEMENTED, _("Implemented"), _("The idea is in regular use."), False),
    Stage(SPREAD, _("Spread"), _("The idea is in use in more units or municipalities."), False),
    Stage(
        CLOSED, _("Closed"), _("We decided not to take the idea further, and we said why."), False
    ),
    Stage(PARKED, _("Parked"), _("The work is paused and can resume later."), False),
    Stage(
        FORWARDED,
        _("Forwarded"),
        _("The idea was handed to ordinary handling, for example as a fault report."),
        False,
    ),
)

STAGES_BY_KEY = {stage.key: stage for stage in STAGES}
STAGE_CHOICES = [(stage.key, stage.label) for stage in STAGES]

# The way forward, in order. Implemented and spread end the way forward.
FORWARD_PATH = (RECEIVED, SCREENING, DEVELOPMENT, PILOT, EVALUATION, IMPLEMENTED, SPREAD)
OPEN_STAGES = frozenset(stage.key for stage in STAGES if stage.is_open)
# Stages at which an idea's handling has ended.
ENDED_STAGES = frozenset({CLOSED, FORWARDED, IMPLEMENTED, SPREAD})
# From where an idea may be forwarded to ordinary handling.
FORWARDABLE_FROM = frozenset({RECEIVED, SCREENING})


class TransitionNotAllowed(Exception):
    """Raised by ``move_idea`` for a move the process does not allow."""

    def __init__(self, message, *, from_stage=None, to_stage=None):
        super().__init__(message)
        self.from_stage = from_stage
        self.to_stage = to_stage


def get_stage(key):
    return STAGES_BY_KEY[key]


def allowed_targets(from_stage, *, resume_stage=None):
    """The stages an idea at ``from_stage`` may move to, in process order.

    ``resume_stage`` is where a parked idea was before it was parked: the only
    way back into the process from ``parked``.
    """
    targets = []
    if from_stage == PARKED:
        if resume_stage:
            targets.append(resume_stage)
        return targets + [CLOSED]
    if from_stage in FORWARD_PATH:
        index = FORWARD_PATH.index(from_stage)
        # Forward skips are allowed: a simple improvement may go from screening
        # straight to implemented.
        targets.extend(FORWARD_PATH[index + 1 :])
    if from_stage == EVALUATION:
        targets.append(PILOT)  # "test again"
    if from_stage in OPEN_STAGES:
        targets.extend([CLOSED, PARKED])
    if from_stage in FORWARDABLE_FROM:
        targets.append(FORWARDED)
    order = {stage.key: position for position, stage in enumerate(STAGES)}
    return sorted(set(targets), key=order.__getitem__)


def is_allowed(from_stage, to_stage, *, resume_stage=None):
    return to_stage in allowed_targets(from_stage, resume_stage=resume_stage)


def forward_steps(current):
    """The way forward as steps for drawing, with the current one marked.

    An idea off the way forward (closed, parked, forwarded) has no current step.
    """
    current_index = FORWARD_PATH.index(current) if current in FORWARD_PATH else -1
    return [
        {
            "stage": get_stage(key),
            "is_current": index == current_index,
            "is_done": index < current_index,
        }
        for index, key in enumerate(FORWARD_PATH)
    ]


def check_move(idea, to_stage, *, public_note="", destination=""):
    """Raise ``TransitionNotAllowed`` if ``move_idea`` would refuse this move; change nothing.

    Bulk actions check every idea with it before they move any.
    """
    from_stage = idea.stage
    if to_stage not in STAGES_BY_KEY:
        raise TransitionNotAllowed(
            _("Unknown stage %(stage)s.") % {"stage": to_stage},
            from_stage=from_stage,
            to_stage=to_stage,
        )
    if not is_allowed(from_stage, to_stage, resume_stage=idea.stage_before_parking):
        raise TransitionNotAllowed(
            _("An idea cannot move from %(from)s to %(to)s.")
            % {"from": get_stage(from_stage).label, "to": get_stage(to_stage).label},
            from_stage=from_stage,
            to_stage=to_stage,
        )
    public_note = (public_note or "").strip()
    destination = (destination or "").strip()
    if to_stage == CLOSED and not public_note:
        raise TransitionNotAllowed(
            _("Closing an idea needs a decision text that tells the idea giver why."),
            from_stage=from_stage,
            to_stage=to_stage,
        )
    if to_stage == FORWARDED and not destination:
        raise TransitionNotAllowed(
            _("Forwarding an idea needs the name of whoever takes it over."),
            from_stage=from_stage,
            to_stage=to_stage,
        )


def move_idea(idea, to_stage, *, user, public_note="", internal_note="", destination=""):
    """Move ``idea`` to ``to_stage`` and record the move as an event.

    This is the one way to change an idea's stage. ``public_note`` is the
    feedback the idea giver reads on the status page and in the e-mail;
    ``internal_note`` stays in the admin. Closing needs a decision text (the
    public note) and forwarding needs a ``destination``. Raises
    ``TransitionNotAllowed`` for anything else the process forbids. Returns
    the new event.
    """
    check_move(idea, to_stage, public_note=public_note, destination=destination)
    from_stage = idea.stage
    public_note = (public_note or "").strip()
    destination = (destination or "").strip()

    from .signals import idea_moved

    with transaction.atomic():
        idea.stage = to_stage
        idea.stage_changed_at = timezone.now()
        update_fields = ["stage", "stage_changed_at", "updated_at"]
        if to_stage == PARKED:
            idea.stage_before_parking = from_stage
            update_fields.append("stage_before_parking")
        elif from_stage == PARKED:
            idea.stage_before_parking = ""
            update_fields.append("stage_before_parking")
        if to_stage == CLOSED:
            idea.decision = public_note
            update_fields.append("decision")
        if to_stage == FORWARDED:
            idea.forwarded_to = destination
            update_fields.append("forwarded_to")
        idea.save(update_fields=update_fields)
        event = idea.events.create(
            kind="moved",
            from_stage=from_stage,
            to_stage=to_stage,
            user=user if getattr(user, "is_authenticated", False) else None,
            public_note=public_note,
            internal_note=(internal_note or "").strip(),
            destination=destination,
        )
    idea_moved.send(sender=type(idea), idea=idea, event=event)
    return event
