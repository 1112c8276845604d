"""Wagtail's pages endpoint, showing only what the public may see, with a safe search.

Wagtail's own endpoint already leaves out drafts and pages with view restrictions;
this one asks ``public_pages()`` (so never an innovation whose idea is confidential),
and reads ``search=`` through ``searching.read_query``: whatever is typed, an answer,
never a server error. Register it in your API router instead of ``PagesAPIViewSet``::

    from sluss_wagtail.api_views import SlussPagesAPIViewSet

    api_router.register_endpoint("pages", SlussPagesAPIViewSet)
"""

from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from .searching import read_query

__all__ = ["SlussPagesAPIViewSet", "SlussSearchFilter"]

SEARCH_OPERATORS = ("and", "or")


class SlussSearchFilter(SearchFilter):
    """``search=`` in words only (``searching.read_query``). A search too long or an
    unknown ``search_operator`` is a 400 that says why; a search without words finds
    nothing. The rest is Wagtail's filter."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        query = read_query(request.GET["search"])
        if query.too_long:
            raise BadRequestError(str(query.error))
        if request.GET.get("search_operator", "and") not in SEARCH_OPERATORS:
            # Wagtail passes it on to the backend, which raises a ValueError.
            raise BadRequestError("search_operator must be 'and' or 'or'")
        if not query:
            return queryset.none()
        return super().filter_queryset(_with_search(request, query.text), queryset, view)


class _with_search:
    """``request`` as Wagtail's filter reads it, with the checked words as ``search``."""

    def __init__(self, request, text):
        self._request = request
        self.GET = request.GET.copy()
        self.GET["search"] = text

    def __getattr__(self, name):
        return getattr(self._request, name)


class SlussPagesAPIViewSet(PagesAPIViewSet):
    filter_backends = [
        SlussSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]

    def get_base_queryset(self):
        from .models.showcase import public_pages

        return public_pages(super().get_base_queryset())
