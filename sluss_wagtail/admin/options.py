"""The inbox of ideas and the organisation units, as wagtail_modeladmin classes.

Every idea the admin shows, exports, searches or acts on comes from
``IdeaAdmin.get_queryset()``, which asks ``permissions.ideas_for_user``:
a unit reviewer never meets an idea of another unit. Ideas come only from
the public form, so the inbox has no create, edit or delete views; every
change is an action on the idea's own page that leaves an event.
"""

from functools import partial

from django import forms
from django.contrib.admin import display
from django.contrib.auth.models import Permission
from django.http import Http404
from django.urls import re_path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder, register_admin_url_finder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import DjangoORMSearchHandler, PermissionHelper
from wagtail_modeladmin.options import ModelAdminGroup

from .. import permissions, search_indexes
from ..links import idea_admin_path
from ..models import Idea, IdeaContact, OrganisationUnit, Sluice, SluiceSite
from ..models.sluices import layout
from . import filters, views
from .adoptions import AdoptionAdmin
from .assessment import CriterionAdmin
from .forms import ACTION_FORMS
from .modeladmin import SlussModelAdmin
from .views import days_in_stage

EMPTY = "—"


def _select_all_header():
    # The checkbox that ticks every idea on the page, as Wagtail's listings have it: hidden
    # until sluss_wagtail/js/admin.js makes it work (without script it would do nothing).
    return format_html(
        '<span class="w-sr-only">{}</span><input type="checkbox" id="sluss-select-all" '
        'class="sluss-admin-select-all" aria-label="{}" hidden>',
        _("Select"),
        _("Select all ideas on this page"),
    )


#: The header of the inbox's column of checkboxes (translated when shown).
SELECT_ALL_HEADER = lazy(_select_all_header, SafeString)()


class IdeaPermissionHelper(views.ChangedOnlyByActionsMixin, PermissionHelper):
    """Who may use the inbox, and who may act on the ideas in it.

    Which ideas a user sees is the queryset's business
    (``IdeaAdmin.get_queryset``), not this helper's.
    """

    def user_can_list(self, user):
        return permissions.can_use_inbox(user)

    def user_can_inspect_obj(self, user, obj):
        return permissions.can_use_inbox(user)

    def user_can_act_on_obj(self, user, obj):
        return permissions.can_use_inbox(user) and permissions.can_change_ideas(user)

    def user_can_act_in_bulk(self, user):
        return permissions.can_use_inbox(user) and permissions.can_change_ideas(user)


class IdeaAdminURLFinder(ModelAdminURLFinder):
    """Wagtail's links to an idea go to its own page, for those who may see it."""

    def construct_edit_url(self, instance):
        return idea_admin_path(instance)

    def get_edit_url(self, instance):
        if self.user is not None and not permissions.can_view_idea(self.user, instance):
            return None
        return self.construct_edit_url(instance)


