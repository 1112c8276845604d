"""E-mails not sent: which ideas' e-mails did not go out (``outbox``), as a report.

Registered in ``wagtail_hooks.py``; each idea's own page names its own
(``IdeaInspectView``). The e-mails are sent again by ``manage.py sluss_resend_emails``.
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from .. import permissions
from ..links import idea_admin_path
from ..models import FailedEmail
from .insight import CoordinatorMenuItem


class UnsentEmailsReportView(ReportView):
    """Every e-mail about the user's ideas that is still not sent, oldest first."""

    page_title = _("E-mails not sent")
    header_icon = "mail"
    index_url_name = "sluss_wagtail_unsent_emails"
    index_results_url_name = "sluss_wagtail_unsent_emails_results"
    model = FailedEmail

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_use_inbox(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def visibility(self):
        return permissions.idea_visibility(self.request.user)

    def get_queryset(self):
        ideas = permissions.ideas_for_user(self.request.user)
        return (
            FailedEmail.objects.unsent()
            .filter(idea__in=ideas)
            .select_related("idea")
            .order_by("created_at", "pk")
        )

    @property
    def columns(self):
        labels = {name: FailedEmail._meta.get_field(name).verbose_name for name in COLUMNS}
        return [
            TitleColumn(
                "reference",
                label=_("Idea"),
                accessor="idea.reference",
                get_url=lambda record: idea_admin_path(record.idea),
            ),
            Column("title", label=_("Title"), accessor=self.title),
            Column("kind", label=labels["kind"], accessor="get_kind_display"),
            Column("attempts", label=labels["attempts"]),
            DateColumn("created_at", label=labels["created_at"]),
            DateColumn("last_attempt_at", label=labels["last_attempt_at"]),
            Column("error", label=labels["error"]),
        ]

    def title(self, record):
        return self.visibility.title(record.idea)


COLUMNS = ("kind", "attempts", "created_at", "last_attempt_at", "error")


def admin_urls():
    return [
        path(
            "sluss/reports/unsent-emails/",
            UnsentEmailsReportView.as_view(),
            name="sluss_wagtail_unsent_emails",
        ),
        path(
            "sluss/reports/unsent-emails/results/",
            UnsentEmailsReportView.as_view(results_only=True),
            name="sluss_wagtail_unsent_emails_results",
        ),
    ]


def unsent_emails_menu_item():
    return CoordinatorMenuItem(
        _("E-mails not sent"),
        reverse("sluss_wagtail_unsent_emails"),
        name="sluss-unsent-emails",
        icon_name="mail",
        order=1220,
    )
