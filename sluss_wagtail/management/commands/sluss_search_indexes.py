from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from ... import search_indexes


class Command(BaseCommand):
    help = (
        "Build the trigram indexes of the inbox's search on PostgreSQL (pg_trgm) without "
        "blocking writes, where migration 0002 could not: after a database administrator "
        "has run CREATE EXTENSION pg_trgm. --check only reports. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--check", action="store_true", help="Report missing indexes; exit 1 if any."
        )

    def handle(self, *args, database, check, **options):
        connection = connections[database]
        if not search_indexes.applies(connection):
            self.stdout.write(
                f"Nothing to do on {connection.vendor}: the indexes are for PostgreSQL."
            )
            return
        if check:
            missing = search_indexes.missing(connection)
            if missing:
                raise CommandError(f"No trigram index on: {', '.join(missing)}.")
            self.stdout.write("Every searched column has its trigram index.")
            return
        built = search_indexes.create(connection, concurrently=True)
        if built is None:
            raise CommandError(
                "pg_trgm is not installed and this user may not install it: have a database "
                "administrator run CREATE EXTENSION pg_trgm, then run this command again."
            )
        if built:
            self.stdout.write(f"Built the trigram indexes on: {', '.join(built)}.")
        else:
            self.stdout.write("Every searched column already has its trigram index.")
