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
change (``retally()``, ``stats.tallies``). A period that starts or ends within a month
counts the ideas of those days directly; the feedback promise's recent ideas (received
within ``promise_days``) are one query of their own. The lead times are counted in
started hours, so a median is exact to the hour and shown to a tenth of a day.
``recount()`` counts everything afresh and repairs.

**The modules.** The statistics are one package, asked by its names here: ``figures``
(the figures of a period, the headline and the small functions of the block, the panel
and the pages), ``tallies`` (the counts, kept in step), ``benefits`` (benefits
realisation) and ``decisions`` (decisions and money granted).

Each function runs a fixed number of queries, whatever the number of ideas.
"""

from .benefits import FollowUpTimeliness, RealisedBenefits, follow_ups_on_time, realised_benefits
from .decisions import (
    DecisionFigures,
    decision_figures,
    decisions,
    decisions_and_money,
    money_granted_by,
)
from .figures import (
    DEFAULT_FEEDBACK_PROMISE_DAYS,
    HEADLINE_FIGURES,
    Breakdown,
    FunnelStep,
    Headline,
    Statistics,
    challenge_idea_count,
    compute,
    feedback_promise_days,
    headline,
    ideas_received,
    sluice_pks,
    waiting_for_feedback,
    waiting_for_feedback_per_site,
    year_period,
)
from .tallies import (
    DECISION_STAGES,
    FEEDBACK,
    TALLIED_FIELDS,
    Recount,
    cell_deleted,
    event_changed,
    idea_deleted,
    idea_deleting,
    idea_saved,
    recount,
    retally,
)

__all__ = [
    "DECISION_STAGES",
    "DEFAULT_FEEDBACK_PROMISE_DAYS",
    "FEEDBACK",
    "HEADLINE_FIGURES",
    "TALLIED_FIELDS",
    "Breakdown",
    "DecisionFigures",
    "FollowUpTimeliness",
    "FunnelStep",
    "Headline",
    "RealisedBenefits",
    "Recount",
    "Statistics",
    "cell_deleted",
    "challenge_idea_count",
    "compute",
    "decision_figures",
    "decisions",
    "decisions_and_money",
    "event_changed",
    "feedback_promise_days",
    "follow_ups_on_time",
    "headline",
    "idea_deleted",
    "idea_deleting",
    "idea_saved",
    "ideas_received",
    "money_granted_by",
    "realised_benefits",
    "recount",
    "retally",
    "sluice_pks",
    "waiting_for_feedback",
    "waiting_for_feedback_per_site",
    "year_period",
]
