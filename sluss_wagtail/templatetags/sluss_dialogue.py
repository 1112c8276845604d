"""The dialogue's panel on an idea's admin page (``admin.dialogue.panel_context``)."""

from django import template

from ..admin.dialogue import panel_context

register = template.Library()


@register.inclusion_tag("sluss_wagtail/dialogue/admin_thread.html", takes_context=True)
def sluss_dialogue_panel(context):
    return panel_context(context["request"].user, context["idea"], context["visibility"])
