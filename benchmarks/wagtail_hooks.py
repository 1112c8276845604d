"""The benchmark's anchor for the inbox: the same ideas in a plain Wagtail listing."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from sluss_wagtail import search_indexes
from sluss_wagtail.models import Idea


class BenchIdeaViewSet(ModelViewSet):
    """Wagtail's own ``ModelViewSet`` index of the ideas: the inbox's columns, a page of
    50 in the inbox's order, filters on the same fields and the same substring search
    (the ORM's ``icontains``, as the inbox's), with nothing of the package's."""

    model = Idea
    name = "bench_ideas"
    url_prefix = "bench-ideas"
    icon = "tasks"
    add_to_admin_menu = False
    inspect_view_enabled = False
    list_per_page = 50
    ordering = ["-created_at", "-id"]
    list_display = [
        "reference",
        "title",
        "stage",
        "unit",
        "challenge",
        "submitter_kind",
        "created_at",
        "stage_changed_at",
    ]
    list_filter = ["stage", "unit", "challenge", "submitter_kind", "confidential", "channel"]
    search_fields = list(search_indexes.SEARCHED_COLUMNS)
    search_backend_name = None  # the ORM's icontains, as the inbox's search
    form_fields = ["title", "description"]  # only the listing is measured

    def get_index_view_kwargs(self, **kwargs):
        # The unit and the challenge of each row in the page's query, as the inbox reads them.
        queryset = Idea.objects.select_related("unit", "challenge")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


@hooks.register("register_admin_viewset")
def register_admin_viewset():
    return BenchIdeaViewSet()
