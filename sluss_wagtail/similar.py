"""Similar ideas: the hint on the idea form and "possibly the same as" in the admin.

The hint shows up to five public things like what is being written: public ideas
(``Idea.objects.public()``, the one public queryset of ideas), open challenges and
public innovations (``innovation_model().objects.public()``), each with its stage. It
never reads another idea, so it cannot reveal one that is not public.

Similarity: PostgreSQL's trigram word similarity (``pg_trgm``, installed by the
migrations where the database user may), elsewhere (SQLite, or PostgreSQL without
``pg_trgm``) a count of the typed words each title holds.
Either way a fixed number of queries whatever the number of ideas: one per kind, a
few for the sites and the portfolio page.
"""

from django.db import connections, router
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import page_types
from .searching import read_query

#: At most this many things in the hint, and in "possibly the same as".
LIMIT = 5
#: Words shorter than this say nothing about similarity ("och", "att").
MIN_WORD_LENGTH = 4
#: At most this many of the typed words are compared (the longest).
MAX_WORDS = 6
#: PostgreSQL: the least trigram word similarity that counts.
TRIGRAM_THRESHOLD = 0.3
#: What the hint reads of the text: enough for a title and the start of the idea.
MAX_TEXT = 600

IDEA = "idea"
CHALLENGE = "challenge"
INNOVATION = "innovation"
KIND_LABELS = {IDEA: _("Idea"), CHALLENGE: _("Challenge"), INNOVATION: _("Innovation")}


def words_of(*texts):
    """The distinctive words of ``texts``: lower-case, at least ``MIN_WORD_LENGTH`` long,
    each once, the longest ``MAX_WORDS``."""
    found = []
    for text in texts:
        for word in read_query(str(text or "")[:MAX_TEXT], max_length=MAX_TEXT).text.split():
            word = word.lower()
            if len(word) >= MIN_WORD_LENGTH and word not in found:
                found.append(word)
    return sorted(found, key=len, reverse=True)[:MAX_WORDS]


#: Per database alias: whether ``pg_trgm`` is installed (asked once per process).
_TRIGRAMS = {}


def uses_trigrams(model):
    alias = router.db_for_read(model)
    if alias not in _TRIGRAMS:
        connection = connections[alias]
        installed = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
                installed = cursor.fetchone() is not None
        _TRIGRAMS[alias] = installed
    return _TRIGRAMS[alias]


def rank(queryset, field, words, text):
    """``queryset`` with a ``similarity`` for ``field`` and only the similar rows, most
    similar first."""
    if uses_trigrams(queryset.model):
        from django.contrib.postgres.search import TrigramWordSimilarity

        return (
            queryset.annotate(similarity=TrigramWordSimilarity(Value(text), field))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity", "-pk")
        )
    matches = Q()
    score = Value(0)
    for word in words:
        matches |= Q(**{f"{field}__icontains": word})
        score = score + Case(
            When(**{f"{field}__icontains": word}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.filter(matches).annotate(similarity=score).order_by("-similarity", "-pk")


def _idea_title():
    return Coalesce(NullIf("portfolio_entry__public_title", Value("")), "title")


def similar_public(title, text="", *, sluice_pk=None, site=None, request=None, limit=LIMIT):
    """Up to ``limit`` public ideas, open challenges and innovations like ``title`` and
    ``text``: dicts of ``kind``, ``kind_label``, ``title``, ``stage`` and ``url``."""
    from .models import Idea
    from .models.portfolio import portfolio_page_for

    words = words_of(title, text)
    if not words:
        return []
    query = " ".join(words)
    found = []
    ideas = Idea.objects.public()
    if sluice_pk is not None:
        ideas = ideas.filter(sluice_id=sluice_pk)
    ideas = rank(ideas.annotate(shown=_idea_title()), "shown", words, query)
    portfolio = portfolio_page_for(site, request)
    for idea in ideas.only("pk", "title", "stage")[:limit]:
        found.append(
            {
                "kind": IDEA,
                "similarity": idea.similarity,
                "title": idea.shown,
                "stage": idea.stage_info.label,
                "url": portfolio.get_idea_url(idea, request) if portfolio else None,
            }
        )
    now = timezone.now()
    root = site.root_page if site is not None else None
    challenges = page_types.challenge_model().objects.live().public()
    challenges = challenges.filter(opens_at__lte=now, closes_at__gt=now)
    innovations = page_types.innovation_model().objects.public()
    if root is not None:
        challenges = challenges.descendant_of(root, inclusive=True)
        innovations = innovations.descendant_of(root, inclusive=True)
    for page in rank(challenges, "title", words, query)[:limit]:
        found.append(
            {
                "kind": CHALLENGE,
                "similarity": page.similarity,
                "title": page.title,
                "stage": _("Open for ideas"),
                "url": page.get_url(request),
            }
        )
    for page in rank(innovations, "title", words, query)[:limit]:
        found.append(
            {
                "kind": INNOVATION,
                "similarity": page.similarity,
                "title": page.title,
                "stage": page.get_status_display(),
                "url": page.get_url(request),
            }
        )
    found.sort(key=lambda item: item["similarity"], reverse=True)
    for item in found:
        item["kind_label"] = KIND_LABELS[item["kind"]]
    return found[:limit]


def possibly_the_same(idea, user, *, limit=LIMIT):
    """The ideas most like ``idea`` of all that ``user`` may see (``permissions``): for
    the idea's admin page, beside the duplicate action. Confidential ideas only for those
    who may see their titles."""
    from . import permissions
    from .models import Idea

    words = words_of(idea.title)
    if not words:
        return []
    visibility = permissions.idea_visibility(user)
    ideas = permissions.ideas_for_user(user, Idea.objects.exclude(pk=idea.pk)).filter(
        sluice_id=idea.sluice_id
    )
    if not visibility.confidential_title:
        ideas = ideas.filter(confidential=False)
    ranked = rank(ideas, "title", words, " ".join(words))
    return list(ranked.only("pk", "reference", "title", "stage", "confidential")[:limit])
