"""The default shape: one site, Wagtail's own page model, one language."""

from journey import add_idea_page, send_an_idea
from wagtail.models import Site

send_an_idea(add_idea_page(Site.objects.get(is_default_site=True)))
