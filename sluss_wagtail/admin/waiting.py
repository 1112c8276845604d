""" "Waiting for me" on the dashboard: one panel with what waits for the user, each part
from the module it belongs to — the ideas they coach (``coach``), the assessments they
owe (``assessment``), the idea givers' answers they have not read (``dialogue``) and the
follow-ups of benefits that are due (``benefits``).

Each part is a function of the user that returns a ``WaitingSection`` or ``None`` (nothing
waits, or the user could have none); each runs at most two queries and none for a user
who could have nothing of its kind, so the panel's cost is fixed whatever the data. What
a part shows of an idea is ``permissions.idea_visibility``'s answer (a confidential idea's
title masked, never the idea giver's name); which ideas, ``permissions.ideas_for_user``.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component


@dataclass
class WaitingSection:
    """One part of the panel: ``name`` makes its ids, ``template`` lays out ``context``."""

    name: str
    heading: str
    template: str
    #: How many wait in all (the panel's summary), when the part knows it.
    count: int | None = None
    context: dict = field(default_factory=dict)

    @property
    def section_id(self):
        return f"sluss-{self.name}-section"

    @property
    def heading_id(self):
        return f"sluss-{self.name}-heading"

    def render_html(self, request=None):
        return render_to_string(self.template, self.context, request=request)


class WaitingForMePanel(Component):
    """The dashboard panel: every part that has something waiting, or no panel at all."""

    name = "sluss_wagtail_waiting_for_me"
    template_name = "sluss_wagtail/admin/waiting_panel.html"
    # First of the package's panels: the day starts with what waits.
    order = 70

    #: The parts, in this order (dotted paths: the modules import ``WaitingSection``).
    section_builders = (
        "sluss_wagtail.admin.coach.waiting_section",
        "sluss_wagtail.admin.assessment.waiting_section",
        "sluss_wagtail.admin.dialogue.waiting_section",
        "sluss_wagtail.admin.benefits.waiting_section",
    )

    def __init__(self, sections):
        self.sections = sections

    @classmethod
    def for_user(cls, user):
        builders = [import_string(path) for path in cls.section_builders]
        sections = [section for build in builders if (section := build(user))]
        return cls(sections) if sections else None

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context.get("request")
        context.update(
            sections=[(section, section.render_html(request)) for section in self.sections],
            heading=_("Waiting for me"),
        )
        return context


def construct_homepage_panels(request, panels):
    panel = WaitingForMePanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)
