from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from sluss_wagtail.blocks import sluss_blocks


def home_body_blocks():
    """The sluice's blocks, and plain rich text between them."""
    return [
        (
            "text",
            blocks.RichTextBlock(
                label=_("Text"),
                features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
                icon="pilcrow",
            ),
        ),
        *sluss_blocks(),
    ]


class HomePage(Page):
    intro = RichTextField(blank=True)
    body = StreamField(home_body_blocks(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
