"""The package's part of the Wagtail admin: the inbox of ideas and the organisation units.

Registered in ``wagtail_hooks.py``; a host site that wants its own menu can
register ``IdeaAdmin`` and ``OrganisationUnitAdmin`` (or subclasses) itself.
"""

from .options import IdeaAdmin, OrganisationUnitAdmin, SlussAdminGroup

__all__ = ["IdeaAdmin", "OrganisationUnitAdmin", "SlussAdminGroup"]
