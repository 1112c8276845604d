"""Assisted intake: an idea registered in the admin on its giver's behalf.

A coordinator, or a customer-centre user (``roles.CUSTOMER_CENTRE``, with
``register_idea``), takes an idea in from a phone call, a visit, a letter or an e-mail.
The form is the public idea form (``forms.IdeaForm``: the same questions, validation,
consent answers and attachment checks) with the channel added, and it saves through the
same path (``Idea.objects.submit``): the giver gets the same reference number, receipt
e-mail and status link, and the coordinators the same note. The history records who
registered it and through which channel.

The bot checks and the rate limit of the public form are for anonymous visitors; here
the user is a logged-in member of staff with a permission for it. The opened form's
token still makes a double click or a reload one idea.

The receipt page (``receipt_view``) is printable, to hand over or post; it carries the
status link, a secret, so only the user who registered the idea sees it, and those who
may see the idea's personal data. A customer-centre user sees nothing else: no inbox,
no idea's page.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem

from .. import actions, permissions, spam
from ..forms import IdeaForm
from ..links import idea_admin_path, keep_link_private
from ..models import Idea, IdeaEvent, Sluice, SlussSettings
from ..models.ideas import Channel
from ..models.sluices import layout

#: The channels staff register ideas through (the web form is the public one's).
ASSISTED_CHANNELS = [(key, label) for key, label in Channel.choices if key != Channel.WEB]


def intake_sluices(user):
    """The sluices ``user`` may register ideas in: a coordinator's own, else (the customer
    centre, who coordinates none) every sluice."""
    own = permissions.sluices_for(user)
    return own if own.exists() else Sluice.objects.all()


class AssistedIdeaForm(IdeaForm):
    """The public idea form, asked by a member of staff: the channel added, the questions
    put about the idea giver, and the sluice to choose where there are several."""

    channel = forms.ChoiceField(
        label=_("How did the idea come in?"),
        choices=[("", "---------"), *ASSISTED_CHANNELS],
        error_messages={"required": _("Select how the idea came in.")},
    )
    language = forms.ChoiceField(
        label=_("The idea giver's language"),
        help_text=_("The receipt and every message to the idea giver are in this language."),
        choices=settings.LANGUAGES,
    )

    #: The questions as staff ask them: about the idea giver, not "you".
    staff_labels = {
        "title": _("A short title for the idea"),
        "description": _("The idea"),
        "need": _("What need or problem does the idea solve?"),
        "beneficiaries": _("Who would benefit from the idea? (optional)"),
        "submitter_kind": _("Who is the idea giver?"),
        "organisation": _("Name of the association or business"),
        "unit": _("The idea giver's unit (optional, for employees)"),
        "name": _("The idea giver's name"),
        "email": _("The idea giver's e-mail address (optional)"),
        "phone": _("The idea giver's phone number (optional)"),
        "publish_idea": _("May we publish the idea on our website? Ask the idea giver."),
        "publish_name": _("May we publish the idea giver's name with the idea?"),
        "attachments": _("Scanned letter, pictures or documents (optional)"),
    }

    def __init__(self, data=None, files=None, *, user, sluice=None, **kwargs):
        self.staff = user
        choices = list(intake_sluices(user).order_by("-is_default", "name"))
        chosen = sluice
        if chosen is None and data is not None and len(choices) > 1:
            value = str(data.get("sluice", ""))
            chosen = next((s for s in choices if str(s.pk) == value), None)
        if chosen is None:
            default = Sluice.objects.default_pk()
            chosen = next((s for s in choices if s.pk == default), choices[0] if choices else None)
        # No account of the idea giver's: the form's user (its initial name and address,
        # the submitting account) is nobody; staff are recorded in the history instead.
        super().__init__(data, files, user=None, sluice=chosen, **kwargs)
        self.sluice = chosen
        self.fields["language"].initial = settings.LANGUAGE_CODE
        if len(choices) > 1:
            self.fields["sluice"] = forms.ModelChoiceField(
                label=_("Sluice"),
                queryset=intake_sluices(user),
                initial=chosen.pk if chosen else None,
                empty_label=None,
            )
        for name, text in self.staff_labels.items():
            if name in self.fields:
                self.fields[name].label = text
        self.fields["email"].help_text = _(
            "The receipt with the status link is e-mailed here. Without an address, print "
            "the receipt and hand it over or post it."
        )
        order = ["channel", "sluice", "language"]
        self.order_fields([*(name for name in order if name in self.fields)])

    def get_idea_fields(self):
        fields = super().get_idea_fields()
        fields.update(
            channel=self.cleaned_data["channel"],
            language=self.cleaned_data["language"],
            submitted_by=None,
        )
        return fields

    def get_site(self):
        """The site that speaks for the idea: its sluice's main site (else the default)."""
        return self.sluice.get_main_site() if self.sluice is not None else None


