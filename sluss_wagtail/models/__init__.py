"""The package's models, split by concern and re-exported here."""

from .ideas import Idea, IdeaContact, IdeaEvent, ReferenceCounter, TaggedIdea
from .pages import IdeaSubmissionPage, IdeaSubmissionPageMixin
from .sdg import SustainabilityDimension, SustainableDevelopmentGoal
from .settings import SlussSettings
from .units import OrganisationUnit

__all__ = [
    "Idea",
    "IdeaContact",
    "IdeaEvent",
    "IdeaSubmissionPage",
    "IdeaSubmissionPageMixin",
    "OrganisationUnit",
    "ReferenceCounter",
    "SlussSettings",
    "SustainabilityDimension",
    "SustainableDevelopmentGoal",
    "TaggedIdea",
]
