"""What the package keeps in Django's cache, and how it is never read stale.

Two kinds of data are cached, each under a *generation* (a version number kept in
the shared cache, part of every key of its kind):

- ``SHOWCASE``: the showcases' listings (which innovations, in which order, how
  many). A new generation after every publish, unpublish, move and delete of an
  innovation and every change of a view restriction.
- ``IDEAS``: what is counted over the ideas (the statistics of ``stats.py``, the
  inbox's result counts). A new generation after every change of an idea, its
  events, pilots, tags, goals, adoptions, units, challenge titles, the feedback
  promise and reviewer groups.
- ``SETTINGS``: the default site's ``SlussSettings`` for the e-mails and the
  statistics. A new generation after every save of the settings or of a site.

A bump sets the generation at once (the process that made the change reads its own
change) and again when the transaction commits (a request that read the old rows
before the commit and cached them under the new generation is out of date too).
Nothing is ever deleted: old keys expire. The receivers are connected in
``signal_handlers``; code that changes rows without signals (``QuerySet.update()``,
``bulk_create()``) bumps the generation itself.
"""

import hashlib
import time

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction

#: Seconds a cached entry lives at most (a safety net: the generation keeps it fresh).
TIMEOUT = 60 * 60


class Generation:
    """The version of one kind of cached data."""

    def __init__(self, name):
        self.name = name
        self.version_key = f"sluss_wagtail:{name}:version"

    def __repr__(self):
        return f"Generation({self.name!r})"

    def current(self):
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, time.time_ns(), None)
            version = cache.get(self.version_key, 0)
        return version

    def _set(self):
        cache.set(self.version_key, time.time_ns(), None)

    def bump(self, *args, using=None, **kwargs):
        """Make every entry of this kind out of date (a signal receiver: takes anything).

        At once, and once more when the transaction commits (one such callback per
        transaction, however many saves it holds).
        """
        self._set()
        connection = transaction.get_connection(using)
        if connection.in_atomic_block and any(
            function == self._set for _sids, function, _robust in connection.run_on_commit
        ):
            return
        transaction.on_commit(self._set, using=using, robust=True)

    def key(self, *parts):
        """A cache key of this generation; ``parts`` may carry a visitor's text (hashed)."""
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        return f"sluss_wagtail:{self.name}:{self.current()}:{digest}"

    def get_or_compute(self, parts, compute, timeout=TIMEOUT):
        """The cached value of ``parts``, or ``compute()``'s, cached for ``timeout`` seconds."""
        key = self.key(*parts)
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout)
        return value


SHOWCASE = Generation("showcase")
IDEAS = Generation("ideas")
SETTINGS = Generation("settings")


def cached_count(queryset, generation, count=None, timeout=TIMEOUT):
    """``queryset``'s number of rows from the cache of ``generation``, keyed by its SQL.

    ``count`` is the callable that counts on a miss (``queryset.count`` by default).
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(): nothing to count, nothing to ask
        return 0
    return generation.get_or_compute(
        ("count", queryset.db, sql, params), count or queryset.count, timeout=timeout
    )


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
