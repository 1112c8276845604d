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
        ideas = permissions.ideas_for_user(request.user, Idea.objects.all())
        tags = Tag.objects.filter(
            pk__in=TaggedIdea.objects.filter(content_object__in=ideas).values("tag")
        ).order_by("name")
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
