"""The public portfolio in the admin: the approval action on an idea's page (its public
title and summary) and "possibly the same as" beside the duplicate action."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models.portfolio import (
    PUBLIC_SUMMARY_MAX_LENGTH,
    PUBLIC_TITLE_MAX_LENGTH,
    PortfolioEntry,
    approve_for_portfolio,
)
from .forms import IdeaActionForm, label


class PortfolioForm(IdeaActionForm):
    legend = _("Public portfolio")
    submit_label = _("Save the portfolio entry")
    success_message = _("The portfolio entry was saved.")

    approved = forms.BooleanField(
        label=label(PortfolioEntry, "approved"),
        help_text=_(
            "Only ideas whose giver allowed publishing, that are not confidential and not "
            "withdrawn are shown."
        ),
        required=False,
    )
    public_title = forms.CharField(
        label=label(PortfolioEntry, "public_title"),
        help_text=PortfolioEntry._meta.get_field("public_title").help_text,
        max_length=PUBLIC_TITLE_MAX_LENGTH,
        required=False,
    )
    public_summary = forms.CharField(
        label=label(PortfolioEntry, "public_summary"),
        help_text=PortfolioEntry._meta.get_field("public_summary").help_text,
        max_length=PUBLIC_SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, idea, user, *args, **kwargs):
        entry = PortfolioEntry.objects.filter(idea=idea).first()
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "approved": entry.approved,
                    "public_title": entry.public_title,
                    "public_summary": entry.public_summary,
                },
            )
        super().__init__(idea, user, *args, **kwargs)

    @classmethod
    def is_permitted(cls, user):
        return permissions.can_approve_portfolio(user)

    def clean(self):
        if not self.is_permitted(self.user):
            raise ValidationError(_("Only coordinators can approve ideas for the portfolio."))
        cleaned = super().clean()
        if cleaned.get("approved"):
            if not self.idea.publish_idea:
                self.add_error("approved", _("The idea giver did not allow publishing the idea."))
            if self.idea.confidential:
                self.add_error("approved", _("A confidential idea is never published."))
        return cleaned

    def error_field(self, error):
        return "approved"

    def save(self):
        return approve_for_portfolio(
            self.idea,
            user=self.user,
            approved=self.cleaned_data["approved"],
            public_title=self.cleaned_data["public_title"],
            public_summary=self.cleaned_data["public_summary"],
        )
