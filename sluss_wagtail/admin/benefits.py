"""Benefits realisation in the admin: the actions on an idea's page (record a benefit, follow
it up, close it, plan and update implementation steps), the owner's own follow-up page, and
"Follow-ups due" in the dashboard's "Waiting for me".

Every change goes through ``sluss_wagtail.benefits``; who may do what is ``permissions``'.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import benefits, permissions
from ..models import Benefit, BenefitFollowUp, ImplementationStep
from ..models.benefits import CLOSED_STATUSES, BenefitStatus
from .forms import IdeaActionForm, label
from .waiting import WaitingSection

FOLLOW_UP_URL_NAME = "sluss_wagtail_benefit_follow_up"
DUE_SHOWN = 10


def _clean_text(value):
    if "\x00" in (value or ""):
        raise ValidationError(_("The text contains a character that cannot be saved."))
    return (value or "").strip()


def owner_choices(idea):
    """The active users who can use the admin: a benefit owner records follow-ups there."""
    from django.contrib.auth.models import Permission

    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=access)
            | Q(groups__permissions__in=access)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class BenefitActionForm(IdeaActionForm):
    @classmethod
    def is_permitted(cls, user):
        return permissions.can_record_benefits(user)

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if isinstance(value, str):
                try:
                    cleaned_data[name] = _clean_text(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned_data


class BenefitForm(BenefitActionForm):
    """Record an expected benefit of the idea, with its owner; its follow-ups are planned."""

    legend = _("Record an expected benefit")
    submit_label = _("Save the benefit")
    success_message = _("The benefit was saved and its follow-ups planned.")

    benefit_fields = (
        "kind",
        "title",
        "unit_of_measure",
        "baseline",
        "expected",
        "for_whom",
        "starts_on",
    )

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        for name in self.benefit_fields:
            self.fields[name] = Benefit._meta.get_field(name).formfield()
        self.fields["unit_of_measure"].required = False
        self.fields["owner"] = OwnerChoiceField(
            label=label(Benefit, "owner"),
            queryset=owner_choices(idea),
            help_text=Benefit._meta.get_field("owner").help_text,
        )
        self.fields["months"] = forms.CharField(
            label=_("Follow-ups (months after the start)"),
            max_length=40,
            initial=idea.sluice.benefit_follow_up_months,
            help_text=_("The sluice's months unless you write others, like 3, 6, 12."),
        )
        self.order_fields([*self.benefit_fields, "owner", "months"])

    def clean_months(self):
        from ..models.sluices import parse_follow_up_months

        try:
            months = parse_follow_up_months(self.cleaned_data["months"])
        except ValueError:
            months = None
        if not months:
            raise ValidationError(
                _("Write whole months after the start, separated by commas, like 6, 12.")
            )
        return months

    def save(self):
        benefit = Benefit(
            idea=self.idea,
            owner=self.cleaned_data["owner"],
            **{name: self.cleaned_data[name] for name in self.benefit_fields},
        )
        return benefits.record_benefit(benefit, user=self.user, months=self.cleaned_data["months"])


class FollowUpFields(forms.Form):
    """What a follow-up records."""

    measured_value = BenefitFollowUp._meta.get_field("measured_value").formfield(required=True)
    how_measured = forms.CharField(
        label=label(BenefitFollowUp, "how_measured"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(
        label=label(BenefitFollowUp, "comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_how_measured(self):
        return _clean_text(self.cleaned_data["how_measured"])

    def clean_comment(self):
        return _clean_text(self.cleaned_data["comment"])


class FollowUpActionForm(BenefitActionForm):
    """Record a follow-up of one of the idea's benefits."""

    legend = _("Follow up a benefit")
    submit_label = _("Save the follow-up")
    success_message = _("The follow-up was saved.")
    unavailable_message = _("The idea has no follow-up to record.")

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["follow_up"] = forms.ModelChoiceField(
            label=capfirst(BenefitFollowUp._meta.verbose_name),
            queryset=BenefitFollowUp.objects.undone()
            .filter(benefit__idea=idea, benefit__status=BenefitStatus.OPEN)
            .select_related("benefit"),
        )
        self.fields.update(FollowUpFields().fields)

    clean_how_measured = FollowUpFields.clean_how_measured
    clean_comment = FollowUpFields.clean_comment

    @property
    def is_available(self):
        return self.fields["follow_up"].queryset.exists()

    def save(self):
        return benefits.record_follow_up(
            self.cleaned_data["follow_up"],
            user=self.user,
            measured_value=self.cleaned_data["measured_value"],
            how_measured=self.cleaned_data["how_measured"],
            comment=self.cleaned_data["comment"],
        )


