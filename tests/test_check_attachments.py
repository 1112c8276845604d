"""``manage.py sluss_check_attachments``: after a restore, the private attachment storage and
the database agree, or the command says where they do not and fails.

A database restored from an older moment than the files leaves files no idea names (personal
data that erasure can no longer reach); one restored from a newer moment names files that are
gone. Both are reported, and exit with an error, so a restore is not done until they agree.
"""

import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sluss_wagtail import attachments
from sluss_wagtail.models import IdeaAttachment
from tests.factories import IdeaFactory, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage(settings, tmp_path):
    settings.SLUSS_WAGTAIL_ATTACHMENT_STORAGE = None
    settings.SLUSS_WAGTAIL_ATTACHMENT_ROOT = str(tmp_path)
    return attachments.get_backend()


@pytest.fixture
def attachment(storage):
    return IdeaAttachment.store(IdeaFactory(), attachments.clean_upload(_upload()))


def check(*args, out=None):
    out = out or StringIO()
    call_command("sluss_check_attachments", *args, stdout=out)
    return out.getvalue()


def failing_check(*args):
    out = StringIO()
    with pytest.raises(CommandError, match="problem"):
        check(*args, out=out)
    return out.getvalue()


def test_storage_and_database_in_agreement_pass(attachment, django_assert_num_queries):
    for _n in range(2):
        IdeaAttachment.store(attachment.idea, attachments.clean_upload(_upload()))
    with django_assert_num_queries(1):  # one query however many attachments
        out = check("--verify")
    assert "3 attachment(s) in the database, 3 file(s) in the storage." in out


def test_a_missing_file_fails_and_names_the_idea(storage, attachment):
    storage.delete(attachment.file.name)
    out = failing_check()
    assert f"Missing: {attachment.file.name}" in out
    assert attachment.idea.reference in out


def test_a_changed_file_fails_with_verify(storage, attachment):
    with open(storage.path(attachment.file.name), "wb") as handle:
        handle.write(b"not the file that was sent")
    check()  # present: without --verify it is not read
    assert f"Changed: {attachment.file.name}" in failing_check("--verify")


def left_over_file(storage, attachment, hours_old=2):
    name = storage.save(attachments.attachment_upload_to(attachment, "x"), _png())
    then = time.time() - hours_old * 3600
    os.utime(storage.path(name), (then, then))
    return name


def test_a_file_no_idea_names_fails_until_it_is_deleted(storage, attachment):
    left_over = left_over_file(storage, attachment)
    assert f"No idea names it: {left_over}" in failing_check()
    out = check("--delete-orphans")
    assert f"Deleted, no idea names it: {left_over}" in out
    assert not storage.exists(left_over)
    assert storage.exists(attachment.file.name)
    check()


def test_a_file_being_sent_now_is_no_left_over(storage, attachment):
    # Written a moment ago, its row not yet committed: a submission on its way.
    in_flight = left_over_file(storage, attachment, hours_old=0)
    check("--delete-orphans")
    assert storage.exists(in_flight)


def test_an_empty_storage_with_no_attachments_passes(storage):
    assert "0 attachment(s) in the database, 0 file(s) in the storage." in check()


def _upload():
    return SimpleUploadedFile("bänk.png", image_bytes("PNG"), content_type="image/png")


def _png():
    return ContentFile(image_bytes("PNG"))
