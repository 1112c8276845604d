"""Wagtail's own pages, with the same fields and body as the package's, for comparison."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.fields import StreamField
from wagtail.models import Page

from sluss_wagtail.blocks.content import innovation_body_blocks


class BenchFormField(AbstractFormField):
    page = ParentalKey("BenchFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BenchFormPage(AbstractEmailForm):
    """A form-builder page with the idea form's fields, sending one e-mail like the receipt."""

    template = "benchmarks/form_page.html"
    landing_page_template = "benchmarks/form_page_landing.html"


class BenchPlainPage(Page):
    """A plain page with the innovation page's body."""

    template = "benchmarks/plain_page.html"

    body = StreamField(innovation_body_blocks(), blank=True)
