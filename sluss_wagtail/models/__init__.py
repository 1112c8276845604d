"""The package's models, split by concern and re-exported here."""

from .ideas import Idea, IdeaContact, IdeaEvent, ReferenceCounter
from .pages import IdeaSubmissionPage, IdeaSubmissionPageMixin
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
]
