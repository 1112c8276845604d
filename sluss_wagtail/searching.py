"""What a visitor typed into a search, made safe for every Wagtail search backend.

The showcase's ``q``, its feeds' ``q``, the API's ``search=`` and a host site's own
search read the text through ``read_query()``: whatever was typed (quotes, operators,
NUL, unpaired surrogates, 10,000 characters), the backend is given words only, or
nothing, and the visitor a clear answer, never a server error.

Only words (letters and digits of any script) are kept; everything else separates
them, and ``AND``, ``OR``, ``NOT`` and ``NEAR`` in capitals are left out (the showcase
finds pages with every word, the example site's search with any). No backend then sees
its own syntax: SQLite's FTS5 fails on an unpaired ``"``, PostgreSQL refuses NUL,
Elasticsearch and OpenSearch read their own operators, and no driver encodes a lone
surrogate.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

__all__ = ["MAX_QUERY_LENGTH", "MAX_QUERY_WORDS", "VisitorQuery", "found_pks", "read_query"]

#: Longer searches are refused with a message (nobody types 200 characters to find a page).
MAX_QUERY_LENGTH = 200
#: Words beyond this many are left out: each word costs the backend a term.
MAX_QUERY_WORDS = 20

_WORD = re.compile(r"[^\W_]+")
#: Operators a visitor may type out of habit; the words are searched without them.
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class VisitorQuery:
    """A search as typed (``raw``), the words to search for (``text``, may be empty) and,
    when the search cannot be made, why (``error``, for the visitor)."""

    raw: str = ""
    text: str = ""
    error: str = ""
    too_long: bool = False

    @property
    def asked(self):
        """Whether the visitor searched at all (then an empty ``text`` finds nothing)."""
        return bool(self.raw.strip())

    def __bool__(self):
        return bool(self.text)


def read_query(raw, max_length=MAX_QUERY_LENGTH):
    """The words of the visitor's search ``raw`` (a string or None)."""
    raw = _SURROGATE.sub("", str(raw or ""))
    if len(raw) > max_length:
        return VisitorQuery(
            raw=raw[:max_length],
            error=_("The search is too long. Use at most %(limit)d characters.")
            % {"limit": max_length},
            too_long=True,
        )
    words = [word for word in _WORD.findall(raw) if word not in _OPERATORS]
    words = words[:MAX_QUERY_WORDS]
    if not words:
        error = _("Search with words or numbers.") if raw.strip() else ""
        return VisitorQuery(raw=raw, error=error)
    return VisitorQuery(raw=raw, text=" ".join(words))


def found_pks(results):
    """The primary keys of what a Wagtail search found (``queryset.search(…)``), for a
    ``pk__in`` filter.

    Wagtail's database backends (SQLite FTS5, PostgreSQL full-text search, MySQL, the
    fallback) build a queryset of the matches: it goes into the caller's query as a
    subquery, so the database counts and pages the matches itself. At 10,000 showcase
    pages with 5,000 matches, reading every match into Python first cost more than the
    rest of the page. Other backends (Elasticsearch, OpenSearch) answer with documents:
    their keys are read into a list.
    """
    queryset = getattr(results, "get_queryset", None)
    if queryset is not None:
        return queryset().order_by().values("pk")
    return [found.pk for found in results]
