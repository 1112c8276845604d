"""The sluice's pages, each its mixin on Wagtail's ``Page``: the same lines a site with its
own base page writes with that page instead (README, "Your own base page")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from wagtail.models import Page

from sluss_wagtail.models import (
    AbstractInnovationPageTag,
    AbstractInnovationPilot,
    ChallengeIndexPageMixin,
    ChallengePageMixin,
    IdeaSubmissionPageMixin,
    InnovationPageMixin,
    PortfolioPageMixin,
    ShowcaseIndexPageMixin,
)


class IdeaSubmissionPage(IdeaSubmissionPageMixin, Page):
    pass


class ChallengeIndexPage(ChallengeIndexPageMixin, Page):
    pass


class ChallengePage(ChallengePageMixin, Page):
    pass


class ShowcaseIndexPage(ShowcaseIndexPageMixin, Page):
    pass


class InnovationPage(InnovationPageMixin, Page):
    tags = ClusterTaggableManager(verbose_name=_("tags"), through="InnovationPageTag", blank=True)


class InnovationPageTag(AbstractInnovationPageTag):
    content_object = ParentalKey(
        InnovationPage, on_delete=models.CASCADE, related_name="tagged_items"
    )


class InnovationPilot(AbstractInnovationPilot):
    page = ParentalKey(InnovationPage, on_delete=models.CASCADE, related_name="pilots")


class PortfolioPage(PortfolioPageMixin, Page):
    pass
