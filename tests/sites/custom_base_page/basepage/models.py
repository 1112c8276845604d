"""The site's own base page, in an app of its own as Wagtail's guide advises."""

from django.db import models
from wagtail.models import AbstractPage


class BasePage(AbstractPage):
    """Every page of the site has a responsible department."""

    department = models.CharField(max_length=100, blank=True)

    promote_panels = AbstractPage.promote_panels + ["department"]
