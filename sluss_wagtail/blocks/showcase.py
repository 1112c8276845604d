"""Blocks that show innovations from the showcase."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .. import page_types
from .challenges import goal_choices
from .choosers import SlussPageChooserBlock

__all__ = ["ShowcaseHighlightsBlock"]


class ShowcaseHighlightsBlock(blocks.StructBlock):
    """The newest innovations, or those the editor chose; optionally of one tag or goal."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    innovations = blocks.ListBlock(
        SlussPageChooserBlock("innovation"),
        label=_("chosen innovations"),
        required=False,
        help_text=_("Leave empty to show the newest."),
    )
    tag = blocks.CharBlock(label=_("only the tag"), required=False, max_length=100)
    sdg = blocks.ChoiceBlock(label=_("only the global goal"), choices=goal_choices, required=False)
    max_count = blocks.IntegerBlock(label=_("at most"), default=3, min_value=1, max_value=12)

    class Meta:
        icon = "pick"
        label = _("Innovations from the showcase")
        template = "sluss_wagtail/blocks/showcase_highlights.html"
        description = _("The newest innovations, or ones you choose, from the showcase.")
        preview_value = {"heading": _("Innovations in use"), "max_count": 3}

    def get_innovations(self, value):
        innovations = page_types.innovation_model().objects.public()
        chosen = [page.pk for page in value.get("innovations") or [] if page is not None]
        if chosen:
            innovations = innovations.filter(pk__in=chosen)
        else:
            # An innovation and its translations are one: the visitor's language, else
            # the original.
            innovations = innovations.one_per_translation()
        if value.get("tag"):
            innovations = innovations.filter(tags__name=value["tag"])
        if value.get("sdg"):
            innovations = innovations.filter(sdgs=int(value["sdg"]))
        innovations = innovations.distinct().order_by("-first_published_at", "-pk")
        found = list(innovations[: value.get("max_count") or 3])
        if chosen:
            order = {pk: index for index, pk in enumerate(chosen)}
            found.sort(key=lambda page: order[page.pk])
        return found

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["innovations"] = self.get_innovations(value)
        return context
