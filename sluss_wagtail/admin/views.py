"""The inbox's views: the listing and its exports, an idea's own page, its actions, bulk actions.

Each view finds its ideas through ``IdeaAdmin.get_queryset()`` (the
permissions), so an idea the user may not see is a 404 everywhere, and each
change goes through the domain layer, inside one transaction.
"""

import types
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import HeaderButton
from wagtail_modeladmin.views import IndexView, InspectView, WMABaseView

from .. import actions, assessing, following, page_types, permissions, process, stats
from ..caching import IDEAS, cached_by_sql, cached_count
from ..links import idea_admin_path
from ..models import Idea, IdeaContact, IdeaEvent
from ..models.sluices import layout
from .assessment import DecisionForm, RequestAssessmentForm
from .benefits import BENEFIT_ACTION_FORMS, benefits_panel_context
from .coach import CoachForm
from .exports import FormulaSafeExportMixin
from .forms import ACTION_FORMS, BulkActionForm, register_idea_action
from .modeladmin import SlussIndexView
from .portfolio import PortfolioForm

# The actions of the portfolio, the coach, assessment and decisions, and benefits
# realisation, after the tests and the promotion (``admin.forms``).
for _name, _form_class in {
    "portfolio": PortfolioForm,
    "coach": CoachForm,
    "request_assessment": RequestAssessmentForm,
    "decide": DecisionForm,
    **BENEFIT_ACTION_FORMS,
}.items():
    register_idea_action(_name, _form_class)

#: Text the exports mask for users who may not see every idea.
CONFIDENTIAL_FIELDS = ("description", "need", "beneficiaries", "decision")
# The idea's page names things by their model fields' names: one word for one thing.
IDEA_LABELS = (
    "stage",
    "unit",
    "challenge",
    "submitter_kind",
    "created_at",
    "channel",
    "coach",
    "confidential",
    "publish_idea",
    "publish_name",
    "decision",
    "forwarded_to",
    "duplicate_of",
    "tags",
    "sdgs",
    "dimensions",
    "description",
    "need",
    "beneficiaries",
)
CONTACT_LABELS = ("name", "email", "phone", "organisation")
#: The events the idea giver causes (through the form or the status page), not staff.
GIVER_EVENTS = frozenset(
    {
        IdeaEvent.Kind.SUBMITTED,
        IdeaEvent.Kind.WITHDRAWN,
        IdeaEvent.Kind.ANSWER,
        IdeaEvent.Kind.PARTICIPATION,
    }
)
#: A correction's texts, in the history of a user who may not see them.
CORRECTION_HIDDEN = _(
    "Corrected. The text before and after is shown only to those who may see personal data."
)


def days_in_stage(idea, now=None):
    return ((now or timezone.now()) - idea.stage_changed_at).days


def field_label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def with_cached_count(queryset):
    """``queryset`` whose ``count()`` comes from the cache until the ideas change
    (``caching.IDEAS``). With a filter or a search a count reads every idea the user may
    see; the listing counts the same rows twice (the result count and the paginator's),
    and the second time is a cache hit. A bound method: the paginator takes len() (every
    row) of any other callable."""
    count = queryset.count

    def cached(queryset):
        return cached_count(queryset, IDEAS, count)

    queryset.count = types.MethodType(cached, queryset)
    return queryset


def lock_ideas(pks):
    """Lock the ideas' rows until the transaction ends (PostgreSQL; SQLite locks the database).

    Two people acting on the same idea at once then act one after the other,
    each on the idea as the other left it.
    """
    list(Idea.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))


