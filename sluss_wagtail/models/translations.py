"""A page and its translations are one: the one place that says how.

With ``WAGTAIL_I18N_ENABLED`` (and wagtail-localize, or ``Page.copy_for_translation``),
a challenge or an innovation is a *translation group*: pages in different locales that
share Wagtail's ``translation_key``. Statistics, a challenge's ideas, the showcase, the
feeds, the dashboard and the blocks count and show a group once; they ask here.

Which page stands for a group (``TranslationGroupQuerySet.one_per_translation()``):
the one in the visitor's language (the active language) if it is a translation, else
the original (the first page of the group that is not an alias: the one the others were
translated from), else an alias. Without ``WAGTAIL_I18N_ENABLED`` every page is a
group of its own and the querysets are left as they are.
"""

import operator
from functools import reduce

import swapper
from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Left, Length
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from ..restrictions import unrestricted

__all__ = [
    "TranslationGroupManager",
    "TranslationGroupQuerySet",
    "i18n_enabled",
    "preferred_language",
    "representative_order",
    "translation_group",
    "translations_of",
]

#: The annotation by which ``one_per_translation`` ranks a group's pages.
RANK = "sluss_translation_rank"


def i18n_enabled():
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False))


def preferred_language(language=None):
    """The content language (a ``Locale.language_code``) a visitor speaking ``language``
    (the active language by default) is shown."""
    try:
        return get_supported_content_language_variant(language or get_language())
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def _page_model():
    # The site's base page (Wagtail 8's WAGTAIL_PAGE_MODEL), or Wagtail's Page.
    return swapper.load_model("wagtailcore", "Page")


def translation_group(key):
    """The pages whose ``translation_key`` is ``key`` (a value or an expression such as
    ``OuterRef``), as a ``Page`` queryset."""
    return _page_model().objects.filter(translation_key=key)


def translations_of(page):
    """The pages of ``page``'s translation group (``page`` itself too), as a ``Page``
    queryset: for a filter like ``challenge__in=translations_of(challenge)``.

    ``page`` may be a page or its primary key (then a subquery, no query of its own).
    """
    key = getattr(page, "translation_key", None)
    if key is not None:
        return translation_group(key)
    Page = _page_model()
    return Page.objects.filter(
        translation_key__in=Page.objects.filter(pk=getattr(page, "pk", page)).values(
            "translation_key"
        )
    )


def _rank(language):
    """0: a translation in ``language``; 1: any other page that is not an alias;
    2: an alias (ties go to the lowest primary key: the first page of the group)."""
    return Case(
        When(Q(locale__language_code=language, alias_of__isnull=True), then=Value(0)),
        When(alias_of__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def representative_order(language=None):
    """The order of a group's pages, the one that stands for it first (``order_by(*…)``)."""
    return [_rank(preferred_language(language)), "pk"]


class TranslationGroupQuerySet(PageQuerySet):
    """Page querysets that know translation groups (see the module's docstring)."""

    def public(self):
        """Wagtail's ``public()`` (not under a view restriction), from the restricted
        pages' paths cached once a generation instead of read on each call
        (``restrictions.unrestricted``)."""
        return unrestricted(self)

    def one_per_translation(self, language=None):
        """One page of each translation group among these pages: the one in ``language``
        (the active language by default) if there is one, else the original.

        Only the pages of this queryset compete: a draft translation never stands for a
        group whose original is live. One query with the rest (a correlated ``NOT
        EXISTS`` on the indexed ``translation_key``); apply it before annotations that
        the comparison does not need.
        """
        if not i18n_enabled():
            return self
        ranked = self.annotate(**{RANK: _rank(preferred_language(language))})
        better = ranked.filter(translation_key=OuterRef("translation_key")).filter(
            Q(**{f"{RANK}__lt": OuterRef(RANK)})
            | Q(**{RANK: OuterRef(RANK), "pk__lt": OuterRef("pk")})
        )
        return ranked.filter(~Exists(better.order_by()))

    def standing_for(self, page, language=None):
        """The page among these that stands for ``page``'s translation group in
        ``language`` (``one_per_translation``), else ``page``; no query without
        ``WAGTAIL_I18N_ENABLED``."""
        if not i18n_enabled():
            return page
        group = self.filter(translation_key=page.translation_key)
        return group.one_per_translation(language).first() or page

    def child_of_translations(self, page, *, searchable=False):
        """The children of ``page`` and of each of its translations (the pages of a
        showcase in every language): ``child_of(page)`` without translations.

        ``searchable``: as the path filters a search backend understands (``child_of``
        of each translation), at one more query that reads the translations."""
        if not i18n_enabled():
            return self.child_of(page)
        if searchable:
            parents = translations_of(page).values_list("path", "depth")
            return self.filter(
                reduce(
                    operator.or_,
                    (Q(path__startswith=path, depth=depth + 1) for path, depth in parents),
                )
            )
        Page = _page_model()
        parents = Page.objects.filter(
            translation_key=page.translation_key,
            path=Left(OuterRef("path"), Length(OuterRef("path")) - Page.steplen),
        )
        return self.filter(Exists(parents))

    def descendant_of_translations(self, page):
        """The pages under ``page`` or under any of its translations, those pages too
        (a site's pages in every language: each locale's home page is a translation of
        the site's root page, beside it): ``descendant_of(page, inclusive=True)`` without
        translations. No query of its own (a correlated ``EXISTS``)."""
        if not i18n_enabled():
            return self.descendant_of(page, inclusive=True)
        Page = _page_model()
        above = Page.objects.filter(
            translation_key=page.translation_key,
            path=Left(OuterRef("path"), Length("path")),
        )
        return self.filter(Exists(above))

    def translations_of_each(self, pages):
        """``{translation_key: [pages]}``: the translations among these pages of each of
        ``pages`` (itself too), aliases left out, by language code; one query, or none
        without ``WAGTAIL_I18N_ENABLED`` (each page is then its only translation)."""
        pages = list(pages)
        if not i18n_enabled():
            return {page.translation_key: [page] for page in pages}
        found = {page.translation_key: [] for page in pages}
        translations = (
            self.filter(translation_key__in=list(found), alias_of__isnull=True)
            .select_related("locale")
            .order_by("locale__language_code", "pk")
        )
        for page in translations:
            found[page.translation_key].append(page)
        return found


TranslationGroupManager = PageManager.from_queryset(TranslationGroupQuerySet)
