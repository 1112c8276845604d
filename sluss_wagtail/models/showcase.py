"""The showcase: innovations that are in use, shown to everyone after moderation."""

import swapper
from django import forms
from django.core.cache import cache
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import AbstractPage, Orderable, PageManager
from wagtail.search import index

from .. import confirmation, page_types, rate_limits, spam
from ..api import SlussExtensionField
from ..blocks.content import innovation_body_blocks
from ..caching import SHOWCASE, CachedListing
from ..restrictions import unrestricted
from ..searching import found_pks, read_query
from .ideas import Idea
from .innovations import InnovationOrigin, InnovationStatus
from .pages import PageImageMixin, SlussPageMixin, listing_context, read_listing_filters
from .pilots import PilotOutcome
from .sdg import SustainabilityDimension, SustainableDevelopmentGoal
from .translations import TranslationGroupQuerySet, preferred_language
from .units import OrganisationUnit

#: The signed cookie by which the adoption confirmation finds the adoption just
#: registered (``confirmation``, as the idea's: no session is started for a visitor).
ADOPTION_COOKIE = "sluss_wagtail_adoption"


def withheld_ideas():
    """The ideas whose innovations the public never sees, whatever their pages' state:
    the confidential ones (*sekretess*).

    The one rule behind ``page_types.innovation_model().objects.public()``, the refusal to publish
    (``InnovationPageMixin.save()``) and ``public_pages()``: a reason added here holds on
    every public path at once.
    """
    return Idea.objects.filter(confidential=True)


class InnovationPageQuerySet(TranslationGroupQuerySet):
    def public(self):
        """The innovations the public may see: the one way public code reads them.

        Wagtail's ``public()`` (no view restriction on the page or above it), and
        besides live and not from a withheld (confidential) idea: one query, whatever
        it is combined with (and the restricted pages' paths once a generation of the
        showcase's cache). The showcase, its unit filter and search, the blocks, the
        feeds, the API, the sitemap, the public figures and serving the page itself all
        ask here.
        """
        return unrestricted(self.live()).exclude(idea__in=withheld_ideas())

    def withheld(self):
        """The innovations of withheld ideas (never live, unless changed behind Wagtail)."""
        return self.filter(idea__in=withheld_ideas())


InnovationPageManager = PageManager.from_queryset(InnovationPageQuerySet)


PUBLISH_REFUSED_MESSAGE = _(
    "This innovation comes from a confidential idea, so it cannot be published. "
    "It can be published once the idea is no longer confidential."
)


class ConfidentialPublishError(PublishPagePermissionError):
    """Publishing an innovation whose idea is confidential: refused on every path.

    A ``PermissionDenied``, as Wagtail's own refusals to publish are: an admin view that
    does not catch it shows Wagtail's "no permission" message, never an error page.
    """

    def __init__(self, page=None):
        super().__init__(PUBLISH_REFUSED_MESSAGE)
        self.page = page


def public_pages(queryset=None):
    """The pages of any type the public may see, for a host site's own listings and search.

    ``Page.objects.live().public()`` holds already, since an innovation of a withheld
    idea is never live; this also leaves out one made live behind Wagtail's back. A
    list of ids rather than a subquery, so that every search backend can filter on it.
    """
    if queryset is None:
        queryset = swapper.load_model("wagtailcore", "Page").objects.all()
    withheld = list(
        page_types.innovation_model()
        .objects.withheld()
        .live()
        .order_by()
        .values_list("pk", flat=True)
    )
    queryset = queryset.live().public()
    return queryset.exclude(id__in=withheld) if withheld else queryset


