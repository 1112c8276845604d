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

**Counts kept in step.** ``compute()`` and ``headline()`` do not read the period's
ideas: they sum ``models.tallies.Tally``, what the ideas count under per sluice, month
of receipt, unit and challenge, which every change puts in the transaction of the
change (``retally()``, "The counts, kept in step with the ideas" below). A period that
starts or ends within a month counts the ideas of those days directly; the feedback
promise's recent ideas (received within ``promise_days``) are one query of their own.
The lead times are counted in started hours, so a median is exact to the hour and
shown to a tenth of a day. ``recount()`` counts everything afresh and repairs.

Each function runs a fixed number of queries, whatever the number of ideas.
"""

import operator
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce

from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
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
from .models.tallies import IdeaTally, Tally

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


# ---- the counts, kept in step with the ideas --------------------------------------------------
#
# Every figure of ``compute()`` and ``headline()`` is a sum of what each idea of the cohort
# counts under (``_counted_under``): received, its stage now, the stages it reached, its
# submitter kind, channel, goals and pilots' outcomes, and its lead times to first
# feedback and to decision in started hours. ``models.tallies.Tally`` keeps those sums per
# sluice, month of receipt, unit and challenge; ``retally()`` puts an idea's changes into
# them in the transaction of the change (``signal_handlers``: the idea's save and
# deletion, its events, goals and pilots, the deletion of its unit or challenge), and
# ``recount()`` counts everything afresh (``manage.py sluss_recount_stats``). Both ask
# ``_counted_under``: there is one definition of what an idea counts under.

#: Fields of an idea that its counts depend on (a save of other fields is not recounted).
TALLIED_FIELDS = frozenset(
    {"sluice", "created_at", "unit", "challenge", "stage", "submitter_kind", "channel"}
    | {"duplicate_of"}
)
_IDEA_VALUES = (
    "pk",
    "sluice_id",
    "created_at",
    "unit_id",
    "challenge_id",
    "stage",
    "submitter_kind",
    "channel",
    "duplicate_of_id",
)
_KEY_FIELDS = ("sluice_pk", "month", "unit_pk", "challenge_pk", "figure", "value")
_state = threading.local()


def _month(moment):
    """The first day of ``moment``'s month in the site's default time zone."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def _month_start(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _started_hours(delta):
    """``delta`` in started hours: ``≤ 24 × d`` exactly when ``delta`` is at most ``d`` days."""
    return -int(-delta.total_seconds() // 3600)


def _counted_under(idea, events, goals, outcomes):
    """``Counter({(figure, value): n})``: what one idea counts under.

    ``idea`` is a dict of ``_IDEA_VALUES``; ``events`` its events that moved it or gave
    feedback, as ``(to_stage, kind, public?, created_at)``; ``goals`` its goals' numbers;
    ``outcomes`` its pilots' outcomes."""
    keys = Counter()
    keys["received", ""] = 1
    keys["stage", idea["stage"]] = 1
    keys["kind", idea["submitter_kind"]] = 1
    keys["channel", idea["channel"]] = 1
    original = idea["duplicate_of_id"] is None
    if original:
        keys["original", ""] = 1
    # Reached: there now, or a move ever took it there (once, however often).
    reached = {idea["stage"]} | {to_stage for to_stage, _k, _p, _at in events if to_stage}
    for stage in process.FORWARD_PATH[1:]:
        if stage in reached:
            keys["reached", stage] = 1
    feedback = [at for _to, _kind, public, at in events if public]
    if feedback:
        figure = "feedback" if original else "feedback_dup"
        keys[figure, str(_started_hours(min(feedback) - idea["created_at"]))] = 1
    decided = [
        at
        for to_stage, kind, _p, at in events
        if kind == IdeaEvent.Kind.MOVED and to_stage in DECISION_STAGES
    ]
    if decided:
        keys["decision", str(_started_hours(min(decided) - idea["created_at"]))] = 1
    for goal in goals:
        keys["sdg", str(goal)] += 1
    for outcome in outcomes:
        keys["pilot", outcome] += 1
    return keys


def _contributions(ideas, *, lock=False):
    """``{idea pk: (cell, Counter)}`` for the ideas of the queryset ``ideas``, ``cell``
    being ``(sluice, month, unit or 0, challenge or 0)``: four queries, whatever the number
    of ideas. ``lock`` locks the ideas' rows until the transaction ends."""
    rows = ideas.select_for_update() if lock else ideas
    rows = list(rows.order_by().values(*_IDEA_VALUES))
    if not rows:
        return {}
    of_ideas = ideas.order_by().values("pk")
    events, goals, outcomes = defaultdict(list), defaultdict(list), defaultdict(list)
    for idea_pk, *event in (
        IdeaEvent.objects.filter(FEEDBACK | Q(to_stage__gt=""), idea__in=of_ideas)
        .annotate(public=ExpressionWrapper(FEEDBACK, output_field=BooleanField()))
        .values_list("idea_id", "to_stage", "kind", "public", "created_at")
    ):
        events[idea_pk].append(event)
    for idea_pk, goal in Idea.sdgs.through.objects.filter(idea__in=of_ideas).values_list(
        "idea_id", "sustainabledevelopmentgoal_id"
    ):
        goals[idea_pk].append(goal)
    for idea_pk, outcome in Pilot.objects.filter(idea__in=of_ideas).values_list(
        "idea_id", "outcome"
    ):
        outcomes[idea_pk].append(outcome)
    return {
        row["pk"]: (
            _cell(row),
            _counted_under(row, events[row["pk"]], goals[row["pk"]], outcomes[row["pk"]]),
        )
        for row in rows
    }


def _cell(row):
    return (
        row["sluice_id"],
        _month(row["created_at"]),
        row["unit_id"] or 0,
        row["challenge_id"] or 0,
    )


def _keyed(cell, keys):
    return Counter({(*cell, figure, value): n for (figure, value), n in keys.items()})


def _stored(row):
    if row is None:
        return Counter()
    cell = (row.sluice_pk, row.month, row.unit_pk, row.challenge_pk)
    return _keyed(cell, {(figure, value): n for figure, value, n in row.keys})


def _apply(delta):
    """Add ``delta`` (``{(sluice, month, unit, challenge, figure, value): n}``) to the
    tallies: a row is made for a new cell (or found, should another transaction make it at
    once), then one UPDATE per amount, ``count = count + n``, so concurrent changes add up."""
    changes = {key: n for key, n in delta.items() if n}
    if not changes:
        return
    Tally.objects.bulk_create(
        [Tally(**dict(zip(_KEY_FIELDS, key, strict=True)), count=0) for key in changes],
        ignore_conflicts=True,
    )
    by_amount = defaultdict(list)
    for key, n in changes.items():
        by_amount[n].append(Q(**dict(zip(_KEY_FIELDS, key, strict=True))))
    for n, cells in by_amount.items():
        Tally.objects.filter(reduce(operator.or_, cells)).update(count=F("count") + n)


def retally(idea_pk, *, new_idea=None):
    """Bring the tallies in step with idea ``idea_pk`` as it is now (gone: taken out), in
    the current transaction. Idempotent: whatever changed, and however often it is asked.

    ``new_idea`` is the idea just created (its ``post_save``): it has no events, goals,
    pilots or counts yet, so it is counted from the instance without reading them."""
    if idea_pk in getattr(_state, "deleting", ()):
        return  # its own deletion takes it out, once (``idea_deleted``)
    with transaction.atomic(savepoint=False):
        if new_idea is not None:
            row = {name: getattr(new_idea, name) for name in _IDEA_VALUES}
            found = {idea_pk: (_cell(row), _counted_under(row, (), (), ()))}
            stored = None
        else:
            found = _contributions(Idea.objects.filter(pk=idea_pk), lock=True)
            stored = IdeaTally.objects.filter(pk=idea_pk).first()
        delta = Counter()
        if idea_pk in found:
            cell, keys = found[idea_pk]
            delta.update(_keyed(cell, keys))
        delta.subtract(_stored(stored))
        if not any(delta.values()):
            return
        _apply(delta)
        if idea_pk not in found:
            stored.delete()
            return
        cell, keys = found[idea_pk]
        fields = dict(
            zip(_KEY_FIELDS[:4], cell, strict=True),
            keys=sorted([figure, value, n] for (figure, value), n in keys.items()),
        )
        # The idea's row is locked (or new): no other transaction writes this one.
        if stored is None:
            IdeaTally.objects.create(idea_pk=idea_pk, **fields)
        else:
            IdeaTally.objects.filter(pk=idea_pk).update(**fields)


def idea_saved(idea, created=False, update_fields=None):
    """``post_save`` of an idea: recount it unless only untallied fields were saved."""
    if update_fields is not None and not TALLIED_FIELDS & set(update_fields):
        return
    retally(idea.pk, new_idea=idea if created else None)


def idea_deleting(idea):
    """``pre_delete`` of an idea: what its events, goals and pilots go with is not
    recounted one by one; ``idea_deleted`` takes the idea out once."""
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    _state.deleting.add(idea.pk)


def idea_deleted(idea):
    deleting = getattr(_state, "deleting", set())
    deleting.discard(idea.pk)
    retally(idea.pk)


def event_changed(event, created=False):
    """``post_save``/``post_delete`` of an event: only a move or feedback counts, and a
    new one only if it changes what the idea is counted under (one query to know)."""
    if not (event.to_stage or event.public_note):
        return
    if created and _counted_already(event):
        return
    retally(event.idea_id)


#: How long ago a new event may have happened to be taken as the idea's latest.
_FRESH = timedelta(minutes=1)


def _counted_already(event):
    """A new event of now (the usual: a move's, a note's) changes nothing if the idea
    already had feedback, a decision and the stage it reached. A back-dated one (an
    import) may be earlier than those: it is counted in full."""
    if event.created_at < timezone.now() - _FRESH:
        return False
    stored = IdeaTally.objects.filter(pk=event.idea_id).values_list("keys", flat=True).first()
    if stored is None:
        return False
    keys = {(figure, value) for figure, value, _n in stored}
    figures = {figure for figure, _value in keys}
    if event.public_note and not figures & {"feedback", "feedback_dup"}:
        return False
    if (
        event.kind == IdeaEvent.Kind.MOVED
        and event.to_stage in DECISION_STAGES
        and "decision" not in figures
    ):
        return False
    return not (
        event.to_stage in process.FORWARD_PATH[1:] and ("reached", event.to_stage) not in keys
    )


def cell_deleted(*, unit_pk=None, challenge_pk=None):
    """A unit or a challenge was deleted (its ideas' field set to NULL without a signal):
    recount the ideas counted under it."""
    rows = IdeaTally.objects.all()
    rows = rows.filter(unit_pk=unit_pk) if unit_pk else rows.filter(challenge_pk=challenge_pk)
    for idea_pk in list(rows.values_list("pk", flat=True)):
        retally(idea_pk)


@dataclass(frozen=True)
class Recount:
    """What ``recount()`` found: the cells whose count differed (``(key, kept, counted)``)
    and the ideas whose own record differed."""

    differences: list
    ideas_differing: int
    ideas: int

    @property
    def in_step(self):
        return not self.differences and not self.ideas_differing


def recount(*, repair=True):
    """Count every idea afresh, compare with the kept tallies, and (``repair``) write the
    fresh counts. Code that changes ideas without signals (``bulk_create``, ``update()``,
    a restore of the database) calls it; ``manage.py sluss_recount_stats`` runs it."""
    from django.db import connection

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Changes wait until the fresh counts are in; a change in flight is seen.
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(Tally._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        found = _contributions(Idea.objects.all())
        counted = Counter()
        for cell, keys in found.values():
            counted.update(_keyed(cell, keys))
        kept = Counter()
        for row in Tally.objects.exclude(count=0).values_list(*_KEY_FIELDS, "count"):
            kept[row[:-1]] += row[-1]
        differences = sorted(
            ((key, kept[key], counted[key]) for key in set(kept) | set(counted)),
            key=lambda row: tuple(str(part) for part in row[0]),
        )
        differences = [row for row in differences if row[1] != row[2]]
        stored = {row.pk: _stored(row) for row in IdeaTally.objects.all()}
        differing = sum(
            stored.get(pk, Counter()) != _keyed(cell, keys) for pk, (cell, keys) in found.items()
        ) + sum(pk not in found for pk in stored)
        if repair and (differences or differing):
            # Plain DELETEs: a post_delete receiver without a sender (the pages') would
            # make Django read and signal every row first.
            with connection.cursor() as cursor:
                for model in (Tally, IdeaTally):
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            Tally.objects.bulk_create(
                (
                    Tally(**dict(zip(_KEY_FIELDS, key, strict=True)), count=n)
                    for key, n in counted.items()
                ),
                batch_size=2000,
            )
            IdeaTally.objects.bulk_create(
                (
                    IdeaTally(
                        idea_pk=pk,
                        **dict(zip(_KEY_FIELDS[:4], cell, strict=True)),
                        keys=sorted([figure, value, n] for (figure, value), n in keys.items()),
                    )
                    for pk, (cell, keys) in found.items()
                ),
                batch_size=2000,
            )
            IDEAS.bump()
    return Recount(differences=differences, ideas_differing=differing, ideas=len(found))


# ---- reading the counts -----------------------------------------------------------------------


#: An event that gave the idea giver feedback (a public note).
FEEDBACK = ~Q(public_note="")


def _whole_months(start, end):
    """``(first, last)``: the months wholly inside ``start``…``end`` (aware datetimes or
    None), ``last`` excluded; None for an open end."""
    first = last = None
    if start is not None:
        first = _month(start)
        if _month_start(first) != start:
            first = _next_month(first)
    if end is not None:
        last = _month(end)
    return first, last


def _counts(start, end, unit, challenge, sluices):
    """``Counter({(unit, challenge, figure, value): n})`` of the cohort (0: no unit or
    challenge): the whole months from the tallies in one query; the days of a part month
    at either end of the period from their ideas (``_contributions``, four queries)."""
    start, end = _as_datetime(start), _as_datetime(end, end=True)
    first, last = _whole_months(start, end)
    counts = Counter()
    tallies = Tally.objects.exclude(count=0)
    pks = sluice_pks(sluices)
    if pks is not None:
        tallies = tallies.filter(sluice_pk__in=pks)
    if unit is not None:
        tallies = tallies.filter(unit_pk=_pk(unit))
    if challenge is not None:
        from .models.translations import translations_of

        tallies = tallies.filter(challenge_pk__in=translations_of(challenge).values("pk"))
    part = Q()
    if first is not None and last is not None and first >= last:
        part = Q(created_at__gte=start, created_at__lt=end)  # no whole month: all from ideas
    else:
        if first is not None:
            tallies = tallies.filter(month__gte=first)
            if _month_start(first) != start:
                part |= Q(created_at__gte=start, created_at__lt=_month_start(first))
        if last is not None:
            tallies = tallies.filter(month__lt=last)
            if _month_start(last) != end:
                part |= Q(created_at__gte=_month_start(last), created_at__lt=end)
        rows = (
            tallies.values_list("unit_pk", "challenge_pk", "figure", "value")
            .annotate(n=Sum("count"))
            .order_by()
        )
        for *key, n in rows:
            counts[tuple(key)] += n
    if part:
        ideas = ideas_received(unit=unit, challenge=challenge, sluices=sluices).filter(part)
        for (_sluice, _in_month, unit_pk, challenge_pk), keys in _contributions(ideas).values():
            for (figure, value), n in keys.items():
                counts[unit_pk, challenge_pk, figure, value] += n
    return counts


class _Figures:
    """The sums of a cohort's counts (``_counts``), by figure."""

    def __init__(self, counts):
        self.by_figure = defaultdict(Counter)
        self.by_unit = Counter()
        self.by_challenge = Counter()
        for (unit_pk, challenge_pk, figure, value), n in counts.items():
            self.by_figure[figure][value] += n
            if figure == "received":
                self.by_unit[unit_pk] += n
                self.by_challenge[challenge_pk] += n

    def total(self, figure, value=""):
        return self.by_figure[figure][value]

    def breakdown(self, figure, labels, *, key=str):
        rows = [(key(value), n) for value, n in self.by_figure[figure].items() if n]
        rows.sort(key=lambda row: (-row[1], row[0]))
        return [Breakdown(value, str(labels.get(value, value)), n) for value, n in rows]

    def hours(self, *figures):
        found = Counter()
        for figure in figures:
            for value, n in self.by_figure[figure].items():
                found[int(value)] += n
        return found


def _median_days(hours):
    """The median of ``{hours: how many}``, in days to a tenth; None if empty."""
    total = sum(hours.values())
    if not total:
        return None
    ordered = sorted(hours.items())

    def nth(index):  # the index-th smallest value, from 0
        for value, n in ordered:
            if index < n:
                return value
            index -= n
        raise IndexError(index)

    middle = (nth((total - 1) // 2) + nth(total // 2)) / 2
    return round(middle / 24, 1)


def _by_unit(figures):
    from .models.units import OrganisationUnit

    found = {pk: n for pk, n in figures.by_unit.items() if n}
    names = (
        dict(
            OrganisationUnit.objects.filter(pk__in=[pk for pk in found if pk]).values_list(
                "pk", "name"
            )
        )
        if any(found)
        else {}
    )
    rows = sorted(found.items(), key=lambda row: (-row[1], row[0]))
    return [
        Breakdown(pk or None, names.get(pk, "") if pk else str(_("No unit")), n) for pk, n in rows
    ]


def _by_challenge(figures):
    """By challenge, a challenge and its translations as one (keyed and named by the
    translation that stands for them: ``representative_order``); one query."""
    from .models.translations import _page_model, representative_order

    found = {pk: n for pk, n in figures.by_challenge.items() if n}
    groups = Counter()
    standing = {}
    if any(found):
        pages = _page_model().objects.filter(
            translation_key__in=_page_model()
            .objects.filter(pk__in=[pk for pk in found if pk])
            .values("translation_key")
        )
        rows = list(
            pages.order_by("translation_key", *representative_order()).values_list(
                "pk", "translation_key", "title"
            )
        )
        key_of = {pk: key for pk, key, _title in rows}
        for pk, key, title in rows:
            standing.setdefault(key, (pk, title))
        for pk, n in found.items():
            if pk in key_of:
                groups[standing[key_of[pk]]] += n
            else:  # no challenge, or one deleted since (``cell_deleted`` recounts it)
                groups[None, str(_("Not to a challenge"))] += n
    elif found.get(0):
        groups[None, str(_("Not to a challenge"))] += found[0]
    rows = sorted(groups.items(), key=lambda row: (-row[1], row[0][0] or 0))
    return [Breakdown(pk, title, n) for (pk, title), n in rows]


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
    Runs the same number of queries (the counts, the recent ideas still without
    feedback, the names of the units and challenges counted, the adoptions; four more
    for a period that starts or ends within a month; and the site's settings when they
    are not in the cache) whatever the number of ideas, and none while the figures are in the cache
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
    figures = _Figures(_counts(start, end, unit, challenge, sluices))
    received = figures.total("received")
    funnel = [
        FunnelStep(
            process.get_stage(key),
            count,
            count / received if received else None,
        )
        for key, count in (
            (key, received if key == process.RECEIVED else figures.total("reached", key))
            for key in process.FORWARD_PATH
        )
    ]

    # The promise is due for an idea (duplicates left out) that has had feedback or is
    # old enough: every original but the recent ones still without feedback, which are
    # counted from the ideas of the last ``promise_days`` (one query, off the index of
    # ``created_at``, whatever the number of older ideas).
    cutoff = now - timedelta(days=promise_days)
    silent = (
        ideas_received(start, end, unit, challenge, sluices=sluices)
        .filter(duplicate_of__isnull=True, created_at__gt=cutoff)
        .exclude(Exists(IdeaEvent.objects.filter(FEEDBACK, idea=OuterRef("pk"))))
        .count()
    )
    feedback_due = figures.total("original") - silent
    feedback_on_time = sum(
        n for hours, n in figures.hours("feedback").items() if hours <= promise_days * 24
    )

    pilot_labels = [*PilotOutcome.choices, ("", _("No result yet"))]
    return Statistics(
        start=_as_datetime(start),
        end=_as_datetime(end, end=True),
        unit_id=_pk(unit),
        challenge_id=_pk(challenge),
        received=received,
        by_stage={stage.key: figures.total("stage", stage.key) for stage in process.STAGES},
        funnel=funnel,
        by_submitter_kind=figures.breakdown("kind", dict(SubmitterKind.choices)),
        by_unit=_by_unit(figures),
        by_challenge=_by_challenge(figures),
        by_sdg=figures.breakdown("sdg", sdg.GOAL_LABELS, key=int),
        median_days_to_first_feedback=_median_days(figures.hours("feedback", "feedback_dup")),
        median_days_to_decision=_median_days(figures.hours("decision")),
        feedback_promise_days=promise_days,
        feedback_due=feedback_due,
        feedback_on_time=feedback_on_time,
        pilots_by_outcome=[
            Breakdown(key, str(label), figures.total("pilot", key)) for key, label in pilot_labels
        ],
        adoptions_confirmed=_adoptions(start, end, unit, challenge, sluices).count(),
        by_channel=figures.breakdown("channel", dict(Channel.choices)),
    )


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
    figures = _Figures(_counts(start, end, unit, challenge, sluices))
    adoptions = _adoptions(start, end, unit, challenge, sluices).filter(
        innovation__in=page_types.innovation_model().objects.public().values("pk")
    )
    return Headline(
        received=figures.total("received"),
        tested=figures.total("reached", process.PILOT),
        implemented=figures.total("reached", process.IMPLEMENTED),
        spread=figures.total("reached", process.SPREAD),
        adopted=adoptions.count(),
    )


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
