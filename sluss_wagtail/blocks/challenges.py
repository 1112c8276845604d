"""Blocks that show the municipality's challenges."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .. import page_types, sdg
from .choosers import SlussPageChooserBlock

__all__ = ["ChallengeTeaserBlock", "OpenChallengesBlock", "goal_choices", "unit_choices"]


def unit_choices():
    """The active units, read when the editor opens the form (not at import)."""
    from ..models import OrganisationUnit

    return [("", "---------")] + [
        (str(unit.pk), unit.name) for unit in OrganisationUnit.objects.active()
    ]


def goal_choices():
    return [("", "---------")] + [
        (str(number), f"{number}. {label}") for number, label in sdg.GOALS
    ]


class OpenChallengesBlock(blocks.StructBlock):
    """The challenges open now, closing soonest first; nothing (or the editor's text) when
    none are open."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    unit = blocks.ChoiceBlock(label=_("only the unit"), choices=unit_choices, required=False)
    sdg = blocks.ChoiceBlock(label=_("only the global goal"), choices=goal_choices, required=False)
    max_count = blocks.IntegerBlock(label=_("at most"), default=3, min_value=1, max_value=12)
    empty_text = blocks.TextBlock(
        label=_("text when no challenge is open"),
        required=False,
        max_length=500,
        help_text=_("Leave empty to show nothing at all when no challenge is open."),
    )

    class Meta:
        icon = "help"
        label = _("Open challenges")
        template = "sluss_wagtail/blocks/open_challenges.html"
        description = _("The challenges that take ideas now, optionally of one unit or goal.")
        preview_value = {"heading": _("Open challenges"), "max_count": 3}

    def get_challenges(self, value, now=None):
        now = now or timezone.now()
        challenges = (
            page_types.challenge_model()
            .objects.live()
            .public()
            .filter(opens_at__lte=now, closes_at__gt=now)
            # A challenge and its translations are one: the visitor's language, else the original.
            .one_per_translation()
            .order_by("closes_at", "pk")
        )
        if value.get("unit"):
            challenges = challenges.filter(unit_id=int(value["unit"]))
        if value.get("sdg"):
            challenges = challenges.filter(sdgs=int(value["sdg"]))
        return list(challenges[: value.get("max_count") or 3])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["challenges"] = self.get_challenges(value)
        return context


class ChallengeTeaserBlock(blocks.StructBlock):
    """One chosen challenge: its title, summary, whether it is open, and a link."""

    challenge = SlussPageChooserBlock("challenge", label=_("challenge"))
    heading_level = blocks.ChoiceBlock(
        label=_("heading level"),
        choices=[("h2", "h2"), ("h3", "h3")],
        default="h2",
        help_text=_("h2 for a block of its own; h3 under a heading of the page."),
    )

    class Meta:
        icon = "pick"
        label = _("One challenge")
        template = "sluss_wagtail/blocks/challenge_teaser.html"
        description = _("One challenge you choose, with its status and a link.")

    def get_preview_value(self):
        challenge = page_types.challenge_model().objects.live().order_by("-closes_at").first()
        return self.to_python(
            {"challenge": challenge.pk if challenge else None, "heading_level": "h2"}
        )
