"""Personal data in the admin: an idea's attachments, and the right of access and erasure.

- ``attachment_download``: a file sent with an idea, to users who may see the idea's
  attachments (``permissions.idea_visibility``).
- ``PersonalDataView``: everything held about an e-mail address (GDPR art. 15)
  as a JSON or ZIP download, for users with ``view_ideacontact``; erasing it
  needs ``erase_ideacontact`` as well. Both leave events on the ideas.
"""

import json

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem

from .. import APP_LABEL as APP
from .. import permissions, privacy
from ..models import IdeaAttachment


def can_use_right_of_access(user):
    return permissions.can_view_personal_data(user)


def can_erase_personal_data(user):
    return permissions.can_view_personal_data(user) and user.has_perm(f"{APP}.erase_ideacontact")


def private_file_headers(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store, private"
    return response


def attachment_download(request, pk):
    """One attachment, always as a download, to a user who may see the idea's attachments
    (``permissions.idea_visibility``), else a 404: the file and its name are personal data."""
    attachment = get_object_or_404(IdeaAttachment.objects.select_related("idea"), pk=pk)
    if not permissions.idea_visibility(request.user, attachment.idea).attachments:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    return private_file_headers(response)


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("The idea giver's e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter an e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.com."),
        },
    )


class PersonalDataView(View):
    """Find what is held about an e-mail address; download it or erase it.

    The address is only ever sent by POST, so it never lands in an access log, a
    browser's history or a Referer: GET shows the empty form (a ``?email=`` is
    ignored). POST ``action=find`` shows the ideas found, ``action=json|zip``
    downloads, ``action=confirm`` asks before erasing and ``action=erase`` erases.
    """

    actions = ("find", "json", "zip", "confirm", "erase")

    template_name = "sluss_wagtail/admin/personal_data.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_right_of_access(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_ideas(self, email):
        return privacy.ideas_for_email(email, permissions.ideas_for_user(self.request.user))

    def get_adoptions(self, email):
        return list(privacy.adoptions_for_email(email).select_related("innovation"))

    def get_subscriptions(self, email):
        return list(privacy.subscriptions_for_email(email).select_related("idea", "page"))

    def render(self, form, *, ideas=None, adoptions=None, subscriptions=None, confirm=False):
        response = TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "ideas": ideas,
                "adoptions": adoptions,
                "subscriptions": subscriptions,
                "confirm": confirm,
                "can_erase": can_erase_personal_data(self.request.user),
                "submit_url": reverse("sluss_wagtail_personal_data"),
            },
        )
        # What was found about a person is not kept by a browser or a proxy.
        response["Cache-Control"] = "no-store, private"
        return response

    def get(self, request):
        # Never a search from the query string: the address would be in the logs.
        return self.render(EmailForm())

    def post(self, request):
        form = EmailForm(request.POST)
        action = request.POST.get("action") or "find"
        if not form.is_valid() or action not in self.actions:
            return self.render(form if not form.is_valid() else EmailForm())
        email = form.cleaned_data["email"]
        if action == "find":
            ideas = list(self.get_ideas(email).only("pk", "reference", "title"))
            return self.render(
                form,
                ideas=ideas,
                adoptions=self.get_adoptions(email),
                subscriptions=self.get_subscriptions(email),
            )
        if action in ("confirm", "erase") and not can_erase_personal_data(request.user):
            return permission_denied(request)
        ideas = self.get_ideas(email)
        if action == "confirm":
            return self.render(
                form,
                ideas=list(ideas.only("pk", "reference", "title")),
                adoptions=self.get_adoptions(email),
                subscriptions=self.get_subscriptions(email),
                confirm=True,
            )
        if action == "erase":
            pks = list(ideas.values_list("pk", flat=True))
            with transaction.atomic():
                if pks:
                    privacy.erase_ideas(
                        pks,
                        user=request.user,
                        reason=_("Erased on request (right to erasure) by a coordinator."),
                    )
                adoptions = privacy.erase_adoption_contacts(privacy.adoptions_for_email(email))
                followed = privacy.erase_subscriptions_for_email(email)
            messages.success(
                request,
                _("The personal data of %(ideas)s ideas and %(adoptions)s adoptions was erased.")
                % {"ideas": len(pks), "adoptions": adoptions},
            )
            if followed:
                messages.success(
                    request,
                    _("The address was erased from %(count)s followed or supported items.")
                    % {"count": followed},
                )
            return redirect(reverse("sluss_wagtail_personal_data"))
        return self.download(ideas, privacy.adoptions_for_email(email), action, email=email)

    def download(self, ideas, adoptions, kind, email=None):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            if kind == "zip":
                content, found = privacy.export_zip(ideas, adoptions, email=email)
                response = HttpResponse(content, content_type="application/zip")
                filename = f"personuppgifter-{stamp}.zip"
            else:
                data, found = privacy.export_data(ideas, adoptions, email=email)
                response = HttpResponse(
                    json.dumps(data, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                filename = f"personuppgifter-{stamp}.json"
            privacy.record_access(found, user=self.request.user)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return private_file_headers(response)


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_right_of_access(request.user)


def personal_data_menu_item():
    """The admin menu's way to the right of access, for those who may use it."""
    return PersonalDataMenuItem(
        _("Personal data"), reverse("sluss_wagtail_personal_data"), icon_name="user", order=251
    )


def admin_urls():
    return [
        path(
            "sluss_wagtail/attachments/<int:pk>/",
            attachment_download,
            name="sluss_wagtail_attachment_download",
        ),
        path(
            "sluss_wagtail/personal-data/",
            PersonalDataView.as_view(),
            name="sluss_wagtail_personal_data",
        ),
    ]
