"""Innovation pages without an idea giver's name or text, in the page and every revision.

``Rewrite`` says what goes (pure functions on a page's content: the dict Wagtail keeps
in a revision, where a StreamField is a JSON string, or the same fields read off the
page, where it is a list of blocks). ``rewrite_innovation_pages`` applies it to the
innovation pages of some ideas; ``scrubber`` takes names out of any text (the
dialogue's messages, by ``Idea.objects.giver_identities``). ``privacy`` decides when
(erasure, withdrawn consent).
"""

import html
import json
import re

from django.core.cache import cache
from django.utils.html import escape, strip_tags
from django.utils.text import slugify

from .caching import SHOWCASE

#: The page's own text fields a name or a quoted text can be in.
TEXT_FIELDS = ("title", "draft_title", "seo_title", "search_description", "summary")
#: StreamFields of the page, walked block by block.
STREAM_FIELDS = ("body",)
#: The field that names the idea giver (promote copies it when they allowed it).
NAME_FIELD = "idea_giver_name"
#: A giver's text shorter than this counts as quoted only when a field is exactly it;
#: longer ones also when a field contains it (or is a part of it, like the summary that
#: promote cuts from the description).
QUOTE_MIN_LENGTH = 20
#: Keys of a block's raw data that are never text.
NOT_TEXT = frozenset({"type", "id"})


def normal(text):
    """Plain, case-folded text with single spaces (rich text loses its tags)."""
    return " ".join(html.unescape(strip_tags(str(text or ""))).split()).casefold()


def quotes(text, giver_texts):
    """Whether ``text`` is, contains or is cut from one of ``giver_texts`` (normalised)."""
    text = normal(text)
    if not text:
        return False
    for giver in giver_texts:
        if not giver:
            continue
        if text == giver:
            return True
        if len(giver) >= QUOTE_MIN_LENGTH and giver in text:
            return True
        if len(text) >= QUOTE_MIN_LENGTH and text in giver:
            return True
    return False


def name_pattern(names):
    """A pattern that finds any of ``names`` as whole words (any case), also HTML-escaped."""
    variants = set()
    for name in names:
        name = " ".join(str(name or "").split())
        if len(name) >= 2:
            variants.update({name, escape(name)})
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrubber(values, marker):
    """A function that replaces every one of ``values`` in a text by ``marker``."""
    pattern = name_pattern(values)
    marker = str(marker)
    if pattern is None:
        return lambda text: text
    return lambda text: pattern.sub(marker, text or "")


def _walk(value, function):
    if isinstance(value, str):
        return function(value)
    if isinstance(value, list):
        return [_walk(item, function) for item in value]
    if isinstance(value, dict):
        return {
            key: item if key in NOT_TEXT else _walk(item, function) for key, item in value.items()
        }
    return value


def _blocks(raw):
    """A StreamField's blocks and whether they came as a JSON string (as in a revision)."""
    if isinstance(raw, str):
        try:
            return json.loads(raw or "[]"), True
        except ValueError:
            return [], True
    return list(raw or []), False


def _block_text(block):
    parts = []
    _walk(block, lambda text: parts.append(text) or text)
    return " ".join(parts)


