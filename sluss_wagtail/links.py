"""Links: absolute ones for e-mails and feeds, and secret ones kept secret."""

from django.conf import settings

from .conf import sluss_settings


def get_base_url():
    """Scheme and host of the public site, without a trailing slash."""
    base_url = sluss_settings.BASE_URL or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not base_url:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        base_url = site.root_url if site else ""
    return base_url.rstrip("/")


def absolute_url(path):
    """``path`` on the configured base URL: the default site's public address, for what
    concerns no other site. Links about an idea use ``idea_site_url``, the admin's
    ``admin_url``."""
    return get_base_url() + path


def idea_site_url(idea, path):
    """``path`` on the host of the site ``idea`` came through (``Idea.site``): the status
    link and every public link in an e-mail about the idea (``SlussSettings.for_idea``
    says which site; ``SlussSettings.public_url`` where it is)."""
    from .models import SlussSettings

    found = SlussSettings.for_idea(idea)
    return found.public_url(path) if found is not None else absolute_url(path)


def keep_link_private(response):
    """Headers for a page whose address is a secret (the status link).

    The address must not leak to other sites through the Referer header, to
    search engines, or to shared caches. ``same-origin``, not ``no-referrer``: under
    ``no-referrer`` a browser sends ``Origin: null`` with the page's own forms (the
    answer, withdrawal and erasure forms), which Django's CSRF check refuses.
    """
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


def page_site_url(page):
    """The full address of ``page`` on its site's public address (``public_url``: the
    configured base URL for the default site, as the status links), for e-mails."""
    from .models import SlussSettings

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
    from .models.portfolio import portfolio_page_for

    portfolio = portfolio_page_for(getattr(idea, "site", None)) or portfolio_page_for()
    if portfolio is None:
        return ""
    base = page_site_url(portfolio)
    return base + portfolio.reverse_subpage("idea", args=[idea.pk]).lstrip("/") if base else ""


def admin_url(path):
    """``path`` in the Wagtail admin: one admin for every site, at ``WAGTAILADMIN_BASE_URL``
    (as Wagtail's own e-mails link), else the base URL."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or get_base_url()
    return base_url.rstrip("/") + path


def idea_admin_path(idea, action="inspect"):
    """The path of an idea's page in the admin's inbox: its own view (``inspect``, what
    Wagtail's admin URL finder answers for an idea too) or an action's (``move``,
    ``assign_unit``, …). ``idea`` is an idea or its primary key. The one place the inbox's
    URL names are spelled; templates use ``{% idea_admin_path idea %}``
    (``sluss_wagtail_tags``)."""
    from django.contrib.admin.utils import quote
    from django.urls import NoReverseMatch, reverse

    pk = quote(getattr(idea, "pk", idea))
    try:
        return reverse(f"sluss_wagtail_idea_modeladmin_{action}", args=[pk])
    except NoReverseMatch:
        if action == "inspect":
            raise
        # An action registered after the admin's URLs were built (``register_idea_action``).
        return reverse(
            "sluss_wagtail_idea_modeladmin_action", kwargs={"action": action, "instance_pk": pk}
        )


def inbox_path(view="index"):
    """The path of the inbox in the admin: its list of ideas (``index``), the board
    (``board``) or the bulk actions (``bulk``)."""
    from django.urls import reverse

    return reverse(f"sluss_wagtail_idea_modeladmin_{view}")


def admin_idea_url(idea):
    """The idea's own view in the Wagtail admin, as an absolute link for e-mails."""
    from django.urls import NoReverseMatch

    try:
        return admin_url(idea_admin_path(idea))
    except NoReverseMatch:  # the admin is not mounted, e.g. on a site without it
        return ""


def admin_assessment_url(request):
    """The assessment form of an assessment request in the admin, for the assessor's e-mail."""
    from django.urls import NoReverseMatch, reverse

    try:
        return admin_url(reverse("sluss_wagtail_assess", args=[request.pk]))
    except NoReverseMatch:  # the admin is not mounted
        return ""
