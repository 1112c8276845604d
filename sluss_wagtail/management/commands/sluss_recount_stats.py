from django.core.management.base import BaseCommand, CommandError

from ... import stats


class Command(BaseCommand):
    help = (
        "Count the statistics afresh from the ideas and their history and compare them "
        "with the counts kept in step with every change (stats.recount). Repairs any "
        "difference and says what it was; --check only reports, exit 1 on a difference. "
        "Run it after changing ideas without Django's signals (a bulk import in SQL, a "
        "restore of one table) or after changing TIME_ZONE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Report differences only; exit 1 if any."
        )

    def handle(self, *args, check, **options):
        found = stats.recount(repair=not check)
        if found.in_step:
            self.stdout.write(f"The counts of {found.ideas} ideas are in step.")
            return
        for (sluice, month, unit, challenge, figure, value), kept, counted in found.differences[
            :50
        ]:
            self.stdout.write(
                f"sluice {sluice}, {month:%Y-%m}, unit {unit or '-'}, challenge "
                f"{challenge or '-'}: {figure} {value!r} kept {kept}, counted {counted}"
            )
        summary = (
            f"{len(found.differences)} counts and {found.ideas_differing} of "
            f"{found.ideas} ideas' records differed"
        )
        if check:
            raise CommandError(f"{summary}: run sluss_recount_stats to repair them.")
        self.stdout.write(f"{summary}; repaired.")