class InnovationPageMixin(SlussPageMixin, RoutablePageMixin, PageImageMixin):
    """An innovation in use: what it is, the tests behind it (also what did not work),
    and where else it is used ("we use this too", at ``adopt/``).

    Extension points: ``adoption_form_class`` / ``get_adoption_form_class()`` and the
    templates ``adoption_template`` / ``get_adoption_template()`` and
    ``adoption_confirmation_template`` / ``get_adoption_confirmation_template()``.

    The concrete class adds what must point at it: ``tags`` (a ``ClusterTaggableManager``
    through a subclass of ``AbstractInnovationPageTag``) and the small-scale tests
    (a subclass of ``AbstractInnovationPilot`` with a ``ParentalKey`` named ``pilots``).
    Placed under a showcase (``parent_page_roles``) and holds no pages.
    """

    default_template = "sluss_wagtail/pages/innovation_page.html"
    parent_page_roles = ("showcase",)
    subpage_types = []

    #: The rate limit (``rate_limits.check_rate_limit``) every POST of the adoption form
    #: counts against.
    adoption_rate_limit_scope = "adoption"
    adoption_form_class = "sluss_wagtail.forms.AdoptionForm"
    adoption_template = "sluss_wagtail/pages/innovation_page_adoption.html"
    adoption_confirmation_template = (
        "sluss_wagtail/pages/innovation_page_adoption_confirmation.html"
    )

    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("Two or three sentences for the showcase.")
    )
    body = StreamField(innovation_body_blocks(), verbose_name=_("body"), blank=True)
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InnovationStatus.choices,
        default=InnovationStatus.IMPLEMENTED,
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=InnovationOrigin.choices, default=InnovationOrigin.OWN
    )
    origin_name = models.CharField(
        _("name of the origin"),
        max_length=200,
        blank=True,
        help_text=_("The municipality or organisation the innovation comes from."),
    )
    origin_url = models.URLField(_("link to the origin"), blank=True)
    contact_unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The unit to ask about the innovation."),
    )
    idea_giver_name = models.CharField(
        _("idea giver's name"),
        max_length=200,
        blank=True,
        help_text=_("Shown only if the idea giver allowed it."),
    )
    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # No way back from the idea (``page_types.innovation_model().objects.filter(idea=…)``):
        # a second page type built on the mixin must not clash with the first.
        related_name="+",
    )
    # The stable id of an innovation imported from another installation's feed
    # (``sluss_import``): a second import finds the page by it instead of duplicating.
    source_id = models.CharField(
        _("id in the source feed"), max_length=255, blank=True, db_index=True, editable=False
    )
    # The feed it was imported from (``importing.feed_source``): drafts are matched by source
    # and id together, so another feed that copies the ids can never change them.
    source_feed = models.CharField(
        _("source feed"), max_length=2000, blank=True, default="", editable=False
    )

    sdgs = ParentalManyToManyField(
        SustainableDevelopmentGoal, verbose_name=_("global goals"), blank=True, related_name="+"
    )
    dimensions = ParentalManyToManyField(
        SustainabilityDimension,
        verbose_name=_("sustainability dimensions"),
        blank=True,
        related_name="+",
    )

    search_fields = AbstractPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
        index.FilterField("origin"),
        index.FilterField("unit"),
    ]

    #: Seconds the related content of a published page stays cached (see
    #: ``get_related_content``); 0 turns the cache off.
    related_content_cache_seconds = 24 * 60 * 60

    objects = InnovationPageManager()

    content_panels = AbstractPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("status"),
        FieldPanel("unit"),
        FieldPanel("contact_unit"),
        MultiFieldPanel(
            [
                FieldPanel("sdgs", widget=forms.CheckboxSelectMultiple),
                FieldPanel("dimensions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Sustainability and tags"),
        ),
        MultiFieldPanel(
            [FieldPanel("origin"), FieldPanel("origin_name"), FieldPanel("origin_url")],
            heading=_("Origin"),
        ),
        InlinePanel("pilots", heading=_("Small-scale tests"), label=_("Small-scale test")),
        MultiFieldPanel(
            [FieldPanel("idea", read_only=True), FieldPanel("idea_giver_name")],
            heading=_("The idea behind it"),
        ),
    ]

    # The API (wagtail.api.v2) shows what the feeds show; ``sluss`` is their ``_sluss``.
    api_fields = [
        APIField("summary"),
        APIField("status"),
        APIField("origin"),
        APIField("origin_name"),
        APIField("origin_url"),
        APIField("sluss", serializer=SlussExtensionField()),
    ]

    class Meta:
        abstract = True
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")

    def is_withheld(self):
        """Whether the public may never see this innovation (its idea is confidential)."""
        return self.idea_id is not None and withheld_ideas().filter(pk=self.idea_id).exists()

    def save(self, *args, **kwargs):
        # Every publish passes here: Wagtail's publish action (the editor's button, bulk
        # publish, scheduled publishing, a workflow's approval, ``revision.publish()``)
        # saves the page with ``live=True``, and so do a copy that keeps the page live and
        # ``add_child()`` of a live page. Saves that do not write ``live`` are let be.
        update_fields = kwargs.get("update_fields")
        writes_live = update_fields is None or "live" in update_fields
        if self.live and writes_live and self.is_withheld():
            raise ConfidentialPublishError(self)
        return super().save(*args, **kwargs)

    def route(self, request, path_components):
        # The page and its subpages (the adoption form): not found, even if live. Wagtail
        # checks the rest of ``public()`` itself: ``live`` here, view restrictions before
        # serving (letting in those who may see a restricted page).
        if self.is_withheld():
            raise Http404
        return super().route(request, path_components)

    def get_sitemap_urls(self, request=None):
        if self.pk in _live_withheld_pks(request):
            return []
        return super().get_sitemap_urls(request)

    def get_adoption_form_class(self):
        if isinstance(self.adoption_form_class, str):
            return import_string(self.adoption_form_class)
        return self.adoption_form_class

    @property
    def adoptions(self):
        """The adoptions registered for this innovation ("we use this too")."""
        from .adoptions import Adoption

        return Adoption.objects.filter(innovation=self)

    def get_confirmed_adoptions(self):
        return self.adoptions.confirmed().order_by("municipality", "organisation", "pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        adoptions = list(self.get_confirmed_adoptions())
        url = self.get_url(request)  # None in a preview of a page not yet in the tree
        context.update(
            adoptions=adoptions,
            adoption_count=len(adoptions),
            adoption_url=url + self.reverse_subpage("adopt") if url else None,
        )
        self.load_units()
        context.update(self.get_related_content(request))
        context["showcase_url"] = self.get_showcase_url(request)
        context.update(self.get_benefits_context())
        return context

    def get_benefits_context(self):
        """Realised against expected and the implementation plan (``models.benefits``):
        read each time, since follow-ups change without a new revision of the page, and
        only by a template that shows them (the adoption form's pages do not)."""
        from django.utils.functional import SimpleLazyObject

        from . import benefits

        found = SimpleLazyObject(lambda: benefits.public_benefits(self))
        return {
            "benefits": found,
            "benefit_rows": SimpleLazyObject(lambda: benefits.chart_rows(found)),
            "implementation_steps": SimpleLazyObject(lambda: benefits.public_steps(self)),
        }

    def get_adoption_template(self, request):
        """The template of the adoption form (``adopt/``)."""
        return self.adoption_template

    def get_adoption_confirmation_template(self, request):
        """The template of the adoption's confirmation (and of a caught bot's reply)."""
        return self.adoption_confirmation_template

    @path("adopt/", name="adopt")
    def adoption_view(self, request):
        """The "we use this too" form and what it does when sent: all in one method, so a
        site (or a rate limit) can wrap it."""
        limited = rate_limits.check_rate_limit(request, self.adoption_rate_limit_scope)
        if limited:
            # Too many POSTs from this address: a 429 page, before anything is read or stored.
            return rate_limits.rate_limited_response(request, limited)
        form_class = self.get_adoption_form_class()
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_bot():
                # A caught bot sees a normal-looking reply; nothing is stored.
                return self.render(
                    request,
                    template=self.get_adoption_confirmation_template(request),
                    context_overrides={"adoption": None},
                )
            if form.is_valid():
                try:
                    adoption = form.save(self)
                except spam.FormAlreadySent:
                    # Other answers on a form already sent: back, kept, with a new token.
                    form.refuse_as_already_sent()
                else:
                    response = redirect(self.url + self.reverse_subpage("adoption_confirmation"))
                    return confirmation.remember(
                        response,
                        request,
                        ADOPTION_COOKIE,
                        adoption.pk,
                        page_url=self.get_url(request),
                    )
        else:
            form = form_class()
        return self.render(
            request,
            template=self.get_adoption_template(request),
            context_overrides={"form": form},
        )

    @path("adopt/confirmation/", name="adoption_confirmation")
    def adoption_confirmation_view(self, request):
        from .adoptions import Adoption

        pk = confirmation.recall(request, ADOPTION_COOKIE)
        adoption = (
            Adoption.objects.filter(pk=pk, innovation_id=self.pk).first()
            if pk is not None and pk.isdigit()
            else None
        )
        if adoption is None:
            return redirect(self.url + self.reverse_subpage("adopt"))
        return self.render(
            request,
            template=self.get_adoption_confirmation_template(request),
            context_overrides={"adoption": adoption},
        )

    def get_related_content_cache_key(self):
        # The published revision and the place in the tree are part of the key: publishing
        # and every move (of the page or a page above it, which rewrites its url_path)
        # start from the database again; nothing has to be deleted.
        return f"sluss_wagtail:innovation:{self.pk}:{self.live_revision_id}:{self.url_path}"

    def get_related_content(self, request=None):
        """The pilots, goals and tags the page shows, cached per published revision.

        They change only when the page is published (they are part of its revision), so
        a published page reads them from the cache. Previews and drafts never use it.
        """
        cacheable = (
            self.related_content_cache_seconds
            and self.live
            and self.live_revision_id
            and not getattr(request, "is_preview", False)
        )
        key = self.get_related_content_cache_key() if cacheable else None
        content = cache.get(key) if cacheable else None
        if content is None:
            content = {
                "pilots": list(self.pilots.all()),
                "sdgs": list(self.sdgs.all()),
                "tags": list(self.tags.all()),
            }
            if cacheable:
                cache.set(key, content, self.related_content_cache_seconds)
        return content

    def load_units(self):
        """The responsible and the contact unit in one query (often the same unit)."""
        wanted = {self.unit_id, self.contact_unit_id} - {None}
        if not wanted:
            return
        units = OrganisationUnit.objects.in_bulk(wanted)
        if self.unit_id in units:
            self.unit = units[self.unit_id]
        if self.contact_unit_id in units:
            self.contact_unit = units[self.contact_unit_id]

    def get_showcase_url(self, request=None):
        """The showcase's address, for the tag links, without reading the showcase."""
        url = self.get_url(request)
        suffix = f"{self.slug}/"
        if url and url.endswith(suffix):
            return url[: -len(suffix)]
        parent = self.get_parent()
        return parent.get_url(request) if parent else ""

    def get_clean_errors(self):
        errors = super().get_clean_errors()
        if self.origin != InnovationOrigin.OWN and not self.origin_name.strip():
            errors["origin_name"] = _("Name the municipality or organisation.")
        if self.idea_giver_name and self.idea_id and not self.idea.publish_name:
            errors["idea_giver_name"] = _("The idea giver did not allow publishing their name.")
        return errors


def _live_withheld_pks(request):
    """The ids of live innovations of withheld ideas, read once per request (the sitemap
    asks for every page)."""
    pks = getattr(request, "_sluss_wagtail_withheld", None)
    if pks is None:
        model = page_types.innovation_model()
        pks = set(model.objects.withheld().live().values_list("pk", flat=True))
        if request is not None:
            request._sluss_wagtail_withheld = pks
    return pks


class AbstractInnovationPageTag(TaggedItemBase):
    """A tag of an innovation; the concrete class adds ``content_object``, a
    ``ParentalKey`` to its innovation page with ``related_name="tagged_items"``."""

    # Its own key type, whatever the app's DEFAULT_AUTO_FIELD (Django 5.2's default is
    # AutoField, and a site's app without one gets models.W042 on these).
    id = models.BigAutoField(primary_key=True, serialize=False, verbose_name="ID")

    class Meta:
        abstract = True


class AbstractInnovationPilot(Orderable):
    """A small-scale test shown on the innovation page: copied from the idea's pilot
    when promoted, then moderated with the page like the rest of its text.

    The concrete class adds ``page``, a ``ParentalKey`` to its innovation page with
    ``related_name="pilots"``.
    """

    id = models.BigAutoField(primary_key=True, serialize=False, verbose_name="ID")
    title = models.CharField(_("name of the test"), max_length=200)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=PilotOutcome.choices, blank=True
    )
    result = models.TextField(_("measured result"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("outcome"),
        FieldPanel("result"),
        FieldPanel("lessons"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("small-scale test")
        verbose_name_plural = _("small-scale tests")

    def __str__(self):
        return self.title


class ShowcaseIndexPageMixin(SlussPageMixin, RoutablePageMixin, models.Model):
    """The showcase: filters by tag, goal, unit, origin and status, a search, pages,
    and the same as open feeds (``feed/atom/``, ``feed/json/``; see ``feeds.py``).

    Query parameters: ``tag``, ``sdg``, ``unit``, ``origin``, ``status``, ``benefit`` (a kind
    of benefit), ``q``, ``page``.
    """

    default_template = "sluss_wagtail/pages/showcase_index_page.html"
    subpage_roles = ("innovation",)

    intro = RichTextField(_("introduction"), blank=True)
    per_page = 12
    card_rendition = "fill-480x270"

    content_panels = AbstractPage.content_panels + [FieldPanel("intro")]

    class Meta:
        abstract = True
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")

    #: Cache the listing (which pages, their order, the count) until an innovation is
    #: published, unpublished, moved or deleted; see ``sluss_wagtail.caching``.
    cache_listing = True

    def with_card_content(self, innovations):
        """What a card shows, in a fixed number of queries."""
        return innovations.select_related("unit").prefetch_related(
            "sdgs",
            # The cards' image renditions in one query, not one per card.
            Prefetch(
                "image",
                queryset=get_image_model().objects.prefetch_renditions(self.card_rendition),
            ),
        )

    def get_public_children(self):
        """The public innovations under this showcase and under its translations (every
        language's, each translation apart)."""
        return page_types.innovation_model().objects.public().child_of_translations(self)

    def get_innovations(self):
        """Each innovation once: in the visitor's language where it is translated, else
        the original (``one_per_translation``)."""
        innovations = self.get_public_children().one_per_translation()
        return self.with_card_content(innovations).order_by("-first_published_at", "-pk")

    def get_listing(self, filters):
        """The filtered innovations for the paginator: a queryset, or a ``CachedListing``."""
        if not self.cache_listing:
            return self.filter_innovations(self.get_innovations(), filters)
        return CachedListing(
            SHOWCASE.key(
                "innovations",
                self.pk,
                self.url_path,
                # Which translation stands for an innovation depends on the language.
                preferred_language(),
                sorted(filters.items()),
            ),
            build=lambda: self.filter_innovations(self.get_innovations(), filters),
            # Public again: a page may have left the public since the listing was cached.
            fetch=lambda pks: self.with_card_content(
                page_types.innovation_model().objects.public().filter(pk__in=pks)
            ),
        )

    def get_unit_choices(self):
        """The units of the showcase's public innovations (for the unit filter)."""
        units = self.get_public_children().values("unit")
        if not self.cache_listing:
            return OrganisationUnit.objects.filter(pk__in=units)
        pks = SHOWCASE.get_or_compute(
            ("units", self.pk, self.url_path),
            # order_by(): Page's default order (the path) would make every row distinct.
            lambda: sorted(
                set(units.exclude(unit=None).order_by().values_list("unit", flat=True).distinct())
            ),
        )
        return OrganisationUnit.objects.filter(pk__in=pks)

    def get_filters(self, request):
        """The filters asked for, each checked; nonsense is ignored, never an error."""
        data = request.GET
        filters = read_listing_filters(request)
        tag = data.get("tag", "").strip()
        if tag and len(tag) <= 100 and "\x00" not in tag:
            filters["tag"] = tag
        if data.get("origin") in InnovationOrigin.values:
            filters["origin"] = data["origin"]
        if data.get("status") in InnovationStatus.values:
            filters["status"] = data["status"]
        from .benefits import BenefitKind

        if data.get("benefit") in BenefitKind.values:
            filters["benefit"] = data["benefit"]
        query = read_query(data.get("q"))
        if query.asked:
            # Searched for nothing searchable (or too much): nothing is found.
            filters["q"] = query.text
        return filters

    def filter_innovations(self, innovations, filters):
        # Tags and goals filter through subqueries: a join would repeat pages and need a
        # DISTINCT over the whole listing, which sorts every match at 10,000 pages.
        model = page_types.innovation_model()
        if "tag" in filters:
            tagged = model.tags.through.objects.filter(tag__name=filters["tag"])
            innovations = innovations.filter(pk__in=tagged.values("content_object"))
        if "sdg" in filters:
            sdgs = model._meta.get_field("sdgs")
            serving = sdgs.remote_field.through.objects.filter(
                **{sdgs.m2m_reverse_field_name(): filters["sdg"]}
            )
            innovations = innovations.filter(pk__in=serving.values(sdgs.m2m_field_name()))
        if "unit" in filters:
            innovations = innovations.filter(unit_id=filters["unit"])
        if "origin" in filters:
            innovations = innovations.filter(origin=filters["origin"])
        if "status" in filters:
            innovations = innovations.filter(status=filters["status"])
        if "benefit" in filters:
            from .benefits import innovations_with_benefit

            innovations = innovations_with_benefit(innovations, filters["benefit"])
        if "q" in filters:
            # Wagtail search (the database backend by default, any backend in production)
            # on the showcase's live pages; the other filters apply to what it found.
            # The listing keeps its own order, so the backend need not rank what it finds
            # (ranking 5,000 matches took SQLite's backend 3 s, finding them 0.6 s), and
            # only the keys are read.
            # The backend filters on indexed fields only: the search runs on the live
            # pages, and ``innovations`` (public already) keeps what may be shown.
            if not filters["q"]:
                return innovations.none()
            found = (
                model.objects.live()
                .child_of_translations(self, searchable=True)
                .only("pk")
                .search(filters["q"], operator="and", order_by_relevance=False)
            )
            innovations = innovations.filter(pk__in=found_pks(found))
        return innovations

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.get_filters(request)
        listing = listing_context(
            request,
            self.get_listing(filters),
            filters,
            per_page=self.per_page,
            child_pages=self.get_public_children(),
        )
        query = f"?{listing['filter_query']}" if listing["filter_query"] else ""
        base = self.get_url(request)  # None in a preview of a page not yet in the tree
        context.update(
            listing,
            search_error=read_query(request.GET.get("q")).error,
            atom_feed_url=base + self.reverse_subpage("atom_feed") + query if base else None,
            json_feed_url=base + self.reverse_subpage("json_feed") + query if base else None,
            innovations=listing["items"],
            unit_choices=self.get_unit_choices(),
            origin_choices=InnovationOrigin.choices,
            status_choices=InnovationStatus.choices,
        )
        from .benefits import BenefitKind, benefit_summaries

        context["benefit_choices"] = BenefitKind.choices
        benefit_summaries(context["innovations"])
        return context

    @path("feed/atom/", name="atom_feed")
    def atom_feed_view(self, request):
        from ..feeds import atom_feed

        return atom_feed(self, request)

    @path("feed/json/", name="json_feed")
    def json_feed_view(self, request):
        from ..feeds import json_feed

        return json_feed(self, request)
