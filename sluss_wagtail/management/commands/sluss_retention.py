from django.core.management.base import BaseCommand

from ... import following
from ...models import Idea
from ...privacy import (
    BATCH_SIZE,
    adoptions_past_retention,
    apply_retention,
    erase_adoption_contacts,
)


class Command(BaseCommand):
    help = (
        "Erase the personal data of ideas that ended longer ago than the site's retention "
        "(SlussSettings.retention_days), everywhere it was copied (privacy.COPIES: contact "
        "details, submitting account, attachments, the giver's name on innovation pages and "
        "in their revisions, the original texts of corrections). The ideas stay: they are "
        "public records. Also the contact address of adoptions decided longer ago, and "
        "followers' addresses no longer used (following.retention_candidates). "
        "A dry run unless --apply is given. Safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Erase; without it nothing is changed."
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Ideas erased per transaction."
        )

    def handle(self, *args, apply=False, batch_size=BATCH_SIZE, **options):
        batch_size = max(1, batch_size)
        if not apply:
            pks = apply_retention(apply=False)
            references = Idea.objects.filter(pk__in=pks).values_list("reference", flat=True)
            for reference in references:
                self.stdout.write(f"Would erase: {reference}")
            adoptions = adoptions_past_retention().count()
            self.stdout.write(
                f"Dry run: {len(pks)} idea(s) and {adoptions} adoption(s) past retention. "
                "Run with --apply to erase."
            )
            followers = following.apply_retention(apply=False)
            self.stdout.write(f"Dry run: {followers} follower(s) past retention.")
            return

        def progress(done, total):
            self.stdout.write(f"Erased {done}/{total}")

        pks = apply_retention(apply=True, batch_size=batch_size, progress=progress)
        adoptions = erase_adoption_contacts(adoptions_past_retention())
        self.stdout.write(f"{len(pks)} idea(s) erased, {adoptions} adoption contact(s) erased.")
        followers = following.apply_retention(apply=True)
        self.stdout.write(f"{followers} follower(s) erased.")
