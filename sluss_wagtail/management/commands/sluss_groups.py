from django.core.management.base import BaseCommand

from ...roles import ensure_groups


class Command(BaseCommand):
    help = (
        "Create the sluice's standard groups (coordinators, unit reviewers, showcase "
        "moderators) with their permissions. Safe to run again."
    )

    def handle(self, *args, **options):
        for role, group in ensure_groups().items():
            self.stdout.write(f"{role}: {group.name} ({group.permissions.count()} permissions)")
