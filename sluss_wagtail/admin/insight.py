"""Insight for coordinators: the dashboard panel, the innovation report and the register export.

Every figure comes from ``sluss_wagtail.stats``; who may see them from
``permissions.can_view_statistics`` (coordinators). Registered in ``wagtail_hooks.py``.
"""

from dataclasses import dataclass
from functools import cached_property

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from .. import page_types, permissions, process, stats
from ..links import idea_admin_path, inbox_path
from ..models import Idea
from ..models.sluices import layout, pages_of_sluices
from .exports import FormulaSafeExportMixin

#: How many of the ideas waiting past the feedback promise the panel lists.
WAITING_SHOWN = 10
# The funnel chart's geometry, in SVG user units.
CHART_WIDTH = 640
CHART_LABEL_WIDTH = 190
CHART_BAR_MAX = 380
CHART_ROW = 34
CHART_BAR_HEIGHT = 22


def funnel_chart(statistics):
    """The funnel as bars for ``sluss_wagtail/admin/includes/funnel_chart.html``."""
    largest = max((step.count for step in statistics.funnel), default=0) or 1
    bars = []
    for index, step in enumerate(statistics.funnel):
        y = index * CHART_ROW
        width = round(CHART_BAR_MAX * step.count / largest)
        bars.append(
            {
                "step": step,
                "y": y,
                "text_y": y + CHART_BAR_HEIGHT - 6,
                "width": width,
                "count_x": CHART_LABEL_WIDTH + width + 8,
                "percent": None if step.share is None else round(step.share * 100),
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": len(bars) * CHART_ROW,
        "label_width": CHART_LABEL_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
    }


# ---- the dashboard ------------------------------------------------------------------------------


class InsightPanel(Component):
    """The sluice on the dashboard: this year's funnel, late feedback, this year against last."""

    name = "sluss_wagtail_insight"
    template_name = "sluss_wagtail/admin/insight_panel.html"
    order = 90

    class Media:
        css = {"all": ["sluss_wagtail/css/admin.css"]}

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        user = request.user
        # The sluices the reader coordinates, or the one they chose (``?sluice=``).
        chosen = permissions.chosen_sluice(user, request.GET.get("sluice"))
        scope = chosen if chosen is not None else permissions.sluice_scope(user)
        year = timezone.localdate().year
        this_year = stats.compute(*stats.year_period(year), sluices=scope)
        waiting = stats.waiting_for_feedback(
            this_year.feedback_promise_days,
            queryset=permissions.ideas_for_user(user),
            sluices=scope,
        ).select_related("unit")
        shown = list(waiting.order_by("created_at", "pk")[:WAITING_SHOWN])
        now = timezone.now()
        visibility = permissions.idea_visibility(user)
        for idea in shown:
            idea.days_waiting = (now - idea.created_at).days
            idea.admin_url = idea_admin_path(idea)
            idea.shown_title = visibility.title(idea)
        last_year = stats.headline(*stats.year_period(year - 1), sluices=scope)
        this_headline = stats.Headline(
            received=this_year.received,
            tested=this_year.funnel_by_stage[process.PILOT],
            implemented=this_year.funnel_by_stage[process.IMPLEMENTED],
            spread=this_year.funnel_by_stage[process.SPREAD],
            adopted=this_year.adoptions_confirmed,
        )
        context.update(
            statistics=this_year,
            chart=funnel_chart(this_year),
            chart_id="sluss-dashboard-funnel",
            waiting=shown,
            waiting_count=waiting.count(),
            year=year,
            last_year=year - 1,
            comparison=[
                (label, this, last)
                for (_key, label, this), (_k, _l, last) in zip(
                    this_headline.figures(), last_year.figures(), strict=True
                )
            ],
            report_url=reverse("sluss_wagtail_innovation_report"),
            inbox_url=inbox_path() + (f"?sluice={chosen.pk}" if chosen else ""),
            sluice_choices=permissions.sluice_choices(user),
            chosen_sluice=chosen,
        )
        # Benefits realisation: this year's realised benefits, and follow-ups on time.
        context.update(
            realised_benefits=[
                row for row in stats.realised_benefits(sluices=scope) if row.year == year
            ],
            follow_ups=stats.follow_ups_on_time(sluices=scope),
        )
        # The decisions dated this year, and the money they granted for tests.
        context["decisions"] = stats.decision_figures(
            *stats.year_period(year), sluices=scope, breakdowns=False
        )
        return context


def construct_homepage_panels(request, panels):
    if permissions.can_view_statistics(request.user):
        panels.append(InsightPanel())


# ---- the reports ----------------------------------------------------------------------------


class InsightFilterSet(WagtailFilterSet):
    """The period, the sluice (for someone who sees several), the unit and the challenge;
    the choices are those of the user's sluices."""

    sluice = django_filters.ModelChoiceFilter(
        field_name="sluice",
        label=_("Sluice"),
        empty_label=_("All sluices"),
        queryset=lambda request: permissions.sluices_for(request.user),
    )
    received = django_filters.DateFromToRangeFilter(
        field_name="created_at", label=_("Received"), widget=DateRangePickerWidget
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="unit",
        label=_("Unit"),
        empty_label=_("All units"),
        queryset=lambda request: permissions.units_for(request.user),
    )
    # A challenge and its translations are one: offered once (in the user's language,
    # else the original), and its ideas through every translation.
    challenge = django_filters.ModelChoiceFilter(
        field_name="challenge",
        label=_("Challenge"),
        empty_label=_("All challenges"),
        queryset=lambda request: challenges_for(request.user),
        method="filter_challenge",
    )

    def filter_challenge(self, queryset, name, value):
        return queryset.of_challenge(value) if value else queryset

    class Meta:
        model = Idea
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not permissions.sluice_choices(request.user):
            # One sluice: no filter names it.
            del self.filters["sluice"]


def challenges_for(user):
    """The challenges on the sites of the user's sluices."""
    challenges = page_types.challenge_model().objects.one_per_translation().order_by("title")
    scope = permissions.sluice_scope(user)
    if scope is None:
        return challenges
    return challenges.filter(pages_of_sluices(scope))


class CoordinatorReportMixin:
    """Reports only coordinators see, with the period, unit and challenge filters."""

    filterset_class = InsightFilterSet
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_view_statistics(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_period(self):
        """``{start, end, unit, challenge, sluices}`` from the filters (a bad filter is no
        filter; the sluices are always the user's)."""
        scope = permissions.sluice_scope(self.request.user)
        period = {"start": None, "end": None, "unit": None, "challenge": None, "sluices": scope}
        if self.filters is None or not self.filters.is_valid():
            return period
        data = self.filters.form.cleaned_data
        if data.get("sluice") is not None:
            period["sluices"] = data["sluice"]
        received = data.get("received")
        if received is not None:
            if received.start is not None:
                period["start"] = timezone.localdate(received.start)
            if received.stop is not None:
                period["end"] = timezone.localdate(received.stop)
        period["unit"] = data.get("unit")
        period["challenge"] = data.get("challenge")
        return period

    def stream_csv(self, queryset):
        # Wagtail's admin speaks the user's language only while the view runs; the CSV
        # streams after it, so each row is written in that language explicitly.
        return self._in_language(super().stream_csv(queryset), translation.get_language())

    @staticmethod
    def _in_language(rows, language):
        while True:
            with translation.override(language):
                row = next(rows, None)
            if row is None:
                return
            yield row


@dataclass(frozen=True)
class FigureRow:
    section: str
    figure: str
    value: object


def percent(share):
    return None if share is None else round(share * 100)


def figure_rows(statistics):
    """Every figure of ``statistics`` as ``FigureRow``s, in the report's order."""
    return [row for _section, rows in figure_sections(statistics) for row in rows]


def figure_sections(statistics):
    """``[(section, [FigureRow])]`` in the report's order; a section may have no rows."""
    sections = []

    def add(section, items):
        section = force_str(section)
        sections.append(
            (section, [FigureRow(section, force_str(label), value) for label, value in items])
        )

    add(_("Ideas"), [(_("Ideas received"), statistics.received)])
    add(
        _("Ideas that reached each step"),
        [(step.stage.label, step.count) for step in statistics.funnel],
    )
    add(
        _("Ideas by stage now"),
        [(stage.label, statistics.by_stage[stage.key]) for stage in process.STAGES],
    )
    add(_("Kind of idea giver"), [(row.label, row.count) for row in statistics.by_submitter_kind])
    add(_("Channel"), [(row.label, row.count) for row in statistics.by_channel])
    add(_("Unit"), [(row.label, row.count) for row in statistics.by_unit])
    add(_("Challenge"), [(row.label, row.count) for row in statistics.by_challenge])
    add(_("Global goals"), [(row.label, row.count) for row in statistics.by_sdg])
    add(
        _("Lead times (median days)"),
        [
            (_("From received to first feedback"), statistics.median_days_to_first_feedback),
            (_("From received to decision"), statistics.median_days_to_decision),
        ],
    )
    add(
        _("Feedback promise"),
        [
            (_("Promise in days"), statistics.feedback_promise_days),
            (_("Ideas due for feedback"), statistics.feedback_due),
            (_("Feedback within the promise"), statistics.feedback_on_time),
            (_("Share within the promise (%)"), percent(statistics.feedback_on_time_share)),
        ],
    )
    add(
        _("Small-scale tests by outcome"),
        [(row.label, row.count) for row in statistics.pilots_by_outcome],
    )
    add(_("Spread"), [(_("Confirmed adoptions"), statistics.adoptions_confirmed)])
    return sections


def decision_sections(period):
    """The report's decisions (``models.assessment.Decision``) dated in the period, of the
    ideas of its sluices, unit and challenge: how many of each kind and the money granted
    for tests, and that money per unit, challenge and month, as ``(section, [(label,
    value)])``."""
    figures = stats.decision_figures(**period)
    return [
        (
            _("Decisions and money granted"),
            [
                *figures.by_kind,
                (_("Decisions in all"), figures.total),
                (_("Tests granted money"), figures.grants),
                (_("Money granted (SEK)"), figures.granted),
            ],
        ),
        (_("Money granted per unit (SEK)"), figures.by_unit),
        (_("Money granted per challenge (SEK)"), figures.by_challenge),
        (_("Money granted per month (SEK)"), figures.by_month),
    ]


class InnovationReportView(CoordinatorReportMixin, FormulaSafeExportMixin, ReportView):
    """Every figure of ``stats.compute()`` for a period, a unit and a challenge."""

    page_title = _("Innovation report")
    results_template_name = "sluss_wagtail/admin/reports/innovation_report_results.html"
    index_url_name = "sluss_wagtail_innovation_report"
    index_results_url_name = "sluss_wagtail_innovation_report_results"
    model = Idea
    paginate_by = None
    list_export = ["section", "figure", "value"]
    export_headings = {"section": _("Section"), "figure": _("Figure"), "value": _("Value")}

    def get_filename(self):
        return f"innovation-report-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return Idea.objects.none()

    @property
    def statistics(self):
        if not hasattr(self, "_statistics"):
            self._statistics = stats.compute(**self.get_period())
        return self._statistics

    def get_sections(self):
        """The figures' sections, those of benefits realisation (``admin/benefits.py``) and
        those of the decisions."""
        if not hasattr(self, "_sections"):
            from .benefits import benefit_sections

            extra = [
                (
                    force_str(section),
                    [
                        FigureRow(force_str(section), force_str(label), value)
                        for label, value in rows
                    ],
                )
                for section, rows in [
                    *benefit_sections(self.get_period()),
                    *decision_sections(self.get_period()),
                ]
            ]
            self._sections = figure_sections(self.statistics) + extra
        return self._sections

    def get_filtered_queryset(self):
        return [row for _section, rows in self.get_sections() for row in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statistics=self.statistics,
            sections=self.get_sections(),
            chart=funnel_chart(self.statistics),
            chart_id="sluss-report-funnel",
        )
        return context


class RegisterExportView(CoordinatorReportMixin, FormulaSafeExportMixin, ReportView):
    """The ideas as a public-records diary (*diarium*): incoming documents, oldest first.

    A confidential idea's title is masked for a user without ``view_confidential_idea``.
    """

    page_title = _("Register of ideas")
    index_url_name = "sluss_wagtail_register_export"
    index_results_url_name = "sluss_wagtail_register_export_results"
    model = Idea
    export_headings = {
        "sluice": _("Sluice"),
        "received": _("Date received"),
        "reference": _("Reference number"),
        "register_title": _("Title"),
        "direction": _("Direction"),
        "sender_kind": _("Kind of sender"),
    }

    def get_filename(self):
        return f"register-of-ideas-{timezone.localdate():%Y-%m-%d}"

    @property
    def several_sluices(self):
        return bool(permissions.sluice_choices(self.request.user))

    @property
    def list_export(self):
        columns = ["received", "reference", "register_title", "direction", "sender_kind"]
        # Each sluice numbers its own ideas: with several, the number needs its sluice.
        return ["sluice", *columns] if self.several_sluices else columns

    def sluice_name(self, idea):
        return layout().names.get(idea.sluice_id, "")

    @property
    def columns(self):
        sluice = [Column("sluice", label=self.export_headings["sluice"], accessor=self.sluice_name)]
        return [*(sluice if self.several_sluices else []), *self.base_columns]

    @property
    def base_columns(self):
        return [
            Column("received", label=self.export_headings["received"], accessor=self.received),
            Column("reference", label=self.export_headings["reference"]),
            Column("title", label=self.export_headings["register_title"], accessor=self.title),
            Column("direction", label=self.export_headings["direction"], accessor=self.direction),
            Column(
                "sender_kind",
                label=self.export_headings["sender_kind"],
                accessor="get_submitter_kind_display",
            ),
        ]

    def get_queryset(self):
        ideas = permissions.ideas_for_user(self.request.user).order_by("created_at", "pk")
        return self.filter_queryset(ideas)

    def received(self, idea):
        return timezone.localdate(idea.created_at)

    def title(self, idea):
        return self.visibility.title(idea)

    def direction(self, idea):
        return force_str(_("Incoming"))

    @cached_property
    def visibility(self):
        # The ideas come from the user's ideas: what of them the user may see. The
        # register names no idea giver: the kind of sender only.
        return permissions.idea_visibility(self.request.user)

    def to_row_dict(self, item):
        row = {
            "sluice": self.sluice_name(item),
            "received": self.received(item),
            "reference": item.reference,
            "register_title": self.title(item),
            "direction": self.direction(item),
            "sender_kind": force_str(item.get_submitter_kind_display()),
        }
        return {field: row[field] for field in self.list_export}


def report_urls():
    return [
        path(
            "sluss/reports/innovation/",
            InnovationReportView.as_view(),
            name="sluss_wagtail_innovation_report",
        ),
        path(
            "sluss/reports/innovation/results/",
            InnovationReportView.as_view(results_only=True),
            name="sluss_wagtail_innovation_report_results",
        ),
        path(
            "sluss/reports/register/",
            RegisterExportView.as_view(),
            name="sluss_wagtail_register_export",
        ),
        path(
            "sluss/reports/register/results/",
            RegisterExportView.as_view(results_only=True),
            name="sluss_wagtail_register_export_results",
        ),
    ]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_statistics(request.user)


def innovation_report_menu_item():
    return CoordinatorMenuItem(
        _("Innovation report"),
        reverse("sluss_wagtail_innovation_report"),
        name="sluss-innovation-report",
        icon_name="tasks",
        order=1200,
    )


def register_export_menu_item():
    return CoordinatorMenuItem(
        _("Register of ideas"),
        reverse("sluss_wagtail_register_export"),
        name="sluss-register-of-ideas",
        icon_name="list-ul",
        order=1210,
    )


__all__ = [
    "InnovationReportView",
    "InsightPanel",
    "RegisterExportView",
    "construct_homepage_panels",
    "figure_rows",
    "funnel_chart",
]
