from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from .. import page_types
from ..links import absolute_url


@register_setting(icon="clipboard-list")
class SlussSettings(BaseSiteSetting):
    """Per-site settings an editor changes without a deploy."""

    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "Shown beside every idea form: how the municipality handles the idea giver's "
            "personal data (GDPR art. 13). Leave empty to show the package's standard text."
        ),
    )
    feedback_promise_days = models.PositiveSmallIntegerField(
        _("feedback promise in days"),
        default=14,
        help_text=_("Within how many days every idea giver hears from us."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Where idea givers can write with questions; shown on receipts."),
    )
    coordinator_emails = models.TextField(
        _("coordinators' e-mail addresses"),
        blank=True,
        help_text=_("One address per line. They hear of every new idea and of late feedback."),
    )
    from_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("The sender of e-mails to idea givers. Leave empty for the site's default."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention in days"),
        default=730,
        help_text=_(
            "How long after an idea's handling has ended its giver's contact details are kept."
        ),
    )
    show_support_count = models.BooleanField(
        _("show the support count"),
        default=False,
        help_text=_(
            'Show the public how many have said "I have the same need" about a public idea.'
        ),
    )

    panels = [
        FieldPanel("privacy_notice"),
        FieldPanel("feedback_promise_days"),
        FieldPanel("contact_email"),
        FieldPanel("coordinator_emails"),
        FieldPanel("from_email"),
        FieldPanel("retention_days"),
        FieldPanel("show_support_count"),
    ]

    class Meta:
        verbose_name = _("innovation sluice settings")
        verbose_name_plural = _("innovation sluice settings")

    @classmethod
    def for_idea(cls, idea):
        """The settings that speak for ``idea``: those of the site it came through
        (``Idea.site``), else the default site's; from the cache.

        Every e-mail about an idea (its sender, feedback promise, contact address and
        coordinators) and its retention ask here, never the default site.
        """
        return cls.for_site_id(getattr(idea, "site_id", None))

    @classmethod
    def for_site_id(cls, site_id):
        """The settings of the site ``site_id`` (the default site's for ``None`` or a site
        that is gone), from the cache; created with the defaults the first time, as
        ``for_site`` does."""
        from ..caching import SETTINGS

        if not site_id:
            return cls.for_default_site()
        found = SETTINGS.get_or_compute(("site", site_id), lambda: cls._load_for_site(site_id))
        return found if found is not None else cls.for_default_site()

    @classmethod
    def for_default_site(cls):
        """The default site's settings (None without a default site), from the cache.

        Only for what concerns no idea and no request (the statistics' promise, the
        dashboard); each save of the settings or of a site starts afresh
        (``caching.SETTINGS``). Created with the defaults the first time, as
        ``for_site`` does.
        """
        from ..caching import SETTINGS

        return SETTINGS.get_or_compute(("default site",), cls._load_for_default_site)

    @classmethod
    def _load_for_site(cls, site_id):
        from wagtail.models import Site

        # With its site: the address (``public_url``) comes in the same query and cache.
        found = cls.objects.select_related("site").filter(site_id=site_id).first()
        if found is not None:
            return found
        site = Site.objects.filter(pk=site_id).first()
        return cls.for_site(site) if site else None

    @classmethod
    def _load_for_default_site(cls):
        from wagtail.models import Site

        found = cls.objects.select_related("site").filter(site__is_default_site=True).first()
        if found is not None:
            return found
        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else None

    def public_url(self, path):
        """``path`` on this site's public address: the default site's is the configured
        one (``SLUSS_WAGTAIL_BASE_URL``, else ``WAGTAILADMIN_BASE_URL``, as before there
        were several sites), every other site's its Wagtail ``root_url`` (hostname and
        port; 443 gives https)."""
        if self.site.is_default_site:
            return absolute_url(path, default_site=self.site)
        return self.site.root_url.rstrip("/") + path

    def get_coordinator_emails(self):
        return [line.strip() for line in self.coordinator_emails.splitlines() if line.strip()]


# Links on the site that speaks: in e-mails, every link about an idea or a page is on the
# public address of its own site (docs/architecture.md, "Which site speaks").


def idea_site_url(idea, path):
    """``path`` on the host of the site ``idea`` came through (``Idea.site``): the status
    link and every public link in an e-mail about the idea (``SlussSettings.for_idea``
    says which site; ``SlussSettings.public_url`` where it is)."""
    found = SlussSettings.for_idea(idea)
    return found.public_url(path) if found is not None else absolute_url(path)


def page_site_url(page):
    """The full address of ``page`` on its site's public address (``public_url``: the
    configured base URL for the default site, as the status links), for e-mails."""
    parts = page.get_url_parts()
    if parts is None:  # outside every site
        return ""
    site_id, _root_url, page_path = parts
    found = SlussSettings.for_site_id(site_id)
    return found.public_url(page_path) if found is not None else absolute_url(page_path)


def public_idea_url(idea):
    """The full address of a public idea's own page in the portfolio of its site (any
    site's portfolio if its own has none), for e-mails; "" without a portfolio. Only for
    an idea of ``Idea.objects.public()``: the page itself shows nothing else."""
    site = getattr(idea, "site", None)
    portfolio = page_types.portfolio_page_for(site) or page_types.portfolio_page_for()
    if portfolio is None:
        return ""
    base = page_site_url(portfolio)
    return base + portfolio.reverse_subpage("idea", args=[idea.pk]).lstrip("/") if base else ""
