"""The similar-idea hint's endpoint: what the idea form's script asks as the title and
the idea are written (without a script, the form's "look for similar ideas" button
gives the same hint, see ``IdeaFormPageMixin.form_view``)."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from . import rate_limits
from .similar import hint_for

#: The rate limit (``rate_limits.check_rate_limit``) every ask of the hint counts against.
SIMILAR_SCOPE = "similar"
HINT_TEMPLATE = "sluss_wagtail/portfolio/similar_hint.html"


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
