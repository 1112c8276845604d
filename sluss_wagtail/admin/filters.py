"""List filters of the inbox that Django's defaults do not get right.

Django's filters on many-to-many fields list every related row and make the
whole listing ``DISTINCT``; these list only what belongs to the user's ideas
and filter through a subquery, so the listing needs no ``DISTINCT``.
"""

from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .. import page_types, permissions
from ..models import Idea, SustainableDevelopmentGoal, TaggedIdea
from ..models.sluices import layout


def field_title(name):
    return Idea._meta.get_field(name).verbose_name


def whole_number(value):
    """A primary key from the query string; anything else is a lookup the list refuses
    (``OwnFiltersOnlyMixin`` answers with the unfiltered list), as Django's filters do."""
    if not value.isdigit() or len(value) > 18:
        raise IncorrectLookupParameters(value)
    return int(value)


class TagListFilter(SimpleListFilter):
    """The tags of the ideas the user may see.

    taggit's tags are shared with Wagtail's images and documents, and the
    tags of another unit's ideas are not the user's business.
    """

    title = field_title("tags")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tagged = TaggedIdea.objects.all()
        if not permissions.sees_every_idea(request.user):
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


class SluiceListFilter(SimpleListFilter):
    """The sluices a network coordinator (or a coordinator of several) may filter by;
    with one sluice to see, no filter at all (``permissions.sluice_choices``)."""

    title = field_title("sluice")
    parameter_name = "sluice"

    def lookups(self, request, model_admin):
        choices = permissions.sluice_choices(request.user)
        return [(str(sluice.pk), sluice.name) for sluice in choices]

    def queryset(self, request, queryset):
        if self.value():
            sluice = permissions.chosen_sluice(request.user, self.value())
            return queryset.filter(sluice=sluice) if sluice else queryset.none()
        return queryset


class UnitListFilter(SimpleListFilter):
    """The units of the user's sluices (Django's filter would list every sluice's units)."""

    title = field_title("unit")
    # The name Django's own filter gave it: links to filtered inboxes keep working.
    parameter_name = "unit__id__exact"

    def lookups(self, request, model_admin):
        units = permissions.units_for(request.user).select_related(None).order_by("name")
        several = bool(permissions.sluice_choices(request.user))
        names = layout().names if several else {}
        return [
            (str(unit.pk), f"{unit.name} ({names[unit.sluice_id]})" if several else unit.name)
            for unit in units
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(unit_id=whole_number(value))
        return queryset


class ChallengeListFilter(SimpleListFilter):
    """The challenges of the ideas the user may see (not every sluice's challenges)."""

    title = field_title("challenge")
    parameter_name = "challenge__id__exact"

    def lookups(self, request, model_admin):
        challenges = page_types.challenge_model().objects.order_by("title")
        if not permissions.sees_every_idea(request.user):
            ideas = permissions.ideas_for_user(request.user, Idea.objects.all())
            challenges = challenges.filter(pk__in=ideas.values("challenge"))
        return [(str(pk), title) for pk, title in challenges.values_list("pk", "title")]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(challenge_id=whole_number(value))
        return queryset


class CoachListFilter(SimpleListFilter):
    """ "My ideas": the ideas the user is the idea coach of (``Idea.coach``)."""

    title = field_title("coach")
    parameter_name = "coach"
    MINE = "me"

    def lookups(self, request, model_admin):
        return [(self.MINE, _("My ideas"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.MINE:
            return queryset.filter(coach=request.user)
        if value:
            raise IncorrectLookupParameters(value)
        return queryset


class WaitingForAssessmentFilter(SimpleListFilter):
    """The ideas whose assessment was asked for and has not come (``assessing``)."""

    title = _("assessment")
    parameter_name = "assessment"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for assessment")), ("assessed", _("Assessed"))]

    def queryset(self, request, queryset):
        from .. import assessing
        from ..models import Assessment

        if self.value() == "waiting":
            return queryset.filter(assessing.waiting_for_assessment())
        if self.value() == "assessed":
            return queryset.filter(pk__in=Assessment.objects.current().scored().values("idea"))
        return queryset
