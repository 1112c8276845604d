"""List filters of the inbox that Django's defaults do not get right.

Django's filters on many-to-many fields list every related row and make the
whole listing ``DISTINCT``; these list only what belongs to the user's ideas
and filter through a subquery, so the listing needs no ``DISTINCT``.
"""

from django.contrib.admin import SimpleListFilter
from taggit.models import Tag

from .. import permissions
from ..models import Idea, SustainableDevelopmentGoal, TaggedIdea


def field_title(name):
    return Idea._meta.get_field(name).verbose_name


class TagListFilter(SimpleListFilter):
    """The tags of the ideas the user may see.

    taggit's tags are shared with Wagtail's images and documents, and the
    tags of another unit's ideas are not the user's business.
    """

    title = field_title("tags")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tagged = TaggedIdea.objects.all()
        if not permissions.can_view_all_ideas(request.user):
            ideas = permissions.ideas_for_user(request.user, Idea.objects.all())
            tagged = tagged.filter(content_object__in=ideas)
        # (For a user who sees every idea, "the tags of the ideas" needs no list of
        # every idea: at 100,000 ideas SQLite would build one on every request.)
        tags = Tag.objects.filter(pk__in=tagged.values("tag")).order_by("name")
        return [(tag.slug, tag.name) for tag in tags]

    def queryset(self, request, queryset):
        if self.value():
            tagged = TaggedIdea.objects.filter(tag__slug=self.value())
            return queryset.filter(pk__in=tagged.values("content_object"))
        return queryset


class SustainableDevelopmentGoalListFilter(SimpleListFilter):
    title = field_title("sdgs")
    parameter_name = "sdg"

    def lookups(self, request, model_admin):
        return [(str(goal.number), str(goal)) for goal in SustainableDevelopmentGoal.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():
                return queryset.none()
            serving = Idea.sdgs.through.objects.filter(
                sustainabledevelopmentgoal_id=int(self.value())
            )
            return queryset.filter(pk__in=serving.values("idea"))
        return queryset
