"""StreamField blocks for editors, one module per family (see the editors' toolkit).

``sluss_blocks()`` lists them all, ready for a StreamField of a host site's page.
The modules import models lazily, because ``models/showcase.py`` imports ``content``.
"""

from .challenges import ChallengeTeaserBlock, OpenChallengesBlock
from .choosers import SlussPageChooserBlock
from .content import ImageWithAltBlock, innovation_body_blocks
from .ideas import IdeaCallToActionBlock
from .process import ProcessStepsBlock
from .showcase import ShowcaseHighlightsBlock
from .stats import InnovationStatsBlock

__all__ = [
    "ChallengeTeaserBlock",
    "IdeaCallToActionBlock",
    "ImageWithAltBlock",
    "InnovationStatsBlock",
    "OpenChallengesBlock",
    "ProcessStepsBlock",
    "ShowcaseHighlightsBlock",
    "SlussPageChooserBlock",
    "innovation_body_blocks",
    "sluss_blocks",
]


def sluss_blocks():
    """``[(name, block)]`` of every sluice block, for ``StreamField(sluss_blocks() + ...)``."""
    return [
        ("idea_call_to_action", IdeaCallToActionBlock()),
        ("open_challenges", OpenChallengesBlock()),
        ("challenge_teaser", ChallengeTeaserBlock()),
        ("showcase_highlights", ShowcaseHighlightsBlock()),
        ("process_steps", ProcessStepsBlock()),
        ("innovation_stats", InnovationStatsBlock()),
    ]
