"""A picture is refused before it is decoded when its pixels would pass the memory bound.

``SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES`` bounds width × height × bytes per pixel
(as Pillow holds the picture, in the larger of the read and the saved mode). The worst
pictures that are still accepted are cleaned in a fresh Python process whose peak
memory (``ru_maxrss``) is measured: cleaning never needs more than about two copies.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sluss_wagtail import attachments, checks
from sluss_wagtail.models import Idea

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
BOUND = 24 * MiB


def picture(mode, size, fmt, *, orientation=None):
    """A picture that packs into a few kB and unpacks into ``size`` pixels of ``mode``."""
    image = Image.new(mode, size)
    output = io.BytesIO()
    options = {}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif
    image.save(output, format=fmt, **options)
    image.close()
    return output.getvalue()


def upload(content, name="bild.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


#: The worst pictures at the bound, each the costliest to clean in its own way:
#: 4 bytes per pixel, turned (a second copy) and converted (CMYK → RGB, 1-bit → RGBA).
WORST = {
    "CMYK JPEG, turned": ("CMYK", (2048, 3072), "JPEG", 6),
    "RGBA PNG, turned": ("RGBA", (2048, 3072), "PNG", 8),
    "1-bit PNG, drawn again in RGBA": ("1", (2048, 3072), "PNG", None),
    "16-bit grey PNG, drawn again in RGBA": ("I;16", (2048, 3072), "PNG", None),
}

MEASURE = """
import json, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from sluss_wagtail import attachments

def status(name):
    # VmHWM: this process's own peak resident memory (ru_maxrss would include the parent's
    # at the fork, which is kept across exec on Linux).
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024

content = open(sys.argv[1], "rb").read()
warm = open(sys.argv[3], "rb").read()
with override_settings(SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES=int(sys.argv[2])):
    attachments.clean_upload(SimpleUploadedFile("warm.png", warm))
    before = status("VmRSS")
    clean = attachments.clean_upload(SimpleUploadedFile("bild", content))
    peak = status("VmHWM")
print(json.dumps({"increase": peak - before, "type": clean.content_type}))
"""


def peak_memory_of_cleaning(tmp_path, content):
    path = tmp_path / "picture"
    path.write_bytes(content)
    warm = tmp_path / "warm"
    warm.write_bytes(picture("RGB", (8, 8), "PNG"))
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(BOUND), str(warm)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.once
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="measures memory on Linux")
@pytest.mark.parametrize("case", list(WORST))
def test_the_worst_accepted_picture_is_cleaned_within_twice_the_bound(tmp_path, case, settings):
    mode, size, fmt, orientation = WORST[case]
    content = picture(mode, size, fmt, orientation=orientation)
    assert size[0] * size[1] * 4 == BOUND  # exactly at the bound, in 4 bytes a pixel
    measured = peak_memory_of_cleaning(tmp_path, content)
    # Two copies of the pixels at most, and a little for the encoder and the interpreter.
    assert measured["increase"] <= 2 * BOUND + 12 * MiB, measured
    assert measured["type"] in ("image/jpeg", "image/png")


@pytest.mark.parametrize(
    ("mode", "size", "fmt"),
    [
        ("RGB", (2049, 3072), "PNG"),  # one column more than the bound (RGB takes 4 bytes)
        ("RGB", (2049, 3072), "JPEG"),
        ("1", (2049, 3072), "PNG"),  # 1 bit on disk, drawn again in 4 bytes a pixel
        ("L", (8192, 3073), "PNG"),
        ("P", (8192, 3073), "GIF"),
        ("RGBA", (60000, 60000), "PNG"),  # a decompression bomb of 14 GB
    ],
)
def test_a_picture_over_the_bound_is_refused_before_it_is_decoded(
    settings, monkeypatch, mode, size, fmt
):
    settings.SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES = BOUND
    # 60000 × 60000 is too big to make: a PNG header that says so, over a few bytes.
    content = bomb_header(*size) if size == (60000, 60000) else picture(mode, size, fmt)

    def never(self, *args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(Image.Image, "load", never)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", never)
    with pytest.raises(attachments.AttachmentError, match="pixels|pixlar") as error:
        attachments.clean_upload(upload(content, "jättebild.png"))
    assert "jättebild" in str(error.value)


def bomb_header(width, height):
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 5))
        + chunk(b"IEND", b"")
    )


def test_a_picture_at_the_bound_is_accepted(settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES = 4 * MiB
    clean = attachments.clean_upload(upload(picture("RGB", (1024, 1024), "PNG")))
    assert clean.content_type == "image/png"


def test_the_idea_form_says_why_and_keeps_the_answers(post_idea, settings):
    settings.SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES = 4 * MiB
    content = picture("RGB", (1025, 1024), "PNG")
    response = post_idea(attachments=[upload(content, "parkbänk.png")], title="Fler bänkar")
    html = response.content.decode()
    assert 'class="sluss-error-summary"' in html
    assert "parkbänk" in html
    assert "megapix" in html
    assert 'value="Fler bänkar"' in html
    assert Idea.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100 * MiB, []),
        (MiB, []),
        (MiB - 1, ["sluss_wagtail.E106"]),
        ("100MB", ["sluss_wagtail.E106"]),
        (True, ["sluss_wagtail.E106"]),
        (None, ["sluss_wagtail.E106"]),
        (1024 * MiB, ["sluss_wagtail.W103"]),
    ],
)
def test_bad_values_of_the_bound_are_reported(settings, value, expected):
    settings.SLUSS_WAGTAIL_ATTACHMENT_ROOT = None
    settings.SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES = value
    assert [message.id for message in checks.check_attachments(None)] == expected