def channel_label(key):
    """The channel's name in the site's language: the history keeps it as it was said."""
    with translation.override(settings.LANGUAGE_CODE):
        return force_str(dict(Channel.choices).get(key, key))


def register_idea(form, *, user):
    """Save the idea of a valid ``AssistedIdeaForm`` and record who registered it and how;
    the same form sent again returns the same idea (and records nothing more)."""
    with transaction.atomic():
        site = form.get_site()
        idea = form.save(**({"site": site} if site is not None else {}))
        if not idea.events.filter(kind=IdeaEvent.Kind.REGISTERED).exists():
            actions.record(
                idea,
                IdeaEvent.Kind.REGISTERED,
                user=user,
                changes={"channel": channel_label(idea.channel)},
            )
    return idea


class IntakeView(View):
    """Register an idea on its giver's behalf; then its printable receipt."""

    template_name = "sluss_wagtail/admin/intake.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_register_ideas(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"form": form, "submit_url": reverse("sluss_wagtail_intake")},
        )

    def get(self, request):
        return self.render(AssistedIdeaForm(user=request.user))

    def post(self, request):
        form = AssistedIdeaForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                idea = register_idea(form, user=request.user)
            except spam.FormAlreadySent:
                form.refuse_as_already_sent()
            else:
                messages.success(
                    request,
                    _("Idea %(reference)s was registered.") % {"reference": idea.reference},
                )
                return redirect("sluss_wagtail_intake_receipt", pk=idea.pk)
        return self.render(form)


def registered_by(idea):
    """The primary key of the user who registered ``idea`` on its giver's behalf, if any."""
    return (
        idea.events.filter(kind=IdeaEvent.Kind.REGISTERED).values_list("user_id", flat=True).first()
    )


def may_see_receipt(user, idea):
    """The receipt holds the status link (a secret): for the user who registered the idea,
    and for those who may see its personal data."""
    if not user.is_active:
        return False
    if registered_by(idea) == user.pk:
        return True
    return permissions.idea_visibility(user, idea).contact


def receipt_view(request, pk):
    """The printable receipt of an idea: its reference number, the status link and what
    happens next, in the idea giver's language."""
    user = request.user
    if not (permissions.can_register_ideas(user) or permissions.can_use_inbox(user)):
        return permission_denied(request)
    idea = Idea.objects.select_related("contact").filter(pk=pk).first()
    if idea is None or not may_see_receipt(request.user, idea):
        raise Http404
    site_settings = SlussSettings.for_idea(idea)
    with translation.override(idea.giver_language):
        status_url = idea.get_absolute_status_url()
    contact = getattr(idea, "contact", None)
    response = TemplateResponse(
        request,
        "sluss_wagtail/admin/intake_receipt.html",
        {
            "idea": idea,
            "contact": contact,
            "status_url": status_url,
            "site_settings": site_settings,
            "sluice_name": layout().names.get(idea.sluice_id, ""),
            "giver_language": idea.giver_language,
            "emailed": bool(contact and contact.email),
            "intake_url": reverse("sluss_wagtail_intake"),
            "inbox_url": (
                idea_admin_path(idea) if permissions.can_view_idea(request.user, idea) else None
            ),
        },
    )
    return keep_link_private(response)


class IntakeMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_register_ideas(request.user)


def intake_menu_item():
    """The admin menu's way to assisted intake, for those who may register ideas."""
    return IntakeMenuItem(
        _("Register an idea"), reverse("sluss_wagtail_intake"), icon_name="plus", order=249
    )


def admin_urls():
    return [
        path("sluss_wagtail/intake/", IntakeView.as_view(), name="sluss_wagtail_intake"),
        path(
            "sluss_wagtail/intake/<int:pk>/receipt/",
            receipt_view,
            name="sluss_wagtail_intake_receipt",
        ),
    ]
