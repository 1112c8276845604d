"""Which pages Wagtail's view restrictions keep from the public, read once a generation.

Wagtail's ``PageQuerySet.public()`` reads every view restriction (a password, a login,
groups) on each call, and leaves out the pages under them. The sluice's public paths
(the showcase, the similar-idea hint, the blocks, the feeds) ask for public pages many
times a request; they ask ``unrestricted()`` here instead: the same pages, from the
restricted pages' paths cached until a restriction is saved or deleted or a page is
moved (``caching.SHOWCASE``, ``signal_handlers``), and no subquery per page (as one,
SQLite scanned the page tree for each listed page: 35 s for a search of 10,000 pages).
"""

from django.db.models import Q

from .caching import SHOWCASE

__all__ = ["restricted_paths", "unrestricted"]


def restricted_paths():
    """The paths of the pages with a view restriction, read once a generation of
    ``caching.SHOWCASE``, which every restriction saved or deleted and every page moved
    starts anew (``signal_handlers``)."""
    from wagtail.models import PageViewRestriction

    return SHOWCASE.get_or_compute(
        ("restricted paths",),
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )


def unrestricted(queryset):
    """``queryset`` without the pages under a view restriction (the page itself or one
    above it): what Wagtail's ``public()`` leaves, in the same query."""
    condition = Q()
    for restricted in restricted_paths():
        condition &= ~Q(path__startswith=restricted)
    return queryset.filter(condition)