def return_url(request, allowed_prefix, default):
    """The ``next`` of ``request`` (POST, else GET) if it is a page under ``allowed_prefix`` on
    this site, else ``default``: where an action sends the user back (the list, the board)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith(allowed_prefix) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


@dataclass(frozen=True)
class WorkspacePanel:
    """A panel of an idea's workspace: its work beside the idea (tests, decisions, history).

    ``template`` is included with the page's context; ``is_shown(view, context)``, when
    given, says whether the idea has the panel at all (a panel with nothing to show says
    so itself: every panel is empty-safe).
    """

    name: str
    label: str
    template: str
    is_shown: Callable | None = None


class ChangedOnlyByActionsMixin:
    """A ``PermissionHelper`` for rows that come from a public form and change only through
    the domain layer's actions: nobody creates, edits or deletes them in the admin."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class OrganisationUnitIndexView(SlussIndexView):
    """The units' listing (and the sluices'): the package's listing as it is."""


class IdeaIndexView(FormulaSafeExportMixin, SlussIndexView):
    """The inbox listing, its CSV and XLSX exports, and the form for bulk actions.

    What of the ideas the exports hold is ``permissions.idea_visibility``'s answer
    (the contact columns; see ``IdeaAdmin.get_list_export``).
    """

    search_label = _("Search the ideas")

    @cached_property
    def visibility(self):
        # The ideas come from the user's ideas: what of them the user may see.
        return permissions.idea_visibility(self.request.user)

    def get_queryset(self, request=None):
        # IndexView builds the queryset (and its filters, with their queries)
        # in dispatch() and again for the context: once is enough.
        if getattr(self, "_queryset", None) is None:
            self._queryset = with_cached_count(super().get_queryset(request))
        return self._queryset

    def get_base_queryset(self, request=None):
        # "All ideas" (the listing's "x of y") is counted too: from the cache as well.
        # The weighted total of the assessments is a column to sort by (``assessing``).
        queryset = super().get_base_queryset(request)
        return with_cached_count(queryset.annotate(assessment_total=assessing.total_annotation()))

    @cached_property
    def now(self):
        return timezone.now()

    def get_buttons_for_obj(self, obj):
        # The title is the link to the idea's page, as in Wagtail's own listings; an
        # "Inspect" button under every title would only make the column wider.
        return []

    @cached_property
    def board_url(self):
        return reverse(self.url_helper.get_action_url_name("board"))

    def get_header_buttons(self, current="list"):
        """The buttons beside the breadcrumbs, as Wagtail's generic listings have them:
        the list and the board (the same filters and search), and the downloads under
        Wagtail's "more" dropdown."""
        buttons = []
        for name, label, url, icon in (
            ("list", _("List"), self.index_url, "list-ul"),
            ("board", _("Board"), self.board_url, "table"),
        ):
            attrs = {"aria-current": "page"} if name == current else {}
            buttons.append(
                HeaderButton(
                    label,
                    url=self.get_view_url(url),
                    icon_name=icon,
                    attrs=attrs,
                    classname="button-secondary" if name != current else "",
                )
            )
        if self.list_export and current == "list":
            buttons.append(self.downloads_button())
        return buttons

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": capfirst(self.opts.verbose_name_plural)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs_items"] = self.get_breadcrumbs_items()
        context["header_buttons"] = self.get_header_buttons("list")
        if self.permission_helper.user_can_act_in_bulk(self.request.user):
            context["bulk_form"] = BulkActionForm(self.request.user, auto_id="sluss-bulk-%s")
            context["bulk_url"] = reverse(self.url_helper.get_action_url_name("bulk"))
            context["current_url"] = self.request.get_full_path()
        return context

    # Exports: the rows the filters and the search select, all pages.

    def as_spreadsheet(self, queryset, spreadsheet_format):
        queryset = queryset.select_related("unit", "challenge").prefetch_related("tags", "sdgs")
        if set(self.list_export) & set(self.model_admin.personal_data_export):
            queryset = queryset.select_related("contact")
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_heading(self, queryset, field):
        headings = {
            "days_in_stage": _("days in this stage"),
            "contact_name": field_label(IdeaContact, "name"),
            "contact_email": field_label(IdeaContact, "email"),
            "contact_phone": field_label(IdeaContact, "phone"),
            "contact_organisation": field_label(IdeaContact, "organisation"),
        }
        heading = headings.get(field) or field_label(Idea, field)
        return force_str(capfirst(heading))

    def to_row_dict(self, item):
        masked = item.confidential and not self.visibility.confidential_text
        row = {}
        for field in self.list_export:
            if masked and field in CONFIDENTIAL_FIELDS:
                row[field] = force_str(_("(confidential)"))
            else:
                row[field] = self.get_export_value(item, field)
        return row

    def get_export_value(self, idea, field):
        if field in ("stage", "submitter_kind"):
            return force_str(getattr(idea, f"get_{field}_display")())
        if field in ("unit", "challenge"):
            return str(getattr(idea, field) or "")
        if field == "sluice":
            return layout().names.get(idea.sluice_id, "")
        if field == "created_at":
            # Local time, without the time zone a spreadsheet cannot show.
            return timezone.make_naive(idea.created_at).replace(microsecond=0)
        if field == "days_in_stage":
            return days_in_stage(idea, self.now)
        if field == "confidential":
            return force_str(_("Yes") if idea.confidential else _("No"))
        if field == "tags":
            return ", ".join(sorted((tag.name for tag in idea.tags.all()), key=str.lower))
        if field == "sdgs":
            return "; ".join(str(goal) for goal in idea.sdgs.all())
        if field.startswith("contact_"):
            contact = getattr(idea, "contact", None) if self.visibility.contact else None
            return getattr(contact, field.removeprefix("contact_"), "") if contact else ""
        return getattr(idea, field)


