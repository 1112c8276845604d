"""Open feeds of the showcase, and the same data for Wagtail's API.

The showcase index serves an Atom feed (``feed/atom/``) and a JSON Feed 1.1
(``feed/json/``) of its innovations, filtered by the same query parameters as
the page. Each JSON item carries a ``_sluss`` extension (documented in
``docs/feeds.md``) that another installation reads with ``sluss_import``.

Only what the public may see is ever in a feed: ``InnovationPage.objects.public()``
(live, without view restrictions, never an innovation whose idea is confidential),
and never a name its giver did not allow publishing (no names are in the feed at all).
"""

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.utils import feedgenerator
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from . import http_client, page_types
from .conf import sluss_settings
from .http_client import MAX_REDIRECTS, FetchError

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
#: The version of the ``_sluss`` extension; raised only for incompatible changes.
EXTENSION_VERSION = 1
#: At most this many innovations in one feed, newest change first.
FEED_MAX_ITEMS = 500

# Characters XML 1.0 cannot carry; an editor may paste them unknowingly.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What imported text loses besides: DEL and the C1 controls (a terminal reads some of
# them as escape sequences when the command prints a title).
_IMPORT_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def xml_safe(text):
    return _XML_UNSAFE.sub("", str(text or ""))


def stable_id(page):
    """An id that stays the same when the page is renamed or moved: its translation key."""
    return f"urn:uuid:{page.translation_key}"


def publishable_innovations(queryset):
    """The public ones of ``queryset`` (an ``InnovationPage`` queryset), each innovation
    once (one translation stands for it: ``one_per_translation``), with what a feed item
    needs in a fixed number of queries."""
    from .models import Adoption, AdoptionStatus

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


# ---- import from another installation's JSON feed ---------------------------------------------

#: At most this many innovations are read from one feed.
IMPORT_MAX_ITEMS = 1000


class FeedError(FetchError):
    """A feed that cannot be fetched or read; the message says why, for a person."""


def _fetch_error(message, **params):
    return FeedError(str(message) % params if params else str(message))


# The safe HTTP client lives in http_client.py; these names are kept for callers.
_is_public = http_client.is_public


def _checked_addresses(host, port):
    try:
        return http_client.checked_addresses(
            host, port, allow_private=sluss_settings.IMPORT_ALLOW_PRIVATE_ADDRESSES
        )
    except FetchError as error:
        raise FeedError(str(error)) from error


def fetch_url(url, *, redirects=MAX_REDIRECTS):
    """The body of ``url`` (http or https only), read within one deadline for the whole
    fetch and a size limit, from public addresses only (every address the host resolves
    to is checked, also after each redirect). See ``http_client``."""
    try:
        return http_client.fetch(
            url,
            timeout=sluss_settings.IMPORT_TIMEOUT_SECONDS,
            max_bytes=sluss_settings.IMPORT_MAX_BYTES,
            allow_private=sluss_settings.IMPORT_ALLOW_PRIVATE_ADDRESSES,
            redirects=redirects,
            headers={"Accept": "application/feed+json, application/json"},
        )
    except FeedError:
        raise
    except FetchError as error:
        raise FeedError(str(error)) from error


def feed_source(source):
    """What identifies the feed ``source`` (an address or a file) for matching drafts.

    The address as given, without its query and fragment (filters of the same feed),
    user and password, with scheme and host in lower case and the default port left
    out; a file is its absolute path. Never what the feed says about itself: another
    feed could say the same.
    """
    parts = urlsplit(str(source or ""))
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        host = (parts.hostname or "").rstrip(".")
        if ":" in host:
            host = f"[{host}]"
        try:
            port = parts.port
        except ValueError:
            port = None
        if port and port != (443 if scheme == "https" else 80):
            host = f"{host}:{port}"
        return f"{scheme}://{host}{parts.path or '/'}"
    if not source:
        return ""
    return "file://" + os.path.abspath(str(source))


