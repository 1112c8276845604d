"""Assessment by criteria and recorded decisions: the domain functions.

A coordinator asks assessors (``request_assessments``); each is told by e-mail
(``tasks.send_assessment_request``) and answers with a score and a comment per
criterion, or a conflict of interest (``submit_assessment``). A new assessment by the
same assessor supersedes their last one; none is ever changed. ``summary`` sums the
current assessments up for the idea's page. ``decide`` records a decision and moves
the idea through ``process.move_idea``: the one state machine.

The assessor sees the idea de-identified (``deidentified``): nothing of its giver,
and their name taken out of the idea's own text (``redaction.Rewrite``).
"""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions, process
from .models.assessment import (
    COMMENT_MAX_LENGTH,
    DECISION_STAGES,
    Assessment,
    AssessmentRequest,
    AssessmentScore,
    Decision,
    DecisionKind,
    criteria_for,
)
from .redaction import Rewrite

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
#: How many assessors one request may name at once.
MAX_ASSESSORS = 20


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


# ---- the default criteria ------------------------------------------------------------------

#: A five-step scale, lowest first.
DEFAULT_SCALE = (
    _("Very low"),
    _("Low"),
    _("Moderate"),
    _("High"),
    _("Very high"),
)
#: The criteria a sluice may start from: (name, question, weight), in order. "Cost" is
#: asked so that a high score is good, like the others.
DEFAULT_CRITERIA = (
    (
        _("Benefit for residents or staff"),
        _("How much would the idea improve things for residents or staff?"),
        3,
    ),
    (_("Feasibility"), _("How feasible is the idea with the means we have?"), 2),
    (_("Cost"), _("How reasonable is the cost compared with the benefit?"), 2),
    (
        _("Fit with the municipality's vision and goals"),
        _("How well does the idea fit the municipality's vision and goals?"),
        2,
    ),
    (
        _("Sustainability"),
        _("How does the idea serve social, ecological and economic sustainability?"),
        1,
    ),
    (_("Equality"), _("How does the idea serve equality between women and men?"), 1),
)


def create_default_criteria(sluice, *, language=None):
    """Give ``sluice`` the default criteria in ``language`` (the site's by default), if
    it has none of its own; returns its criteria."""
    from django.conf import settings
    from django.utils import translation

    from .models.assessment import Criterion

    existing = list(Criterion.objects.of_sluice(sluice))
    if existing:
        return existing
    with translation.override(language or settings.LANGUAGE_CODE):
        scale = "\n".join(str(label) for label in DEFAULT_SCALE)
        return [
            Criterion.objects.create(
                sluice_id=getattr(sluice, "pk", sluice),
                name=str(name),
                question=str(question),
                scale=scale,
                weight=Decimal(weight),
                order=order,
            )
            for order, (name, question, weight) in enumerate(DEFAULT_CRITERIA)
        ]


# ---- asking --------------------------------------------------------------------------------


def eligible_assessors():
    """The active users who may be asked to assess ideas (``assess_idea``, through their
    groups or their own permissions, or superusers): one query, as ``can_assess`` says."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    from . import APP_LABEL

    permission = Permission.objects.filter(
        content_type__app_label=APP_LABEL, codename="assess_idea"
    )
    return (
        get_user_model()
        ._default_manager.filter(is_active=True)
        .filter(
            Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def request_assessments(idea, assessors, *, user, due_on, today=None):
    """Ask each of ``assessors`` to assess ``idea`` by ``due_on``; returns the new requests.

    An assessor who already has an open request for the idea is not asked twice. Each
    new request's assessor is told by e-mail once the transaction commits.
    """
    from . import tasks

    today = today or timezone.localdate()
    assessors = list(assessors)
    if not assessors:
        raise ValidationError({"assessors": _("Choose at least one assessor.")})
    if len(assessors) > MAX_ASSESSORS:
        raise ValidationError(
            {"assessors": _("Ask at most %(count)s assessors at once.") % {"count": MAX_ASSESSORS}}
        )
    if due_on is None or due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    allowed = set(
        eligible_assessors().filter(pk__in=[a.pk for a in assessors]).values_list("pk", flat=True)
    )
    if any(assessor.pk not in allowed for assessor in assessors):
        raise ValidationError({"assessors": _("Only people who may assess ideas can be asked.")})
    waiting = set(
        idea.assessment_requests.open()
        .filter(assessor__in=assessors)
        .values_list("assessor_id", flat=True)
    )
    with transaction.atomic():
        created = AssessmentRequest.objects.bulk_create(
            AssessmentRequest(idea=idea, assessor=assessor, requested_by=_user(user), due_on=due_on)
            for assessor in {assessor.pk: assessor for assessor in assessors}.values()
            if assessor.pk not in waiting
        )
        for request in created:
            transaction.on_commit(
                partial(tasks.send_assessment_request.enqueue, request.pk), robust=True
            )
    return created


def waiting_for(user):
    """The requests waiting for ``user``'s assessment, soonest due first."""
    if not permissions.can_assess(user):
        return AssessmentRequest.objects.none()
    return (
        AssessmentRequest.objects.open()
        .for_assessor(user)
        .select_related("idea__contact", "idea__submitted_by")
        .order_by("due_on", "pk")
    )