class IdeaBoardView(IdeaIndexView):
    """The inbox as a board: a column per open stage, a card per idea.

    The same ideas, filters and search as the list (its query string), so the same
    ``IdeaAdmin.get_queryset()`` scoping. A column shows its first ``cards_per_column``
    ideas, those longest in the stage first, and links to the list filtered to its stage:
    a query per column that has ideas and one for the counts, whatever the number of ideas.

    A column's cards are read off the index ``Idea(stage, stage_changed_at, id)`` in their
    order, a page of them and no more; the counts per stage (which read every idea shown)
    come from the cache until the ideas change (``caching.IDEAS``), as the list's counts.
    """

    #: How many cards a column shows before its link to the rest.
    cards_per_column = 20
    template_name = "sluss_wagtail/admin/idea_board.html"

    def get_template_names(self):
        return [self.template_name]

    def get_stages(self):
        return [stage for stage in process.STAGES if stage.is_open]

    def get_base_queryset(self, request=None):
        # The list's ideas without its weighted total of the assessments: the board
        # neither shows it nor sorts by it (a subquery for every idea of a stage, were
        # the cards sorted after it).
        return with_cached_count(super(IdeaIndexView, self).get_base_queryset(request))

    def get_ordering(self, request, queryset):
        # Each column has its own order (get_columns); the list's ?o= is the list's.
        return ["stage_changed_at", "pk"]

    def get_stage_counts(self, queryset, stages):
        """``{stage key: ideas}`` of ``queryset`` in ``stages``: one query, from the cache
        until the ideas change (it reads every idea the user may see, filtered)."""
        counts = (
            queryset.order_by()
            .filter(stage__in=[stage.key for stage in stages])
            .values_list("stage")
            .annotate(count=Count("pk"))
            .values_list("stage", "count")
        )
        return cached_by_sql(counts, IDEAS, lambda: dict(counts), kind="board counts", empty={})

    def get_cards(self, queryset, stage, past_promise):
        """A column's cards: its page of keys first, then those ideas with their mark (asked
        of the whole stage at once, PostgreSQL found every idea's feedback in one scan of
        all events, a hashed subplan, 90 ms at 100,000 ideas, to mark 20 cards).

        Only for a column the counts say has ideas: to fill an empty one, the database
        walked the whole stage in its order looking for a match of the search (at 100,000
        ideas 50 ms a column, and a search of a word in one stage left the others empty)."""
        page = queryset.filter(stage=stage.key).order_by("stage_changed_at", "pk")
        return list(
            Idea.objects.filter(pk__in=page.values("pk")[: self.cards_per_column])
            .select_related("unit")
            .annotate(past_promise=past_promise)
            .order_by("stage_changed_at", "pk")
        )

    def get_columns(self, queryset):
        stages = self.get_stages()
        counts = self.get_stage_counts(queryset, stages)
        promise_days = stats.feedback_promise_days()
        past_promise = ExpressionWrapper(
            Idea.objects.waiting_for_feedback_condition(promise_days, now=self.now),
            output_field=BooleanField(),
        )
        list_params = self.params.copy()
        for name in ("stage__exact", self.ORDER_VAR, self.ORDER_TYPE_VAR):
            list_params.pop(name, None)
        columns = []
        for stage in stages:
            count = counts.get(stage.key, 0)
            ideas = self.get_cards(queryset, stage, past_promise) if count else []
            for idea in ideas:
                idea.days_in_stage = days_in_stage(idea, self.now)
            params = list_params.copy()
            params["stage__exact"] = stage.key
            columns.append(
                {
                    "stage": stage,
                    "ideas": ideas,
                    "count": count,
                    "more": count - len(ideas),
                    "list_url": f"{self.index_url}?{params.urlencode()}",
                }
            )
        return columns

    def get_context_data(self, **kwargs):
        queryset = self.get_queryset()
        user = self.request.user
        context = {
            "view": self,
            "columns": self.get_columns(queryset),
            "breadcrumbs_items": [
                *self.get_breadcrumbs_items()[:-1],
                {"url": self.index_url, "label": capfirst(self.opts.verbose_name_plural)},
                {"url": "", "label": _("Board")},
            ],
            "header_buttons": self.get_header_buttons("board"),
            "can_act": self.permission_helper.user_can_act_in_bulk(user),
            "promise_days": stats.feedback_promise_days(),
            "return_url": self.request.get_full_path(),
        }
        context.update(kwargs)
        # Not the list's context: the board has no page of rows and no counts of its own.
        return super(IndexView, self).get_context_data(**context)


