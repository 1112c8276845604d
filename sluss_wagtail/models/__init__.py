"""The package's models, split by concern and re-exported here."""

from .adoptions import Adoption, AdoptionQuerySet, AdoptionStatus
from .challenges import (
    ChallengeIndexPage,
    ChallengeIndexPageMixin,
    ChallengePage,
    ChallengePageMixin,
)
from .emails import FailedEmail
from .ideas import Idea, IdeaContact, IdeaEvent, ReferenceCounter, TaggedIdea
from .pages import IdeaFormPageMixin, IdeaSubmissionPage, IdeaSubmissionPageMixin
from .pilots import Pilot, PilotDecision, PilotOutcome
from .sdg import SustainabilityDimension, SustainableDevelopmentGoal
from .settings import SlussSettings
from .showcase import (
    ConfidentialPublishError,
    InnovationOrigin,
    InnovationPage,
    InnovationPageMixin,
    InnovationPageQuerySet,
    InnovationPageTag,
    InnovationPilot,
    InnovationStatus,
    ShowcaseIndexPage,
    ShowcaseIndexPageMixin,
    public_pages,
    withheld_ideas,
)
from .sluices import Sluice, SluiceSite
from .units import OrganisationUnit
from .workflows import ShowcaseReviewTask

__all__ = [
    "Adoption",
    "AdoptionQuerySet",
    "ConfidentialPublishError",
    "AdoptionStatus",
    "InnovationOrigin",
    "InnovationPage",
    "InnovationPageMixin",
    "InnovationPageQuerySet",
    "InnovationPageTag",
    "InnovationPilot",
    "InnovationStatus",
    "Pilot",
    "PilotDecision",
    "PilotOutcome",
    "ShowcaseIndexPage",
    "ShowcaseIndexPageMixin",
    "ShowcaseReviewTask",
    "ChallengeIndexPage",
    "ChallengeIndexPageMixin",
    "ChallengePage",
    "ChallengePageMixin",
    "FailedEmail",
    "Idea",
    "IdeaContact",
    "IdeaEvent",
    "IdeaFormPageMixin",
    "IdeaSubmissionPage",
    "IdeaSubmissionPageMixin",
    "OrganisationUnit",
    "ReferenceCounter",
    "SlussSettings",
    "Sluice",
    "SluiceSite",
    "SustainabilityDimension",
    "SustainableDevelopmentGoal",
    "TaggedIdea",
    "public_pages",
    "withheld_ideas",
]

from .ideas import IdeaAttachment  # noqa: E402

__all__ += ["IdeaAttachment"]

from .caching import CacheGeneration  # noqa: E402

__all__ += ["CacheGeneration"]
