"""Live figures of the sluice, from ``sluss_wagtail.stats``.

``stats`` is imported when used: it imports the models, and the models import
``blocks.content``, which runs this package's ``__init__``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

__all__ = ["InnovationStatsBlock", "figure_choices"]

THIS_YEAR = "this_year"
ALL_TIME = "all_time"


def figure_choices():
    from ..stats import HEADLINE_FIGURES

    return list(HEADLINE_FIGURES.items())


class InnovationStatsBlock(blocks.StructBlock):
    """The figures the editor chose, counted live: this year's ideas, or all of them."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    figures = blocks.MultipleChoiceBlock(
        label=_("figures"),
        choices=figure_choices,
        required=False,
        help_text=_("Leave empty to show them all."),
    )
    period = blocks.ChoiceBlock(
        label=_("ideas received"),
        choices=[(THIS_YEAR, _("This year")), (ALL_TIME, _("Since the start"))],
        default=THIS_YEAR,
    )

    class Meta:
        icon = "table"
        label = _("Figures of the sluice")
        template = "sluss_wagtail/blocks/innovation_stats.html"
        description = _("Live figures: ideas received, tested, implemented, spread, adopted.")
        preview_value = {
            "heading": _("The sluice in figures"),
            "figures": [],
            "period": THIS_YEAR,
        }

    def get_context(self, value, parent_context=None):
        from .. import stats

        context = super().get_context(value, parent_context=parent_context)
        period = stats.year_period() if value.get("period") == THIS_YEAR else (None, None)
        keys = [key for key in value.get("figures") or [] if key in stats.HEADLINE_FIGURES]
        context["figures"] = stats.headline(*period, sluices=page_sluice(parent_context)).figures(
            keys or None
        )
        context["this_year"] = value.get("period") == THIS_YEAR
        return context


def page_sluice(parent_context):
    """The sluice whose figures a page shows: its site's (every sluice's in a preview
    without a page)."""
    from ..models import Sluice

    page = (parent_context or {}).get("page")
    if page is None or not getattr(page, "pk", None):
        return None
    return Sluice.objects.pk_for_page(page)