class Rewrite:
    """What to take out of a page's content.

    ``names``: the giver's name, replaced by ``name_marker`` wherever it stands; the
    name field is emptied. ``giver_texts``: the giver's own texts; a field that quotes
    one gets ``replacements[field]`` (or is emptied), a block that quotes one is left
    out. ``apply(content)`` returns the changed fields (an empty dict: nothing to do).
    """

    def __init__(self, *, names=(), name_marker="", giver_texts=(), replacements=None, new_slug=""):
        self.pattern = name_pattern(names)
        self.name_marker = str(name_marker)
        self.giver_texts = [normal(text) for text in giver_texts if normal(text)]
        self.replacements = replacements or {}
        # A slug made from a giver's text (Wagtail makes it from the title): ``new_slug``.
        self.new_slug = new_slug
        self.giver_slugs = {
            slugify(text, allow_unicode=unicode)
            for text in giver_texts
            for unicode in (True, False)
            if text and len(text) <= 255
        } - {""}

    def scrub(self, text):
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(self.name_marker, text)

    def apply(self, content):
        changed = {}
        if content.get(NAME_FIELD):
            changed[NAME_FIELD] = ""
        for field in TEXT_FIELDS:
            if field not in content or not content[field]:
                continue
            value = content[field]
            if self.giver_texts and quotes(value, self.giver_texts):
                new = str(self.replacements.get(field, ""))
            else:
                new = self.scrub(value)
            if new != value:
                changed[field] = new
        changed.update(self.apply_to_slug(content))
        for field in STREAM_FIELDS:
            if field not in content:
                continue
            blocks, as_json = _blocks(content[field])
            kept = [
                _walk(block, self.scrub)
                for block in blocks
                if not (self.giver_texts and quotes(_block_text(block), self.giver_texts))
            ]
            if kept != blocks:
                changed[field] = json.dumps(kept) if as_json else kept
        return changed

    def apply_to_slug(self, content):
        """The slug (and the path it ends) if it was made from a giver's text; Wagtail
        adds ``-2``, ``-3`` … to a slug taken by a sibling."""
        slug = content.get("slug") or ""
        base = re.sub(r"-\d+$", "", slug)
        if (
            not self.new_slug
            or not slug
            or (slug not in self.giver_slugs and base not in self.giver_slugs)
        ):
            return {}
        changed = {"slug": self.new_slug}
        url_path = content.get("url_path") or ""
        if url_path.endswith(f"/{slug}/"):
            changed["url_path"] = f"{url_path[: -len(slug) - 1]}{self.new_slug}/"
        return changed


def page_revisions(pages):
    """Every revision of ``pages``, by page pk (one query)."""
    from wagtail.models import Revision

    by_page = {page.pk: [] for page in pages}
    if not pages:
        return by_page
    revisions = Revision.objects.filter(
        base_content_type=pages[0].get_base_content_type(),
        object_id__in=[str(page.pk) for page in pages],
    ).order_by("pk")
    for revision in revisions:
        by_page[int(revision.object_id)].append(revision)
    return by_page


def row_content(page):
    content = {field: getattr(page, field) for field in (*TEXT_FIELDS, NAME_FIELD)}
    content.update(slug=page.slug, url_path=page.url_path)
    for field in STREAM_FIELDS:
        content[field] = list(getattr(page, field).get_prep_value())
    return content


def names_on(page, revisions):
    names = {page.idea_giver_name}
    names.update(revision.content.get(NAME_FIELD, "") for revision in revisions)
    return {name for name in names if name}


def rewrite_innovation_pages(pks, make_rewrite):
    """Rewrite the innovation pages of the ideas ``pks``: every revision, and the page.

    ``make_rewrite(page, names)`` returns the ``redaction.Rewrite`` for a page (``names``:
    the giver names found on it). The page's row is saved with the changed fields only:
    a live page shows the change at once (and Wagtail's search index follows the save,
    as for any edit); the revisions are rewritten in place, so that no revision, the
    live one included, still holds what went. Nothing is published anew: a new publish
    would cancel a moderation in progress, put the live content above an editor's
    draft and pass through the refusals of publishing; erasure is never refused.
    Returns the pks of the ideas whose pages changed.
    """
    from wagtail.models import Revision

    from . import page_types

    pages = list(page_types.innovation_model().objects.filter(idea__in=pks).order_by("pk"))
    revisions = page_revisions(pages)
    changed_ideas = set()
    changed_revisions = []
    for page in pages:
        rewrite = make_rewrite(page, names_on(page, revisions[page.pk]))
        for revision in revisions[page.pk]:
            changes = rewrite.apply(revision.content)
            if changes:
                revision.content = {**revision.content, **changes}
                changed_revisions.append(revision)
                changed_ideas.add(page.idea_id)
        changes = rewrite.apply(row_content(page))
        if changes:
            for field, value in changes.items():
                setattr(page, field, value)
            # A new slug: Wagtail sets the path (and sends page_slug_changed, after which
            # wagtail.contrib.redirects, where installed, keeps old links working).
            page.save(update_fields=list(changes), clean=False)
            changed_ideas.add(page.idea_id)
        # What the page shows beside its fields is cached per published revision.
        cache.delete(page.get_related_content_cache_key())
    Revision.objects.bulk_update(changed_revisions, ["content"], batch_size=100)
    if pages:
        SHOWCASE.bump()  # listings, feeds and blocks show the pages' titles and summaries
    return changed_ideas
