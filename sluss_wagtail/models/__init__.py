"""The package's models, split by concern and re-exported here."""

from .adoptions import Adoption, AdoptionQuerySet, AdoptionStatus
from .challenges import (
    ChallengeIndexPage,
    ChallengeIndexPageMixin,
    ChallengePage,
    ChallengePageMixin,
)
from .ideas import Idea, IdeaContact, IdeaEvent, ReferenceCounter, TaggedIdea
from .pages import IdeaFormPageMixin, IdeaSubmissionPage, IdeaSubmissionPageMixin
from .pilots import Pilot, PilotDecision, PilotOutcome
from .sdg import SustainabilityDimension, SustainableDevelopmentGoal
from .settings import SlussSettings
from .showcase import (
    InnovationOrigin,
    InnovationPage,
    InnovationPageMixin,
    InnovationPageTag,
    InnovationPilot,
    InnovationStatus,
    ShowcaseIndexPage,
    ShowcaseIndexPageMixin,
)
from .units import OrganisationUnit
from .workflows import ShowcaseReviewTask

__all__ = [
    "Adoption",
    "AdoptionQuerySet",
    "AdoptionStatus",
    "InnovationOrigin",
    "InnovationPage",
    "InnovationPageMixin",
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
    "Idea",
    "IdeaContact",
    "IdeaEvent",
    "IdeaFormPageMixin",
    "IdeaSubmissionPage",
    "IdeaSubmissionPageMixin",
    "OrganisationUnit",
    "ReferenceCounter",
    "SlussSettings",
    "SustainabilityDimension",
    "SustainableDevelopmentGoal",
    "TaggedIdea",
]

from .ideas import IdeaAttachment  # noqa: E402

__all__ += ["IdeaAttachment"]

from .caching import CacheGeneration  # noqa: E402

__all__ += ["CacheGeneration"]
