"""The small forms behind the actions on an idea, one form per action.

Each form is bound to one idea and the user who acts, and its ``save()``
goes through the domain layer (``process.move_idea`` or ``actions``), so
every change leaves an event. A form never changes an idea itself.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import actions, page_types, permissions, process
from ..models import (
    Idea,
    IdeaEvent,
    OrganisationUnit,
    Pilot,
    PilotDecision,
)
from ..models.ideas import SHORT_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH

NOTE_MAX_LENGTH = TEXT_MAX_LENGTH
# taggit's Tag.name
TAG_MAX_LENGTH = 100
MAX_TAGS = 30


def label(model, name):
    """A field's label is the model field's name: one word for one thing, translated once."""
    return capfirst(model._meta.get_field(name).verbose_name)


def public_note_field(**kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault(
        "help_text",
        _("The idea giver reads this on the status page and in the e-mail about the change."),
    )
    return forms.CharField(
        label=label(IdeaEvent, "public_note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


def internal_note_field():
    return forms.CharField(
        label=label(IdeaEvent, "internal_note"),
        help_text=_("Only people who work with the idea in the admin see this."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def stage_choices(stage_keys):
    return [(key, process.get_stage(key).label) for key in stage_keys]


class IdeaActionForm(forms.Form):
    """A form that acts on one idea as one user.

    Subclasses set ``legend`` and ``submit_label`` and implement ``save()``,
    which returns the new event or ``None`` when nothing changed.
    """

    legend = ""
    submit_label = ""
    success_message = ""
    unchanged_message = _("Nothing changed.")
    #: Shown instead of the form when it has nothing to act on.
    unavailable_message = ""

    @property
    def is_available(self):
        return True

    @classmethod
    def is_permitted(cls, user):
        """Whether ``user`` may use this action at all (beyond acting on ideas): the idea's
        page does not offer it to others and its view refuses them."""
        return True

    def __init__(self, idea, user, *args, **kwargs):
        self.idea = idea
        self.user = user
        super().__init__(*args, **kwargs)

    def save(self):
        raise NotImplementedError

    def add_action_error(self, error):
        """Show an error the domain layer raised as a form error."""
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        elif isinstance(error, ValidationError):
            self.add_error(self.error_field(error), error)
        else:
            self.add_error(self.error_field(error), str(error))

    def error_field(self, error):
        return None


class MoveForm(IdeaActionForm):
    """Move the idea to one of the stages the process allows from where it is."""

    legend = _("Move to another stage")
    submit_label = _("Move the idea")
    success_message = _("The idea was moved to %(stage)s.")

    to_stage = forms.ChoiceField(label=_("New stage"))
    public_note = public_note_field(
        help_text=_(
            "The idea giver reads this on the status page and in the e-mail. "
            "Needed to close the idea: the decision and why."
        )
    )
    internal_note = internal_note_field()
    destination = forms.CharField(
        label=label(IdeaEvent, "destination"),
        help_text=_(
            "Needed to forward the idea: who takes it over, for example the fault report service."
        ),
        max_length=255,
        required=False,
    )

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["to_stage"].choices = stage_choices(
            process.allowed_targets(idea.stage, resume_stage=idea.stage_before_parking)
        )

    @property
    def has_targets(self):
        return bool(self.fields["to_stage"].choices)

    def save(self):
        return process.move_idea(
            self.idea,
            self.cleaned_data["to_stage"],
            user=self.user,
            public_note=self.cleaned_data["public_note"],
            internal_note=self.cleaned_data["internal_note"],
            destination=self.cleaned_data["destination"],
        )

    def error_field(self, error):
        # The target was one of the allowed ones (the field checks that), so
        # what is missing is the decision text or the destination.
        return {process.CLOSED: "public_note", process.FORWARDED: "destination"}.get(
            getattr(error, "to_stage", None)
        )

    def get_success_message(self, event):
        return self.success_message % {"stage": process.get_stage(event.to_stage).label}


class AssignUnitForm(IdeaActionForm):
    legend = label(Idea, "unit")
    submit_label = _("Assign the unit")
    success_message = _("The unit was changed.")

    unit = forms.ModelChoiceField(
        label=label(Idea, "unit"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        empty_label=_("No unit"),
    )
    internal_note = internal_note_field()

    def __init__(self, idea, user, *args, **kwargs):
        kwargs.setdefault("initial", {"unit": idea.unit_id})
        super().__init__(idea, user, *args, **kwargs)
        self.fields["unit"].queryset = unit_choices(current=idea.unit_id, sluice=idea.sluice_id)

    def save(self):
        return actions.assign_unit(
            self.idea,
            self.cleaned_data["unit"],
            user=self.user,
            internal_note=self.cleaned_data["internal_note"],
        )


def unit_choices(current=None, *, sluice=None, user=None):
    """Active units, and the current one even if it is no longer active: of ``sluice``
    (an idea's), or of the sluices ``user`` sees (``permissions.units_for``)."""
    condition = Q(is_active=True)
    if current:
        condition |= Q(pk=current)
    units = OrganisationUnit.objects.filter(condition)
    if sluice is not None:
        return units.of_sluice(sluice)
    if user is not None:
        return permissions.units_for(user, units)
    return units


class DuplicateForm(IdeaActionForm):
    legend = _("Duplicate")
    submit_label = _("Save duplicate")
    success_message = _("The duplicate was saved.")

    reference = forms.CharField(
        label=_("Reference number of the original idea"),
        help_text=_(
            "The idea giver then follows the original. Leave empty to say the idea "
            "is not a duplicate."
        ),
        max_length=40,
        required=False,
    )
    public_note = public_note_field()
    internal_note = internal_note_field()

    def __init__(self, idea, user, *args, **kwargs):
        initial = {"reference": idea.duplicate_of.reference if idea.duplicate_of_id else ""}
        kwargs.setdefault("initial", initial)
        super().__init__(idea, user, *args, **kwargs)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            if not self.idea.duplicate_of_id:
                raise ValidationError(_("Enter the reference number of the original idea."))
            return None
        # Only ideas the user may see: an unknown reference and one the user may
        # not see get the same answer.
        # (A duplicate is of an idea of the same sluice: each sluice numbers its own.)
        original = (
            permissions.ideas_for_user(self.user)
            .select_related("duplicate_of")
            .filter(reference__iexact=reference, sluice_id=self.idea.sluice_id)
            .first()
        )
        if original is None:
            raise ValidationError(
                _("There is no idea with the reference number %(reference)s."),
                params={"reference": reference},
            )
        return original

    def error_field(self, error):
        return "reference"

    def save(self):
        return actions.mark_duplicate(
            self.idea,
            self.cleaned_data["reference"],
            user=self.user,
            public_note=self.cleaned_data["public_note"],
            internal_note=self.cleaned_data["internal_note"],
        )


class ConfidentialForm(IdeaActionForm):
    legend = _("Confidentiality")
    submit_label = _("Save confidentiality")
    success_message = _("The confidentiality was changed.")

    confidential = forms.BooleanField(
        label=label(Idea, "confidential"),
        help_text=Idea._meta.get_field("confidential").help_text,
        required=False,
    )
    internal_note = internal_note_field()

    def __init__(self, idea, user, *args, **kwargs):
        kwargs.setdefault("initial", {"confidential": idea.confidential})
        super().__init__(idea, user, *args, **kwargs)

    @classmethod
    def is_permitted(cls, user):
        return permissions.can_set_confidential(user)

    def clean(self):
        # The form refuses too, whoever builds it: the view is not the only way in.
        if not self.is_permitted(self.user):
            raise ValidationError(
                _("Only someone who may see confidential ideas can change the confidentiality.")
            )
        return super().clean()

    def save(self):
        return actions.set_confidential(
            self.idea,
            self.cleaned_data["confidential"],
            user=self.user,
            internal_note=self.cleaned_data["internal_note"],
        )


class TagsForm(IdeaActionForm):
    legend = label(Idea, "tags")
    submit_label = _("Save tags")
    success_message = _("The tags were changed.")

    tags = forms.CharField(
        label=label(Idea, "tags"),
        help_text=_("Separate the tags with commas."),
        max_length=2000,
        required=False,
    )

    def __init__(self, idea, user, *args, tag_names=(), **kwargs):
        kwargs.setdefault("initial", {"tags": ", ".join(tag_names)})
        super().__init__(idea, user, *args, **kwargs)

    def clean_tags(self):
        tags = [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]
        too_long = [tag for tag in tags if len(tag) > TAG_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                _("A tag can be at most %(limit)d characters long."),
                params={"limit": TAG_MAX_LENGTH},
            )
        if len(set(tags)) > MAX_TAGS:
            raise ValidationError(
                _("An idea can have at most %(limit)d tags."), params={"limit": MAX_TAGS}
            )
        return tags

    def save(self):
        return actions.set_tags(self.idea, self.cleaned_data["tags"], user=self.user)


class CorrectionForm(IdeaActionForm):
    """Correct the idea's text; the event keeps the original."""

    legend = _("Correct the text")
    submit_label = _("Save the correction")
    success_message = _("The text was corrected; the original is kept in the history.")

    title = forms.CharField(label=label(Idea, "title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=label(Idea, "description"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    need = forms.CharField(
        label=label(Idea, "need"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    beneficiaries = forms.CharField(
        label=label(Idea, "beneficiaries"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    internal_note = internal_note_field()

    def __init__(self, idea, user, *args, **kwargs):
        kwargs.setdefault(
            "initial", {name: getattr(idea, name) for name in actions.CORRECTABLE_FIELDS}
        )
        super().__init__(idea, user, *args, **kwargs)

    def save(self):
        return actions.correct_idea(
            self.idea,
            user=self.user,
            internal_note=self.cleaned_data["internal_note"],
            **{name: self.cleaned_data[name] for name in actions.CORRECTABLE_FIELDS},
        )


class PilotForm(IdeaActionForm):
    """Record a new small-scale test of the idea."""

    legend = _("Record a small-scale test")
    submit_label = _("Save the test")
    success_message = _("The small-scale test was saved.")

    pilot_fields = (
        "title",
        "hypothesis",
        "success_criteria",
        "starts_on",
        "ends_on",
        "estimated_cost",
    )

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        for name in self.pilot_fields:
            self.fields[name] = Pilot._meta.get_field(name).formfield()
        self.fields["units"] = forms.ModelMultipleChoiceField(
            label=label(Pilot, "units"),
            queryset=OrganisationUnit.objects.active().of_sluice(idea.sluice_id),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def save(self):
        pilot = Pilot(
            idea=self.idea, **{name: self.cleaned_data[name] for name in self.pilot_fields}
        )
        event = actions.save_pilot(pilot, user=self.user)
        pilot.units.set(self.cleaned_data["units"])
        return event


class PilotResultForm(IdeaActionForm):
    """Write down how a test went: the measured result, the outcome and the lessons."""

    legend = _("Result of a small-scale test")
    submit_label = _("Save the result")
    success_message = _("The result was saved.")
    unavailable_message = _("The idea has no small-scale test yet.")

    result_fields = ("result", "outcome", "lessons", "actual_cost", "ends_on")

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["pilot"] = forms.ModelChoiceField(
            label=capfirst(Pilot._meta.verbose_name), queryset=idea.pilots.all()
        )
        for name in self.result_fields:
            self.fields[name] = Pilot._meta.get_field(name).formfield()

    @property
    def is_available(self):
        return self.fields["pilot"].queryset.exists()

    def save(self):
        pilot = self.cleaned_data["pilot"]
        for name in self.result_fields:
            setattr(pilot, name, self.cleaned_data[name])
        return actions.save_pilot(pilot, user=self.user)


class PilotDecisionForm(IdeaActionForm):
    """The decision after a test, which moves the idea: scale up, test again or stop."""

    legend = _("Decide after a small-scale test")
    submit_label = _("Save the decision")
    success_message = _("The decision was saved and the idea moved on.")
    unavailable_message = _(
        "A decision needs a small-scale test without a decision, and the idea in a test or "
        "its evaluation."
    )

    decision = forms.ChoiceField(label=label(Pilot, "decision"), choices=PilotDecision.choices)
    public_note = public_note_field(
        help_text=_(
            "The idea giver reads this. When the test stops, its lessons are the decision text "
            "unless you write one here."
        )
    )
    internal_note = internal_note_field()

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["pilot"] = forms.ModelChoiceField(
            label=capfirst(Pilot._meta.verbose_name),
            queryset=idea.pilots.filter(decision=""),
        )
        self.order_fields(["pilot", "decision", "public_note", "internal_note"])

    @property
    def is_available(self):
        # The query first, whatever the stage: the page costs the same for every idea.
        undecided = self.fields["pilot"].queryset.exists()
        return undecided and self.idea.stage in (process.PILOT, process.EVALUATION)

    def save(self):
        return actions.decide_pilot(
            self.cleaned_data["pilot"],
            self.cleaned_data["decision"],
            user=self.user,
            public_note=self.cleaned_data["public_note"],
            internal_note=self.cleaned_data["internal_note"],
        )

    def error_field(self, error):
        return "public_note"


class PromoteForm(IdeaActionForm):
    """Create a draft innovation page from the idea, for the showcase's review."""

    legend = _("Promote to the showcase")
    submit_label = _("Create a draft innovation page")
    success_message = _("A draft innovation page was created. Edit it, then send it to review.")
    unavailable_message = _(
        "An idea can be promoted when it is at evaluation, implemented or spread, and not "
        "confidential, by someone who may add pages to a showcase."
    )

    title = forms.CharField(
        label=_("Title of the page"),
        help_text=_("Leave empty to use the idea's title, if its giver allowed publishing it."),
        max_length=255,
        required=False,
    )

    def __init__(self, idea, user, *args, **kwargs):
        super().__init__(idea, user, *args, **kwargs)
        self.fields["showcase"] = forms.ModelChoiceField(
            label=capfirst(page_types.showcase_model()._meta.verbose_name),
            queryset=permissions.showcases_for_user(user),
        )
        self.order_fields(["showcase", "title"])

    @property
    def is_available(self):
        has_showcase = self.fields["showcase"].queryset.exists()
        return (
            has_showcase
            and self.idea.stage in actions.PROMOTABLE_STAGES
            and not self.idea.confidential
        )

    def save(self):
        actions.promote_idea(
            self.idea,
            self.cleaned_data["showcase"],
            user=self.user,
            title=self.cleaned_data["title"] or None,
        )
        return self.idea.events.last()


def register_idea_action(name, form_class):
    """Offer ``form_class`` (an ``IdeaActionForm``) on every idea's page in the admin, as
    the action ``name`` (its URL: ``links.idea_admin_path(idea, name)``), after those
    registered before it. A host site calls it in its ``wagtail_hooks.py``; the package's
    own actions are registered the same way. Returns ``form_class``."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"An idea action's name is lower case letters, digits and _: {name!r}")
    if ACTION_FORMS.get(name, form_class) is not form_class:
        raise ValueError(f"An idea action named {name!r} is registered already.")
    ACTION_FORMS[name] = form_class
    return form_class


#: The actions on an idea's own page, by URL action name, in the order shown
#: (``register_idea_action`` adds to them).
ACTION_FORMS = {
    "move": MoveForm,
    "assign_unit": AssignUnitForm,
    "mark_duplicate": DuplicateForm,
    "confidential": ConfidentialForm,
    "tags": TagsForm,
    "correct": CorrectionForm,
    "add_pilot": PilotForm,
    "pilot_result": PilotResultForm,
    "decide_pilot": PilotDecisionForm,
    "promote": PromoteForm,
}

# The portfolio's approval, the coach, assessment and decisions, and benefits realisation
# add their actions after these: each form lives in its own module, which builds on this
# one, and ``admin.views`` registers them.


class BulkActionForm(forms.Form):
    """Assign a unit to, or move, the ideas selected in the inbox."""

    ASSIGN_UNIT = "assign_unit"
    MOVE = "move"

    ideas = forms.ModelMultipleChoiceField(
        label=_("Selected ideas"),
        queryset=Idea.objects.none(),
        error_messages={"required": _("Select at least one idea.")},
    )
    action = forms.ChoiceField(
        choices=[(ASSIGN_UNIT, _("Assign unit")), (MOVE, _("Move to another stage"))],
    )
    unit = forms.ModelChoiceField(
        label=label(Idea, "unit"), queryset=OrganisationUnit.objects.none(), required=False
    )
    to_stage = forms.ChoiceField(
        label=_("New stage"), choices=[("", "---------"), *process.STAGE_CHOICES], required=False
    )
    public_note = public_note_field(
        help_text=_("Every selected idea's giver reads this. Needed to close ideas.")
    )
    internal_note = internal_note_field()
    destination = forms.CharField(
        label=label(IdeaEvent, "destination"),
        help_text=_("Needed to forward ideas: who takes them over."),
        max_length=255,
        required=False,
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = permissions.ideas_for_user(user)
        self.fields["unit"].queryset = unit_choices(user=user)

    def clean(self):
        cleaned_data = super().clean()
        action = cleaned_data.get("action")
        if action == self.ASSIGN_UNIT and not cleaned_data.get("unit"):
            self.add_error("unit", _("Select the unit to assign."))
        unit = cleaned_data.get("unit")
        if action == self.ASSIGN_UNIT and unit and cleaned_data.get("ideas"):
            others = [idea for idea in cleaned_data["ideas"] if idea.sluice_id != unit.sluice_id]
            if others:
                self.add_error(
                    "unit",
                    _("%(unit)s is a unit of another sluice than %(references)s.")
                    % {"unit": unit, "references": ", ".join(i.reference for i in others)},
                )
        if action == self.MOVE and not cleaned_data.get("to_stage"):
            self.add_error("to_stage", _("Select the stage to move the ideas to."))
        return cleaned_data
