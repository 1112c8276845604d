"""Wagtail 8's header for wagtail-modeladmin's own views: breadcrumbs, buttons beside them,
search and filters where Wagtail's listings put them, a table whose columns wrap.

modeladmin's views still render its old header (a title, no breadcrumbs). ``SlussModelAdmin``
is the base of the package's ModelAdmins: its views add Wagtail's slim header, the way
Wagtail's generic views (``wagtail.admin.views.generic.models``) build it, and its templates
(``sluss_wagtail/admin/modeladmin/<action>.html``) show it. modeladmin's own lookup comes
first, so a host site's ``modeladmin/sluss_wagtail/<model>/<action>.html`` still wins (it
extends the package's template to keep the header).
"""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import Button, ButtonWithDropdown, HeaderButton
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
)

#: The folder of the package's templates for modeladmin's views, and the views it has one
#: for (the history is Wagtail's generic listing already; a page model's parent chooser the
#: package does not use).
TEMPLATES = "sluss_wagtail/admin/modeladmin"
TEMPLATE_ACTIONS = ("index", "create", "edit", "delete", "inspect")


def home_breadcrumb():
    return {"url": reverse("wagtailadmin_home"), "label": _("Home")}


class WagtailHeaderMixin:
    """A modeladmin view with Wagtail's slim header: ``get_breadcrumbs_items()`` (Home, the
    listing, the object) and ``get_header_buttons()``, as Wagtail's generic views have them."""

    def get_header_title(self):
        title = self.get_page_title()
        subtitle = self.get_page_subtitle() if hasattr(self, "get_page_subtitle") else ""
        return f"{title}: {subtitle}" if subtitle else title

    def get_index_breadcrumbs(self):
        """Home and the listing: where every page of the model starts."""
        return [
            home_breadcrumb(),
            {"url": self.index_url, "label": capfirst(self.opts.verbose_name_plural)},
        ]

    def get_object_breadcrumb(self):
        """The object itself, linked to its form (or its page) where the user may open it."""
        helper, user = self.permission_helper, self.request.user
        url = ""
        if helper.user_can_edit_obj(user, self.instance):
            url = self.url_helper.get_action_url("edit", self.pk_quoted)
        elif self.model_admin.inspect_view_enabled and helper.user_can_inspect_obj(
            user, self.instance
        ):
            url = self.url_helper.get_action_url("inspect", self.pk_quoted)
        return {"url": url, "label": str(self.instance)}

    def get_breadcrumbs_items(self):
        return self.get_index_breadcrumbs()

    def get_header_buttons(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("breadcrumbs_items", self.get_breadcrumbs_items())
        context.setdefault("header_buttons", self.get_header_buttons())
        context["header_title"] = self.get_header_title()
        return context


class OwnFiltersOnlyMixin:
    """A listing that filters only by its declared filters, and never fails on a bad one.

    modeladmin applies any other lookup in the query string to the queryset:
    ``?contact__email__startswith=a`` or ``?reviewer_group__user__password__startswith=``
    would let a user probe data they may not see, one guess at a time.
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.error(request, _("The list cannot filter like that; here it is unfiltered."))
            return redirect(self.index_url)

    def get_filters(self, request):
        filter_specs, has_filters, remaining, use_distinct = super().get_filters(request)
        if remaining:
            raise IncorrectLookupParameters(sorted(remaining))
        return filter_specs, has_filters, remaining, use_distinct


class SlussIndexView(WagtailHeaderMixin, OwnFiltersOnlyMixin, IndexView):
    """A listing as Wagtail's own: the slim header with the add button and the downloads,
    the search and the filter drilldown in it, the filters in use as pills above the table."""

    #: The search field's label and placeholder (Wagtail's listings say "Search").
    search_label = _("Search")

    @cached_property
    def filter_menu(self):
        """The listing's filters for Wagtail's filter drilldown and its active-filter pills.

        modeladmin's own choices (their links keep the search and the other filters), each
        filter with the choice that is active, if any, and the link that clears it.
        """
        menu = []
        for number, spec in enumerate(self.filter_specs):
            if not spec.has_output():
                continue
            choices = list(spec.choices(self))
            # The first choice of every filter is "All": what clears it.
            active = next((choice for choice in choices[1:] if choice["selected"]), None)
            menu.append(
                {
                    "id": f"sluss-filter-{number}",
                    "title": capfirst(spec.title),
                    "choices": choices,
                    "active": active,
                    "clear_url": choices[0]["query_string"] if choices else "?",
                }
            )
        return menu

    @cached_property
    def active_filters(self):
        return [entry for entry in self.filter_menu if entry["active"]]

    def get_view_url(self, url):
        """``url`` with this view's filters and search."""
        query = self.params.urlencode()
        return f"{url}?{query}" if query else url

    def get_breadcrumbs_items(self):
        return [home_breadcrumb(), {"url": "", "label": self.get_page_title()}]

    def get_header_buttons(self):
        buttons = []
        if self.permission_helper.user_can_create(self.request.user):
            add = self.button_helper.add_button()
            buttons.append(HeaderButton(add["label"], url=add["url"], icon_name="plus"))
        if self.list_export:
            buttons.append(self.downloads_button())
        return buttons

    def downloads_button(self):
        """The listing's downloads under Wagtail's "more" dropdown beside the breadcrumbs."""
        return ButtonWithDropdown(
            buttons=[
                Button(_("Download XLSX"), url=self.xlsx_export_url, icon_name="download"),
                Button(_("Download CSV"), url=self.csv_export_url, icon_name="download"),
            ],
            icon_name="dots-horizontal",
            attrs={"aria-label": _("More")},
            classname="w-h-slim-header",
        )


class SlussCreateView(WagtailHeaderMixin, CreateView):
    def get_breadcrumbs_items(self):
        label = _("New: %(model_name)s") % {"model_name": self.get_page_subtitle()}
        return [*self.get_index_breadcrumbs(), {"url": "", "label": label}]


class SlussEditView(WagtailHeaderMixin, EditView):
    def get_header_title(self):
        return str(self.instance)

    def get_breadcrumbs_items(self):
        return [*self.get_index_breadcrumbs(), {"url": "", "label": str(self.instance)}]


class SlussDeleteView(WagtailHeaderMixin, DeleteView):
    def get_breadcrumbs_items(self):
        return [
            *self.get_index_breadcrumbs(),
            self.get_object_breadcrumb(),
            {"url": "", "label": self.get_page_title()},
        ]


class SlussInspectView(WagtailHeaderMixin, InspectView):
    def get_breadcrumbs_items(self):
        return [*self.get_index_breadcrumbs(), {"url": "", "label": str(self.instance)}]


class SlussHistoryView(WagtailHeaderMixin, HistoryView):
    """An object's history, for those who may open the object (modeladmin shows any
    object's history to anyone in the admin)."""

    def check_action_permitted(self, user):
        helper = self.permission_helper
        return helper.user_can_edit_obj(user, self.instance) or (
            self.model_admin.inspect_view_enabled
            and helper.user_can_inspect_obj(user, self.instance)
        )

    def get_header_icon(self):
        # Wagtail's mixin comes first in modeladmin's history view and has no icon.
        return self.model_admin.get_menu_icon()

    def get_breadcrumbs_items(self):
        return [
            *self.get_index_breadcrumbs(),
            self.get_object_breadcrumb(),
            {"url": "", "label": self.get_page_title()},
        ]


class SlussModelAdmin(ModelAdmin):
    """A ModelAdmin whose every view has Wagtail 8's header with breadcrumbs.

    The views are the ``*_view_class`` attributes, as on any ModelAdmin; a subclass that
    sets its own should build on the ``Sluss*View`` classes of this module.
    """

    index_view_class = SlussIndexView
    create_view_class = SlussCreateView
    edit_view_class = SlussEditView
    delete_view_class = SlussDeleteView
    inspect_view_class = SlussInspectView
    history_view_class = SlussHistoryView
    index_view_extra_css = ["sluss_wagtail/css/admin.css"]
    inspect_view_extra_css = ["sluss_wagtail/css/admin.css"]

    def get_templates(self, action="index"):
        # A host site's modeladmin/sluss_wagtail/... first, then the package's (which
        # extends modeladmin's own), never modeladmin's bare one.
        templates = super().get_templates(action)
        if action not in TEMPLATE_ACTIONS:
            return templates
        return [*templates[:-1], f"{TEMPLATES}/{action}.html"]
