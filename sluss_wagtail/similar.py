"""Similar ideas: the hint on the idea form and "possibly the same as" in the admin.

The hint shows up to five public things like what is being written: public ideas
(``Idea.objects.public()``, the one public queryset of ideas), open challenges and
public innovations (``innovation_model().objects.public()``), each with its stage. It
never reads another idea, so it cannot reveal one that is not public.

Similarity: PostgreSQL's trigram word similarity (``pg_trgm``, installed by the
migrations where the database user may); SQLite's full-text index (FTS5, migration 0004)
for the ideas' titles and texts, ranked by bm25; elsewhere (PostgreSQL without
``pg_trgm``, SQLite without FTS5, other databases), and for challenges and innovations
on SQLite, a count of the typed words each title holds.
Either way a fixed number of queries whatever the number of ideas: one per kind, a
few for the sites and the portfolio page.
"""

import math
import unicodedata

from django.db import connections, router
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import fts_index, page_types
from .searching import read_query

#: At most this many things in the hint, and in "possibly the same as".
LIMIT = 5
#: Words shorter than this say nothing about similarity ("och", "att").
MIN_WORD_LENGTH = 4
#: At most this many of the typed words are compared (the longest).
MAX_WORDS = 6
#: PostgreSQL: a trigram word similarity above this counts.
TRIGRAM_THRESHOLD = 0.3
#: PostgreSQL: the setting of pg_trgm's ``%>`` operator. Where a site's connections set it
#: to ``TRIGRAM_THRESHOLD`` (``OPTIONS["options"]``, docs/performance.md), ``rank`` filters
#: with the operator, which the trigram index of the ideas' titles serves; otherwise with
#: the function, which no index serves ("possibly the same as": every idea the coordinator
#: may see is compared).
TRIGRAM_SETTING = "pg_trgm.word_similarity_threshold"
#: What the hint reads of the text: enough for a title and the start of the idea.
MAX_TEXT = 600

IDEA = "idea"
CHALLENGE = "challenge"
INNOVATION = "innovation"
KIND_LABELS = {IDEA: _("Idea"), CHALLENGE: _("Challenge"), INNOVATION: _("Innovation")}


def words_of(*texts):
    """The distinctive words of ``texts``: composed (NFC), lower-case, at least
    ``MIN_WORD_LENGTH`` long, each once, the longest ``MAX_WORDS``."""
    found = []
    for text in texts:
        # Composed (NFC), as browsers send it: a + ¨ is one letter ä, not "a" and a mark.
        text = unicodedata.normalize("NFC", str(text or "")[:MAX_TEXT])
        for word in read_query(text, max_length=MAX_TEXT).text.split():
            word = word.lower()
            if len(word) >= MIN_WORD_LENGTH and word not in found:
                found.append(word)
    return sorted(found, key=len, reverse=True)[:MAX_WORDS]


#: Per database alias: how it finds similar text, asked once per process.
_BACKENDS = {}
TRIGRAMS = "trigrams"
#: Trigrams, and the ``%>`` operator's threshold (``TRIGRAM_SETTING``) lets it use the index.
INDEXED_TRIGRAMS = "indexed trigrams"
FTS = "fts"
WORDS = "words"
#: SQLite: the ideas' full-text index (``fts_index``, migration 0004).
FTS_TABLE = fts_index.TABLE


def _backend(model):
    alias = router.db_for_read(model)
    if alias not in _BACKENDS:
        connection = connections[alias]
        found = WORDS
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'), "
                    "current_setting(%s, true)",
                    [TRIGRAM_SETTING],
                )
                installed, setting = cursor.fetchone()
                if installed:
                    found = INDEXED_TRIGRAMS if threshold_lets_index(setting) else TRIGRAMS
        # SQLite: the table and all its triggers. A table whose triggers a remade
        # sluss_wagtail_idea lost would be out of step, so then the words are counted.
        elif connection.vendor == "sqlite" and fts_index.present(connection) >= {
            FTS_TABLE,
            *fts_index.TRIGGERS,
        }:
            found = FTS
        _BACKENDS[alias] = found
    return _BACKENDS[alias]


