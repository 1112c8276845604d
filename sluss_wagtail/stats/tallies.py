"""The statistics' counts, kept in step with the ideas (``models.tallies``).

Every figure of ``stats.compute()`` and ``stats.headline()`` is a sum of what each idea
counts under (``counted_under()``); this module keeps those sums, in the transaction of
every change (``retally()``, from ``signal_handlers``), and counts them afresh
(``recount()``, ``manage.py sluss_recount_stats``).
"""

import operator
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import reduce

from django.db import router, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone

from .. import process
from ..caching import IDEAS
from ..models.ideas import Idea, IdeaEvent
from ..models.pilots import Pilot
from ..models.tallies import IdeaTally, Tally

#: Where an idea's handling ended: the first move here is its decision.
DECISION_STAGES = (process.IMPLEMENTED, process.SPREAD, process.CLOSED, process.FORWARDED)

#: An event that gave the idea giver feedback (a public note).
FEEDBACK = ~Q(public_note="")

# ---- the counts, kept in step with the ideas --------------------------------------------------
#
# Every figure of ``compute()`` and ``headline()`` is a sum of what each idea of the cohort
# counts under (``counted_under``): received, its stage now, the stages it reached, its
# submitter kind, channel, goals and pilots' outcomes, and its lead times to first
# feedback and to decision in started hours. ``models.tallies.Tally`` keeps those sums per
# sluice, month of receipt, unit and challenge; ``retally()`` puts an idea's changes into
# them in the transaction of the change (``signal_handlers``: the idea's save and
# deletion, its events, goals and pilots, the deletion of its unit or challenge), and
# ``recount()`` counts everything afresh (``manage.py sluss_recount_stats``). Both ask
# ``counted_under``: there is one definition of what an idea counts under.

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


def month_of(moment):
    """The first day of ``moment``'s month in the site's default time zone."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def month_start(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _started_hours(delta):
    """``delta`` in started hours: ``≤ 24 × d`` exactly when ``delta`` is at most ``d`` days."""
    return -int(-delta.total_seconds() // 3600)


def counted_under(idea, events, goals, outcomes):
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


def contributions(ideas, *, lock=False):
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
            counted_under(row, events[row["pk"]], goals[row["pk"]], outcomes[row["pk"]]),
        )
        for row in rows
    }


def _cell(row):
    return (
        row["sluice_id"],
        month_of(row["created_at"]),
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
    tallies, so that concurrent changes add up: on PostgreSQL and SQLite one upsert, ``count
    = count + n`` for a cell that exists (or that another transaction makes at once);
    elsewhere a row made for a new cell, then one UPDATE per amount."""
    changes = {key: n for key, n in delta.items() if n}
    if not changes:
        return
    connection = transaction.get_connection(router.db_for_write(Tally))
    if connection.vendor in ("postgresql", "sqlite"):
        _upsert(connection, changes)
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


def _upsert(connection, changes):
    """``INSERT … ON CONFLICT (the cell) DO UPDATE SET count = count + excluded.count``: one
    statement instead of an insert and an update per amount (a submission's tallies took
    three queries, and building the update's condition most of their time; issue 23)."""
    quote = connection.ops.quote_name
    fields = [Tally._meta.get_field(name) for name in (*_KEY_FIELDS, "count")]
    columns = [quote(field.column) for field in fields]
    cell = ", ".join(columns[:-1])
    count = columns[-1]
    table = quote(Tally._meta.db_table)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params = []
    for key, n in changes.items():
        values = (*key, n)
        params.extend(
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, values, strict=True)
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(changes))} "
            f"ON CONFLICT ({cell}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}",
            params,
        )


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
            found = {idea_pk: (_cell(row), counted_under(row, (), (), ()))}
            stored = None
        else:
            found = contributions(Idea.objects.filter(pk=idea_pk), lock=True)
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
    recounted one by one; ``idea_deleted`` takes the idea out once.

    The ideas marked as its duplicates become originals when it goes (``duplicate_of`` is
    ``SET_NULL``, an UPDATE without signals): they are remembered here, while they still
    point at it, and recounted after it."""
    if not hasattr(_state, "deleting"):
        _state.deleting, _state.followers = set(), {}
    _state.deleting.add(idea.pk)
    _state.followers[idea.pk] = list(
        Idea.objects.filter(duplicate_of_id=idea.pk).values_list("pk", flat=True)
    )


def idea_deleted(idea):
    deleting = getattr(_state, "deleting", set())
    deleting.discard(idea.pk)
    followers = getattr(_state, "followers", {}).pop(idea.pk, ())
    retally(idea.pk)
    for follower_pk in followers:
        retally(follower_pk)


def event_changed(event, created=False):
    """``post_save``/``post_delete`` of an event: only a move or feedback counts, and a
    new one only if it changes what the idea is counted under (one query to know)."""
    if not (event.to_stage or event.public_note):
        return
    if created and getattr(event, "counted_with_new_idea", False):
        # ``Idea.objects.submit``: the "submitted" event of an idea counted a moment ago in
        # the same transaction, at the stage it names, with no note: nothing to add.
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
        found = contributions(Idea.objects.all())
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
