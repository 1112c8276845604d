"""The figures of a period: ``compute()``, ``headline()`` and the small functions of the
block, the panel and the pages (the package's docstring says what each figure is)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import page_types, process, sdg
from ..caching import IDEAS
from ..conf import sluss_settings
from ..models.adoptions import Adoption, AdoptionStatus
from ..models.ideas import Channel, Idea, IdeaEvent, SubmitterKind
from ..models.pilots import PilotOutcome
from ..models.sluices import pages_of_sluices
from ..models.tallies import Tally
from .tallies import FEEDBACK, contributions, month_of, month_start, next_month

DEFAULT_FEEDBACK_PROMISE_DAYS = 14
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
    from ..models.settings import SlussSettings
    from ..models.sluices import Sluice

    pks = sluice_pks(sluices)
    if site is None and pks and len(pks) == 1 and pks[0] != Sluice.objects.default_pk():
        sluice = Sluice.objects.filter(pk=pks[0]).first()
        site = sluice.get_main_site() if sluice else None
    found = SlussSettings.for_site(site) if site else SlussSettings.for_default_site()
    return found.feedback_promise_days if found else DEFAULT_FEEDBACK_PROMISE_DAYS


# ---- reading the counts -----------------------------------------------------------------------


def _whole_months(start, end):
    """``(first, last)``: the months wholly inside ``start``…``end`` (aware datetimes or
    None), ``last`` excluded; None for an open end."""
    first = last = None
    if start is not None:
        first = month_of(start)
        if month_start(first) != start:
            first = next_month(first)
    if end is not None:
        last = month_of(end)
    return first, last


def _counts(start, end, unit, challenge, sluices):
    """``Counter({(unit, challenge, figure, value): n})`` of the cohort (0: no unit or
    challenge): the whole months from the tallies in one query; the days of a part month
    at either end of the period from their ideas (``contributions``, four queries)."""
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
        from ..models.translations import translations_of

        tallies = tallies.filter(challenge_pk__in=translations_of(challenge).values("pk"))
    part = Q()
    if first is not None and last is not None and first >= last:
        part = Q(created_at__gte=start, created_at__lt=end)  # no whole month: all from ideas
    else:
        if first is not None:
            tallies = tallies.filter(month__gte=first)
            if month_start(first) != start:
                part |= Q(created_at__gte=start, created_at__lt=month_start(first))
        if last is not None:
            tallies = tallies.filter(month__lt=last)
            if month_start(last) != end:
                part |= Q(created_at__gte=month_start(last), created_at__lt=end)
        rows = (
            tallies.values_list("unit_pk", "challenge_pk", "figure", "value")
            .annotate(n=Sum("count"))
            .order_by()
        )
        for *key, n in rows:
            counts[tuple(key)] += n
    if part:
        ideas = ideas_received(unit=unit, challenge=challenge, sluices=sluices).filter(part)
        for (_sluice, _in_month, unit_pk, challenge_pk), keys in contributions(ideas).values():
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
    from ..models.units import OrganisationUnit

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
    from ..models.translations import _page_model, representative_order

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

    from ..models.settings import SlussSettings

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
