from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from sluss_wagtail.models import public_pages
from sluss_wagtail.searching import read_query

# To enable logging of search queries for use with the "Promoted search results" module
# <https://docs.wagtail.org/en/stable/reference/contrib/searchpromotions.html>
# uncomment the following line and the lines indicated in the search function
# (after adding wagtail.contrib.search_promotions to INSTALLED_APPS):

# from wagtail.contrib.search_promotions.models import Query


def search(request):
    # Whatever is typed, words only reach the search backend (or a message the visitor).
    query = read_query(request.GET.get("query"))

    # Search what the public may see: live, without a view restriction (Wagtail's
    # PageViewRestriction), never an innovation of a confidential idea.
    search_results = public_pages().none()
    if query:
        search_results = public_pages().search(query.text)

        # To log this query for use with the "Promoted search results" module:

        # query = Query.get(query.text)
        # query.add_hit()

    # Pagination: nonsense in ?page= shows the first or the last page.
    search_results = Paginator(search_results, 10).get_page(request.GET.get("page"))

    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query.text,
            "search_error": query.error,
            "search_results": search_results,
        },
    )