def read_source(source):
    """The bytes of a feed: an http(s) address, or a file on this machine (the command only)."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return fetch_url(source)
    if scheme and len(scheme) > 1:  # file://, ftp://, …; a one-letter scheme is a drive
        raise _fetch_error(_("Only http and https addresses or a file can be imported."))
    max_bytes = sluss_settings.IMPORT_MAX_BYTES
    try:
        with open(source, "rb") as feed_file:
            data = feed_file.read(max_bytes + 1)
    except OSError as error:
        raise _fetch_error(_("The file could not be read: %(error)s"), error=error) from error
    if len(data) > max_bytes:
        raise _fetch_error(_("The feed is larger than %(max)s bytes."), max=max_bytes)
    return data


@dataclass
class FeedItem:
    """One innovation read from a feed, checked."""

    source_id: str
    title: str
    summary: str
    url: str
    status: str
    sdgs: list
    tags: list
    pilots: list = field(default_factory=list)
    benefits: list = field(default_factory=list)


@dataclass
class Feed:
    publisher: str
    items: list
    #: Where it was read from (``feed_source``); the drafts it makes are matched by it.
    source: str = ""


def _text(value, number, name, max_length, *, required=False):
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fetch_error(
            _("Innovation %(number)s in the feed: %(field)s must be text."),
            number=number,
            field=name,
        )
    if "\x00" in value:
        raise _fetch_error(
            _("Innovation %(number)s in the feed: %(field)s contains a NUL character."),
            number=number,
            field=name,
        )
    value = _IMPORT_UNSAFE.sub("", value).strip()
    if required and not value:
        raise _fetch_error(
            _("Innovation %(number)s in the feed has no %(field)s."), number=number, field=name
        )
    if len(value) > max_length:
        raise _fetch_error(
            _("Innovation %(number)s in the feed: %(field)s is longer than %(max)s characters."),
            number=number,
            field=name,
            max=max_length,
        )
    return value


def _list(value, number, name, max_items):
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > max_items:
        raise _fetch_error(
            _("Innovation %(number)s in the feed: %(field)s must be a list of at most %(max)s."),
            number=number,
            field=name,
            max=max_items,
        )
    return value


def _date_value(value, number, name):
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise TypeError
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _fetch_error(
            _("Innovation %(number)s in the feed: %(field)s is not a date like 2026-03-15."),
            number=number,
            field=name,
        ) from None


def _decimal_value(value, number, name, *, required=False):
    from decimal import Decimal, InvalidOperation

    from .models.benefits import VALUE_DECIMALS, VALUE_DIGITS

    if value is None and not required:
        return None
    try:
        if type(value) not in (int, float):
            raise TypeError
        found = Decimal(str(value)).quantize(Decimal(1).scaleb(-VALUE_DECIMALS))
        if not found.is_finite() or abs(found) >= Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS):
            raise ValueError
    except (TypeError, ValueError, InvalidOperation):
        raise _fetch_error(
            _("Innovation %(number)s in the feed: %(field)s is not a number it can hold."),
            number=number,
            field=name,
        ) from None
    return found


def _benefit(data, number):
    from .models.benefits import BenefitKind, BenefitStatus

    if (
        not isinstance(data, dict)
        or data.get("kind") not in BenefitKind.values
        or data.get("status", "open") not in BenefitStatus.values
    ):
        raise _fetch_error(
            _("Innovation %(number)s in the feed: a benefit has an unknown kind or status."),
            number=number,
        )
    reported_by = _text(data.get("reported_by"), number, "reported_by", 200)
    return {
        "kind": data["kind"],
        "title": _text(data.get("title"), number, "title", 200, required=True),
        "unit_of_measure": _text(
            data.get("unit_of_measure"), number, "unit_of_measure", 60, required=True
        ),
        "baseline": _decimal_value(data.get("baseline"), number, "baseline"),
        "expected": _decimal_value(data.get("expected"), number, "expected", required=True),
        "realised": _decimal_value(data.get("realised"), number, "realised"),
        "realised_on": _date_value(data.get("realised_on"), number, "realised_on"),
        "for_whom": " ".join(
            part
            for part in (
                _text(data.get("for_whom"), number, "for_whom", 200),
                f"({reported_by})" if reported_by else "",
            )
            if part
        )[:200],
        "status": data.get("status", "open"),
        "lessons": _text(data.get("lessons"), number, "lessons", 2000),
    }


def _item(data, number):
    from .models import InnovationStatus, PilotOutcome

    if not isinstance(data, dict) or not isinstance(data.get("_sluss"), dict):
        raise _fetch_error(
            _("Innovation %(number)s in the feed is not an innovation of an innovation sluice."),
            number=number,
        )
    sluss = data["_sluss"]
    url = _text(data.get("url"), number, "url", 200)
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise _fetch_error(
            _("Innovation %(number)s in the feed: url must be an http or https address."),
            number=number,
        )
    status = sluss.get("status")
    if status not in InnovationStatus.values:
        raise _fetch_error(
            _("Innovation %(number)s in the feed has an unknown status."), number=number
        )
    sdgs = _list(sluss.get("sdgs"), number, "sdgs", 17)
    if not all(type(goal) is int and 1 <= goal <= 17 for goal in sdgs):
        raise _fetch_error(
            _("Innovation %(number)s in the feed: sdgs must be numbers from 1 to 17."),
            number=number,
        )
    tags = [
        _text(tag, number, "tags", 100, required=True)
        for tag in _list(sluss.get("tags"), number, "tags", 50)
    ]
    pilots = []
    for pilot in _list(sluss.get("pilots"), number, "pilots", 50):
        if not isinstance(pilot, dict):
            raise _fetch_error(
                _("Innovation %(number)s in the feed: a test is not an object."), number=number
            )
        outcome = pilot.get("outcome") or ""
        if outcome and outcome not in PilotOutcome.values:
            raise _fetch_error(
                _("Innovation %(number)s in the feed: a test has an unknown outcome."),
                number=number,
            )
        pilots.append(
            {
                "title": _text(pilot.get("title"), number, "title", 200, required=True),
                "outcome": outcome,
                "result": _text(pilot.get("result"), number, "result", 5000),
                "lessons": _text(pilot.get("lessons"), number, "lessons", 5000),
                "starts_on": _date_value(pilot.get("starts_on"), number, "starts_on"),
                "ends_on": _date_value(pilot.get("ends_on"), number, "ends_on"),
            }
        )
    benefits = [
        _benefit(benefit, number)
        for benefit in _list(sluss.get("benefits"), number, "benefits", 50)
    ]
    return FeedItem(
        benefits=benefits,
        source_id=_text(sluss.get("id") or data.get("id"), number, "id", 255, required=True),
        title=_text(data.get("title"), number, "title", 255, required=True),
        summary=_text(
            data.get("summary") or data.get("content_text"), number, "summary", 500, required=True
        ),
        url=url,
        status=status,
        sdgs=sorted(set(sdgs)),
        tags=list(dict.fromkeys(tags)),
        pilots=pilots,
    )


def parse_feed(data, *, source=""):
    """Check a JSON feed of another installation; raise ``FeedError`` for anything wrong.

    ``source`` is the address or file it was read from: the drafts an import makes
    belong to it, and only a feed from the same source updates them."""
    if len(data) > sluss_settings.IMPORT_MAX_BYTES:
        raise _fetch_error(
            _("The feed is larger than %(max)s bytes."), max=sluss_settings.IMPORT_MAX_BYTES
        )
    try:
        feed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _fetch_error(_("The source is not a JSON feed.")) from error
    if (
        not isinstance(feed, dict)
        or not isinstance(feed.get("version"), str)
        or not feed["version"].startswith("https://jsonfeed.org/version/1")
        or not isinstance(feed.get("items"), list)
    ):
        raise _fetch_error(_("The source is not a JSON feed."))
    if len(feed["items"]) > IMPORT_MAX_ITEMS:
        raise _fetch_error(_("The feed has more than %(max)s innovations."), max=IMPORT_MAX_ITEMS)
    extension = feed.get("_sluss") if isinstance(feed.get("_sluss"), dict) else {}
    publisher = extension.get("publisher") or feed.get("title")
    publisher = _text(publisher, 0, "publisher", 200, required=True)
    items = [_item(data, number) for number, data in enumerate(feed["items"], 1)]
    ids = [item.source_id for item in items]
    if len(ids) != len(set(ids)):
        raise _fetch_error(_("The feed has two innovations with the same id."))
    return Feed(publisher=publisher, items=items, source=feed_source(source))


CREATE, UPDATE, SKIP = "create", "update", "skip"


@dataclass
class PlannedChange:
    action: str
    item: FeedItem
    page: object = None
    reason: str = ""


def plan_import(feed, index):
    """What an import of ``feed`` into the showcase ``index`` would do, item by item: create
    a draft, update the draft an earlier import of the same source made, or skip a page
    that is published (an editor owns it from then on).

    A page is matched by its source and its id together: a second feed that copies the
    first one's ids makes drafts of its own and never changes the first one's."""

    existing = {
        page.source_id: page
        for page in page_types.innovation_model()
        .objects.child_of(index)
        .filter(
            source_feed=feed.source,
            source_id__in=[item.source_id for item in feed.items],
        )
    }
    plan = []
    for item in feed.items:
        page = existing.get(item.source_id)
        if page is None:
            plan.append(PlannedChange(CREATE, item))
        elif page.live or page.first_published_at:
            plan.append(
                PlannedChange(SKIP, item, page, str(_("published here; an editor changes it")))
            )
        else:
            plan.append(PlannedChange(UPDATE, item, page))
    return plan


def summarise_import(plan, feed):
    """One line on what an import did (or would do), for the admin and ``sluss_import``."""
    counts = dict.fromkeys((CREATE, UPDATE, SKIP), 0)
    for change in plan:
        counts[change.action] += 1
    return _(
        "Created %(created)d, updated %(updated)d, skipped %(skipped)d from %(publisher)s."
    ) % {
        "created": counts[CREATE],
        "updated": counts[UPDATE],
        "skipped": counts[SKIP],
        "publisher": feed.publisher,
    }


def _unique_slug(title, taken):
    base = slugify(title)[:60] or "innovation"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _import_benefits(page, item, feed):
    """The item's benefits as the page's own (``Benefit.innovation``), replacing those an
    earlier import of the same source brought; the other sluice's owner stays theirs."""
    from .models import Benefit

    Benefit.objects.filter(innovation=page).exclude(idea__isnull=False).delete()
    Benefit.objects.bulk_create(
        Benefit(innovation=page, source_url=(item.url or feed.source)[:500], **benefit)
        for benefit in item.benefits
    )


