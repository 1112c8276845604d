"""Public views that are not pages: the idea giver's status page."""

from django.http import Http404
from django.views.generic import TemplateView

from . import process
from .conf import sluss_settings
from .links import keep_link_private
from .models import Idea


class IdeaStatusView(TemplateView):
    """The private status page behind the link in the receipt; no login.

    Shows the stage, the process and the public notes, never personal data.
    An idea marked as a duplicate shows the original it is handled with.
    """

    template_name = "sluss_wagtail/idea_status.html"

    def get(self, request, *args, **kwargs):
        return keep_link_private(super().get(request, *args, **kwargs))

    def get_idea(self):
        idea = Idea.objects.select_related("duplicate_of__challenge", "challenge").for_status_token(
            self.kwargs["token"]
        )
        if idea is None:
            raise Http404
        return idea

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        idea = self.get_idea()
        followed = idea.duplicate_of or idea
        context.update(
            {
                "sluss_base_template": sluss_settings.BASE_TEMPLATE,
                "idea": idea,
                "followed_idea": followed,
                "stage": followed.stage_info,
                "steps": process.forward_steps(followed.stage),
                "public_events": list(followed.get_public_events()),
            }
        )
        return context
