"""Challenges: the proactive inflow. The municipality names a problem and asks for ideas."""

from datetime import timedelta

from django import forms
from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import AbstractPage

from .. import page_types, process
from .pages import (
    IdeaFormPageMixin,
    PageImageMixin,
    SlussPageMixin,
    listing_context,
    read_listing_filters,
)
from .sdg import SustainabilityDimension, SustainableDevelopmentGoal
from .translations import TranslationGroupManager
from .units import OrganisationUnit

UPCOMING = "upcoming"
OPEN = "open"
CLOSED = "closed"
STATUS_LABELS = {UPCOMING: _("Upcoming"), OPEN: _("Open"), CLOSED: _("Closed")}

#: Stages that count as "went further" for the outcome of a closed challenge.
WENT_FURTHER = (
    process.DEVELOPMENT,
    process.PILOT,
    process.EVALUATION,
    process.IMPLEMENTED,
    process.SPREAD,
)


def challenge_status(opens_at, closes_at, now=None):
    """Open from ``opens_at`` (inclusive) until ``closes_at`` (exclusive)."""
    now = now or timezone.now()
    if now < opens_at:
        return UPCOMING
    if now < closes_at:
        return OPEN
    return CLOSED


class ChallengePageMixin(IdeaFormPageMixin, PageImageMixin):
    """A defined problem that asks for ideas, with its own idea form.

    Placed under a challenge index (``parent_page_roles``) and holds no pages.
    """

    default_template = "sluss_wagtail/pages/challenge_page.html"
    confirmation_template = "sluss_wagtail/pages/challenge_page_confirmation.html"
    parent_page_roles = ("challenge_index",)
    subpage_types = []

    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("One or two sentences for the list of challenges."),
    )
    problem = RichTextField(_("the problem"), help_text=_("What is the problem, in plain words?"))
    background = RichTextField(
        _("background and why it matters"),
        blank=True,
        help_text=_("What we know, what has been tried, and why it matters now."),
    )
    affected = RichTextField(
        _("who is affected"), blank=True, help_text=_("Who lives with the problem today?")
    )
    wanted_ideas = RichTextField(
        _("what kind of ideas we want"),
        blank=True,
        help_text=_("What kind of ideas help, and what limits there are (money, law, time)."),
    )
    what_happens = RichTextField(
        _("what happens with the ideas"),
        blank=True,
        help_text=_("How the ideas are assessed and when the idea givers hear back."),
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opens_at = models.DateTimeField(_("opens"), help_text=_("When ideas start to be accepted."))
    closes_at = models.DateTimeField(
        _("closes"), help_text=_("The moment ideas are no longer accepted.")
    )
    outcome = RichTextField(
        _("outcome"),
        blank=True,
        help_text=_("After closing: what came out of the challenge, in plain words."),
    )
    # No way back from a goal to the pages: a second page type built on the mixin must
    # not clash with the first.
    sdgs = ParentalManyToManyField(
        SustainableDevelopmentGoal,
        verbose_name=_("global goals"),
        blank=True,
        related_name="+",
        help_text=_("The goals of Agenda 2030 that the challenge serves."),
    )
    dimensions = ParentalManyToManyField(
        SustainabilityDimension,
        verbose_name=_("sustainability dimensions"),
        blank=True,
        related_name="+",
    )

    content_panels = AbstractPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("problem"),
        FieldPanel("background"),
        FieldPanel("affected"),
        FieldPanel("wanted_ideas"),
        FieldPanel("what_happens"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("When")),
        FieldPanel("unit"),
        MultiFieldPanel(
            [
                FieldPanel("sdgs", widget=forms.CheckboxSelectMultiple),
                FieldPanel("dimensions", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Sustainability"),
        ),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("outcome"),
    ]

    #: ``one_per_translation()`` and ``child_of_translations()``: a challenge and its
    #: translations are one (``models.translations``).
    objects = TranslationGroupManager()

    class Meta:
        abstract = True
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def get_clean_errors(self):
        errors = super().get_clean_errors()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("A challenge must close after it opens.")
        return errors

    def get_status(self, now=None):
        return challenge_status(self.opens_at, self.closes_at, now)

    @property
    def status(self):
        return self.get_status()

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    def days_left(self, now=None):
        """Whole days left until the last day, counted in the site's time zone."""
        now = now or timezone.now()
        last_moment = timezone.localtime(self.closes_at) - timedelta(microseconds=1)
        return (last_moment.date() - timezone.localtime(now).date()).days

    def accepts_ideas(self):
        return self.status == OPEN

    def get_idea_fields(self, request):
        return {**super().get_idea_fields(request), "challenge": self}

    @property
    def ideas(self):
        """The ideas sent to this challenge through any of its translations."""
        from .ideas import Idea

        return Idea.objects.of_challenge(self)

    def get_ideas_that_went_further(self):
        """Public ideas (``Idea.objects.public()``: the giver allowed publishing and a
        coordinator approved it for the portfolio) that went on after screening, sent
        through any translation of the challenge."""
        return (
            self.ideas.public()
            .filter(stage__in=WENT_FURTHER)
            .select_related("contact")
            .order_by("created_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from ..stats import challenge_idea_count

        context["idea_count"] = challenge_idea_count(self)
        context["status"] = self.status
        if self.status == CLOSED:
            context["ideas_that_went_further"] = self.get_ideas_that_went_further()
        return context


class ChallengeIndexPageMixin(SlussPageMixin, models.Model):
    """The list of challenges: open ones first (closing soonest), then upcoming, then closed.

    Filters ``?sdg=<number>`` and ``?unit=<id>``; ``?page=<n>`` paginates.
    """

    default_template = "sluss_wagtail/pages/challenge_index_page.html"
    subpage_roles = ("challenge",)

    intro = RichTextField(_("introduction"), blank=True)
    per_page = 12

    content_panels = AbstractPage.content_panels + [FieldPanel("intro")]

    class Meta:
        abstract = True
        verbose_name = _("challenge index")
        verbose_name_plural = _("challenge indexes")

    def get_challenges(self, now=None):
        now = now or timezone.now()
        group = Case(
            When(opens_at__gt=now, then=Value(1)),
            When(closes_at__gt=now, then=Value(0)),
            default=Value(2),
            output_field=IntegerField(),
        )
        # The challenges under this index and under its translations, each once: in the
        # visitor's language where it is translated, else the original.
        return (
            page_types.challenge_model()
            .objects.child_of_translations(self)
            .live()
            .public()
            .one_per_translation()
            .select_related("unit")
            .annotate(status_group=group)
            .order_by(
                "status_group",
                Case(
                    When(status_group=0, then=F("closes_at")),
                    When(status_group=1, then=F("opens_at")),
                ),
                "-closes_at",
                "pk",
            )
        )

    def filter_challenges(self, challenges, request):
        filters = read_listing_filters(request)
        if "sdg" in filters:
            challenges = challenges.filter(sdgs=filters["sdg"])
        if "unit" in filters:
            challenges = challenges.filter(unit_id=filters["unit"])
        return challenges, filters

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        challenges, filters = self.filter_challenges(self.get_challenges(), request)
        listing = listing_context(
            request,
            challenges,
            filters,
            per_page=self.per_page,
            child_pages=page_types.challenge_model().objects.child_of_translations(self),
        )
        context.update(listing, challenges=listing["items"])
        return context
