"""Links: absolute ones for e-mails and feeds, and secret ones kept secret."""

from django.conf import settings

from .conf import sluss_settings


def get_base_url(default_site=None):
    """Scheme and host of the public site, without a trailing slash. Without a configured
    one, the default site's address: ``default_site`` where the caller has it at hand
    (it saves the query), else read."""
    base_url = sluss_settings.BASE_URL or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not base_url:
        from wagtail.models import Site

        site = default_site or Site.objects.filter(is_default_site=True).first()
        base_url = site.root_url if site else ""
    return base_url.rstrip("/")


def absolute_url(path, default_site=None):
    """``path`` on the configured base URL: the default site's public address, for what
    concerns no other site. Links about an idea use ``models.settings.idea_site_url``,
    the admin's ``admin_url``. ``default_site``: as for ``get_base_url``."""
    return get_base_url(default_site) + path


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
