"""What the package keeps in Django's cache, and how it is never read stale.

Three kinds of data are cached, each under a *generation* (a version number kept in
the shared cache, part of every key of its kind):

- ``SHOWCASE``: the showcases' listings (which innovations, in which order, how
  many). A new generation after every publish, unpublish, move and delete of an
  innovation and every change of a view restriction.
- ``IDEAS``: what is counted over the ideas (the statistics of ``stats``, the
  inbox's result counts, the board's counts per stage) and the public portfolio's
  listings. A new generation after every change of an idea, its events, pilots, tags,
  goals, adoptions, portfolio entry, units, challenge titles, the feedback promise and
  reviewer groups.
- ``SETTINGS``: each site's ``SlussSettings`` (with its site, for its address) for the
  e-mails, retention and the statistics (``SlussSettings.for_idea``). A new generation
  after every save of the settings or of a site.

A bump sets the generation at once (the process that made the change reads its own
change) and again when the transaction commits (a request that read the old rows
before the commit and cached them under the new generation is out of date too).
Nothing is ever deleted: old keys expire. The receivers are connected in
``signal_handlers``; code that changes rows without signals (``QuerySet.update()``,
``bulk_create()``) bumps the generation itself.

Several processes (app servers, a worker, cron commands) must agree on the generations,
or one process shows what another has changed only when its entries expire. With a
shared cache (Redis, Memcached, the database cache, a file cache on one machine) the
generations live in it. With a process-local cache (``PROCESS_LOCAL_BACKENDS``:
Django's default ``LocMemCache``) each process keeps its own entries, but the
generations live in the database (``models.CacheGeneration``, one row per kind):

- a request reads them in one query, the first time it needs one, and keeps them until
  it ends; outside a request (a command, a task) each use reads them;
- a change gives its transaction a generation of its own at once (only that
  transaction sees it: its own reads are never stale, a rollback leaves nothing
  behind) and writes a new one when the transaction commits, so every other process
  counts afresh from its next request. Written after the commit, not in the
  transaction: no lock is held on the row while the transaction runs. (As with a
  shared cache, a process that dies between its commit and that write leaves the
  entries of other processes out of date until they expire: ``TIMEOUT``.)

That costs one query per request that reads cached data, and each process fills its
own cache; ``manage.py check --deploy`` warns about it (``sluss_wagtail.W080``).
"""

import hashlib
import secrets
import threading
import time

from django.apps import apps
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, IntegrityError, router, transaction

#: Seconds a cached entry lives at most (a safety net: the generation keeps it fresh).
TIMEOUT = 60 * 60

#: Cache backends whose entries each process keeps for itself: with one of these as the
#: default cache the generations are kept in the database. A site with a process-local
#: backend of its own adds it here.
PROCESS_LOCAL_BACKENDS = (LocMemCache,)


def cache_is_process_local(alias=DEFAULT_CACHE_ALIAS):
    """Whether each process has its own copy of the cache ``alias`` (see the module docs)."""
    return isinstance(caches[alias], PROCESS_LOCAL_BACKENDS)


class _ThisThread(threading.local):
    """What one thread (one request at a time, one database connection) knows."""

    def __init__(self):
        #: Inside a request: the generations read from the database, kept until it ends.
        self.in_request = False
        self.read = None
        #: name -> (value, database alias): generations of this thread's open transaction.
        self.pending = {}


_this_thread = _ThisThread()


def start_request():
    """A request starts: it reads the generations afresh (a ``request_started`` receiver)."""
    _this_thread.in_request = True
    _this_thread.read = None


def end_request():
    _this_thread.in_request = False
    _this_thread.read = None


def _generation_model():
    return apps.get_model("sluss_wagtail", "CacheGeneration")


class Generation:
    """The version of one kind of cached data."""

    def __init__(self, name):
        self.name = name
        self.version_key = f"sluss_wagtail:{name}:version"

    def __repr__(self):
        return f"Generation({self.name!r})"

    def current(self):
        if cache_is_process_local():
            return self._current_in_database()
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
        if cache_is_process_local():
            return self._bump_in_database(using or DEFAULT_DB_ALIAS)
        self._set()
        self._on_commit(self._set, using)

    @staticmethod
    def _awaits_commit(function, using):
        """Whether ``function`` is to run when the open transaction commits."""
        connection = transaction.get_connection(using)
        return connection.in_atomic_block and any(
            callback == function for _sids, callback, _robust in connection.run_on_commit
        )

    def _on_commit(self, function, using):
        if not self._awaits_commit(function, using):
            transaction.on_commit(function, using=using, robust=True)

    # With a process-local cache: the generations in the database (see the module docs).

    def _current_in_database(self):
        pending = _this_thread.pending.get(self.name)
        if pending is not None:
            value, alias = pending
            if self._awaits_commit(self._write, alias):
                return value
            # Its transaction (or savepoint) was rolled back: a commit writes and forgets it.
            del _this_thread.pending[self.name]
        read = _this_thread.read
        if read is None:
            model = _generation_model()
            read = dict(model.objects.using(router.db_for_read(model)).values_list("name", "value"))
            if _this_thread.in_request:
                _this_thread.read = read
        return read.get(self.name, 0)

    def _bump_in_database(self, using):
        if not transaction.get_connection(using).in_atomic_block:
            self._write()
            return
        # Seen by this transaction only, until it commits; a new value at every change,
        # so that nothing cached between two changes is read after the second.
        _this_thread.pending[self.name] = (secrets.randbits(62), using)
        self._on_commit(self._write, using)

    def _write(self):
        """A new generation, where every process reads it (after the commit: a value no
        entry cached inside the transaction was stored under)."""
        model = _generation_model()
        alias = router.db_for_write(model)
        value = secrets.randbits(62)
        if not model.objects.using(alias).filter(name=self.name).update(value=value):
            try:
                with transaction.atomic(using=alias):
                    model.objects.using(alias).create(name=self.name, value=value)
            except IntegrityError:  # another process wrote the first row meanwhile
                model.objects.using(alias).filter(name=self.name).update(value=value)
        _this_thread.pending.pop(self.name, None)
        if _this_thread.read is not None:
            _this_thread.read[self.name] = value

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


def cached_by_sql(queryset, generation, compute, *, kind, empty, timeout=TIMEOUT):
    """What ``compute()`` makes of ``queryset``, from the cache of ``generation``, keyed by
    ``kind`` and the queryset's SQL; ``empty`` for a queryset that matches nothing by
    construction (``.none()``), without asking."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(): nothing to count, nothing to ask
        return empty
    return generation.get_or_compute((kind, queryset.db, sql, params), compute, timeout=timeout)


def cached_count(queryset, generation, count=None, timeout=TIMEOUT):
    """``queryset``'s number of rows from the cache of ``generation``, keyed by its SQL.

    ``count`` is the callable that counts on a miss (``queryset.count`` by default).
    """
    return cached_by_sql(
        queryset, generation, count or queryset.count, kind="count", empty=0, timeout=timeout
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
