import hashlib
import posixpath
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...attachments import get_backend
from ...models import IdeaAttachment

#: Where ``attachments.attachment_upload_to`` puts every file, in the private storage.
FOLDER = "sluss_wagtail/attachments"
#: A file is written before its row is committed: a younger file without a row may be a
#: submission on its way, never a left-over to report or delete.
IN_FLIGHT = timedelta(hours=1)


def stored_names(backend):
    """The names of the files in the attachments' folder of the private storage."""
    try:
        _folders, files = backend.listdir(FOLDER)
    except FileNotFoundError:
        return set()
    return {posixpath.join(FOLDER, name) for name in files}


def is_recent(backend, name, now):
    try:
        return now - backend.get_modified_time(name) < IN_FLIGHT
    except (NotImplementedError, OSError):
        return False


def sha256_of(backend, name):
    digest = hashlib.sha256()
    with backend.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Compare the private attachment storage with the database, after restoring a backup "
        "or as a nightly check: files the database names that are missing (or, with "
        "--verify, changed), and files no idea names any more (left over from a backup "
        "newer than the database: personal data that erasure cannot reach; files younger "
        "than an hour are left alone, they may be a submission on its way). Exits with an "
        "error when anything is wrong; --delete-orphans deletes the files no idea names."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Also read every file and compare its SHA-256 with the database's.",
        )
        parser.add_argument(
            "--delete-orphans",
            action="store_true",
            help="Delete the files in the storage that no attachment in the database names.",
        )

    def handle(self, *args, verify=False, delete_orphans=False, **options):
        backend = get_backend()
        on_disk = stored_names(backend)
        named = set()
        problems = []
        rows = IdeaAttachment.objects.select_related("idea").only(
            "file", "sha256", "idea__reference"
        )
        for attachment in rows.iterator(chunk_size=500):
            name = attachment.file.name
            named.add(name)
            reference = attachment.idea.reference
            if name not in on_disk and not backend.exists(name):
                problems.append(f"Missing: {name} (attachment {attachment.pk} of {reference})")
            elif verify and sha256_of(backend, name) != attachment.sha256:
                problems.append(f"Changed: {name} (attachment {attachment.pk} of {reference})")
        now = timezone.now()
        orphans = sorted(name for name in on_disk - named if not is_recent(backend, name, now))
        for name in orphans:
            if delete_orphans:
                backend.delete(name)
                self.stdout.write(f"Deleted, no idea names it: {name}")
            else:
                problems.append(f"No idea names it: {name}")
        for problem in problems:
            self.stdout.write(problem)
        self.stdout.write(
            f"{len(named)} attachment(s) in the database, {len(on_disk)} file(s) in the storage"
            + (f", {len(orphans)} left-over file(s) deleted." if delete_orphans else ".")
        )
        if problems:
            raise CommandError(f"{len(problems)} problem(s) with the attachments; see above.")