class IdeaAdmin(SlussModelAdmin):
    """The inbox: every idea the user may see, filtered, searched and exported.

    Extension points: the ``*_view_class`` attributes, ``list_export`` and
    ``personal_data_export`` for the spreadsheet columns, and the templates
    ``sluss_wagtail/admin/idea_index.html`` and ``idea_inspect.html``.
    """

    model = Idea
    menu_label = _("Ideas")
    menu_icon = "tasks"
    inspect_view_enabled = True
    history_view_enabled = False
    permission_helper_class = IdeaPermissionHelper
    index_view_class = views.IdeaIndexView
    board_view_class = views.IdeaBoardView
    inspect_view_class = views.IdeaInspectView
    action_view_class = views.IdeaActionView
    bulk_action_view_class = views.IdeaBulkActionView
    index_template_name = "sluss_wagtail/admin/idea_index.html"
    inspect_template_name = "sluss_wagtail/admin/idea_inspect.html"
    index_view_extra_css = ["sluss_wagtail/css/admin.css"]
    index_view_extra_js = ["sluss_wagtail/js/admin.js"]
    inspect_view_extra_css = ["sluss_wagtail/css/admin.css"]

    list_display = (
        "reference",
        "title",
        "stage",
        "unit",
        "challenge",
        "submitter_kind",
        "received",
        "days_in_stage",
        "weighted_total",
    )
    list_display_add_buttons = "title"
    list_filter = (
        filters.CoachListFilter,
        filters.SluiceListFilter,
        "stage",
        filters.UnitListFilter,
        filters.ChallengeListFilter,
        "submitter_kind",
        filters.TagListFilter,
        filters.SustainableDevelopmentGoalListFilter,
        "confidential",
        "channel",
        filters.WaitingForAssessmentFilter,
    )
    list_select_related = ("unit", "challenge")
    list_per_page = 50
    empty_value_display = EMPTY
    # Django ORM lookups (icontains): the same results on SQLite and
    # PostgreSQL, with no search index to keep in step with the permissions.
    # On PostgreSQL each column has statistics and a trigram index (search_indexes).
    search_handler_class = DjangoORMSearchHandler
    search_fields = search_indexes.SEARCHED_COLUMNS
    list_export = (
        "reference",
        "title",
        "stage",
        "unit",
        "challenge",
        "submitter_kind",
        "created_at",
        "days_in_stage",
        "confidential",
        "tags",
        "sdgs",
        "description",
        "need",
        "beneficiaries",
        "decision",
        "forwarded_to",
    )
    #: Added to the export for users who may see personal data.
    personal_data_export = (
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_organisation",
    )
    export_filename = "ideas"

    def get_queryset(self, request):
        return permissions.ideas_for_user(request.user, super().get_queryset(request))

    def get_inspect_queryset(self, request):
        """The idea for its own page, with what the page shows in the same query."""
        related = ["unit", "challenge", "duplicate_of", "coach"]
        visibility = permissions.idea_visibility(request.user)
        if visibility.contact:
            related.append("contact")
        if visibility.giver_account:
            related.append("submitted_by")
        return self.get_queryset(request).select_related(*related)

    def get_list_display(self, request):
        # modeladmin asks once per cell of the listing: the permission check once per request.
        if not hasattr(request, "_sluss_list_display"):
            columns = self.list_display
            if permissions.sluice_choices(request.user):
                # Someone who sees several sluices: whose each idea is.
                columns = (columns[0], "sluice_name", *columns[1:])
            if self.permission_helper.user_can_act_in_bulk(request.user):
                columns = ("select", *columns)
            request._sluss_list_display = columns
        return request._sluss_list_display

    def get_list_export(self, request):
        columns = self.list_export
        if permissions.sluice_choices(request.user):
            columns = (columns[0], "sluice", *columns[1:])
        if permissions.idea_visibility(request.user).contact:
            return (*columns, *self.personal_data_export)
        return columns

    @display(description=Idea._meta.get_field("sluice").verbose_name, ordering="sluice__name")
    def sluice_name(self, obj):
        # From the cached layout: no join, no query per row.
        return layout().names.get(obj.sluice_id, "")

    @display(description=SELECT_ALL_HEADER)
    def select(self, obj):
        return format_html(
            '<input type="checkbox" name="ideas" value="{pk}" id="sluss-select-{pk}" '
            'form="sluss-bulk-form" class="sluss-admin-select">'
            '<label for="sluss-select-{pk}" class="w-sr-only">{label}</label>',
            pk=obj.pk,
            label=_("Select %(reference)s") % {"reference": obj.reference},
        )

    @display(description=Idea._meta.get_field("created_at").verbose_name, ordering="created_at")
    def received(self, obj):
        # The short date ("2026-03-14" in Swedish): a column as narrow as the date.
        day = timezone.localdate(obj.created_at)
        return format_html(
            '<time datetime="{}">{}</time>', day.isoformat(), date_format(day, "SHORT_DATE_FORMAT")
        )

    # "Score", not "weighted total": the column as narrow as its figures (the inbox fits
    # 1024 px); the idea's page and the docs say it is the assessments' weighted total.
    @display(description=_("score"), ordering="assessment_total")
    def weighted_total(self, obj):
        # The inbox's listing annotates it (``assessing.total_annotation``); no query per row.
        total = getattr(obj, "assessment_total", None)
        return EMPTY if total is None else f"{total:.0f}"

    @display(description=_("days in this stage"), ordering="-stage_changed_at")
    def days_in_stage(self, obj):
        return days_in_stage(obj)

    def get_admin_urls_for_registration(self):
        helper = self.url_helper
        urls = [
            re_path(
                helper.get_action_url_pattern("index"),
                self.index_view,
                name=helper.get_action_url_name("index"),
            ),
            re_path(
                rf"^{helper.base_url_path}/board/$",
                self.board_view,
                name=helper.get_action_url_name("board"),
            ),
            re_path(
                helper.get_action_url_pattern("inspect"),
                self.inspect_view,
                name=helper.get_action_url_name("inspect"),
            ),
            re_path(
                rf"^{helper.base_url_path}/bulk/$",
                self.bulk_action_view,
                name=helper.get_action_url_name("bulk"),
            ),
        ]
        for action in ACTION_FORMS:
            urls.append(
                re_path(
                    helper.get_action_url_pattern(action),
                    partial(self.action_view, action=action),
                    name=helper.get_action_url_name(action),
                )
            )
        # An action registered after the admin's URLs were built (``register_idea_action``)
        # is found here; ``links.idea_admin_path`` names it.
        urls.append(
            re_path(
                rf"^{helper.base_url_path}/(?P<action>[a-z][a-z0-9_]*)/(?P<instance_pk>[-\w]+)/$",
                self.action_view,
                name=helper.get_action_url_name("action"),
            )
        )
        return tuple(urls)

    def action_view(self, request, instance_pk, action):
        if action not in ACTION_FORMS:
            raise Http404
        view_class = self.action_view_class
        return view_class.as_view(model_admin=self, instance_pk=instance_pk, action=action)(request)

    def board_view(self, request):
        return self.board_view_class.as_view(model_admin=self)(request)

    def bulk_action_view(self, request):
        return self.bulk_action_view_class.as_view(model_admin=self)(request)

    def get_permissions_for_registration(self):
        # The personal-data permission is offered beside the ideas' own in
        # Wagtail's group settings.
        return super().get_permissions_for_registration() | Permission.objects.filter(
            content_type__app_label=IdeaContact._meta.app_label,
            content_type__model=IdeaContact._meta.model_name,
            codename__in=["view_ideacontact", "erase_ideacontact"],
        )

    def register_admin_url_finders(self):
        register_admin_url_finder(self.model, IdeaAdminURLFinder)

    def register_indexing(self):
        # Wagtail's reference index would cost queries on every submission
        # and move; nothing in Wagtail refers to ideas.
        pass


