"""The package's models, split by concern and re-exported here."""

from .adoptions import Adoption, AdoptionQuerySet, AdoptionStatus
from .challenges import ChallengeIndexPageMixin, ChallengePageMixin
from .emails import FailedEmail
from .ideas import Idea, IdeaContact, IdeaEvent, ReferenceCounter, TaggedIdea
from .innovations import InnovationOrigin, InnovationStatus
from .pages import IdeaFormPageMixin, IdeaSubmissionPageMixin
from .pilots import Pilot, PilotDecision, PilotOutcome
from .sdg import SustainabilityDimension, SustainableDevelopmentGoal
from .settings import SlussSettings
from .showcase import (
    AbstractInnovationPageTag,
    AbstractInnovationPilot,
    ConfidentialPublishError,
    InnovationPageMixin,
    InnovationPageQuerySet,
    ShowcaseIndexPageMixin,
    public_pages,
    withheld_ideas,
)
from .sluices import Sluice, SluiceSite
from .units import OrganisationUnit
from .workflows import ShowcaseReviewTask

__all__ = [
    "AbstractInnovationPageTag",
    "AbstractInnovationPilot",
    "Adoption",
    "AdoptionQuerySet",
    "ConfidentialPublishError",
    "AdoptionStatus",
    "InnovationOrigin",
    "InnovationPageMixin",
    "InnovationPageQuerySet",
    "InnovationStatus",
    "Pilot",
    "PilotDecision",
    "PilotOutcome",
    "ShowcaseIndexPageMixin",
    "ShowcaseReviewTask",
    "ChallengeIndexPageMixin",
    "ChallengePageMixin",
    "FailedEmail",
    "Idea",
    "IdeaContact",
    "IdeaEvent",
    "IdeaFormPageMixin",
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

from .following import FollowerNotice, Subscription  # noqa: E402

__all__ += ["FollowerNotice", "Subscription"]
from .dialogue import DialogueMessage, DialogueReading  # noqa: E402

__all__ += ["DialogueMessage", "DialogueReading"]
from .benefits import (  # noqa: E402
    Benefit,
    BenefitFollowUp,
    BenefitKind,
    BenefitStatus,
    ImplementationStep,
    StepStatus,
)

__all__ += [
    "Benefit",
    "BenefitFollowUp",
    "BenefitKind",
    "BenefitStatus",
    "ImplementationStep",
    "StepStatus",
]
from .assessment import (  # noqa: E402
    Assessment,
    AssessmentRequest,
    AssessmentScore,
    Criterion,
    Decision,
    DecisionKind,
)

__all__ += [
    "Assessment",
    "AssessmentRequest",
    "AssessmentScore",
    "Criterion",
    "Decision",
    "DecisionKind",
]
from .portfolio import PortfolioEntry, PortfolioPageMixin  # noqa: E402

__all__ += ["PortfolioEntry", "PortfolioPageMixin"]
from .tallies import IdeaTally, Tally  # noqa: E402

__all__ += ["IdeaTally", "Tally"]