class CloseBenefitForm(BenefitActionForm):
    """Close a benefit: realised, partly realised or not realised, with the lessons."""

    legend = _("Close a benefit")
    submit_label = _("Close the benefit")
    success_message = _("The benefit was closed.")
    unavailable_message = _("The idea has no benefit being followed up.")

    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(key, label) for key, label in BenefitStatus.choices if key in CLOSED_STATUSES],
    )
    lessons = forms.CharField(
        label=label(Benefit, "lessons"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["benefit"] = forms.ModelChoiceField(
            label=capfirst(Benefit._meta.verbose_name),
            queryset=Benefit.objects.filter(idea=idea).open(),
        )
        self.order_fields(["benefit", "status", "lessons"])

    @property
    def is_available(self):
        return self.fields["benefit"].queryset.exists()

    def save(self):
        return benefits.close_benefit(
            self.cleaned_data["benefit"],
            self.cleaned_data["status"],
            user=self.user,
            lessons=self.cleaned_data["lessons"],
        )


class StepForm(BenefitActionForm):
    """Add a step to the idea's implementation plan, or change one's status or dates."""

    legend = _("Plan an implementation step")
    submit_label = _("Save the step")
    success_message = _("The implementation step was saved.")

    step_fields = ("title", "starts_on", "ends_on", "status")

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["step"] = forms.ModelChoiceField(
            label=_("Step to change"),
            queryset=idea.implementation_steps.all(),
            required=False,
            empty_label=_("A new step"),
        )
        for name in self.step_fields:
            self.fields[name] = ImplementationStep._meta.get_field(name).formfield()
        self.fields["title"].required = False
        self.fields["title"].help_text = _(
            "Public: the idea giver reads the plan on the status page, and everyone on the "
            "innovation page. Leave empty to keep a step's name."
        )
        self.order_fields(["step", *self.step_fields])

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("step") and not cleaned_data.get("title"):
            self.add_error("title", _("Name the new step."))
        return cleaned_data

    def save(self):
        step = self.cleaned_data["step"] or ImplementationStep(idea=self.idea)
        for name in self.step_fields:
            value = self.cleaned_data[name]
            if name == "title" and not value:
                continue
            setattr(step, name, value)
        return benefits.save_step(step, user=self.user)


#: The actions ``admin/forms.py`` adds to an idea's page, in the order shown.
BENEFIT_ACTION_FORMS = {
    "add_benefit": BenefitForm,
    "follow_up": FollowUpActionForm,
    "close_benefit": CloseBenefitForm,
    "plan_step": StepForm,
}


def benefits_panel_context(idea):
    """What the idea's "Benefits and implementation" panel shows."""
    today = timezone.localdate()
    found = benefits.benefits_of_idea(idea)
    for benefit in found:
        benefit.follow_up_rows = [
            {"follow_up": follow_up, "state": follow_up.state(today)}
            for follow_up in benefit.follow_ups.all()
        ]
    return {"benefits": found, "steps": list(idea.implementation_steps.all())}


# ---- the owner's follow-up page ---------------------------------------------------------


def follow_up_view(request, pk):
    """One follow-up, for its benefit's owner (who need not use the inbox) or a coordinator
    of its idea: what the benefit expected, and the form for what was measured."""
    follow_up = get_object_or_404(
        BenefitFollowUp.objects.select_related("benefit", "benefit__idea", "benefit__owner"),
        pk=pk,
    )
    benefit = follow_up.benefit
    if not permissions.can_follow_up_benefit(request.user, benefit):
        raise PermissionDenied
    form = None
    if follow_up.recorded_at is None and benefit.status == BenefitStatus.OPEN:
        if request.method == "POST":
            form = FollowUpFields(request.POST)
            if form.is_valid():
                benefits.record_follow_up(follow_up, user=request.user, **form.cleaned_data)
                messages.success(request, _("The follow-up was saved."))
                return redirect("wagtailadmin_home")
        else:
            form = FollowUpFields()
    elif request.method == "POST":
        messages.info(request, _("This follow-up was already recorded."))
    context = {
        "follow_up": follow_up,
        "benefit": benefit,
        "state": follow_up.state(),
        "form": form,
        "action_url": reverse(FOLLOW_UP_URL_NAME, args=[follow_up.pk]),
        "reference": benefit.idea.reference if benefit.idea_id else "",
    }
    return TemplateResponse(request, "sluss_wagtail/admin/benefit_follow_up.html", context)


def admin_urls():
    return [
        path("sluss_wagtail/follow-ups/<int:pk>/", follow_up_view, name=FOLLOW_UP_URL_NAME),
    ]


def follow_up_url(follow_up):
    return reverse(FOLLOW_UP_URL_NAME, args=[follow_up.pk])


# ---- the dashboard ----------------------------------------------------------------------


def due_for_user(user):
    queryset = BenefitFollowUp.objects.due().select_related("benefit", "benefit__idea")
    return permissions.follow_ups_for_user(user, queryset).order_by("due_on", "pk")


def waiting_section(user):
    """ "Follow-ups due" in "Waiting for me" (``admin.waiting``): one query, and none at
    all for users who neither own benefits nor record them."""
    due = list(due_for_user(user)[: DUE_SHOWN + 1])
    if not due:
        return None
    today = timezone.localdate()
    shown = due[:DUE_SHOWN]
    for follow_up in shown:
        follow_up.url = follow_up_url(follow_up)
        follow_up.current_state = follow_up.state(today)
    return WaitingSection(
        "follow-ups-due",
        _("Follow-ups due"),
        "sluss_wagtail/admin/includes/waiting_follow_ups.html",
        context={"due": shown, "more": len(due) > DUE_SHOWN},
    )


__all__ = [
    "BENEFIT_ACTION_FORMS",
    "admin_urls",
    "benefits_panel_context",
    "waiting_section",
]


# ---- the innovation report (``admin/insight.py``) --------------------------------------------


def benefit_sections(period):
    """The report's benefits: realised per year, unit and kind (each unit of measure apart)
    and the share of follow-ups done on time, as ``(section, [(label, value)])``."""
    from .. import stats

    scope = {"sluices": period.get("sluices"), "unit": period.get("unit")}
    realised = [
        (
            f"{row.year} · {row.unit} · {row.kind_label} ({row.unit_of_measure})",
            _("%(realised)s realised of %(expected)s expected, %(count)s benefits")
            % {
                "realised": _number(row.realised),
                "expected": _number(row.expected),
                "count": row.count,
            },
        )
        for row in stats.realised_benefits(**scope)
    ]
    timeliness = stats.follow_ups_on_time(**scope)
    share = timeliness.share
    return [
        (_("Realised benefits per year, unit and kind"), realised),
        (
            _("Follow-ups of benefits"),
            [
                (_("Follow-ups done or past their time"), timeliness.due),
                (_("Done on time"), timeliness.on_time),
                (_("Share done on time (%)"), None if share is None else round(share * 100)),
            ],
        ),
    ]


def _number(value):
    from django.utils.formats import number_format

    return number_format(value.normalize() if value is not None else 0, force_grouping=True)
