"""Wagtail API v2 for the showcase: the same data as the feeds' ``_sluss`` extension.

``InnovationPage.api_fields`` exposes the fields (this module is imported by the
models, so it imports no views); ``sluss_wagtail.api_views.SlussPagesAPIViewSet``
is the endpoint.
"""

from rest_framework.fields import Field


class SlussExtensionField(Field):
    """The ``_sluss`` object of ``feeds.extension()`` for one innovation page."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        from .feeds import extension

        return extension(page, self.context.get("request"))