def with_titles(requests):
    """``requests`` (with their ideas' contacts and accounts) each with ``idea_title``:
    the idea's title without its giver's name, as the assessor sees it."""
    requests = list(requests)
    for request in requests:
        request.idea_title = deidentified(request.idea)["title"]
    return requests


# ---- assessing -----------------------------------------------------------------------------


def weighted_total(scores):
    """The weighted total of ``scores`` (pairs of weight and share of the scale, 0 to 1),
    on a scale of 0 to 100; ``None`` without scores."""
    scores = list(scores)
    weights = sum((Decimal(weight) for weight, _share in scores), Decimal(0))
    if not scores or not weights:
        return None
    total = sum((Decimal(weight) * Decimal(share) for weight, share in scores), Decimal(0))
    return (total / weights * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def submit_assessment(request, *, user, scores=None, comments=None, conflict=False, note=""):
    """Record ``user``'s assessment for ``request``: ``scores`` and ``comments`` by criterion
    pk, or a conflict of interest (``conflict``, with ``note``). Every criterion needs a
    score on its scale. Supersedes the assessor's last assessment of the idea. Nothing is
    saved unless all of it is valid."""
    if _user(user) is None or request.assessor_id != user.pk or not permissions.can_assess(user):
        raise ValidationError(_("Only the assessor who was asked can assess the idea."))
    idea = request.idea
    scores = scores or {}
    comments = comments or {}
    note = (note or "").strip()
    rows = []
    if not conflict:
        criteria = criteria_for(idea)
        if not criteria:
            raise ValidationError(_("The idea has no criteria to assess it by."))
        errors = {}
        for criterion in criteria:
            score = scores.get(criterion.pk)
            comment = (comments.get(criterion.pk) or "").strip()
            if (
                isinstance(score, bool)
                or not isinstance(score, int)
                or not 1 <= score <= criterion.steps
            ):
                errors[f"score_{criterion.pk}"] = _("Choose a step of the scale.")
            if len(comment) > COMMENT_MAX_LENGTH:
                errors[f"comment_{criterion.pk}"] = _(
                    "A comment is at most %(count)s characters."
                ) % {"count": COMMENT_MAX_LENGTH}
            rows.append((criterion, score, comment))
        if errors:
            raise ValidationError(errors)
    elif not note:
        raise ValidationError({"conflict_note": _("Say briefly what the conflict is.")})
    total = weighted_total(
        (criterion.weight, Decimal(score - 1) / Decimal(criterion.steps - 1))
        for criterion, score, _comment in rows
    )
    with transaction.atomic():
        # The idea's row is the lock: two submissions of one assessor supersede in turn.
        type(idea).objects.select_for_update().filter(pk=idea.pk).values_list("pk").first()
        previous = (
            Assessment.objects.current()
            .filter(idea=idea, assessor=user)
            .order_by("-submitted_at", "-pk")
            .first()
        )
        assessment = Assessment.objects.create(
            request=request,
            idea=idea,
            assessor=user,
            conflict_of_interest=bool(conflict),
            conflict_note=note if conflict else "",
            weighted_total=total,
            supersedes=previous,
        )
        AssessmentScore.objects.bulk_create(
            AssessmentScore(
                assessment=assessment,
                criterion=criterion,
                criterion_name=criterion.name,
                weight=criterion.weight,
                steps=criterion.steps,
                score=score,
                comment=comment,
            )
            for criterion, score, comment in rows
        )
    return assessment


def deidentified(idea):
    """The idea's text as an assessor sees it: without its giver's name, address, phone
    or organisation, wherever the text names them."""
    names, other = [], []
    contact = getattr(idea, "contact", None)
    if contact is not None:
        names.append(contact.name)
        other += [contact.email, contact.phone, contact.organisation]
    account = idea.submitted_by if idea.submitted_by_id else None
    if account is not None:
        names += [account.get_full_name(), account.first_name, account.last_name]
        other += [account.get_username(), account.email]
    words = set(other)
    for name in filter(None, names):
        # The whole name and each part of it, also in the genitive ("Karin Lunds").
        for part in [name, *(part for part in name.split() if len(part) >= 3)]:
            words.update({part, f"{part}s"})
    rewrite = Rewrite(names=[word for word in words if word], name_marker=_("[removed]"))
    return {
        name: rewrite.scrub(getattr(idea, name) or "")
        for name in ("title", "description", "need", "beneficiaries")
    }


# ---- the summary ---------------------------------------------------------------------------


@dataclass
class CriterionSummary:
    name: str
    steps: int
    scores: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def mean(self):
        return round(statistics.fmean(self.scores), 2) if self.scores else None

    @property
    def spread(self):
        """The population standard deviation of the scores (0 for one score)."""
        return round(statistics.pstdev(self.scores), 2) if self.scores else None

    @property
    def lowest(self):
        return min(self.scores) if self.scores else None

    @property
    def highest(self):
        return max(self.scores) if self.scores else None


@dataclass
class Summary:
    criteria: list
    assessments: list
    conflicts: list
    waiting: list
    weighted_total: Decimal | None

    @property
    def is_empty(self):
        return not (self.assessments or self.conflicts or self.waiting)


def summary(idea):
    """The current assessments of ``idea`` summed up: per criterion the scores, their mean
    and spread and the comments, the weighted total (the mean of the assessments'
    totals), the conflicts declared and the requests still waiting. Three queries."""
    current = list(
        Assessment.objects.current()
        .filter(idea=idea)
        .select_related("assessor")
        .prefetch_related("scores")
    )
    by_name = {}
    scored = []
    conflicts = []
    for assessment in current:
        assessment.who = _name(assessment.assessor)
        if assessment.conflict_of_interest:
            conflicts.append(assessment)
            continue
        scored.append(assessment)
        for score in assessment.scores.all():
            entry = by_name.setdefault(
                score.criterion_name, CriterionSummary(score.criterion_name, score.steps)
            )
            entry.scores.append(score.score)
            if score.comment:
                entry.comments.append((assessment.who, score.comment))
    totals = [a.weighted_total for a in scored if a.weighted_total is not None]
    total = (
        (sum(totals, Decimal(0)) / len(totals)).quantize(CENT, rounding=ROUND_HALF_UP)
        if totals
        else None
    )
    waiting = list(idea.assessment_requests.open().select_related("assessor"))
    for request in waiting:
        request.who = _name(request.assessor)
    return Summary(list(by_name.values()), scored, conflicts, waiting, total)


def _name(user):
    if user is None:
        return _("Unknown")
    return user.get_full_name() or user.get_username()


def total_annotation():
    """The idea's weighted total for a queryset of ideas (the inbox's order):
    ``ideas.annotate(assessment_total=total_annotation())``."""
    from django.db.models import Subquery

    totals = (
        Assessment.objects.current()
        .scored()
        .filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(total=Avg("weighted_total"))
        .values("total")
    )
    return Subquery(totals[:1])


def waiting_for_assessment():
    """A condition on ideas: an assessment was asked for and has not come."""
    return Exists(AssessmentRequest.objects.open().filter(idea=OuterRef("pk")))


# ---- deciding ------------------------------------------------------------------------------


def decide(
    idea,
    kind,
    *,
    user,
    reasons,
    internal_note="",
    decided_on=None,
    body="",
    present="",
    amount_granted=None,
    funding_source="",
    destination="",
    today=None,
):
    """Record a decision about ``idea`` and move it where the decision says
    (``DECISION_STAGES``) through ``process.move_idea``. The reasons are the move's public
    note: the idea giver reads them. Raises ``ValidationError`` or
    ``process.TransitionNotAllowed``; then nothing is saved."""
    today = today or timezone.localdate()
    body = (body or "").strip()
    decision = Decision(
        idea=idea,
        kind=kind,
        decided_on=decided_on or today,
        decided_by=None if body else _user(user),
        body=body,
        present=(present or "").strip() if body else "",
        reasons=(reasons or "").strip(),
        internal_note=(internal_note or "").strip(),
        amount_granted=amount_granted,
        funding_source=(funding_source or "").strip(),
        recorded_by=_user(user),
    )
    decision.full_clean(exclude=["event", "idea"])
    if decision.decided_on > today:
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    target = DECISION_STAGES[DecisionKind(kind)]
    process.check_move(idea, target, public_note=decision.reasons, destination=destination)
    with transaction.atomic():
        decision.event = process.move_idea(
            idea,
            target,
            user=user,
            public_note=decision.reasons,
            internal_note=decision.internal_note,
            destination=destination,
        )
        decision.save()
    return decision