class IdeaInspectView(InspectView):
    """An idea's own page: the idea, its history, and the actions for those who may act.

    The idea comes from the user's ideas (a 404 for any other); what of it the page
    shows is ``permissions.idea_visibility``'s answer: without the personal-data
    permission no contact details, no submitting account, no attachments or their
    names, and no texts of a correction.
    """

    def __init__(self, model_admin, instance_pk):
        # InstanceSpecificView would fetch any idea; the user's ideas are
        # known only once the request is (see dispatch).
        WMABaseView.__init__(self, model_admin)
        self.instance_pk = unquote(instance_pk)
        self.pk_quoted = quote(self.instance_pk)

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        self.instance = self.get_instance()
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        if not str(self.instance_pk).isdigit():
            raise Http404
        queryset = self.model_admin.get_inspect_queryset(self.request)
        return get_object_or_404(queryset, pk=self.instance_pk)

    @cached_property
    def visibility(self):
        # The idea comes from the user's ideas (get_instance): what of it they may see.
        return permissions.idea_visibility(self.request.user)

    @cached_property
    def inspect_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def get_page_title(self):
        return capfirst(self.opts.verbose_name)

    def get_meta_title(self):
        return f"{self.instance.reference} {self.instance.title}"

    def get_fields_dict(self):
        # The template lays the idea out itself, without a query per field.
        return []

    #: The idea's work beside the idea, in this order. Later parts of the process
    #: (assessment, dialogue with the idea giver, benefits) add their panel here, or a
    #: subclass overrides ``get_workspace_panels()``.
    workspace_panels = (
        WorkspacePanel(
            "tests", _("Small-scale tests"), "sluss_wagtail/admin/includes/idea_tests.html"
        ),
        WorkspacePanel(
            "dialogue",
            _("Dialogue with the idea giver"),
            "sluss_wagtail/dialogue/admin_panel.html",
        ),
        WorkspacePanel(
            "benefits",
            _("Benefits and implementation"),
            "sluss_wagtail/admin/includes/idea_benefits.html",
        ),
        WorkspacePanel(
            "assessment",
            _("Assessment and decisions"),
            "sluss_wagtail/admin/includes/idea_assessment.html",
            is_shown=lambda view, context: permissions.can_coordinate_assessments(
                view.request.user
            ),
        ),
        WorkspacePanel(
            "history",
            _("Decisions and history"),
            "sluss_wagtail/admin/includes/idea_history.html",
        ),
        # The public portfolio (``admin/portfolio.py``): its entry and similar ideas.
        WorkspacePanel(
            "similar", _("Possibly the same as"), "sluss_wagtail/portfolio/admin_panel.html"
        ),
    )

    def get_workspace_panels(self, context):
        return [
            panel
            for panel in self.workspace_panels
            if panel.is_shown is None or panel.is_shown(self, context)
        ]

    def get_action_menu(self):
        """The actions the user may take on the idea, each its own page (``IdeaActionView``)."""
        return [
            {
                "name": name,
                "label": form_class.legend,
                "url": idea_admin_path(self.instance, name),
            }
            for name, form_class in ACTION_FORMS.items()
            if form_class.is_permitted(self.request.user)
        ]

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": self.index_url, "label": capfirst(self.opts.verbose_name_plural)},
            {"url": "", "label": self.instance.reference},
        ]

    def get_events(self, visibility=None):
        visibility = visibility or self.visibility
        events = list(self.instance.events.select_related("user"))
        for event in events:
            event.who = self.event_author(event, visibility)
            event.change_rows = list(self.change_rows(event, visibility))
        return events

    def event_author(self, event, visibility=None):
        visibility = visibility or self.visibility
        if event.kind in GIVER_EVENTS:
            # The idea giver's own act: its account names them, which is personal data.
            # (What staff do is signed with their name, even by an employee who gave the
            # idea: "the idea giver" there would tell who gave it.)
            if visibility.giver_account and event.user:
                return event.user.get_full_name() or event.user.get_username()
            return _("The idea giver")
        if event.user is None:
            return _("Unknown")
        return event.user.get_full_name() or event.user.get_username()

    def change_rows(self, event, visibility=None):
        """What an event changed, as rows of label, before and after (or plain details).

        A correction's texts are the idea giver's own words, corrected perhaps because
        they named someone: only the field's name for those who may not see them.
        """
        visibility = visibility or self.visibility
        hidden = event.kind == IdeaEvent.Kind.CORRECTED and not visibility.corrected_originals
        for name, change in (event.changes or {}).items():
            try:
                label = field_label(Idea, name)
            except (FieldDoesNotExist, AttributeError):
                # Not a field of the idea (a relation, or a page the event names).
                label = capfirst(name.replace("_", " "))
            if hidden:
                yield {"label": label, "details": CORRECTION_HIDDEN}
            elif isinstance(change, dict) and {"old", "new"} <= set(change):
                yield {
                    "label": label,
                    "old": self.change_value(change["old"]),
                    "new": self.change_value(change["new"]),
                }
            else:
                values = change.values() if isinstance(change, dict) else [change]
                details = ", ".join(str(self.change_value(value)) for value in values if value)
                yield {"label": label, "details": details}

    @staticmethod
    def change_value(value):
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, (list, tuple)):
            return ", ".join(str(item) for item in value)
        return value

    def get_context_data(self, **kwargs):
        idea = self.instance
        user = self.request.user
        visibility = self.visibility
        tag_names = sorted(idea.tags.names(), key=str.lower)
        context = {
            "idea": idea,
            "labels": {name: field_label(Idea, name) for name in IDEA_LABELS},
            "contact_heading": capfirst(IdeaContact._meta.verbose_name),
            "contact_labels": {name: field_label(IdeaContact, name) for name in CONTACT_LABELS},
            "event_labels": {
                name: field_label(IdeaEvent, name) for name in ("public_note", "internal_note")
            },
            "stage": idea.stage_info,
            "days_in_stage": days_in_stage(idea),
            "tag_names": tag_names,
            "sdgs": list(idea.sdgs.all()),
            "pilots": list(idea.pilots.all()),
            "attachments": list(idea.attachments.all()) if visibility.attachments else [],
            "attachments_hidden": (not visibility.attachments and idea.attachments.exists()),
            "innovation_pages": list(page_types.innovation_model().objects.filter(idea=idea)),
            "dimensions": list(idea.dimensions.all()),
            "duplicate_of_visible": bool(
                idea.duplicate_of_id and permissions.can_view_idea(user, idea.duplicate_of)
            ),
            "duplicates": list(
                permissions.ideas_for_user(user, idea.duplicates.all()).values("pk", "reference")
            ),
            "events": self.get_events(visibility),
            # What about the idea did not go out by e-mail (outbox): sent again by a command.
            "unsent_emails": list(idea.failed_emails.unsent()),
            # Who follows it and says they have the same need (``following``): one query.
            "following_counts": following.counts_for_admin(idea),
            "visibility": visibility,
            # Kept for templates that override the idea's page: the contact details.
            "show_personal_data": visibility.contact,
            "contact": getattr(idea, "contact", None) if visibility.contact else None,
            "can_act": self.permission_helper.user_can_act_on_obj(user, idea),
        }
        context.update(benefits_panel_context(idea))
        if context["can_act"]:
            context["action_menu"] = self.get_action_menu()
        context["breadcrumbs_items"] = self.get_breadcrumbs_items()
        context["workspace_panels"] = self.get_workspace_panels(context)
        context.update(kwargs)
        return super().get_context_data(**context)