def run_import(feed, index, *, user=None, progress=None):
    """Import ``feed`` into ``index`` in one transaction: all or nothing. Returns the plan."""
    from .models import InnovationOrigin

    innovation_model = page_types.innovation_model()
    pilot_model = page_types.innovation_pilot_model()

    plan = plan_import(feed, index)
    taken = set(index.get_children().values_list("slug", flat=True))
    with transaction.atomic():
        for number, change in enumerate(plan, 1):
            item = change.item
            if change.action == CREATE:
                page = innovation_model(slug=_unique_slug(item.title, taken), live=False)
            elif change.action == UPDATE:
                page = change.page
            else:
                if progress:
                    progress(number, len(plan), change)
                continue
            page.title = item.title
            page.summary = item.summary
            page.status = item.status
            page.origin = InnovationOrigin.MUNICIPALITY
            page.origin_name = feed.publisher
            page.origin_url = item.url
            page.source_id = item.source_id
            page.source_feed = feed.source
            page.pilots = [pilot_model(**pilot) for pilot in item.pilots]
            try:
                if change.action == CREATE:
                    index.add_child(instance=page)
                page.sdgs.set(item.sdgs)
                page.tags.set(item.tags)
                page.save()
                page.save_revision(user=user if getattr(user, "is_authenticated", False) else None)
            except ValidationError as error:
                raise _fetch_error(
                    _("Innovation %(number)s in the feed could not be saved: %(error)s"),
                    number=number,
                    error=" ".join(error.messages),
                ) from error
            _import_benefits(page, item, feed)
            change.page = page
            if progress:
                progress(number, len(plan), change)
    return plan
