"""Sluices: whose ideas are whose, when one installation serves several sites.

A ``Sluice`` is one organisation's innovation sluice (a municipality's, say): its
units, its reference numbers, its inbox, statistics, reports and register. Each
Wagtail ``Site`` belongs to one sluice (``SluiceSite``); sites may share one (a
public site and an intranet) or have their own (several municipalities in one
installation). A site that belongs to none belongs to the default sluice, so an
installation with one sluice needs no configuration at all.

Who coordinates which sluice (and so sees its ideas) is ``permissions.sluices_for()``.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..conf import sluss_settings

#: The name of the default sluice when there is no site to name it after.
DEFAULT_NAME = "Innovation sluice"


class SluiceQuerySet(models.QuerySet):
    def default(self):
        """The default sluice (created the first time it is needed)."""
        found = self.model.objects.filter(is_default=True).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return self.model.objects.create(name=default_name(), is_default=True)
        except IntegrityError:  # created meanwhile by another process, or the name is taken
            found = self.model.objects.filter(is_default=True).first()
            if found is not None:
                return found
            existing = self.model.objects.get(name=default_name())
            existing.is_default = True
            existing.save(update_fields=["is_default"])
            return existing

    def default_pk(self):
        return layout().default_pk

    def for_site(self, site):
        """The sluice of ``site`` (a ``Site`` or its primary key; None: the default sluice)."""
        site_pk = getattr(site, "pk", site)
        if site_pk is None:
            return self.get(pk=self.default_pk())
        pk = layout().by_site.get(site_pk) or self.default_pk()
        return self.get(pk=pk)

    def pk_for_site(self, site):
        site_pk = getattr(site, "pk", site)
        return layout().by_site.get(site_pk) or self.default_pk()

    def pk_for_page(self, page):
        """The sluice of the site ``page`` lives on (the default sluice for none)."""
        site = page.get_site() if page is not None else None
        return self.pk_for_site(site)

    def pk_for_request(self, request):
        from wagtail.models import Site

        return self.pk_for_site(Site.find_for_request(request))


def default_name():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return (site.site_name or site.hostname) if site else DEFAULT_NAME


def validate_reference_format(value):
    try:
        formatted = value.format(year=2026, number=42)
    except (KeyError, IndexError, ValueError, AttributeError):
        formatted = None
    if not formatted or "42" not in formatted:
        raise ValidationError(
            _(
                "Write the format with {year} and {number}, like ALI-{year}-{number:04d}; "
                "nothing else in braces."
            ),
            code="invalid",
        )


def validate_follow_up_months(value):
    try:
        months = parse_follow_up_months(value)
    except ValueError:
        months = None
    if not months:
        raise ValidationError(
            _("Write whole months after the start, separated by commas, like 6, 12."),
            code="invalid",
        )


def parse_follow_up_months(value):
    """``"6, 12"`` → ``[6, 12]``: months from 1 to 120, each once, in order."""
    months = sorted({int(part) for part in str(value or "").split(",") if part.strip()})
    if any(month < 1 or month > 120 for month in months) or len(months) > 12:
        raise ValueError(value)
    return months


class Sluice(models.Model):
    """One organisation's sluice: the ideas, units and numbers of its sites."""

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("The municipality or organisation whose sluice this is."),
    )
    reference_format = models.CharField(
        _("reference number format"),
        max_length=40,
        blank=True,
        validators=[validate_reference_format],
        help_text=_(
            "Like ALI-{year}-{number:04d}: each sluice numbers its ideas on its own, so give "
            "each its own prefix. Leave empty for the installation's format."
        ),
    )
    coordinator_groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("coordinator groups"),
        blank=True,
        related_name="+",
        help_text=_(
            "Innovation coordinators in these groups see this sluice's ideas, statistics and "
            "register. The default sluice without groups is seen by every coordinator who "
            "coordinates no other sluice."
        ),
    )
    sites = models.ManyToManyField(
        "wagtailcore.Site",
        verbose_name=_("sites"),
        through="SluiceSite",
        blank=True,
        related_name="+",
        help_text=_(
            "Ideas sent through these sites belong to this sluice. A site in no sluice "
            "belongs to the default sluice."
        ),
    )
    benefit_follow_up_months = models.CharField(
        _("follow-ups of benefits (months)"),
        max_length=40,
        default="6, 12",
        validators=[validate_follow_up_months],
        help_text=_("When a benefit is followed up, in months after it starts: 6, 12 by default."),
    )
    is_default = models.BooleanField(
        _("default sluice"),
        default=False,
        editable=False,
        help_text=_("Sites in no other sluice belong here, and ideas that came through none."),
    )

    objects = SluiceQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("sluice")
        verbose_name_plural = _("sluices")
        permissions = [
            ("view_all_sluices", _("Can see the ideas of every sluice (network coordinator)")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="sluss_sluice_one_default",
            )
        ]

    def __str__(self):
        return self.name

    def format_reference(self, year, number):
        return (self.reference_format or sluss_settings.REFERENCE_FORMAT).format(
            year=year, number=number
        )

    def get_follow_up_months(self):
        """The months after a benefit's start when it is followed up (``[6, 12]``)."""
        try:
            return parse_follow_up_months(self.benefit_follow_up_months) or [6, 12]
        except ValueError:
            return [6, 12]

    def get_sites(self):
        """The sites whose ideas come to this sluice (for the default one: every site in no
        other sluice)."""
        from wagtail.models import Site

        if self.is_default:
            return Site.objects.exclude(
                pk__in=SluiceSite.objects.exclude(sluice=self).values("site")
            )
        return Site.objects.filter(pk__in=self.site_links.values("site"))

    def get_main_site(self):
        """The site whose settings speak for the sluice where no idea says which (the
        feedback promise of its statistics): the default site if it is one, else the first."""
        return self.get_sites().order_by("-is_default_site", "pk").first()


