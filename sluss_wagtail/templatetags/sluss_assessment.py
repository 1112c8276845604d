"""The assessment panel of an idea's admin page: ``{% assessment_summary idea as summary %}``."""

from django import template

from .. import assessing

register = template.Library()


@register.simple_tag
def assessment_summary(idea):
    """The idea's current assessments summed up, and its decisions (``assessing.summary``)."""
    result = assessing.summary(idea)
    result.decisions = list(idea.decisions.select_related("decided_by", "event"))
    return result
