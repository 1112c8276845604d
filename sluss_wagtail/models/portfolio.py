"""The public portfolio: ideas in progress that the public may see (pre-moderated).

An idea is in the portfolio once a coordinator has approved it (``PortfolioEntry``),
and it is public only while ``Idea.objects.public()`` says so: the giver allowed
publishing, a coordinator approved it, it is not confidential, not withdrawn and its
giver's data not erased. Every public path (the portfolio page, the idea's own public
page, the similar-idea hint, following and support) reads ideas through that one
queryset.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import AbstractPage

from .. import process
from ..caching import IDEAS, CachedListing
from ..searching import read_query
from .pages import SlussPageMixin, read_listing_filters

PUBLIC_TITLE_MAX_LENGTH = 200
PUBLIC_SUMMARY_MAX_LENGTH = 2_000


class PortfolioEntry(models.Model):
    """A coordinator's approval of an idea for the public portfolio, with the public
    title and summary they may write (the municipality's words, shown before the
    giver's own text)."""

    idea = models.OneToOneField(
        "sluss_wagtail.Idea",
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        related_name="portfolio_entry",
    )
    approved = models.BooleanField(_("shown in the public portfolio"), default=False)
    public_title = models.CharField(
        _("public title"),
        max_length=PUBLIC_TITLE_MAX_LENGTH,
        blank=True,
        help_text=_("Leave empty to show the idea's own title."),
    )
    public_summary = models.TextField(
        _("public summary"),
        max_length=PUBLIC_SUMMARY_MAX_LENGTH,
        blank=True,
        help_text=_("A few sentences in the municipality's words, shown above the idea."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("portfolio entry")
        verbose_name_plural = _("portfolio entries")
        indexes = [models.Index(fields=["approved", "idea"], name="sluss_portfolio_approved")]

    def __str__(self):
        return self.shown_title

    @property
    def shown_title(self):
        return self.public_title or self.idea.title


# The portfolio page ---------------------------------------------------------------------


def public_ideas_for_page(page):
    """The public ideas (``Idea.objects.public()``) of the sluice of ``page``'s site."""
    from .ideas import Idea
    from .sluices import Sluice

    return Idea.objects.public().filter(sluice_id=Sluice.objects.pk_for_page(page))


def with_public_content(ideas):
    """What the portfolio shows of each idea, in a fixed number of queries."""
    from .ideas import IdeaEvent

    return ideas.select_related("portfolio_entry", "unit", "challenge", "contact").prefetch_related(
        "sdgs",
        Prefetch(
            "events",
            queryset=IdeaEvent.objects.exclude(public_note="").order_by("created_at", "pk"),
            to_attr="public_feedback",
        ),
    )


def describe_public(idea):
    """Add what the templates read: the shown title and summary, the steps drawn, the
    closing decision (the public feedback of the move to closed), the giver's name if
    allowed, and the challenge if it is public."""
    entry = idea.portfolio_entry
    idea.shown_title = entry.public_title or idea.title
    idea.shown_summary = entry.public_summary
    idea.steps = process.forward_steps(idea.stage)
    feedback = getattr(idea, "public_feedback", None)
    if feedback is None:
        feedback = list(idea.get_public_events())
        idea.public_feedback = feedback
    closing = [event for event in feedback if event.to_stage == process.CLOSED]
    idea.closing_reason = closing[-1].public_note if closing else idea.decision
    contact = getattr(idea, "contact", None) if idea.publish_name else None
    idea.shown_name = contact.name if contact is not None else ""
    challenge = idea.challenge
    idea.public_challenge = challenge if challenge is not None and challenge.live else None
    return idea


def approve_for_portfolio(idea, *, user, approved, public_title="", public_summary=""):
    """Approve ``idea`` for the public portfolio (or take it out), with its public title
    and summary. Returns the entry, or ``None`` when nothing changed. Whether it is then
    public is ``Idea.objects.public()``'s answer (consent, confidentiality, withdrawal)."""
    with transaction.atomic():
        entry = PortfolioEntry.objects.select_for_update().filter(idea=idea).first()
        new = {
            "approved": bool(approved),
            "public_title": (public_title or "").strip(),
            "public_summary": (public_summary or "").strip(),
        }
        if entry is not None and all(getattr(entry, k) == v for k, v in new.items()):
            return None
        if entry is None:
            if not new["approved"] and not new["public_title"] and not new["public_summary"]:
                return None
            entry = PortfolioEntry(idea=idea)
        was_approved = entry.approved
        for key, value in new.items():
            setattr(entry, key, value)
        if entry.approved and not was_approved:
            entry.approved_by = user if getattr(user, "is_authenticated", False) else None
            entry.approved_at = timezone.now()
        entry.updated_at = timezone.now()
        entry.save()
        return entry


class PortfolioPageMixin(SlussPageMixin, RoutablePageMixin, models.Model):
    """The public portfolio: the public ideas of the page's sluice with their stage, the
    steps drawn, the public feedback, the challenge, the goals and the unit; each at
    ``idea/<id>/`` on the page. Placed anywhere by an editor.

    Query parameters: ``stage``, ``sdg``, ``unit``, ``q``, ``page``. Works without
    JavaScript (plain links and a GET form).
    """

    default_template = "sluss_wagtail/pages/portfolio_page.html"
    idea_template = "sluss_wagtail/pages/portfolio_idea.html"
    subpage_types = []

    intro = RichTextField(_("introduction"), blank=True)
    per_page = 12

    content_panels = AbstractPage.content_panels + [FieldPanel("intro")]

    class Meta:
        abstract = True
        verbose_name = _("portfolio of ideas")
        verbose_name_plural = _("portfolios of ideas")

    def get_public_ideas(self):
        return public_ideas_for_page(self)

    def get_listing(self, filters, public=None):
        """The filtered public ideas for the paginator, newest move first: which ideas, in
        which order and how many from the cache until the ideas change (``caching.IDEAS``,
        which every change of an idea, its events and its portfolio entry replaces); the
        ideas shown are read afresh, and public again (one may have left the public since).
        ``public``: ``get_public_ideas()``, if the caller has it already."""
        public = self.get_public_ideas() if public is None else public
        return CachedListing(
            IDEAS.key("portfolio", self.pk, self.url_path, sorted(filters.items())),
            build=lambda: self.filter_ideas(public, filters).order_by("-stage_changed_at", "-pk"),
            fetch=lambda pks: with_public_content(public.filter(pk__in=pks)),
        )

    def get_unit_pks(self, public=None):
        """The units of the public ideas (the unit filter's choices), from the cache until
        the ideas change: finding them reads every public idea."""
        public = self.get_public_ideas() if public is None else public
        return IDEAS.get_or_compute(
            ("portfolio units", self.pk, self.url_path),
            lambda: sorted(
                public.exclude(unit=None).order_by().values_list("unit", flat=True).distinct()
            ),
        )

    def get_filters(self, request):
        """The filters asked for, each checked; nonsense is ignored, never an error."""
        filters = read_listing_filters(request)
        if request.GET.get("stage") in process.STAGES_BY_KEY:
            filters["stage"] = request.GET["stage"]
        query = read_query(request.GET.get("q"))
        if query.asked:
            filters["q"] = query.text
        return filters

    def filter_ideas(self, ideas, filters):
        if "stage" in filters:
            ideas = ideas.filter(stage=filters["stage"])
        if "unit" in filters:
            ideas = ideas.filter(unit_id=filters["unit"])
        if "sdg" in filters:
            ideas = ideas.filter(sdgs=filters["sdg"])
        if "q" in filters:
            if not filters["q"]:
                return ideas.none()
            ideas = ideas.annotate(
                shown_title_text=Coalesce(
                    NullIf("portfolio_entry__public_title", Value("")), "title"
                )
            )
            for word in filters["q"].split()[:8]:
                ideas = ideas.filter(
                    Q(shown_title_text__icontains=word)
                    | Q(portfolio_entry__public_summary__icontains=word)
                    | Q(description__icontains=word)
                )
        return ideas

    def get_context(self, request, *args, **kwargs):
        from .sdg import SustainableDevelopmentGoal
        from .units import OrganisationUnit

        context = super().get_context(request, *args, **kwargs)
        match = getattr(request, "routable_resolver_match", None)
        if match is not None and match.url_name == "idea":
            # An idea's own page (``idea_view``): no listing.
            return context
        filters = self.get_filters(request)
        public = self.get_public_ideas()
        items = Paginator(self.get_listing(filters, public), self.per_page).get_page(
            request.GET.get("page")
        )
        for idea in items:
            describe_public(idea)
        base = self.get_url(request) or ""
        context.update(
            ideas=items,
            items=items,
            filters=filters,
            filter_query=urlencode(filters),
            search_error=read_query(request.GET.get("q")).error,
            stage_choices=process.STAGE_CHOICES,
            sdg_choices=SustainableDevelopmentGoal.objects.all(),
            unit_choices=OrganisationUnit.objects.filter(pk__in=self.get_unit_pks(public)),
            idea_base_url=base + "idea/",
        )
        return context

    def get_idea_url(self, idea, request=None):
        base = self.get_url(request)
        return base + self.reverse_subpage("idea", args=[idea.pk]) if base else None

    def get_idea_template(self, request):
        """The template of an idea's own public page (``idea/<pk>/``)."""
        return self.idea_template

    @path("idea/<int:pk>/", name="idea")
    def idea_view(self, request, pk):
        """An idea's own public page: only an idea of ``Idea.objects.public()``."""
        idea = (
            with_public_content(self.get_public_ideas())
            .prefetch_related("pilots")
            .filter(pk=pk)
            .first()
        )
        if idea is None:
            raise Http404
        describe_public(idea)
        return self.render(
            request,
            template=self.get_idea_template(request),
            context_overrides={
                "idea": idea,
                "sdgs": list(idea.sdgs.all()),
                # The small-scale tests, those that failed too: the municipality's record.
                "pilots": list(idea.pilots.all()),
                "portfolio_url": self.get_url(request),
            },
        )
