"""Decisions and the money granted (``models.assessment.Decision``) per kind, unit,
challenge and month."""

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ..models.ideas import Idea
from .figures import _as_datetime, _cached, _cohort_key, _pk, sluice_pks


def decisions(start=None, end=None, unit=None, challenge=None, *, sluices=None):
    """The decisions dated from ``start`` until ``end`` (dates) about ideas of ``unit`` and
    ``challenge`` in ``sluices`` (every sluice by default)."""
    from ..models.assessment import Decision

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

    from ..models.assessment import DecisionKind

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
