"""Import innovations from another installation's JSON feed, from the admin.

The same as ``manage.py sluss_import`` for one feed address (never a file on the
server): a preview of what would be created, updated or skipped, then the import
in one transaction. Only into a showcase the user may add pages to.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import Button

from .. import importing, page_types, permissions

URL_NAME = "sluss_wagtail_import"


def user_can_import(user):
    return permissions.showcases_for_user(user).exists()


class ImportForm(forms.Form):
    source = forms.URLField(
        label=_("Address of the JSON feed"),
        help_text=_(
            "The JSON feed of another installation's showcase, for example "
            "https://www.example.se/innovationer/feed/json/."
        ),
        max_length=2000,
        assume_scheme="https",
        error_messages={"required": _("Enter the address of the feed.")},
    )
    showcase = forms.TypedChoiceField(
        label=_("Import into"),
        coerce=int,
        error_messages={"required": _("Choose the showcase to import into.")},
    )

    def __init__(self, *args, showcases, **kwargs):
        super().__init__(*args, **kwargs)
        self.showcases = {page.pk: page for page in showcases}
        self.fields["showcase"].choices = [(page.pk, page.title) for page in showcases]

    def clean_source(self):
        source = self.cleaned_data["source"]
        if source.split(":", 1)[0].lower() not in ("http", "https"):
            raise forms.ValidationError(_("Only http and https addresses can be imported."))
        return source

    def get_showcase(self):
        return self.showcases[self.cleaned_data["showcase"]]


def import_view(request):
    showcases = list(permissions.showcases_for_user(request.user))
    if not showcases:
        raise PermissionDenied
    context = {"plan": None}
    if request.method == "POST":
        form = ImportForm(request.POST, showcases=showcases)
        if form.is_valid():
            showcase = form.get_showcase()
            try:
                source = form.cleaned_data["source"]
                feed = importing.parse_feed(importing.fetch_url(source), source=source)
                if request.POST.get("confirm") == "import":
                    plan = importing.run_import(feed, showcase, user=request.user)
                    messages.success(request, importing.summarise_import(plan, feed))
                    return redirect("wagtailadmin_explore", showcase.pk)
                context.update(plan=importing.plan_import(feed, showcase), feed=feed)
            except importing.FeedError as error:
                form.add_error("source", str(error))
    else:
        # Reached from a showcase's own page in the explorer: that showcase is chosen.
        initial = {"showcase": request.GET.get("showcase", "")}
        form = ImportForm(initial=initial, showcases=showcases)
    context.update(form=form, action_url=reverse(URL_NAME))
    return TemplateResponse(request, "sluss_wagtail/admin/import.html", context)


def admin_urls():
    return [path("sluss_wagtail/import/", import_view, name=URL_NAME)]


def page_header_buttons(page, user, view_name, next_url=None):
    """ "Import innovations" in the header of a showcase the user may add pages to."""
    if (
        page.specific_class is page_types.showcase_model()
        and page.permissions_for_user(user).can_add_subpage()
    ):
        yield Button(
            _("Import innovations"),
            url=f"{reverse(URL_NAME)}?showcase={page.pk}",
            icon_name="download",
            priority=90,
        )