class SluiceSite(models.Model):
    """A site and the sluice its ideas belong to: one sluice per site."""

    sluice = models.ForeignKey(
        Sluice, verbose_name=_("sluice"), on_delete=models.CASCADE, related_name="site_links"
    )
    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="sluss_wagtail_sluice",
    )

    class Meta:
        verbose_name = _("site of a sluice")
        verbose_name_plural = _("sites of sluices")

    def __str__(self):
        return f"{self.site} → {self.sluice}"


class Layout:
    """What every request asks of the sluices, read in two queries and kept in the cache
    (``caching.SETTINGS``: new after any change of a sluice or of its sites)."""

    def __init__(self, default_pk, count, default_has_groups, by_site, formats, names):
        self.default_pk = default_pk
        #: How many sluices there are: with one, no filter or column shows them.
        self.count = count
        self.default_has_groups = default_has_groups
        #: site pk → sluice pk, for the sites in a sluice other than the default.
        self.by_site = by_site
        #: sluice pk → its own reference number format (those that have one).
        self.formats = formats
        #: sluice pk → its name (the inbox's column, without a join).
        self.names = names

    @property
    def several(self):
        return self.count > 1


def layout():
    from ..caching import SETTINGS

    return SETTINGS.get_or_compute(("sluices",), _read_layout)


def _read_layout():
    default = Sluice.objects.default()
    default_has_groups = default.coordinator_groups.exists()
    by_site = dict(SluiceSite.objects.values_list("site_id", "sluice_id"))
    rows = list(Sluice.objects.values_list("pk", "name", "reference_format"))
    formats = {pk: format for pk, _name, format in rows if format}
    names = {pk: name for pk, name, _format in rows}
    return Layout(default.pk, len(rows), default_has_groups, by_site, formats, names)


def sluice_pk_for_new_idea(fields):
    """The sluice of an idea about to be saved with ``fields``: the one it names, else that
    of the site it came through, of the page it was sent from, of its challenge's site,
    else the default sluice."""
    if fields.get("sluice") is not None:
        return fields["sluice"].pk
    if fields.get("site") is not None:
        return Sluice.objects.pk_for_site(fields["site"])
    for name in ("source_page", "challenge"):
        if fields.get(name) is not None:
            return Sluice.objects.pk_for_page(fields[name])
    return Sluice.objects.default_pk()


class SluiceMemberMixin:
    """A model whose rows belong to one sluice (its ``sluice`` field), the default one
    unless they say so: saved (or bulk-created, with ``SluiceMemberQuerySet``) without a
    sluice, a row gets the default sluice, so an installation with one sluice never
    names it."""

    def save(self, *args, **kwargs):
        if self.sluice_id is None:
            self.sluice_id = Sluice.objects.default_pk()
        super().save(*args, **kwargs)


class SluiceMemberQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        missing = [obj for obj in objs if obj.sluice_id is None]
        if missing:
            default_pk = Sluice.objects.default_pk()
            for obj in missing:
                obj.sluice_id = default_pk
        return super().bulk_create(objs, *args, **kwargs)


def pages_of_sluices(sluice_pks, prefix=""):
    """A ``Q`` for the pages (``prefix``: the lookup to a page, like ``"innovation__"``)
    that live on the sites of the sluices ``sluice_pks``: a page belongs to the sluice of
    its site. One query for the sites' root paths."""
    from wagtail.models import Site

    current = layout()
    sites = Site.objects.all()
    linked = list(current.by_site.items())
    chosen = set(sluice_pks)
    if current.default_pk not in chosen:
        sites = sites.filter(pk__in=[site for site, sluice in linked if sluice in chosen])
    else:
        sites = sites.exclude(pk__in=[site for site, sluice in linked if sluice not in chosen])
    condition = Q(pk__in=[])
    for path in sites.values_list("root_page__path", flat=True):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition
