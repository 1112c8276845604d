"""Content blocks for the body of an innovation page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

__all__ = ["ImageWithAltBlock", "innovation_body_blocks"]


class ImageWithAltBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alternative text"),
        max_length=255,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "sluss_wagtail/blocks/image_with_alt.html"
        description = _("An image with its alternative text and an optional caption.")


def innovation_body_blocks():
    return [
        (
            "heading",
            blocks.CharBlock(
                label=_("Heading"),
                icon="title",
                form_classname="title",
                template="sluss_wagtail/blocks/heading.html",
            ),
        ),
        (
            "paragraph",
            blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ol", "ul"]),
        ),
        ("image", ImageWithAltBlock()),
        ("quote", blocks.BlockQuoteBlock(label=_("Quote"))),
    ]
