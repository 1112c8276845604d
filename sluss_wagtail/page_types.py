"""Which concrete pages play each part of the sluice: the one place core code asks.

The core app defines no concrete page (a site may have its own base page, Wagtail 8's
``WAGTAIL_PAGE_MODEL``): each part is an abstract mixin, and the concrete pages are the
optional app ``sluss_wagtail.pages``'s or the site's own. Code that queries innovations
or challenges asks here for the model, never imports one::

    from sluss_wagtail import page_types

    page_types.innovation_model().objects.public()

The model of a role is the one concrete page model built on the role's mixin (a page
built on that model again, by multi-table inheritance, is part of it), or the one named
in ``SLUSS_WAGTAIL_PAGE_MODELS`` (``{"innovation": "myapp.InnovationPage"}``) where a
site has several. None or several without the setting is a system check error.
"""

from django.apps import apps
from django.utils.module_loading import import_string

from .conf import sluss_settings

#: role -> the mixin its pages are built on.
ROLES = {
    "idea_submission": "sluss_wagtail.models.pages.IdeaSubmissionPageMixin",
    "challenge_index": "sluss_wagtail.models.challenges.ChallengeIndexPageMixin",
    "challenge": "sluss_wagtail.models.challenges.ChallengePageMixin",
    "showcase": "sluss_wagtail.models.showcase.ShowcaseIndexPageMixin",
    "innovation": "sluss_wagtail.models.showcase.InnovationPageMixin",
}

#: The mixin of the portfolio pages: any number of them (one per site, say), so no role.
PORTFOLIO = "sluss_wagtail.models.portfolio.PortfolioPageMixin"


class PageTypeError(LookupError):
    """No page model, or no single one, plays a role (``manage.py check`` says which)."""


def mixin(role):
    return import_string(ROLES[role])


def models_of(*roles):
    """Every concrete page model built on the mixin of any of ``roles``."""
    from wagtail.models import get_page_models

    mixins = tuple(mixin(role) for role in roles)
    return [model for model in get_page_models() if issubclass(model, mixins)]


def candidates(role):
    """The concrete page models of ``role`` that are not built on another one of it."""
    base = mixin(role)
    return [
        model
        for model in models_of(role)
        if not any(issubclass(parent, base) for parent in model._meta.get_parent_list())
    ]


def get_model(role):
    """The page model of ``role``; ``PageTypeError`` if there is none, or no single one."""
    label = sluss_settings.PAGE_MODELS.get(role)
    if label:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError) as error:
            raise PageTypeError(f"SLUSS_WAGTAIL_PAGE_MODELS[{role!r}]: {error}") from None
        if model not in models_of(role):
            raise PageTypeError(
                f"SLUSS_WAGTAIL_PAGE_MODELS[{role!r}] = {label!r} is not a page model built "
                f"on {mixin(role).__name__}."
            )
        return model
    found = candidates(role)
    if len(found) != 1:
        names = ", ".join(model._meta.label for model in found) or "none"
        raise PageTypeError(
            f"One page model built on {mixin(role).__name__} is needed, found {names}."
        )
    return found[0]


def innovation_model():
    return get_model("innovation")


def innovation_pilot_model():
    """The small-scale tests of the innovation pages (their ``pilots`` child relation)."""
    return innovation_model()._meta.get_field("pilots").related_model


def challenge_model():
    return get_model("challenge")


def showcase_model():
    return get_model("showcase")


def content_types(*roles):
    """The content types of the pages of ``roles``: for ``limit_choices_to`` and filters."""
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_models(*models_of(*roles)).values()


def challenge_choices():
    """``Idea.challenge`` may name pages of the challenge role only."""
    return {"content_type__in": [ct.pk for ct in content_types("challenge")]}


def innovation_choices():
    """``Adoption.innovation`` may name pages of the innovation role only."""
    return {"content_type__in": [ct.pk for ct in content_types("innovation")]}


def portfolio_models():
    """The concrete portfolio page models (none if no app builds one)."""
    from wagtail.models import get_page_models

    portfolio = import_string(PORTFOLIO)
    return [model for model in get_page_models() if issubclass(model, portfolio)]


def portfolio_page_for(site=None, request=None):
    """The first live, public portfolio page on ``site`` (any site without one), or None:
    where the similar-idea hint and e-mails link a public idea to.

    From the cache of ``caching.SHOWCASE``, which a portfolio page's publish, unpublish,
    deletion or move, and every view restriction saved or deleted, start anew
    (``signal_handlers``): the hint asks on every keystroke's pause."""
    from .caching import SHOWCASE

    return (
        SHOWCASE.get_or_compute(
            ("portfolio page", site.pk if site is not None else None),
            lambda: _first_portfolio_page(site) or NO_PAGE,
        )
        or None
    )


#: What the cache holds for "no portfolio page" (a cached None reads as a miss).
NO_PAGE = 0


def _first_portfolio_page(site):
    from .restrictions import unrestricted

    for model in portfolio_models():
        pages = unrestricted(model.objects.live())
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        page = pages.order_by("path").first()
        if page is not None:
            return page
    return None
