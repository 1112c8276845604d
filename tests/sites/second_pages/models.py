from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from wagtail.models import Page

from sluss_wagtail import models as sluss


class SecondIdeaSubmissionPage(sluss.IdeaSubmissionPageMixin, Page):
    pass


class SecondChallengeIndexPage(sluss.ChallengeIndexPageMixin, Page):
    pass


class SecondChallengePage(sluss.ChallengePageMixin, Page):
    pass


class SecondShowcaseIndexPage(sluss.ShowcaseIndexPageMixin, Page):
    pass


class SecondInnovationPage(sluss.InnovationPageMixin, Page):
    tags = ClusterTaggableManager(through="SecondInnovationPageTag", blank=True)


class SecondInnovationPageTag(sluss.AbstractInnovationPageTag):
    content_object = ParentalKey(
        SecondInnovationPage, on_delete=models.CASCADE, related_name="tagged_items"
    )


class SecondInnovationPilot(sluss.AbstractInnovationPilot):
    page = ParentalKey(SecondInnovationPage, on_delete=models.CASCADE, related_name="pilots")


class SecondPortfolioPage(sluss.PortfolioPageMixin, Page):
    pass
