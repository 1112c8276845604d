"""Files sent with an idea: read by their content, cleaned, kept private, never lost in silence.

Hostile files: a renamed program, HTML and SVG dressed as pictures, polyglots,
files too big, too many, empty, with a path in the name, and a photo with a
GPS position (gone after saving).
"""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sluss_wagtail import attachments
from sluss_wagtail.attachments import get_attachment_storage
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import Idea, IdeaAttachment
from tests.factories import (
    IdeaFactory,
    create_admin_user,
    create_coordinator,
    create_reviewed_unit,
    create_reviewer,
    image_bytes,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(1)</script></svg>"
)


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def send(post_idea, *files, **overrides):
    return post_idea(attachments=list(files), **overrides)


def errors_of(response):
    html = response.content.decode()
    assert 'class="sluss-error-summary"' in html
    return html


# What is accepted, and how it is kept -------------------------------------------------


def test_a_picture_and_a_pdf_are_kept_with_the_idea(post_idea):
    response = send(
        post_idea,
        upload("bänk.jpg", image_bytes("JPEG"), "image/jpeg"),
        upload("ritning.pdf", pdf_bytes(), "application/pdf"),
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    files = list(idea.attachments.order_by("pk"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("bänk.jpg", "image/jpeg"),
        ("ritning.pdf", "application/pdf"),
    ]
    pdf = files[1]
    assert pdf.size == len(pdf_bytes())
    with pdf.file.open("rb") as handle:
        assert handle.read() == pdf_bytes()
    import hashlib

    assert pdf.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()


def test_files_are_stored_under_a_random_name_outside_public_media(post_idea, settings):
    send(post_idea, upload("../../etc/passwd.png", image_bytes("PNG")))
    attachment = IdeaAttachment.objects.get()
    assert "passwd" not in attachment.file.name
    assert ".." not in attachment.file.name
    path = get_attachment_storage().path(attachment.file.name)
    assert os.path.exists(path)
    assert not os.path.abspath(path).startswith(os.path.abspath(settings.MEDIA_ROOT))
    assert attachment.original_name == "passwd.png"
    with pytest.raises(NotImplementedError):
        get_attachment_storage().url(attachment.file.name)


def test_a_photo_loses_its_gps_position_and_camera_but_keeps_its_orientation(post_idea):
    # Orientation 6: the camera was turned; the picture must still stand the right way.
    photo = image_bytes("JPEG", size=(40, 20), gps=True, orientation=6)
    assert Image.open(io.BytesIO(photo)).getexif().get(0x8825)
    send(post_idea, upload("IMG_0001.JPG", photo, "image/jpeg"))

    attachment = IdeaAttachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    exif = image.getexif()
    assert 0x8825 not in exif  # GPS
    assert 0x010F not in exif  # camera make
    assert 0x0112 not in exif  # the turn is applied, not recorded
    assert image.size == (20, 40)
    assert b"Kamerafabriken" not in stored
    assert attachment.size == len(stored)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("semester.png", EXECUTABLE, "image/png"),  # a program renamed as a picture
        ("bild.png", HTML, "image/png"),  # HTML dressed as a picture
        ("bild.jpg", SVG, "image/jpeg"),  # SVG with script
        ("bild.svg", SVG, "image/svg+xml"),
        ("dokument.pdf", b"%PDF-1.4\n<script>alert(1)</script>", "application/pdf"),  # no end
        ("bild.png", image_bytes("PNG")[:40], "image/png"),  # broken picture
        ("bild.bmp", image_bytes("BMP"), "image/bmp"),  # a picture of a kind not allowed
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_with_a_clear_message(
    post_idea, name, content, content_type
):
    response = send(post_idea, upload(name, content, content_type))
    html = errors_of(response)
    assert "måste vara en" in html or "must be a" in html
    assert Idea.objects.count() == 0
    assert IdeaAttachment.objects.count() == 0


def test_a_polyglot_picture_is_cleaned_of_what_follows_the_image(post_idea):
    polyglot = image_bytes("PNG") + HTML + b"PK\x03\x04zip"
    send(post_idea, upload("poly.png", polyglot, "image/png"))
    attachment = IdeaAttachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert b"<script>" not in stored
    assert b"PK\x03\x04" not in stored
    assert stored.startswith(b"\x89PNG")


def test_a_gif_with_html_in_a_comment_is_drawn_again_without_it(post_idea):
    output = io.BytesIO()
    Image.new("P", (10, 10)).save(output, format="GIF", comment=HTML)
    send(post_idea, upload("anim.gif", output.getvalue(), "image/gif"))
    with IdeaAttachment.objects.get().file.open("rb") as handle:
        assert b"<script>" not in handle.read()


def test_too_big_a_file_is_refused(post_idea, settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_MAX_BYTES = 1000
    response = send(post_idea, upload("stor.pdf", pdf_bytes() + b" " * 2000, "application/pdf"))
    html = errors_of(response)
    assert "stor" in html
    assert Idea.objects.count() == 0


def test_more_files_than_allowed_are_refused(post_idea):
    files = [upload(f"bild{n}.png", image_bytes("PNG")) for n in range(4)]
    response = send(post_idea, *files)
    html = errors_of(response)
    assert "högst 3" in html or "at most 3" in html
    assert Idea.objects.count() == 0


def test_an_empty_file_is_refused(post_idea):
    response = send(post_idea, upload("tom.png", b""))
    errors_of(response)
    assert Idea.objects.count() == 0


def test_a_file_chosen_in_a_form_with_other_errors_must_be_chosen_again(post_idea):
    response = send(post_idea, upload("bänk.png", image_bytes("PNG")), title="")
    html = errors_of(response)
    assert '<a href="#id_attachments">' in html
    assert Idea.objects.count() == 0
    assert IdeaAttachment.objects.count() == 0


def test_the_form_is_sent_as_multipart_with_a_labelled_file_field(client, submission_page):
    html = client.get(submission_page.url).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" id="id_attachments" name="attachments" multiple' in html
    assert 'accept="image/jpeg,image/png,image/gif,image/webp,application/pdf"' in html
    assert '<label class="sluss-label" for="id_attachments">' in html


def test_no_file_field_when_uploads_are_turned_off(client, submission_page, settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_MAX_FILES = 0
    html = client.get(submission_page.url).content.decode()
    assert 'type="file"' not in html


def test_a_storage_failure_leaves_nothing_half_saved(post_idea, monkeypatch):
    from sluss_wagtail.models import IdeaContact

    calls = []
    original = IdeaAttachment.save

    def failing_save(self, *args, **kwargs):
        calls.append(self.file.name)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(IdeaAttachment, "save", failing_save)
    with pytest.raises(OSError):
        send(post_idea, upload("a.png", image_bytes("PNG")), upload("b.png", image_bytes("PNG")))
    assert Idea.objects.count() == 0
    assert IdeaContact.objects.count() == 0
    storage = get_attachment_storage()
    assert not any(storage.exists(name) for name in calls)


def test_clean_original_name_keeps_only_a_safe_last_part():
    assert attachments.clean_original_name("C:\\Users\\x\\..\\bild.PNG", "image/png") == "bild.png"
    assert attachments.clean_original_name("../../", "image/png") == "bilaga.png"
    assert attachments.clean_original_name("..", "application/pdf") == "bilaga.pdf"
    assert attachments.clean_original_name('<img src=x onerror="a">.png', "image/png") == (
        "img_srcx_onerrora.png"
    )
    assert attachments.clean_original_name("virus.exe", "image/png") == "virus.png"


# Who may download ---------------------------------------------------------------------


@pytest.fixture
def attachment(db):
    unit = create_reviewed_unit("Parkförvaltningen")
    idea = IdeaFactory(unit=unit)
    clean = attachments.clean_upload(upload("bänk.png", image_bytes("PNG")))
    return IdeaAttachment.store(idea, clean)


def download_url(attachment):
    return reverse("sluss_wagtail_attachment_download", args=[attachment.pk])


def test_a_coordinator_downloads_the_file_as_an_attachment_that_is_never_sniffed(
    client, attachment
):
    client.force_login(create_coordinator())
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "b%C3%A4nk.png" in response["Content-Disposition"]
        or "bänk" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_unit_reviewer_with_the_personal_data_right_downloads_and_others_get_a_404(
    client, attachment
):
    # The file and its name are personal data (permissions.idea_visibility).
    unit = attachment.idea.unit
    client.force_login(
        create_reviewer(unit, "sluss_wagtail.view_ideacontact", username="granskare_a")
    )
    assert client.get(download_url(attachment)).status_code == 200
    client.force_login(create_reviewer(unit, username="granskare_utan"))
    assert client.get(download_url(attachment)).status_code == 404
    other = create_reviewed_unit("Skolförvaltningen")
    client.force_login(
        create_reviewer(other, "sluss_wagtail.view_ideacontact", username="granskare_b")
    )
    assert client.get(download_url(attachment)).status_code == 404


def test_people_without_the_idea_get_nothing(client, attachment):
    assert client.get(download_url(attachment)).status_code == 302  # to the login
    client.force_login(create_admin_user("wagtailadmin.access_admin", username="redaktor"))
    assert client.get(download_url(attachment)).status_code == 404
    assert (
        client.get(reverse("sluss_wagtail_attachment_download", args=[999999])).status_code == 404
    )


def test_the_idea_page_in_the_admin_lists_the_attachments(client, attachment):
    client.force_login(create_coordinator())
    url = idea_admin_path(attachment.idea)
    html = client.get(url).content.decode()
    assert download_url(attachment) in html
    assert "bänk.png" in html


def test_files_are_not_under_media_root_by_default(settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_ROOT = None
    root = attachments.default_root()
    media = os.path.abspath(settings.MEDIA_ROOT)
    assert not str(root).startswith(media + os.sep)
    assert root.name == "sluss_wagtail_private"


def test_a_decompression_bomb_is_refused_before_it_is_drawn(post_idea):
    # 8000 × 8000 black pixels pack into a few kB and would unpack into 64 million.
    output = io.BytesIO()
    Image.new("1", (8000, 8000)).save(output, format="PNG")
    assert len(output.getvalue()) < 100_000
    response = send(post_idea, upload("bomb.png", output.getvalue()))
    errors_of(response)
    assert Idea.objects.count() == 0


def test_deleting_an_idea_deletes_its_files(attachment, django_capture_on_commit_callbacks):
    storage = get_attachment_storage()
    name = attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        attachment.idea.delete()
    assert not storage.exists(name)
