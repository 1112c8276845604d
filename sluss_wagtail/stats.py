"""Statistics of the sluice: the one module that counts ideas.

The dashboard panel, the innovation report, the statistics block, the challenge
page's idea count and the feedback reminders all ask here; nothing else counts.

**The cohort.** Every figure of ``compute()`` is about the ideas *received* in the
period (``start`` ≤ received < ``end``), optionally those of one unit and one
challenge, followed through their whole history. ``start`` and ``end`` may be
dates (``end`` then counts as the whole day, in the site's time zone) or aware
datetimes (``end`` excluded). Leave either out for an open end.

**Sluices.** Every function takes ``sluices``: a sluice, its primary key or several
(None: every sluice). The dashboard, the report and the statistics block ask for the
sluices the reader may see (``permissions.sluice_scope``) or the page's own; the cache
keys name them, so no sluice's figures are ever shown for another's. An innovation
(its adoptions) belongs to the sluice of the site it lives on.

**Lead times**, in days (fractions of a day included), as medians over the cohort:

- *to first feedback*: from the moment the idea was received to the first event
  with feedback to the idea giver (a public note), for ideas that have had one;
- *to decision*: from received to the first move to a stage where its handling
  ended (implemented, spread, closed or forwarded), for ideas that have had one.

**Feedback within the promise**: of the cohort's ideas (duplicates left out)
that have had feedback or whose promise (``SlussSettings.feedback_promise_days``)
has run out, the share whose first feedback came within the promise.

**The funnel** counts, for each step of the way forward, the ideas that ever
reached it: an idea counts once at a stage however often it came back there
(parked and resumed, tested again), and a skipped stage is not reached.

Each function runs a fixed number of queries, whatever the number of ideas, and
reads the ideas' events once per query, never once per idea. The lead-time medians
and the feedback promise are counted in Python over the rows of one query (per idea
with feedback or a decision: when it was received, first had feedback, was decided),
since SQLite has no median.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import page_types, process, sdg
from .caching import IDEAS
from .conf import sluss_settings
from .models.adoptions import Adoption, AdoptionStatus
from .models.ideas import Channel, Idea, IdeaEvent, SubmitterKind
from .models.pilots import Pilot, PilotOutcome
from .models.sluices import pages_of_sluices

__all__ = [
    "DEFAULT_FEEDBACK_PROMISE_DAYS",
    "HEADLINE_FIGURES",
    "Breakdown",
    "FunnelStep",
    "Headline",
    "Statistics",
    "challenge_idea_count",
    "compute",
    "feedback_promise_days",
    "headline",
    "ideas_received",
    "sluice_pks",
    "waiting_for_feedback",
    "waiting_for_feedback_per_site",
    "year_period",
]

DEFAULT_FEEDBACK_PROMISE_DAYS = 14
#: Where an idea's handling ended: the first move here is its decision.
DECISION_STAGES = (process.IMPLEMENTED, process.SPREAD, process.CLOSED, process.FORWARDED)
SECONDS_PER_DAY = 86400

#: The figures the statistics block and the dashboard offer, key → label.
HEADLINE_FIGURES = {
    "received": _("Ideas received"),
    "tested": _("Tested in small scale"),
    "implemented": _("Implemented"),
    "spread": _("Spread"),
    "adopted": _("Adopted elsewhere"),
}


@dataclass(frozen=True)
class Breakdown:
    """One row of a breakdown: a key (a stage, a unit's id, a goal's number), its label,
    and how many."""

    key: object
    label: str
    count: int


@dataclass(frozen=True)
class FunnelStep:
    stage: process.Stage
    count: int
    #: Of the ideas received, as a fraction (0–1); None for an empty cohort.
    share: float | None


@dataclass(frozen=True)
class Statistics:
    """Every figure of one period (see the module's docstring for the definitions)."""

    start: datetime | None
    end: datetime | None
    unit_id: int | None
    challenge_id: int | None
    received: int
    #: The cohort's ideas by the stage they are at now, every stage present (zeros too).
    by_stage: dict
    funnel: list
    by_submitter_kind: list
    by_unit: list
    by_challenge: list
    by_sdg: list
    median_days_to_first_feedback: float | None
    median_days_to_decision: float | None
    feedback_promise_days: int
    feedback_due: int
    feedback_on_time: int
    pilots_by_outcome: list
    adoptions_confirmed: int
    computed_at: datetime = field(default_factory=timezone.now)
    #: The cohort by the channel it came through (the web form, a phone call …).
    by_channel: list = field(default_factory=list)

    @property
    def feedback_on_time_share(self):
        """The share (0–1) of due ideas that had feedback within the promise; None if none due."""
        return self.feedback_on_time / self.feedback_due if self.feedback_due else None

    @property
    def funnel_by_stage(self):
        return {step.stage.key: step.count for step in self.funnel}


@dataclass(frozen=True)
class Headline:
    """The few figures a public page shows (``HEADLINE_FIGURES``)."""

    received: int
    tested: int
    implemented: int
    spread: int
    adopted: int

    def figures(self, keys=None):
        """``[(key, label, count)]`` for ``keys`` (all, in their order, by default)."""
        keys = keys or list(HEADLINE_FIGURES)
        return [(key, HEADLINE_FIGURES[key], getattr(self, key)) for key in keys]


# ---- periods and filters ----------------------------------------------------------------------


def _as_datetime(value, *, end=False):
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        day = value + timedelta(days=1) if end else value
        return timezone.make_aware(datetime.combine(day, time.min))
    raise TypeError(f"expected a date or a datetime, not {value!r}")


def year_period(year=None):
    """``(start, end)`` of a calendar year (this year by default) in the site's time zone."""
    year = year or timezone.localdate().year
    return _as_datetime(date(year, 1, 1)), _as_datetime(date(year + 1, 1, 1))


def _pk(value):
    return getattr(value, "pk", value)


def _in_period(queryset, start, end):
    """The rows of ``queryset`` created from ``start`` until ``end`` (dates or datetimes)."""
    start, end = _as_datetime(start), _as_datetime(end, end=True)
    if start is not None:
        queryset = queryset.filter(created_at__gte=start)
    if end is not None:
        queryset = queryset.filter(created_at__lt=end)
    return queryset


def sluice_pks(sluices):
    """``sluices`` (None, a sluice, a primary key, or several) as a sorted tuple of
    primary keys, or None for every sluice."""
    if sluices is None:
        return None
    if isinstance(sluices, (int, str)) or hasattr(sluices, "pk"):
        sluices = [sluices]
    return tuple(sorted({int(_pk(sluice)) for sluice in sluices}))


def ideas_received(start=None, end=None, unit=None, challenge=None, *, sluices=None):
    """The cohort: ideas received from ``start`` until ``end``, of ``unit`` and ``challenge``,
    in ``sluices`` (every sluice by default)."""
    ideas = _in_period(Idea.objects.all(), start, end)
    pks = sluice_pks(sluices)
    if pks is not None:
        ideas = ideas.filter(sluice_id__in=pks)
    if unit is not None:
        ideas = ideas.filter(unit_id=_pk(unit))
    if challenge is not None:
        # Sent through the challenge or any of its translations: they are one challenge.
        ideas = ideas.of_challenge(challenge)
    return ideas.order_by()


def feedback_promise_days(site=None, *, sluices=None):
    """The feedback promise of ``site`` (the default site, from the cache), in days; of
    one sluice other than the default, its main site's (``Sluice.get_main_site``)."""
    from .models.settings import SlussSettings
    from .models.sluices import Sluice

    pks = sluice_pks(sluices)
    if site is None and pks and len(pks) == 1 and pks[0] != Sluice.objects.default_pk():
        sluice = Sluice.objects.filter(pk=pks[0]).first()
        site = sluice.get_main_site() if sluice else None
    found = SlussSettings.for_site(site) if site else SlussSettings.for_default_site()
    return found.feedback_promise_days if found else DEFAULT_FEEDBACK_PROMISE_DAYS


# ---- the pieces every figure is built from ----------------------------------------------------


def _reached(stage):
    """An idea reached ``stage`` if it is there now or a move ever took it there.

    The moves are one uncorrelated subquery (``IN``), read once per query, not once per
    idea: PostgreSQL hashes it, SQLite builds a temporary index."""
    moved_there = IdeaEvent.objects.filter(to_stage=stage).values("idea_id")
    return Q(stage=stage) | Q(pk__in=moved_there)


#: An event that gave the idea giver feedback (a public note).
FEEDBACK = ~Q(public_note="")
#: An event that ended the idea's handling (its decision).
DECISION = Q(kind=IdeaEvent.Kind.MOVED, to_stage__in=DECISION_STAGES)


def _histories(ideas):
    """``(received at, duplicate?, first feedback at, decided at)`` of each idea of
    ``ideas`` that has had feedback or a decision: one query, grouped over the events."""
    return (
        IdeaEvent.objects.filter(FEEDBACK | DECISION, idea__in=ideas.values("pk"))
        .values("idea_id")
        .annotate(
            received_at=Min("idea__created_at"),
            duplicate=Min("idea__duplicate_of_id"),
            first_feedback_at=Min("created_at", filter=FEEDBACK),
            decided_at=Min("created_at", filter=DECISION),
        )
        .order_by()
        .values_list("received_at", "duplicate", "first_feedback_at", "decided_at")
    )


def _breakdown(ideas, field_name, labels, *, label_field=None, none_label=""):
    """``[Breakdown]`` of ``ideas`` grouped by ``field_name``, largest first; one query."""
    values = [field_name] + ([label_field] if label_field else [])
    rows = ideas.values(*values).annotate(count=Count("pk")).order_by("-count", field_name)
    result = []
    for row in rows:
        key = row[field_name]
        if label_field:
            label = row[label_field] if key is not None else str(none_label)
        else:
            label = str(labels.get(key, key))
        result.append(Breakdown(key, label, row["count"]))
    return result


def _by_challenge(ideas):
    """``[Breakdown]`` of ``ideas`` by challenge, a challenge and its translations as one
    (keyed and named by the translation that stands for them: ``one_per_translation``);
    one query."""
    from .models.translations import representative_order, translation_group

    def standing_for(column):
        group = translation_group(OuterRef("group"))
        return Subquery(group.order_by(*representative_order()).values(column)[:1])

    rows = (
        ideas.values(group=F("challenge__translation_key"))
        .annotate(
            count=Count("pk"),
            challenge_pk=standing_for("pk"),
            challenge_title=standing_for("title"),
        )
        .order_by("-count", "challenge_pk")
    )
    return [
        Breakdown(
            row["challenge_pk"],
            row["challenge_title"] if row["group"] is not None else str(_("Not to a challenge")),
            row["count"],
        )
        for row in rows
    ]


def _median_days(durations):
    days = [duration.total_seconds() / SECONDS_PER_DAY for duration in durations]
    return round(statistics.median(days), 1) if days else None


def _cached(name, parts, function):
    """``function()``, kept in the cache of ``caching.IDEAS`` for ``STATS_CACHE_SECONDS``.

    Every change of an idea, an event, a pilot, an adoption, a unit, a tag, a goal or
    the settings starts a new generation (``signal_handlers``), so the figures are
    never older than the last change; the time limit is for what changes with time
    alone. The labels are translated: one entry per language.
    """
    seconds = sluss_settings.STATS_CACHE_SECONDS
    if not seconds:
        return function()
    return IDEAS.get_or_compute((name, get_language(), *parts), function, timeout=seconds)


def _cohort_key(start, end, unit, challenge, sluices=None):
    return (
        _as_datetime(start),
        _as_datetime(end, end=True),
        _pk(unit),
        _pk(challenge),
        sluice_pks(sluices),
    )


def compute(
    start=None, end=None, unit=None, challenge=None, *, sluices=None, promise_days=None, now=None
):
    """Every figure of the ideas received from ``start`` until ``end`` (see the module docs).

    ``unit`` and ``challenge`` (instances or primary keys) and ``sluices`` narrow the
    cohort. ``promise_days`` defaults to the default site's ``feedback_promise_days``
    (one sluice's own: its main site's).
    Runs the same number of queries (nine, and the site's settings when they are not
    in the cache) whatever the number of ideas, and none while the figures are in the cache
    (``SLUSS_WAGTAIL_STATS_CACHE_SECONDS``; ``Statistics.computed_at`` tells when they
    were counted). Given ``now``, the figures are counted for that moment, never cached.
    """
    if now is not None:
        return _compute(
            start, end, unit, challenge, sluices=sluices, promise_days=promise_days, now=now
        )
    return _cached(
        "compute",
        (*_cohort_key(start, end, unit, challenge, sluices), promise_days),
        lambda: _compute(start, end, unit, challenge, sluices=sluices, promise_days=promise_days),
    )


def _compute(start, end, unit, challenge, *, sluices=None, promise_days=None, now=None):
    now = now or timezone.now()
    if promise_days is None:
        promise_days = feedback_promise_days(sluices=sluices)
    ideas = ideas_received(start, end, unit, challenge, sluices=sluices)

    # One query: the total, the stages now, the funnel, and the ideas old enough that
    # their feedback is due whether or not they have had it.
    promise = timedelta(days=promise_days)
    cutoff = now - promise
    aggregates = {
        "received": Count("pk"),
        "due_by_age": Count("pk", filter=Q(duplicate_of__isnull=True, created_at__lte=cutoff)),
    }
    for stage in process.STAGES:
        aggregates[f"now_{stage.key}"] = Count("pk", filter=Q(stage=stage.key))
    for key in process.FORWARD_PATH[1:]:
        aggregates[f"reached_{key}"] = Count("pk", filter=_reached(key))
    totals = ideas.aggregate(**aggregates)
    received = totals["received"]
    funnel = [
        FunnelStep(
            process.get_stage(key),
            received if key == process.RECEIVED else totals[f"reached_{key}"],
            None,
        )
        for key in process.FORWARD_PATH
    ]
    funnel = [
        FunnelStep(step.stage, step.count, step.count / received if received else None)
        for step in funnel
    ]

    # One query: when each idea first had feedback and a decision. The promise is
    # due for an idea (duplicates left out) that has had feedback or is old enough.
    histories = list(_histories(ideas))
    given = [
        (received_at, feedback_at)
        for received_at, duplicate, feedback_at, _d in histories
        if feedback_at and duplicate is None
    ]
    feedback_due = totals["due_by_age"] + sum(received_at > cutoff for received_at, _f in given)
    feedback_on_time = sum(
        feedback_at <= received_at + promise for received_at, feedback_at in given
    )

    goal_labels = sdg.GOAL_LABELS
    by_sdg_rows = (
        Idea.sdgs.through.objects.filter(idea__in=ideas.values("pk"))
        .values("sustainabledevelopmentgoal_id")
        .annotate(count=Count("pk"))
        .order_by("-count", "sustainabledevelopmentgoal_id")
    )
    by_sdg = [
        Breakdown(
            row["sustainabledevelopmentgoal_id"],
            str(goal_labels.get(row["sustainabledevelopmentgoal_id"], "")),
            row["count"],
        )
        for row in by_sdg_rows
    ]

    pilot_rows = (
        Pilot.objects.filter(idea__in=ideas.values("pk"))
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by("outcome")
    )
    pilot_labels = {"": _("No result yet"), **dict(PilotOutcome.choices)}
    pilot_counts = {row["outcome"]: row["count"] for row in pilot_rows}
    pilots_by_outcome = [
        Breakdown(key, str(label), pilot_counts.get(key, 0))
        for key, label in [*PilotOutcome.choices, ("", pilot_labels[""])]
    ]

    return Statistics(
        start=_as_datetime(start),
        end=_as_datetime(end, end=True),
        unit_id=_pk(unit),
        challenge_id=_pk(challenge),
        received=received,
        by_stage={stage.key: totals[f"now_{stage.key}"] for stage in process.STAGES},
        funnel=funnel,
        by_submitter_kind=_breakdown(ideas, "submitter_kind", dict(SubmitterKind.choices)),
        by_unit=_breakdown(ideas, "unit_id", {}, label_field="unit__name", none_label=_("No unit")),
        by_challenge=_by_challenge(ideas),
        by_sdg=by_sdg,
        median_days_to_first_feedback=_median_days(
            feedback_at - received_at
            for received_at, _dup, feedback_at, _d in histories
            if feedback_at
        ),
        median_days_to_decision=_median_days(
            decided_at - received_at
            for received_at, _dup, _f, decided_at in histories
            if decided_at
        ),
        feedback_promise_days=promise_days,
        feedback_due=feedback_due,
        feedback_on_time=feedback_on_time,
        pilots_by_outcome=pilots_by_outcome,
        adoptions_confirmed=_adoptions(start, end, unit, challenge, sluices).count(),
        by_channel=by_channel(ideas),
    )


def by_channel(ideas):
    """``[Breakdown]`` of ``ideas`` (a cohort, ``ideas_received``) by the channel each came
    through (``Idea.channel``: the web form, or registered by staff from a call, a visit,
    a letter or an e-mail), largest first; one query."""
    return _breakdown(ideas, "channel", dict(Channel.choices))


def _adoptions(start=None, end=None, unit=None, challenge=None, sluices=None):
    """Confirmed adoptions registered in the period, of the unit's innovations and of
    innovations that came from the challenge's ideas, on the sites of ``sluices``."""
    adoptions = _in_period(Adoption.objects.filter(status=AdoptionStatus.CONFIRMED), start, end)
    pks = sluice_pks(sluices)
    if pks is not None:
        adoptions = adoptions.filter(pages_of_sluices(pks, "innovation__"))
    # The innovations' own fields through a subquery: ``Adoption.innovation`` names the
    # base page (``page_types``).
    innovations = page_types.innovation_model().objects.all()
    if unit is not None:
        innovations = innovations.filter(unit_id=_pk(unit))
    if challenge is not None:
        innovations = innovations.filter(idea__in=Idea.objects.of_challenge(challenge))
    if unit is not None or challenge is not None:
        adoptions = adoptions.filter(innovation__in=innovations.values("pk"))
    return adoptions


# ---- small functions for the block, the panel and the pages -----------------------------------


def headline(start=None, end=None, unit=None, challenge=None, *, sluices=None):
    """The figures of ``HEADLINE_FIGURES`` for the cohort: two queries, none while cached.

    *Tested*, *implemented* and *spread* count the cohort's ideas that ever reached
    the small-scale test, implementation and spread; *adopted* the confirmed
    adoptions registered in the period of innovations the public may see
    (``page_types.innovation_model().objects.public()``): these figures are shown on public pages.
    """
    return _cached(
        "headline",
        _cohort_key(start, end, unit, challenge, sluices),
        lambda: _headline(start, end, unit, challenge, sluices),
    )


def _headline(start, end, unit, challenge, sluices=None):
    ideas = ideas_received(start, end, unit, challenge, sluices=sluices)
    totals = ideas.aggregate(
        received=Count("pk"),
        tested=Count("pk", filter=_reached(process.PILOT)),
        implemented=Count("pk", filter=_reached(process.IMPLEMENTED)),
        spread=Count("pk", filter=_reached(process.SPREAD)),
    )
    adoptions = _adoptions(start, end, unit, challenge, sluices).filter(
        innovation__in=page_types.innovation_model().objects.public().values("pk")
    )
    return Headline(adopted=adoptions.count(), **totals)


def waiting_for_feedback(days=None, *, now=None, queryset=None, sluices=None):
    """Open ideas received more than ``days`` ago whose giver has had no feedback.

    ``days`` defaults to the default site's feedback promise; ``queryset`` (all
    ideas by default) lets a caller narrow it, e.g. to the ideas a user may see.
    Duplicates are left out: their givers follow the original.
    """
    if days is None:
        days = feedback_promise_days(sluices=sluices)
    queryset = Idea.objects.all() if queryset is None else queryset
    pks = sluice_pks(sluices)
    if pks is not None:
        queryset = queryset.filter(sluice_id__in=pks)
    return queryset.waiting_for_feedback(days, now=now)


def challenge_idea_count(challenge):
    """How many ideas ``challenge`` has received, through any of its translations: one query."""
    return Idea.objects.of_challenge(challenge).count()


def waiting_for_feedback_per_site(*, now=None):
    """``[(site id, promise days, ideas)]``: for each site, the ideas that came through it
    and waited past its own feedback promise (``waiting_for_feedback``), with their units.

    An idea without a site (its site deleted, or none existed) goes with the default
    site (``None`` when there is none), as ``SlussSettings.for_idea`` does. One query for
    the sites and one per site with ideas, whatever the number of ideas.
    """
    from wagtail.models import Site

    from .models.settings import SlussSettings

    now = now or timezone.now()
    rows = list(
        Site.objects.order_by("-is_default_site", "pk").values_list("pk", "is_default_site")
    )
    default_id = next((pk for pk, is_default in rows if is_default), None)
    sites = [pk for pk, _is_default in rows]
    if default_id is None:
        sites.append(None)
    found = []
    for site_id in sites:
        settings = SlussSettings.for_site_id(site_id)
        days = settings.feedback_promise_days if settings else DEFAULT_FEEDBACK_PROMISE_DAYS
        of_site = Q(site_id=site_id) if site_id else Q(site__isnull=True)
        if site_id is not None and site_id == default_id:
            of_site |= Q(site__isnull=True)
        ideas = list(
            waiting_for_feedback(
                days, now=now, queryset=Idea.objects.filter(of_site)
            ).select_related("unit", "coach")
        )
        if ideas:
            found.append((site_id, days, ideas))
    return found


# ---- benefits realisation ---------------------------------------------------------------------


@dataclass(frozen=True)
class RealisedBenefits:
    """The benefits of one year, unit and kind, in one unit of measure: sums of different
    units of measure are never added up."""

    year: int
    unit: str
    kind: str
    kind_label: str
    unit_of_measure: str
    count: int
    expected: object
    realised: object


def _benefits_of(sluices=None, unit=None):
    from .models.benefits import Benefit

    benefits = Benefit.objects.filter(idea__isnull=False)
    pks = sluice_pks(sluices)
    if pks is not None:
        benefits = benefits.filter(idea__sluice__in=pks)
    if unit is not None:
        benefits = benefits.filter(idea__unit=_pk(unit))
    return benefits


def realised_benefits(*, sluices=None, unit=None):
    """The measured benefits of the sluices' ideas per year (of the latest measurement),
    unit and kind, each unit of measure apart, newest year first: one query, cached until
    an idea's history changes (every benefit and follow-up leaves an event)."""
    from django.db.models import Sum
    from django.db.models.functions import ExtractYear

    from .models.benefits import BenefitKind

    def build():
        rows = (
            _benefits_of(sluices, unit)
            .exclude(realised=None)
            .exclude(realised_on=None)
            .annotate(year=ExtractYear("realised_on"))
            .values("year", "idea__unit__name", "kind", "unit_of_measure")
            .annotate(count=Count("pk"), expected_sum=Sum("expected"), realised_sum=Sum("realised"))
            .order_by("-year", "idea__unit__name", "kind", "unit_of_measure")
        )
        return [
            RealisedBenefits(
                year=row["year"],
                unit=row["idea__unit__name"] or str(_("No unit")),
                kind=row["kind"],
                kind_label=str(BenefitKind(row["kind"]).label),
                unit_of_measure=row["unit_of_measure"],
                count=row["count"],
                expected=row["expected_sum"],
                realised=row["realised_sum"],
            )
            for row in rows
        ]

    return _cached("realised_benefits", (sluice_pks(sluices), _pk(unit)), build)


@dataclass(frozen=True)
class FollowUpTimeliness:
    due: int
    on_time: int

    @property
    def share(self):
        return self.on_time / self.due if self.due else None


def follow_ups_on_time(*, sluices=None, unit=None, today=None):
    """Of the follow-ups done or past their time (``FOLLOW_UP_GRACE_DAYS`` after their date),
    how many were done on time: one query (the dates, compared in Python)."""
    from .models.benefits import FOLLOW_UP_GRACE_DAYS, BenefitFollowUp

    today = today or timezone.localdate()
    grace = timedelta(days=FOLLOW_UP_GRACE_DAYS)

    def build():
        rows = BenefitFollowUp.objects.filter(
            benefit__in=_benefits_of(sluices, unit).values("pk")
        ).values_list("due_on", "recorded_at")
        due = on_time = 0
        for due_on, recorded_at in rows:
            if recorded_at is None and due_on + grace >= today:
                continue  # still in time
            due += 1
            if recorded_at is not None and timezone.localdate(recorded_at) <= due_on + grace:
                on_time += 1
        return FollowUpTimeliness(due=due, on_time=on_time)

    return _cached("follow_ups_on_time", (sluice_pks(sluices), _pk(unit), today), build)


__all__ += ["FollowUpTimeliness", "RealisedBenefits", "follow_ups_on_time", "realised_benefits"]
# ---- decisions and money granted (``models.assessment.Decision``) ----------------------------


def decisions(start=None, end=None, unit=None, challenge=None, *, sluices=None):
    """The decisions dated from ``start`` until ``end`` (dates) about ideas of ``unit`` and
    ``challenge`` in ``sluices`` (every sluice by default)."""
    from .models.assessment import Decision

    found = Decision.objects.all()
    if start is not None:
        found = found.filter(decided_on__gte=_as_datetime(start).date())
    if end is not None:
        found = found.filter(decided_on__lt=_as_datetime(end, end=True).date())
    pks = sluice_pks(sluices)
    if pks is not None:
        found = found.filter(idea__sluice_id__in=pks)
    if unit is not None:
        found = found.filter(idea__unit_id=_pk(unit))
    if challenge is not None:
        found = found.filter(idea__in=Idea.objects.of_challenge(challenge).values("pk"))
    return found.order_by()


def decisions_and_money(start=None, end=None, unit=None, challenge=None, *, sluices=None):
    """How many decisions of each kind, and the money granted for tests (with how many
    grants), in the period: ``{"by_kind": {kind: count}, "granted": Decimal,
    "grants": int, "total": int}``. One query."""
    from decimal import Decimal

    from django.db.models import Count, Sum

    rows = (
        decisions(start, end, unit, challenge, sluices=sluices)
        .values("kind")
        .annotate(count=Count("pk"), granted=Sum("amount_granted"), grants=Count("amount_granted"))
    )
    by_kind, granted, grants = {}, Decimal(0), 0
    for row in rows:
        by_kind[row["kind"]] = row["count"]
        granted += row["granted"] or Decimal(0)
        grants += row["grants"]
    return {
        "by_kind": by_kind,
        "granted": granted,
        "grants": grants,
        "total": sum(by_kind.values()),
    }


def money_granted_by(field, start=None, end=None, unit=None, challenge=None, *, sluices=None):
    """The money granted for tests in the period (about ideas of ``unit`` and ``challenge``)
    per ``"unit"``, ``"challenge"`` or ``"month"``: a list of ``(key, label, amount,
    grants)``, largest first (months in order). Ideas without a unit or challenge are under
    ``None``. One query."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    granted = decisions(start, end, unit, challenge, sluices=sluices).filter(
        amount_granted__isnull=False
    )
    if field == "unit":
        rows = granted.values(key=F("idea__unit_id"), label=F("idea__unit__name"))
    elif field == "challenge":
        rows = granted.values(key=F("idea__challenge_id"), label=F("idea__challenge__title"))
    elif field == "month":
        rows = granted.annotate(month=TruncMonth("decided_on")).values(
            key=F("month"), label=F("month")
        )
    else:
        raise ValueError(f"unknown breakdown {field!r}")
    rows = rows.annotate(amount=Sum("amount_granted"), grants=Count("pk")).order_by()
    result = [(row["key"], row["label"], row["amount"], row["grants"]) for row in rows]
    if field == "month":
        return sorted(result, key=lambda row: row[0])
    return sorted(result, key=lambda row: (-row[2], str(row[1] or "")))


@dataclass(frozen=True)
class DecisionFigures:
    """The decisions of a period: how many of each kind (``by_kind``: ``[(label, count)]``
    in ``DecisionKind``'s order, kinds with none left out), how many in all, the money
    granted for tests and how many grants; and, when asked for, the money per unit, per
    challenge and per month (``[(label, amount)]``)."""

    by_kind: list
    total: int
    granted: object
    grants: int
    by_unit: list = ()
    by_challenge: list = ()
    by_month: list = ()


def decision_figures(
    start=None, end=None, unit=None, challenge=None, *, sluices=None, breakdowns=True
):
    """``DecisionFigures`` of the decisions dated in the period (``decisions()``): one
    query, and three more with the ``breakdowns``; none while cached (every decision
    moves its idea, which starts a new generation of ``caching.IDEAS``)."""
    from decimal import Decimal

    from django.utils.formats import date_format

    from .models.assessment import DecisionKind

    def kronor(amount):  # öre, whatever the database's sum gives
        return Decimal(amount or 0).quantize(Decimal("0.01"))

    def build():
        period = (start, end, unit, challenge)
        money = decisions_and_money(*period, sluices=sluices)
        figures = {
            "by_kind": [
                (str(kind.label), money["by_kind"][kind.value])
                for kind in DecisionKind
                if money["by_kind"].get(kind.value)
            ],
            "total": money["total"],
            "granted": kronor(money["granted"]),
            "grants": money["grants"],
        }
        if breakdowns:
            none_label = {"unit": _("No unit"), "challenge": _("Not to a challenge")}
            for breakdown in ("unit", "challenge"):
                figures[f"by_{breakdown}"] = [
                    (label if key is not None else str(none_label[breakdown]), kronor(amount))
                    for key, label, amount, _grants in money_granted_by(
                        breakdown, *period, sluices=sluices
                    )
                ]
            figures["by_month"] = [
                (date_format(month, "YEAR_MONTH_FORMAT"), kronor(amount))
                for month, _label, amount, _grants in money_granted_by(
                    "month", *period, sluices=sluices
                )
            ]
        return DecisionFigures(**figures)

    key = (*_cohort_key(start, end, unit, challenge, sluices), breakdowns)
    return _cached("decision_figures", key, build)


__all__ += ["DecisionFigures", "decision_figures"]
