"""Wagtail's pages endpoint that also leaves out innovations whose idea is confidential.

Wagtail's own endpoint already leaves out drafts and pages with view restrictions.
Register it in your API router instead of ``PagesAPIViewSet``::

    from sluss_wagtail.api_views import SlussPagesAPIViewSet

    api_router.register_endpoint("pages", SlussPagesAPIViewSet)
"""

from wagtail.api.v2.views import PagesAPIViewSet


class SlussPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        from .models import InnovationPage

        confidential = InnovationPage.objects.filter(idea__confidential=True).values("pk")
        return super().get_base_queryset().exclude(pk__in=confidential)
