"""Template tags of the public portfolio's admin panel."""

from urllib.parse import urlencode

from django import template

from ..models.portfolio import PortfolioEntry
from ..permissions import can_approve_portfolio, idea_visibility
from ..similar import possibly_the_same

register = template.Library()


@register.simple_tag
def sluss_portfolio_panel(view):
    """What the idea's "possibly the same as" panel shows: the most similar ideas the user
    may see (titles as ``permissions.idea_visibility`` allows), each with its page and
    the duplicate action naming it, and the idea's portfolio entry."""
    idea = view.instance
    user = view.request.user
    visibility = idea_visibility(user)
    helper = view.url_helper
    duplicate_url = helper.get_action_url("mark_duplicate", view.pk_quoted)
    similar = [
        {
            "reference": other.reference,
            "title": visibility.title(other),
            "stage": other.stage_info.label,
            "url": helper.get_action_url("inspect", other.pk),
            "duplicate_url": f"{duplicate_url}?{urlencode({'reference': other.reference})}",
        }
        for other in possibly_the_same(idea, user)
    ]
    return {
        "similar": similar,
        "entry": PortfolioEntry.objects.filter(idea=idea).first(),
        "portfolio_url": helper.get_action_url("portfolio", view.pk_quoted),
        "may_approve": can_approve_portfolio(user),
    }
