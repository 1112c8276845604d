"""The similar-idea hint's endpoint: what the idea form's script asks as the title and
the idea are written (without a script, the form's "look for similar ideas" button
gives the same hint, see ``IdeaFormPageMixin.form_view``)."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.models import Site

from . import rate_limits
from .models.ideas import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from .models.sluices import Sluice
from .similar import similar_public

#: The rate limit (``rate_limits.check_rate_limit``) every ask of the hint counts against.
SIMILAR_SCOPE = "similar"
HINT_TEMPLATE = "sluss_wagtail/portfolio/similar_hint.html"


def hint_for(request, title, text):
    """The similar public things for what ``request``'s visitor is writing, on its site."""
    site = Site.find_for_request(request)
    return similar_public(
        str(title or "")[:TITLE_MAX_LENGTH],
        str(text or "")[:TEXT_MAX_LENGTH],
        sluice_pk=Sluice.objects.pk_for_site(site),
        site=site,
        request=request,
    )


@require_POST
def similar_ideas(request):
    """The hint as an HTML fragment (escaped by the template), for the form's script."""
    limited = rate_limits.check_rate_limit(request, SIMILAR_SCOPE)
    if limited:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    similar = hint_for(request, request.POST.get("title"), request.POST.get("description"))
    response = TemplateResponse(request, HINT_TEMPLATE, {"similar": similar})
    response["Cache-Control"] = "no-store"
    return response
