"""The showcase's listing from the cache: which pages, in which order, and how many.

A showcase of 10,000 innovations sorts and counts every match on each request;
the answer changes only when an innovation is published, unpublished, moved or
deleted, or a view restriction changes. Each of those replaces the *version*
(``bump_version``, connected in ``signal_handlers``), which is part of every key,
so nothing is ever read stale and nothing has to be deleted. Only primary keys
and counts are cached: the pages themselves, with their units, goals and images,
are read fresh for the page of results shown.
"""

import hashlib
import time

from django.core.cache import cache

VERSION_KEY = "sluss_wagtail:showcase:version"
#: Seconds a cached listing lives at most (a safety net: the version keeps it fresh).
TIMEOUT = 60 * 60


def get_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY, 0)
    return version


def bump_version(*args, **kwargs):
    """Make every cached showcase listing out of date (receives page and restriction signals)."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def make_key(*parts):
    # Filters carry the visitor's text (a search, a tag): hashed into a safe key.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"sluss_wagtail:showcase:{get_version()}:{digest}"


class CachedListing:
    """What a ``Paginator`` needs of a queryset, with the counting and sorting cached.

    ``build()`` makes the filtered, ordered queryset (only on a cache miss, so a
    search or a view-restriction query runs only then); ``fetch(pks)`` reads the
    pages shown, in any order.
    """

    def __init__(self, key, build, fetch, timeout=TIMEOUT):
        self.key = key
        self.build = build
        self.fetch = fetch
        self.timeout = timeout
        self._queryset = None
        self._count = None

    @property
    def queryset(self):
        if self._queryset is None:
            self._queryset = self.build()
        return self._queryset

    def count(self):
        if self._count is None:
            self._count = cache.get(f"{self.key}:count")
            if self._count is None:
                self._count = self.queryset.count()
                cache.set(f"{self.key}:count", self._count, self.timeout)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        key = f"{self.key}:{index.start}:{index.stop}"
        pks = cache.get(key)
        if pks is None:
            pks = list(self.queryset[index].values_list("pk", flat=True))
            cache.set(key, pks, self.timeout)
        if not pks:
            return []
        found = {item.pk: item for item in self.fetch(pks)}
        return [found[pk] for pk in pks if pk in found]
