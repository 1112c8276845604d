"""What the editor is told when an innovation of a confidential idea cannot be published.

The refusal itself is ``InnovationPageMixin.save()`` (every publish passes there, also
outside the admin); these hooks only say why, before Wagtail's action would meet it:
a warning on the page's edit view, and a message instead of the publish (the button,
scheduling, bulk publish). No workflow's approval of such a page is offered in the editor
(any task's, ``construct_page_action_menu``; the showcase review task's own
``get_actions`` offers none anywhere, ``ShowcaseReviewTask``).
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.action_menu import WorkflowMenuItem

from .. import page_types
from ..models import InnovationPageMixin
from ..models.showcase import PUBLISH_REFUSED_MESSAGE


def _is_withheld(page):
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    return isinstance(page, InnovationPageMixin) and page.is_withheld()


def before_edit_page(request, page):
    if request.method == "GET" and _is_withheld(page):
        messages.warning(request, PUBLISH_REFUSED_MESSAGE)


def before_publish_page(request, page):
    """The editor's publish button (also with a publishing date): refused with the reason.
    The changes are kept: the edit view saved them as a draft before this hook."""
    if _is_withheld(page):
        messages.error(request, PUBLISH_REFUSED_MESSAGE)
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


def construct_page_action_menu(menu_items, request, context):
    """The editor's menu offers no workflow approval of such a page (a plain Wagtail
    approval task's too): approving would publish it. The edit view's warning says why."""
    page = context.get("page")
    if page is not None and _is_withheld(page):
        menu_items[:] = [
            item
            for item in menu_items
            if not (isinstance(item, WorkflowMenuItem) and item.name == "approve")
        ]


def before_bulk_action(request, action_type, objects, action_class_instance):
    """Bulk publish: nothing is published while one of the pages (or, with their subpages,
    one below them) is an innovation of a confidential idea; the editor is told which."""
    if action_type != "publish":
        return None
    pks = [page.pk for page in objects]
    innovations = page_types.innovation_model().objects
    withheld = innovations.withheld().filter(pk__in=pks)
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        below = innovations.withheld().none()
        for page in objects:
            below |= innovations.withheld().descendant_of(page)
        withheld = withheld | below
    titles = sorted({page.title for page in withheld})
    if not titles:
        return None
    messages.error(
        request,
        format_lazy(
            "{} {}",
            _("Nothing was published: %(titles)s.") % {"titles": ", ".join(titles)},
            PUBLISH_REFUSED_MESSAGE,
        ),
    )
    return redirect(action_class_instance.next_url)
