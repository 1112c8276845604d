"""Moderation of adoptions ("we use this too"): a listing, each adoption's own page,
and the confirm and reject actions (``actions.confirm_adoption`` / ``reject_adoption``).

Adoptions come only from the public form, so there are no create, edit or delete
views; a moderator decides, and the decision says who and when.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import re_path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import DjangoORMSearchHandler, PermissionHelper

from .. import actions, page_types, process
from ..models import Adoption
from .modeladmin import SlussIndexView, SlussInspectView, SlussModelAdmin
from .views import ChangedOnlyByActionsMixin

NOTE_MAX_LENGTH = Adoption._meta.get_field("moderator_note").max_length


class AdoptionPermissionHelper(ChangedOnlyByActionsMixin, PermissionHelper):
    def user_can_list(self, user):
        return self.user_has_any_permissions(user)

    def user_can_inspect_obj(self, user, obj):
        return self.user_has_any_permissions(user)

    def user_can_decide(self, user):
        return self.user_has_specific_permission(user, self.get_perm_codename("change"))


class AdoptionIndexView(SlussIndexView):
    # Only the declared filters: ``?innovation__idea__contact__email__startswith=`` would
    # otherwise let a moderator probe an idea giver's contact details.
    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdoptionInspectView(SlussInspectView):
    def get_page_title(self):
        return capfirst(self.opts.verbose_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_decide"] = (
            self.permission_helper.user_can_decide(self.request.user)
            and self.instance.status == "pending"
        )
        context["confirm_url"] = self.url_helper.get_action_url("confirm", self.pk_quoted)
        context["reject_url"] = self.url_helper.get_action_url("reject", self.pk_quoted)
        context["note_max_length"] = NOTE_MAX_LENGTH
        # What the adopter says it realised (benefits realisation): public once confirmed.
        context["reported_benefits"] = list(self.instance.benefits.all())
        return context


class AdoptionAdmin(SlussModelAdmin):
    """The adoptions waiting for a moderator, and those decided."""

    model = Adoption
    menu_label = _("Adoptions")
    menu_icon = "success"
    inspect_view_enabled = True
    permission_helper_class = AdoptionPermissionHelper
    index_view_class = AdoptionIndexView
    inspect_view_class = AdoptionInspectView
    inspect_template_name = "sluss_wagtail/admin/adoption_inspect.html"
    list_display = ("organisation", "municipality", "innovation", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("innovation",)
    list_per_page = 50
    search_handler_class = DjangoORMSearchHandler
    search_fields = ("organisation", "municipality", "innovation__title")
    inspect_view_fields = (
        "innovation",
        "organisation",
        "municipality",
        "contact_email",
        "adaptation",
        "since",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "moderator_note",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("innovation", "decided_by")

    def get_admin_urls_for_registration(self):
        urls = super().get_admin_urls_for_registration()
        helper = self.url_helper
        return urls + tuple(
            re_path(
                helper.get_action_url_pattern(decision),
                self.decide_view,
                {"decision": decision},
                name=helper.get_action_url_name(decision),
            )
            for decision in ("confirm", "reject")
        )

    def decide_view(self, request, instance_pk, decision):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return _decide(self, request, instance_pk, decision)

    def register_indexing(self):
        pass


def _decide(model_admin, request, instance_pk, decision):
    if not model_admin.permission_helper.user_can_decide(request.user):
        raise PermissionDenied
    pk = unquote(instance_pk)
    if not str(pk).isdigit():
        raise Http404
    adoption = get_object_or_404(Adoption, pk=pk)
    # The specific page with what deciding reads (``Adoption.innovation`` names the base page).
    adoption.innovation = (
        page_types.innovation_model()
        .objects.select_related("unit", "idea")
        .get(pk=adoption.innovation_id)
    )
    inspect_url = model_admin.url_helper.get_action_url("inspect", quote(adoption.pk))
    note = request.POST.get("note", "")
    if len(note) > NOTE_MAX_LENGTH or "\x00" in note:
        messages.error(
            request,
            _("Write a note of at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
        )
        return redirect(inspect_url)
    action = actions.confirm_adoption if decision == "confirm" else actions.reject_adoption
    try:
        result = action(adoption, user=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(inspect_url)
    names = {"organisation": adoption.organisation, "municipality": adoption.municipality}
    if decision == "reject":
        messages.success(
            request, _("The adoption by %(organisation)s, %(municipality)s was rejected.") % names
        )
    else:
        messages.success(
            request,
            _(
                "The adoption by %(organisation)s, %(municipality)s was confirmed "
                "and is shown on the page."
            )
            % names,
        )
        if result.moved:
            messages.success(request, _("The idea behind the innovation moved to spread."))
        elif result.stage_left:
            messages.warning(
                request,
                _(
                    "The idea behind the innovation stays at %(stage)s: the process "
                    "does not allow a move from there to spread."
                )
                % {"stage": process.get_stage(result.stage_left).label},
            )
    return redirect(model_admin.url_helper.index_url)
