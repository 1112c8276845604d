"""A page chooser for the sluice's own pages, whichever concrete pages a site has."""

from django.utils.functional import cached_property
from wagtail import blocks

from .. import page_types

__all__ = ["SlussPageChooserBlock"]


class SlussPageChooserBlock(blocks.PageChooserBlock):
    """Chooses pages of the sluice's ``roles`` (``sluss_wagtail.page_types``): the optional
    pages app's or a site's own, found when first used. Migrations keep the roles, not
    model labels, so they do not change with the site's page models."""

    def __init__(self, roles, **kwargs):
        self.roles = (roles,) if isinstance(roles, str) else tuple(roles)
        super().__init__(**kwargs)

    @cached_property
    def target_models(self):
        return page_types.models_of(*self.roles)
