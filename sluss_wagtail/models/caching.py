from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheGeneration(models.Model):
    """The generation of one kind of cached data, where every process reads it.

    Used instead of the cache itself when the cache is process-local (Django's default
    ``LocMemCache``): each process keeps its own cached entries, but whether they are
    still valid is asked here (``sluss_wagtail.caching``). One row per kind.
    """

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self):
        return self.name