def threshold_lets_index(setting):
    """Whether the ``%>`` operator's threshold (``TRIGRAM_SETTING``, a string or None) is
    ``TRIGRAM_THRESHOLD``: then the operator keeps exactly the titles ``rank`` counts."""
    try:
        return math.isclose(float(setting), TRIGRAM_THRESHOLD)
    except (TypeError, ValueError):
        return False


def uses_trigrams(model):
    """Whether ``pg_trgm`` is installed (asked once per process, with ``uses_fts``)."""
    return _backend(model) in (TRIGRAMS, INDEXED_TRIGRAMS)


def uses_trigram_index(model):
    """Whether ``rank`` filters with pg_trgm's ``%>`` operator, which the trigram index
    serves: the connections set its threshold (``TRIGRAM_SETTING``) to
    ``TRIGRAM_THRESHOLD``."""
    return _backend(model) == INDEXED_TRIGRAMS


def uses_fts(model):
    """Whether SQLite's full-text index of the ideas is there (asked once per process,
    with ``uses_trigrams``)."""
    return _backend(model) == FTS


def fts_query(words):
    """An FTS5 query for ``words``: each word a string (its double quotes doubled, so
    nothing typed is read as FTS5 syntax) and a prefix (``"bänk"*``), any of them."""
    terms = []
    for word in words:
        word = unicodedata.normalize("NFC", word).replace("\x00", "")
        if any(character.isalnum() for character in word):
            terms.append('"' + word.replace('"', '""') + '"*')
    return " OR ".join(terms)


def rank_by_fts(ideas, words, shown):
    """``ideas`` (a queryset of ``Idea``) that the full-text index finds for ``words``,
    best (bm25) first, with a ``similarity`` comparable with ``rank``'s: the typed words
    in the shown title or the text. An idea whose public title replaces its giver's
    title is found by its text only: the giver's own title is not public."""
    query = fts_query(words)
    if not query:
        return ideas.none()
    table = connections[router.db_for_read(ideas.model)].ops.quote_name(FTS_TABLE)
    matching = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"
    in_text = "{description} : (" + query + ")"
    score = Value(0)
    for word in words:
        score = score + Case(
            When(Q(**{f"{shown}__icontains": word}) | Q(description__icontains=word), then=1),
            default=Value(0),
            output_field=IntegerField(),
        )
    idea_table = connections[router.db_for_read(ideas.model)].ops.quote_name(
        ideas.model._meta.db_table
    )
    return (
        ideas.filter(Q(portfolio_entry__public_title="") | Q(pk__in=RawSQL(matching, [in_text])))
        .annotate(similarity=Greatest(score, Value(1)))  # found: at least one word
        # The index joined by rowid, found by MATCH: bm25 is its rank (lower is better).
        .extra(
            select={"bm25": f"bm25({table})"},
            tables=[FTS_TABLE],
            where=[f"{table}.rowid = {idea_table}.id", f"{table} MATCH %s"],
            params=[query],
        )
        .order_by("bm25", "-pk")
    )


class WordDistance(Func):
    """``field <->> text``: one minus ``word_similarity(text, field)``, pg_trgm's distance,
    with the column on the left, as the GiST operator class orders by it."""

    function = ""
    arg_joiner = " <->> "
    output_field = FloatField()


def rank(queryset, field, words, text, *, nearest_first_by_index=False):
    """``queryset`` with a ``similarity`` for ``field`` and only the similar rows, most
    similar first (the newest first among equally similar).

    ``nearest_first_by_index``: ``field`` has the GiST trigram index (the ideas' titles,
    migration 0008). Where the connections set the threshold, the rows then come out of
    the index nearest first, and the most similar few are read without comparing and
    sorting every similar row (at 100,000 alike ideas: 0.5 ms instead of 545 ms). Among
    equally similar rows the index's order stands then, not the newest first: a second
    sort key would make the database sort every similar row again."""
    if uses_trigrams(queryset.model):
        from django.contrib.postgres.search import TrigramWordSimilarity

        ranked = queryset.annotate(similarity=TrigramWordSimilarity(Value(text), field))
        if uses_trigram_index(queryset.model):
            # ``field %> text``: word_similarity(text, field) above the connection's
            # threshold, which is ours: the same rows, and an index on ``field`` can find
            # them. (Not both filters: a scan would compare every row twice. The lookup
            # itself: Django registers it only with django.contrib.postgres installed.)
            from django.contrib.postgres.lookups import TrigramWordSimilar

            ranked = ranked.filter(TrigramWordSimilar(F(field), Value(text)))
            if nearest_first_by_index:
                return ranked.order_by(WordDistance(F(field), Value(text)).asc())
        else:
            ranked = ranked.filter(similarity__gt=TRIGRAM_THRESHOLD)
        return ranked.order_by("-similarity", "-pk")
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


