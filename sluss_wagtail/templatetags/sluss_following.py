"""``{% sluss_follow_box target as box %}``: what the follow include shows for ``target``."""

from django import template

from .. import following
from ..models import Idea, SlussSettings
from ..models.following import target_kind

register = template.Library()


@register.simple_tag
def sluss_follow_box(target):
    """The forms and the support count of ``target`` (a public idea, a challenge or an
    innovation); ``None`` for anything else, so the include shows nothing."""
    from ..following_views import FollowForm, follow_action

    if target is None:
        return None
    is_idea = isinstance(target, Idea)
    kind = target_kind(target)
    # Ids of their own: an idea and a page of the same key may share a page.
    prefix = f"sluss-follow-{kind}-{target.pk}"
    box = {
        "form": FollowForm(auto_id=f"{prefix}-%s"),
        "action": follow_action("idea" if is_idea else "page", target),
        "kind": kind,
        "id": prefix,
    }
    if is_idea:
        site_settings = SlussSettings.for_idea(target)
        box.update(
            {
                "support_form": FollowForm(auto_id=f"{prefix}-support-%s"),
                "support_action": follow_action("idea", target, support=True),
                "support_meaning": following.SUPPORT_MEANING,
                "show_count": bool(site_settings and site_settings.show_support_count),
            }
        )
        if box["show_count"]:
            box["support_count"] = following.support_count(target)
    return box
