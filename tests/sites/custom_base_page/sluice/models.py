from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey

from sluss_wagtail import models as sluss

from ..basepage.models import BasePage


class IdeaSubmissionPage(sluss.IdeaSubmissionPageMixin, BasePage):
    pass


class ChallengeIndexPage(sluss.ChallengeIndexPageMixin, BasePage):
    pass


class ChallengePage(sluss.ChallengePageMixin, BasePage):
    pass


class ShowcaseIndexPage(sluss.ShowcaseIndexPageMixin, BasePage):
    pass


class InnovationPage(sluss.InnovationPageMixin, BasePage):
    tags = ClusterTaggableManager(through="InnovationPageTag", blank=True)


class InnovationPageTag(sluss.AbstractInnovationPageTag):
    content_object = ParentalKey(
        InnovationPage, on_delete=models.CASCADE, related_name="tagged_items"
    )


class InnovationPilot(sluss.AbstractInnovationPilot):
    page = ParentalKey(InnovationPage, on_delete=models.CASCADE, related_name="pilots")


class PortfolioPage(sluss.PortfolioPageMixin, BasePage):
    pass