class OrganisationUnitForm(WagtailAdminModelForm):
    """A unit of one of the sluices the user coordinates; the choice only with several."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "sluice" not in self.fields:
            return
        if not self.instance.sluice_id:
            scope = permissions.sluice_scope(for_user)
            self.instance.sluice_id = scope[0] if scope else Sluice.objects.default_pk()
        if permissions.sluice_choices(for_user):
            self.fields["sluice"].queryset = permissions.sluices_for(for_user)
        else:
            # One sluice to choose from: nothing to ask; the unit stays in it.
            del self.fields["sluice"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        sluice_id = self.instance.sluice_id
        if "sluice" in self.fields and self.data.get(self.add_prefix("sluice"), "").isdigit():
            sluice_id = int(self.data[self.add_prefix("sluice")])
        same = OrganisationUnit.objects.filter(sluice_id=sluice_id, name__iexact=name)
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The sluice already has a unit of that name."))
        return name


class OrganisationUnitPermissionHelper(PermissionHelper):
    """Units of the sluices the user coordinates only (``permissions.units_for``)."""

    def _of_users_sluices(self, user, obj):
        return permissions.can_see_unit(user, obj)

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and self._of_users_sluices(user, obj)

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and self._of_users_sluices(user, obj)

    def user_can_delete_obj(self, user, obj):
        return super().user_can_delete_obj(user, obj) and self._of_users_sluices(user, obj)


class OrganisationUnitAdmin(SlussModelAdmin):
    model = OrganisationUnit
    menu_label = _("Units")
    menu_icon = "group"
    index_view_class = views.OrganisationUnitIndexView
    permission_helper_class = OrganisationUnitPermissionHelper
    list_display = ("name", "contact_email", "reviewer_group", "is_pilot_unit", "is_active")
    list_filter = ("is_pilot_unit", "is_active")
    list_select_related = ("reviewer_group",)
    search_fields = ("name",)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("sluice"),
            FieldPanel("contact_email"),
            FieldPanel("reviewer_group"),
            FieldPanel("is_pilot_unit"),
            FieldPanel("is_active"),
        ],
        base_form_class=OrganisationUnitForm,
    )

    def get_queryset(self, request):
        return permissions.units_for(request.user, super().get_queryset(request))

    def get_list_display(self, request):
        if permissions.sluice_choices(request.user):
            return ("name", "sluice", *self.list_display[1:])
        return self.list_display

    def register_indexing(self):
        pass


class SluiceForm(WagtailAdminModelForm):
    """A sluice and its sites: a site in another sluice has to leave that one first."""

    def clean_sites(self):
        sites = self.cleaned_data["sites"]
        taken = SluiceSite.objects.filter(site__in=sites).exclude(sluice_id=self.instance.pk)
        names = [str(link.site) for link in taken.select_related("site", "sluice")]
        if names:
            raise forms.ValidationError(
                _("These sites belong to another sluice; remove them there first: %(sites)s.")
                % {"sites": ", ".join(names)}
            )
        return sites


class SluicePermissionHelper(PermissionHelper):
    """Sluices are set up by network coordinators (``view_all_sluices``); the default
    sluice is never deleted (ideas and sites that name none belong to it)."""

    def user_can_list(self, user):
        return permissions.can_view_all_sluices(user) and super().user_can_list(user)

    def user_can_create(self, user):
        return permissions.can_view_all_sluices(user) and super().user_can_create(user)

    def user_can_edit_obj(self, user, obj):
        return permissions.can_view_all_sluices(user) and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj):
        return (
            not obj.is_default
            and permissions.can_view_all_sluices(user)
            and super().user_can_delete_obj(user, obj)
        )


class SluiceAdmin(SlussModelAdmin):
    """The sluices of the installation: their names, formats, coordinators and sites."""

    model = Sluice
    menu_label = _("Sluices")
    menu_icon = "site"
    permission_helper_class = SluicePermissionHelper
    index_view_class = views.OrganisationUnitIndexView
    list_display = ("name", "reference_format", "is_default")
    search_fields = ("name",)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("reference_format"),
            FieldPanel("benefit_follow_up_months"),
            FieldPanel("coordinator_groups", widget=forms.CheckboxSelectMultiple),
            FieldPanel("sites", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=SluiceForm,
    )

    def register_indexing(self):
        pass


class SlussAdminGroup(ModelAdminGroup):
    """The sluice's place in the admin menu: the inbox and the units."""

    menu_label = _("Innovation sluice")
    menu_icon = "tasks"
    menu_order = 250
    items = (IdeaAdmin, OrganisationUnitAdmin, AdoptionAdmin, SluiceAdmin, CriterionAdmin)