#: What the hint reads of each idea.
IDEA_FIELDS = ("pk", "title", "stage")


def public_ideas_by_index(ideas, words, query, limit):
    """The ``limit`` public ``ideas`` most like ``query``, in one query that the trigram
    index of the titles serves (``uses_trigram_index``): the nearest titles first out of
    the index, among the ideas shown by their giver's title; beside them, the ideas shown
    by a public title (``PortfolioEntry.public_title``, which no index has, and which a
    coordinator writes for a few), whose giver's title is not public and so never
    compared. On a comparison of the shown title every public idea was compared and
    sorted: at 100,000 ideas that was the hint's whole time."""
    by_title = rank(
        ideas.filter(portfolio_entry__public_title="").annotate(shown=F("title")),
        "title",
        words,
        query,
        nearest_first_by_index=True,
    )
    by_public_title = rank(
        ideas.exclude(portfolio_entry__public_title="").annotate(
            shown=F("portfolio_entry__public_title")
        ),
        "shown",
        words,
        query,
    )
    return (
        by_title.only(*IDEA_FIELDS)[:limit]
        .union(by_public_title.only(*IDEA_FIELDS)[:limit])
        .order_by("-similarity", "-pk")
    )


def similar_public(title, text="", *, sluice_pk=None, site=None, request=None, limit=LIMIT):
    """Up to ``limit`` public ideas, open challenges and innovations like ``title`` and
    ``text``: dicts of ``kind``, ``kind_label``, ``title``, ``stage`` and ``url``."""
    from .models.ideas import Idea

    words = words_of(title, text)
    if not words:
        return []
    query = " ".join(words)
    found = []
    ideas = Idea.objects.public()
    if sluice_pk is not None:
        ideas = ideas.filter(sluice_id=sluice_pk)
    if uses_fts(Idea):
        ideas = rank_by_fts(ideas.annotate(shown=_idea_title()), words, "shown").only(*IDEA_FIELDS)
    elif uses_trigram_index(Idea):
        ideas = public_ideas_by_index(ideas, words, query, limit)
    else:
        ideas = rank(ideas.annotate(shown=_idea_title()), "shown", words, query).only(*IDEA_FIELDS)
    portfolio = page_types.portfolio_page_for(site, request)
    for idea in ideas[:limit]:
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
        # The site's pages in every language, each page and its translations once (in
        # the visitor's language if there is one): the hint names what the visitor reads.
        challenges = challenges.descendant_of_translations(root)
        innovations = innovations.descendant_of_translations(root)
    challenges = challenges.one_per_translation()
    innovations = innovations.one_per_translation()
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
    from .models.ideas import Idea

    words = words_of(idea.title)
    if not words:
        return []
    visibility = permissions.idea_visibility(user)
    ideas = permissions.ideas_for_user(user, Idea.objects.exclude(pk=idea.pk)).filter(
        sluice_id=idea.sluice_id
    )
    if not visibility.confidential_title:
        ideas = ideas.filter(confidential=False)
    ranked = rank(ideas, "title", words, " ".join(words), nearest_first_by_index=True)
    return list(ranked.only("pk", "reference", "title", "stage", "confidential")[:limit])


def hint_for(request, title, text):
    """The similar public things for what ``request``'s visitor is writing, on its site:
    the hint of the form's script (``portfolio_views``) and of its button
    (``IdeaFormPageMixin.render_similar``)."""
    from wagtail.models import Site

    from .models.ideas import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
    from .models.sluices import Sluice

    site = Site.find_for_request(request)
    return similar_public(
        str(title or "")[:TITLE_MAX_LENGTH],
        str(text or "")[:TEXT_MAX_LENGTH],
        sluice_pk=Sluice.objects.pk_for_site(site),
        site=site,
        request=request,
    )
