"""Import another installation's innovations from its JSON feed, as drafts in a showcase."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sluss_wagtail import importing


class Command(BaseCommand):
    help = (
        "Read another installation's JSON feed (an http(s) address or a file) and create "
        "draft innovation pages in a showcase, or update the drafts an earlier import made. "
        "All or nothing: a bad feed changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The JSON feed: an http(s) address or a file.")
        parser.add_argument(
            "--into", type=int, required=True, help="The id of the showcase page to import into."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen; change nothing."
        )

    def handle(self, *args, source, into, dry_run, **options):
        from sluss_wagtail import page_types

        index = page_types.showcase_model().objects.filter(pk=into).first()
        if index is None:
            raise CommandError(_("There is no showcase with the id %(id)s.") % {"id": into})
        try:
            feed = importing.parse_feed(importing.read_source(source), source=source)
            if dry_run:
                plan = importing.plan_import(feed, index)
                for number, change in enumerate(plan, 1):
                    self.progress(number, len(plan), change)
            else:
                plan = importing.run_import(feed, index, progress=self.progress)
        except importing.FeedError as error:
            raise CommandError(str(error)) from error
        summary = importing.summarise_import(plan, feed)
        if dry_run:
            summary = _("Nothing was changed (a dry run).") + " " + summary
        self.stdout.write(self.style.SUCCESS(summary))

    def progress(self, number, total, change):
        words = {
            importing.CREATE: _("created"),
            importing.UPDATE: _("updated"),
            importing.SKIP: _("skipped"),
        }
        line = f"[{number}/{total}] {words[change.action]}: {change.item.title}"
        if change.reason:
            line += f" ({change.reason})"
        self.stdout.write(line)
