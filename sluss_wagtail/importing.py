"""The import of innovations from another installation's JSON feed (``_sluss``, see
``docs/feeds.md``): reading a source (an address through ``http_client``, or a file),
checking it item by item (``parse_feed``), planning (``plan_import``: create, update the
drafts an earlier import of the same source made, skip what an editor owns) and
``run_import()`` in one transaction. The admin's *Import innovations* (``admin/importing.py``)
and ``sluss_import`` call it; the feeds it reads are made by ``feeds.py``.
"""

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import http_client, page_types
from .conf import sluss_settings
from .http_client import MAX_REDIRECTS, FetchError

# What imported text loses besides: DEL and the C1 controls (a terminal reads some of
# them as escape sequences when the command prints a title).
_IMPORT_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


#: At most this many innovations are read from one feed.
IMPORT_MAX_ITEMS = 1000


class FeedError(FetchError):
    """A feed that cannot be fetched or read; the message says why, for a person."""


def _fetch_error(message, **params):
    return FeedError(str(message) % params if params else str(message))


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
    from .models.innovations import InnovationStatus
    from .models.pilots import PilotOutcome

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
    from .models.benefits import Benefit

    Benefit.objects.filter(innovation=page).exclude(idea__isnull=False).delete()
    Benefit.objects.bulk_create(
        Benefit(innovation=page, source_url=(item.url or feed.source)[:500], **benefit)
        for benefit in item.benefits
    )


def run_import(feed, index, *, user=None, progress=None):
    """Import ``feed`` into ``index`` in one transaction: all or nothing. Returns the plan."""
    from .models.innovations import InnovationOrigin

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
