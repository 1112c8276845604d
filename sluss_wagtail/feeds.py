"""Open feeds of the showcase, and the same data for Wagtail's API.

The showcase index serves an Atom feed (``feed/atom/``) and a JSON Feed 1.1
(``feed/json/``) of its innovations, filtered by the same query parameters as
the page. Each JSON item carries a ``_sluss`` extension (documented in
``docs/feeds.md``) that another installation reads with ``sluss_import``.

Only what the public may see is ever in a feed: ``InnovationPage.objects.public()``
(live, without view restrictions, never an innovation whose idea is confidential),
and never a name its giver did not allow publishing (no names are in the feed at all).
"""

import re

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.utils import feedgenerator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from . import page_types

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
#: The version of the ``_sluss`` extension; raised only for incompatible changes.
EXTENSION_VERSION = 1
#: At most this many innovations in one feed, newest change first.
FEED_MAX_ITEMS = 500

# Characters XML 1.0 cannot carry; an editor may paste them unknowingly.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    return _XML_UNSAFE.sub("", str(text or ""))


def stable_id(page):
    """An id that stays the same when the page is renamed or moved: its translation key."""
    return f"urn:uuid:{page.translation_key}"


def publishable_innovations(queryset):
    """The public ones of ``queryset`` (an ``InnovationPage`` queryset), each innovation
    once (one translation stands for it: ``one_per_translation``), with what a feed item
    needs in a fixed number of queries."""
    from .models.adoptions import Adoption, AdoptionStatus

    confirmed = (
        Adoption.objects.filter(innovation=OuterRef("pk"), status=AdoptionStatus.CONFIRMED)
        .order_by()
        .values("innovation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        queryset.public()
        .one_per_translation()
        .select_related("unit", "locale")
        .prefetch_related("sdgs", "tags", "pilots")
        .annotate(confirmed_adoptions=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0))
    )


def adoption_count(page):
    if hasattr(page, "confirmed_adoptions"):
        return page.confirmed_adoptions
    return page.adoptions.confirmed().count()


def _date(value):
    return value.isoformat() if value else None


def languages(page, request=None):
    """The innovation's languages: ``[{"language", "url", "title"}]`` of each public
    translation (``page`` too; aliases left out), by language code.

    A feed reads them for all its items at once (``attach_languages``); else one query
    per page with ``WAGTAIL_I18N_ENABLED``, none without."""
    translations = getattr(page, "sluss_translations", None)
    if translations is None:
        translations = page_types.innovation_model().objects.public().translations_of_each([page])
        translations = translations[page.translation_key] or [page]
    return [
        {
            "language": translation.locale.language_code,
            "url": translation.get_full_url(request),
            "title": translation.title,
        }
        for translation in translations
    ]


def attach_languages(pages):
    """Read the public translations of every page of ``pages`` in one query (or none)."""
    found = page_types.innovation_model().objects.public().translations_of_each(pages)
    for page in pages:
        page.sluss_translations = found.get(page.translation_key) or [page]
    return pages


def _number(value):
    return float(value) if value is not None else None


def attach_benefits(pages):
    """Read the benefits of every page of ``pages`` in one query (``benefits_by_page``)."""
    from .models.benefits import benefits_by_page

    found = benefits_by_page(pages)
    for page in pages:
        page.sluss_benefits = found.get(page.pk, [])
    return pages


def benefit_items(page):
    """Realised against expected of one innovation, for ``_sluss.benefits``: never a
    person's name (the owner is the municipality's business)."""
    found = getattr(page, "sluss_benefits", None)
    if found is None:
        from .models.benefits import public_benefits

        found = public_benefits(page)
    return [
        {
            "kind": benefit.kind,
            "title": benefit.title,
            "unit_of_measure": benefit.unit_of_measure,
            "baseline": _number(benefit.baseline),
            "expected": _number(benefit.expected),
            "realised": _number(benefit.realised),
            "realised_on": _date(benefit.realised_on),
            "for_whom": benefit.for_whom,
            "status": benefit.status,
            "lessons": benefit.lessons,
            "reported_by": benefit.adoption.organisation if benefit.adoption_id else None,
        }
        for benefit in found
    ]


