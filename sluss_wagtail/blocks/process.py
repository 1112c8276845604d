"""The sluice drawn as steps, from ``sluss_wagtail.process`` (never a copy of its stages)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .. import process

__all__ = ["ProcessStepsBlock"]


class StageDescriptionsBlock(blocks.StructBlock):
    """One optional text per step of the way forward, labelled with the step's name."""

    def __init__(self, local_blocks=None, **kwargs):
        local_blocks = [
            (
                key,
                blocks.TextBlock(
                    label=process.get_stage(key).label,
                    required=False,
                    max_length=500,
                    help_text=process.get_stage(key).description,
                ),
            )
            for key in process.FORWARD_PATH
        ]
        super().__init__(local_blocks, **kwargs)


class ProcessStepsBlock(blocks.StructBlock):
    """The steps of the sluice, each with the municipality's own words (or the standard ones)."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    intro = blocks.TextBlock(label=_("introduction"), required=False, max_length=1000)
    descriptions = StageDescriptionsBlock(
        label=_("what each step means here"),
        help_text=_("Leave a step empty to use the standard description."),
    )

    class Meta:
        icon = "list-ol"
        label = _("The steps of the sluice")
        template = "sluss_wagtail/blocks/process_steps.html"
        description = _("How an idea goes through the sluice, step by step.")
        preview_value = {"heading": _("From idea to everyday use")}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        descriptions = value.get("descriptions") or {}
        context["steps"] = [
            {**step, "text": descriptions.get(step["stage"].key) or step["stage"].description}
            for step in process.forward_steps(None)
        ]
        return context
