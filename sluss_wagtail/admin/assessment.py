"""Assessment by criteria and decisions in the admin.

- On an idea's own page, for coordinators (``permissions.can_coordinate_assessments``):
  "Ask for assessments" and "Record a decision" (two of ``ACTION_FORMS``, so they run
  through ``IdeaActionView``: the idea locked, one transaction, errors shown with
  nothing saved), and the "Assessment" panel with the summary.
- For assessors (``permissions.can_assess``): "Waiting for my assessment" (a menu item
  and "Assessments I owe" in the dashboard's "Waiting for me") and the assessment form,
  which shows the idea de-identified.
- For coordinators: the criteria, per sluice or per challenge (``CriterionAdmin``).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper

from .. import assessing, permissions, process
from ..models import Assessment, AssessmentRequest, Criterion, DecisionKind, Sluice
from ..models.assessment import COMMENT_MAX_LENGTH, DECISION_STAGES, criteria_for
from . import filters
from .forms import IdeaActionForm, internal_note_field, label
from .modeladmin import SlussModelAdmin
from .waiting import WaitingSection

#: How many of the assessments waiting "Waiting for me" lists (the rest on their page).
WAITING_SHOWN = 10


class AssessorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


# ---- actions on the idea's page ------------------------------------------------------------


class RequestAssessmentForm(IdeaActionForm):
    legend = _("Ask for assessments")
    submit_label = _("Ask for the assessments")
    unavailable_message = _(
        "The idea has no assessment criteria: add them for its sluice or its challenge first."
    )

    assessors = AssessorField(
        label=_("Assessors"),
        queryset=get_user_model()._default_manager.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each is told by e-mail and finds the idea in “Waiting for my assessment”."),
    )
    due_on = forms.DateField(
        label=label(AssessmentRequest, "due_on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    @classmethod
    def is_permitted(cls, user):
        return permissions.can_coordinate_assessments(user)

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["assessors"].queryset = assessing.eligible_assessors()

    @cached_property
    def is_available(self):
        return bool(criteria_for(self.idea))

    def save(self):
        requests = assessing.request_assessments(
            self.idea,
            self.cleaned_data["assessors"],
            user=self.user,
            due_on=self.cleaned_data["due_on"],
        )
        return requests or None

    unchanged_message = _("Everyone chosen was already asked and has not answered yet.")

    def get_success_message(self, requests):
        return _("%(count)s assessors were asked.") % {"count": len(requests)}

    def add_action_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            super().add_action_error(error)


class DecisionForm(IdeaActionForm):
    legend = _("Record a decision")
    submit_label = _("Record the decision")
    unavailable_message = _("The idea's handling has ended; no decision can move it.")

    kind = forms.ChoiceField(label=_("Decision"))
    decided_on = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    body = forms.CharField(
        label=_("Deciding body"),
        max_length=200,
        required=False,
        help_text=_("Such as the idea council. Leave empty when you decided yourself."),
    )
    present = forms.CharField(
        label=_("Present"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who took part in the body's decision."),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The idea giver reads this on the status page and in the e-mail."),
    )
    internal_note = internal_note_field()
    amount_granted = forms.DecimalField(
        label=_("Money granted (SEK)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("For a test in small scale only."),
    )
    funding_source = forms.CharField(label=_("Source of the money"), max_length=200, required=False)
    destination = forms.CharField(
        label=_("Forwarded to"),
        max_length=255,
        required=False,
        help_text=_("Needed to forward the idea: who takes it over."),
    )

    @classmethod
    def is_permitted(cls, user):
        return permissions.can_coordinate_assessments(user)

    def __init__(self, idea, user, *args, **kwargs):
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(idea, user, *args, **kwargs)
        allowed = process.allowed_targets(idea.stage, resume_stage=idea.stage_before_parking)
        self.fields["kind"].choices = [
            (kind.value, kind.label) for kind in DecisionKind if DECISION_STAGES[kind] in allowed
        ]

    @property
    def is_available(self):
        return bool(self.fields["kind"].choices)

    def save(self):
        data = self.cleaned_data
        return assessing.decide(
            self.idea,
            data["kind"],
            user=self.user,
            reasons=data["reasons"],
            internal_note=data["internal_note"],
            decided_on=data["decided_on"],
            body=data["body"],
            present=data["present"],
            amount_granted=data["amount_granted"],
            funding_source=data["funding_source"],
            destination=data["destination"],
        )

    def get_success_message(self, decision):
        return _("The decision “%(decision)s” was recorded.") % {
            "decision": decision.get_kind_display()
        }

    def add_action_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        elif isinstance(error, process.TransitionNotAllowed) and error.to_stage == "forwarded":
            self.add_error("destination", str(error))
        else:
            super().add_action_error(error)


# ---- the assessor's side -------------------------------------------------------------------


class AssessmentForm(forms.Form):
    """A score and a comment per criterion, or a conflict of interest instead."""

    conflict = forms.BooleanField(
        label=_("I have a conflict of interest and do not assess this idea"), required=False
    )
    conflict_note = forms.CharField(
        label=_("About the conflict"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, criteria, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.question,
                choices=[
                    (str(step), f"{step} – {text}")
                    for step, text in enumerate(criterion.labels, start=1)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                max_length=COMMENT_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        if data.get("conflict"):
            if not (data.get("conflict_note") or "").strip():
                self.add_error("conflict_note", _("Say briefly what the conflict is."))
        else:
            for criterion in self.criteria:
                name = f"score_{criterion.pk}"
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Choose a step of the scale."))
        return data

    def submit(self, request, user):
        data = self.cleaned_data
        return assessing.submit_assessment(
            request,
            user=user,
            scores={c.pk: data.get(f"score_{c.pk}") for c in self.criteria},
            comments={c.pk: data.get(f"comment_{c.pk}") for c in self.criteria},
            conflict=data.get("conflict"),
            note=data.get("conflict_note"),
        )


class AssessorView(View):
    """A view for assessors only; others are refused."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_assess(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class WaitingView(AssessorView):
    template_name = "sluss_wagtail/assessment/waiting.html"

    def get(self, request):
        waiting = assessing.with_titles(assessing.waiting_for(request.user))
        done = assessing.with_titles(
            AssessmentRequest.objects.for_assessor(request.user)
            .filter(pk__in=Assessment.objects.filter(assessor=request.user).values("request"))
            .select_related("idea__contact", "idea__submitted_by")
            .order_by("-due_on", "-pk")[:50]
        )
        return render(
            request,
            self.template_name,
            {
                "waiting": waiting,
                "done": done,
                "today": timezone.localdate(),
                "title": _("Waiting for my assessment"),
            },
        )


