"""Wagtail's ``publish_scheduled``, which first cancels what is scheduled for a withheld
innovation (its idea is confidential).

Publishing such a page is refused (``InnovationPage.save``), and Wagtail's command stops at
the first refusal: every page due after it in that run would wait for the next one. Marking
an idea confidential through the package cancels its pages' schedules already
(``actions.set_confidential``); this catches a schedule that survived, for example an idea
marked confidential by an import or a data fix. Django takes a command from the first app
in ``INSTALLED_APPS`` that has it, and ``sluss_wagtail`` comes before ``wagtail``.
"""

import logging

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from ... import page_types

logger = logging.getLogger(__name__)


class Command(WagtailCommand):
    help = (
        WagtailCommand.help + " What is scheduled for an innovation whose idea is "
        "confidential is cancelled first, so that every other page is published."
    )

    def handle(self, *args, **options):
        if not options.get("dryrun"):
            for page in cancel_withheld_schedules():
                message = (
                    f"Not published: the idea of innovation {page.pk} ({page.title!r}) is "
                    "confidential; its schedule is cancelled."
                )
                logger.warning(message)
                self.stderr.write(message)
        super().handle(*args, **options)


def cancel_withheld_schedules():
    """Cancel the due schedules of withheld innovations; return those pages."""
    now = timezone.now()
    cancelled = []
    for page in page_types.innovation_model().objects.withheld():
        due = page.revisions.filter(approved_go_live_at__lt=now)
        if due.update(approved_go_live_at=None):
            cancelled.append(page)
    return cancelled