class IdeaActionView(IdeaInspectView):
    """One action on an idea, on its own short page: the form (GET), then its saving (POST).

    A valid form is saved through the domain layer and the user is sent back to the idea's
    page (or to ``next``: the board or the list) with a message; an invalid one (or one the
    process refuses) shows the form again with its errors. No JavaScript needed.
    """

    http_method_names = ["get", "post"]
    #: The name of the action in ``ACTION_FORMS``, given by the URL.
    action = None
    template_name = "sluss_wagtail/admin/idea_action.html"

    def __init__(self, model_admin, instance_pk, action):
        super().__init__(model_admin, instance_pk)
        self.action = action

    def get_template_names(self):
        return [self.template_name]

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_act_on_obj(user, self.instance) and ACTION_FORMS[
            self.action
        ].is_permitted(user)

    def get_form(self, data=None):
        form_class = ACTION_FORMS[self.action]
        extra = {}
        if self.action == "tags":
            extra["tag_names"] = sorted(self.instance.tags.names(), key=str.lower)
        if data is None and self.action == "move" and self.request.GET.get("to_stage"):
            # A card on the board may name the stage: the form starts with it chosen.
            extra["initial"] = {"to_stage": self.request.GET["to_stage"]}
        if data is None and self.action == "mark_duplicate" and self.request.GET.get("reference"):
            # "Possibly the same as" names the original: the form starts with it.
            extra["initial"] = {"reference": self.request.GET["reference"][:40]}
        return form_class(self.instance, self.request.user, data=data, prefix=self.action, **extra)

    @cached_property
    def return_url(self):
        return return_url(self.request, self.index_url, self.inspect_url)

    def get_meta_title(self):
        return f"{ACTION_FORMS[self.action].legend} – {self.instance.reference}"

    def get_context_data(self, form=None, **kwargs):
        form = form or self.get_form()
        entry = {
            "name": self.action,
            "form": form,
            "url": idea_admin_path(self.instance, self.action),
        }
        breadcrumbs = [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": self.index_url, "label": capfirst(self.opts.verbose_name_plural)},
            {"url": self.inspect_url, "label": self.instance.reference},
            {"url": "", "label": form.legend},
        ]
        context = {
            "view": self,
            "idea": self.instance,
            "stage": self.instance.stage_info,
            "form": form,
            "action": entry,
            # The form as the idea's page listed them once: what tests and overrides read.
            "action_forms": [entry],
            "breadcrumbs_items": breadcrumbs,
            "return_url": self.return_url,
            "next": self.request.POST.get("next") or self.request.GET.get("next") or "",
        }
        context.update(kwargs)
        return super(InspectView, self).get_context_data(**context)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            lock_ideas([self.instance.pk])
            self.instance = self.get_instance()
            form = self.get_form(request.POST)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        event = form.save()
                except (process.TransitionNotAllowed, ValidationError) as error:
                    form.add_action_error(error)
                else:
                    if event is None:
                        messages.info(request, form.unchanged_message)
                    elif hasattr(form, "get_success_message"):
                        messages.success(request, form.get_success_message(event))
                    else:
                        messages.success(request, form.success_message)
                    if not permissions.can_view_idea(request.user, self.instance):
                        # Routed to a unit the user does not review: back to their inbox.
                        return redirect(self.index_url)
                    return redirect(self.return_url)
        messages.error(
            request,
            _("Nothing was changed. Correct what the form “%(form)s” says and send it again.")
            % {"form": form.legend},
        )
        return self.render_to_response(self.get_context_data(form=form))


