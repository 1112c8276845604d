"""Blocks that ask for ideas."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .choosers import SlussPageChooserBlock

__all__ = ["IdeaCallToActionBlock"]


class IdeaCallToActionBlock(blocks.StructBlock):
    """A heading, a sentence and a link to an idea form (a submission page or a challenge)."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=500)
    page = SlussPageChooserBlock(
        ("idea_submission", "challenge"),
        label=_("idea form"),
        help_text=_("The submission page or the challenge whose form the link opens."),
    )
    link_text = blocks.CharBlock(label=_("link text"), max_length=80, default=_("Submit your idea"))

    class Meta:
        icon = "mail"
        label = _("Ask for ideas")
        template = "sluss_wagtail/blocks/idea_call_to_action.html"
        description = _("A heading, a short text and a link to an idea form.")
        preview_value = {
            "heading": _("Do you have an idea?"),
            "text": _("Residents, employees, associations and businesses: tell us."),
            "link_text": _("Submit your idea"),
        }