class AssessView(AssessorView):
    """The assessment form: the idea de-identified, then a score and a comment per
    criterion, or a conflict of interest. Sending it again supersedes the last one."""

    template_name = "sluss_wagtail/assessment/assess.html"

    def get_request(self, pk):
        found = (
            AssessmentRequest.objects.for_assessor(self.request.user)
            .select_related("idea__contact", "idea__submitted_by", "idea__unit")
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def render_form(self, assessment_request, form, status=200):
        idea = assessment_request.idea
        previous = assessment_request.idea.assessments.current().filter(assessor=self.request.user)
        return render(
            self.request,
            self.template_name,
            {
                "assessment_request": assessment_request,
                "idea": idea,
                "text": assessing.deidentified(idea),
                "visibility": permissions.assessor_visibility(),
                "stage": idea.stage_info,
                "form": form,
                "previous": previous.first(),
                "title": _("Assess idea %(reference)s") % {"reference": idea.reference},
            },
            status=status,
        )

    def get(self, request, pk):
        assessment_request = self.get_request(pk)
        criteria = criteria_for(assessment_request.idea)
        return self.render_form(assessment_request, AssessmentForm(criteria))

    def post(self, request, pk):
        assessment_request = self.get_request(pk)
        criteria = criteria_for(assessment_request.idea)
        form = AssessmentForm(criteria, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.submit(assessment_request, request.user)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Your assessment was recorded. Thank you."))
                return redirect("sluss_wagtail_assessments")
        messages.error(
            request, _("Nothing was saved. Correct what the form says and send it again.")
        )
        return self.render_form(assessment_request, form)


def admin_urls():
    return [
        path("sluss-assessments/", WaitingView.as_view(), name="sluss_wagtail_assessments"),
        path("sluss-assessments/<int:pk>/", AssessView.as_view(), name="sluss_wagtail_assess"),
    ]


class WaitingMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_assess(request.user)


def waiting_menu_item():
    return WaitingMenuItem(
        _("Waiting for my assessment"),
        reverse("sluss_wagtail_assessments"),
        icon_name="doc-full",
        order=260,
    )


def waiting_section(user):
    """ "Assessments I owe" in "Waiting for me" (``admin.waiting``): the first ten, each
    idea's title without its giver's name; no query for a user who does not assess."""
    if not permissions.can_assess(user):
        return None
    waiting = assessing.with_titles(assessing.waiting_for(user)[:WAITING_SHOWN])
    if not waiting:
        return None
    return WaitingSection(
        "assessments-waiting",
        _("Assessments I owe"),
        "sluss_wagtail/assessment/includes/waiting_section.html",
        context={"waiting": waiting, "today": timezone.localdate()},
    )


# ---- the criteria --------------------------------------------------------------------------


class CriterionPermissionHelper(PermissionHelper):
    """Coordinators configure the criteria of their sluices."""

    def user_can_list(self, user):
        return permissions.can_coordinate_assessments(user)

    def user_can_create(self, user):
        return permissions.can_coordinate_assessments(user)

    def _of_users_sluices(self, user, obj):
        scope = permissions.sluice_scope(user)
        return scope is None or obj.sluice_id in scope

    def user_can_edit_obj(self, user, obj):
        return permissions.can_coordinate_assessments(user) and self._of_users_sluices(user, obj)

    def user_can_delete_obj(self, user, obj):
        return permissions.can_coordinate_assessments(user) and self._of_users_sluices(user, obj)

    def user_can_inspect_obj(self, user, obj):
        return False


class CriterionForm(WagtailAdminModelForm):
    """A criterion of one of the sluices the user coordinates (the choice only with several)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if not self.instance.sluice_id:
            scope = permissions.sluice_scope(for_user)
            self.instance.sluice_id = scope[0] if scope else Sluice.objects.default_pk()
        if permissions.sluice_choices(for_user):
            self.fields["sluice"].queryset = permissions.sluices_for(for_user)
        else:
            del self.fields["sluice"]


class CriterionAdmin(SlussModelAdmin):
    model = Criterion
    menu_label = _("Assessment criteria")
    menu_icon = "list-ol"
    permission_helper_class = CriterionPermissionHelper
    list_display = ("name", "sluice", "challenge", "weight", "order")
    # The sluices the reader may see, as the inbox's filter (Django's would name them all).
    list_filter = (filters.SluiceListFilter,)
    list_select_related = ("sluice", "challenge")
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("sluice"),
            FieldPanel("challenge"),
            FieldPanel("name"),
            FieldPanel("question"),
            FieldPanel("scale"),
            FieldPanel("weight"),
            FieldPanel("order"),
        ],
        base_form_class=CriterionForm,
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.sees_every_sluice(request.user):
            return queryset
        return queryset.filter(sluice__in=permissions.sluices_for(request.user))