class IdeaBulkActionView(WMABaseView):
    """Assign a unit to, or move, the ideas selected in the inbox: all of them or none."""

    http_method_names = ["post"]

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_act_in_bulk(user)

    def get_return_url(self):
        return return_url(self.request, self.index_url, self.index_url)

    def post(self, request, *args, **kwargs):
        form = BulkActionForm(request.user, data=request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self.get_return_url())
        with transaction.atomic():
            ideas = form.cleaned_data["ideas"]
            lock_ideas([idea.pk for idea in ideas])
            ideas = list(
                permissions.ideas_for_user(request.user).filter(pk__in=ideas).order_by("reference")
            )
            if form.cleaned_data["action"] == BulkActionForm.MOVE:
                self.move(form, ideas)
            else:
                self.assign_unit(form, ideas)
        return redirect(self.get_return_url())

    def assign_unit(self, form, ideas):
        unit = form.cleaned_data["unit"]
        for idea in ideas:
            actions.assign_unit(idea, unit, user=self.request.user)
        messages.success(
            self.request,
            _("Assigned to %(unit)s: %(references)s.")
            % {"unit": unit, "references": references(ideas)},
        )

    @staticmethod
    def may_move(idea, to_stage, form):
        try:
            process.check_move(
                idea,
                to_stage,
                public_note=form.cleaned_data["public_note"],
                destination=form.cleaned_data["destination"],
            )
        except process.TransitionNotAllowed:
            return False
        return True

    def move(self, form, ideas):
        to_stage = form.cleaned_data["to_stage"]
        stage_label = process.get_stage(to_stage).label
        refused = [idea for idea in ideas if not self.may_move(idea, to_stage, form)]
        if refused:
            messages.error(
                self.request,
                _("Nothing was moved. These ideas cannot move to %(stage)s: %(ideas)s.")
                % {
                    "stage": stage_label,
                    "ideas": ", ".join(
                        f"{idea.reference} ({idea.stage_info.label})" for idea in refused
                    ),
                },
            )
            return
        try:
            # Every move or none: a refusal rolls back the moves before it.
            with transaction.atomic():
                for idea in ideas:
                    process.move_idea(
                        idea,
                        to_stage,
                        user=self.request.user,
                        public_note=form.cleaned_data["public_note"],
                        internal_note=form.cleaned_data["internal_note"],
                        destination=form.cleaned_data["destination"],
                    )
        except process.TransitionNotAllowed as error:
            messages.error(
                self.request,
                _("Nothing was moved. %(reason)s") % {"reason": error},
            )
            return
        messages.success(
            self.request,
            _("Moved to %(stage)s: %(references)s.")
            % {"stage": stage_label, "references": references(ideas)},
        )


def references(ideas):
    return ", ".join(idea.reference for idea in ideas)
