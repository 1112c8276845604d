"""What an innovation is apart from its page: its status and where it came from.

Below the page mixins (``showcase.py``), so that the import and the actions name them
without importing a page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InnovationStatus(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")
    SPREAD = "spread", _("Spread")


class InnovationOrigin(models.TextChoices):
    OWN = "own", _("Our own idea")
    MUNICIPALITY = "municipality", _("Another municipality")
    ORGANISATION = "organisation", _("Another organisation")