def extension(page, request=None):
    """The ``_sluss`` object of one innovation (also the ``sluss`` field of the API)."""
    return {
        "id": stable_id(page),
        "unit": page.unit.name if page.unit_id else None,
        "sdgs": [goal.number for goal in page.sdgs.all()],
        "tags": sorted((tag.name for tag in page.tags.all()), key=str.lower),
        "status": page.status,
        "origin": {
            "kind": page.origin,
            "name": page.origin_name or None,
            "url": page.origin_url or None,
        },
        "pilots": [
            {
                "title": pilot.title,
                "outcome": pilot.outcome or None,
                "result": pilot.result,
                "lessons": pilot.lessons,
                "starts_on": _date(pilot.starts_on),
                "ends_on": _date(pilot.ends_on),
            }
            for pilot in page.pilots.all()
        ],
        "benefits": benefit_items(page),
        "adoption_count": adoption_count(page),
        "last_change": _date(page.last_published_at),
        "languages": languages(page, request),
    }


def feed_innovations(showcase, request):
    filters = showcase.get_filters(request)

    # The innovations under the showcase and its translations, each once (in the
    # visitor's language where translated), with its other languages beside it.
    innovations = publishable_innovations(
        page_types.innovation_model().objects.child_of_translations(showcase)
    )
    innovations = showcase.filter_innovations(innovations, filters)
    return attach_benefits(
        attach_languages(list(innovations.order_by("-last_published_at", "-pk")[:FEED_MAX_ITEMS]))
    )


def _publisher(request):
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or request.get_host()


def json_feed(showcase, request):
    """The showcase as a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    publisher = _publisher(request)
    items = []
    for page in feed_innovations(showcase, request):
        url = page.get_full_url(request)
        items.append(
            {
                "id": stable_id(page),
                "url": url,
                "title": page.title,
                "summary": page.summary,
                "content_text": page.summary,
                "date_published": _date(page.first_published_at),
                "date_modified": _date(page.last_published_at),
                "tags": sorted((tag.name for tag in page.tags.all()), key=str.lower),
                "language": page.locale.language_code,
                "_sluss": extension(page, request),
            }
        )
    feed = {
        "version": JSON_FEED_VERSION,
        "title": showcase.title,
        "home_page_url": showcase.get_full_url(request),
        "feed_url": request.build_absolute_uri(),
        "description": str(_("Innovations in use, from %(publisher)s.") % {"publisher": publisher}),
        "language": get_language() or "",
        "authors": [{"name": publisher}],
        "_sluss": {"version": EXTENSION_VERSION, "publisher": publisher},
        "items": items,
    }
    response = JsonResponse(feed, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/feed+json; charset=utf-8"
    return response


class _PlainTextAtom1Feed(feedgenerator.Atom1Feed):
    """Atom whose summaries are plain text. Django's declares them ``type="html"``, so a
    feed reader would render (and run) markup an editor typed in a summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        # The innovation in its other languages: one alternate link per language (RFC 4287
        # allows one ``rel="alternate"`` per ``hreflang``).
        for translation in item.get("translations", ()):
            handler.addQuickElement(
                "link",
                "",
                {
                    "rel": "alternate",
                    "href": translation["url"],
                    "hreflang": translation["language"],
                    "title": xml_safe(translation["title"]),
                },
            )


def atom_feed(showcase, request):
    publisher = _publisher(request)
    feed = _PlainTextAtom1Feed(
        title=xml_safe(showcase.title),
        link=showcase.get_full_url(request),
        description=xml_safe(
            _("Innovations in use, from %(publisher)s.") % {"publisher": publisher}
        ),
        language=get_language() or "",
        feed_url=request.build_absolute_uri(),
        author_name=xml_safe(publisher),
    )
    for page in feed_innovations(showcase, request):
        feed.add_item(
            title=xml_safe(page.title),
            link=page.get_full_url(request),
            description=xml_safe(page.summary),
            unique_id=stable_id(page),
            unique_id_is_permalink=False,
            pubdate=page.first_published_at,
            updateddate=page.last_published_at,
            categories=[xml_safe(tag.name) for tag in page.tags.all()],
            translations=[
                translation
                for translation in languages(page, request)
                if translation["language"] != page.locale.language_code
            ],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
