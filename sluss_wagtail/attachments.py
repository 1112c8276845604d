"""Files sent with an idea: checked by their content, cleaned, and kept out of public media.

- The type is read from the bytes (Pillow for images, the ``%PDF-`` header for
  PDF), never from the file name or the browser's content type.
- Images are decoded and encoded again: EXIF (with GPS positions), comments and
  anything appended to the image are dropped; the orientation is applied first.
- Files are stored under a random name in a private storage
  (``SLUSS_WAGTAIL_ATTACHMENT_STORAGE`` or ``SLUSS_WAGTAIL_ATTACHMENT_ROOT``),
  never in MEDIA_ROOT, and served only through a permission-checked admin view.
"""

import hashlib
import io
import os
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from .conf import sluss_settings

#: Pillow's format name for each image content type, and the file extension.
IMAGE_FORMATS = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/gif": ("GIF", "gif"),
    "image/webp": ("WEBP", "webp"),
}
PDF = "application/pdf"
KNOWN_TYPES = frozenset({*IMAGE_FORMATS, PDF})
EXTENSIONS = {**{kind: ext for kind, (_fmt, ext) in IMAGE_FORMATS.items()}, PDF: "pdf"}
#: More pixels than this is a decompression bomb, not a photo of a park bench.
MAX_PIXELS = 50_000_000
ORIGINAL_NAME_MAX_LENGTH = 100
PRIVATE_FOLDER = "sluss_wagtail_private"


class AttachmentError(ValueError):
    """A file that cannot be accepted; the message is for the person who sent it."""


class ImageTooLarge(Exception):
    """A picture whose decoded pixels would pass ``ATTACHMENT_MAX_DECODED_BYTES``."""


#: Bytes per pixel as Pillow holds a decoded image: one for grey and palette pictures,
#: two for 16-bit grey, four for everything else (RGB too is stored in four).
ONE_BYTE_MODES = frozenset({"1", "L", "P"})
FOUR_BYTE_MODES = frozenset(
    {"LA", "La", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB", "HSV", "I", "F"}
)


def bytes_per_pixel(mode):
    if mode in ONE_BYTE_MODES:
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4 if mode in FOUR_BYTE_MODES else 8  # an unknown mode: assume the worst


def cleaned_mode(fmt, mode):
    """The mode ``reencode`` draws a picture of ``mode`` in, to save it as ``fmt``."""
    if fmt == "JPEG":
        return mode if mode in ("RGB", "L") else "RGB"
    if fmt in ("PNG", "WEBP"):
        return mode if mode in ("RGB", "RGBA", "L", "LA", "P") else "RGBA"
    return mode  # GIF: saved as it was read


def decoded_size(width, height, mode, fmt):
    """Bytes the pixels take once decoded, in the larger of the read and the saved mode
    (a GIF that is not a palette picture gets one when it is saved)."""
    saved = cleaned_mode(fmt, mode) if fmt != "GIF" or mode in ONE_BYTE_MODES else "RGB"
    per_pixel = max(bytes_per_pixel(mode), bytes_per_pixel(saved))
    return width * height * per_pixel


def default_root():
    """The private folder: ``sluss_wagtail_private`` beside MEDIA_ROOT, never inside it."""
    if sluss_settings.ATTACHMENT_ROOT:
        return Path(sluss_settings.ATTACHMENT_ROOT)
    media_root = Path(settings.MEDIA_ROOT or os.getcwd()).resolve()
    return media_root.parent / PRIVATE_FOLDER


def get_backend():
    alias = sluss_settings.ATTACHMENT_STORAGE
    if alias:
        return storages[alias]
    # base_url=None: the files have no public address.
    return FileSystemStorage(location=default_root(), base_url=None)


@deconstructible
class AttachmentStorage(Storage):
    """Hands every call to the configured storage, read when it is used.

    The model field keeps one storage object; this one follows the settings,
    so a site (or a test) can change them without a migration.
    """

    def _backend(self):
        return get_backend()

    def _open(self, name, mode="rb"):
        return self._backend().open(name, mode)

    def _save(self, name, content):
        return self._backend().save(name, content)

    def get_available_name(self, name, max_length=None):
        return self._backend().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self._backend().generate_filename(filename)

    def delete(self, name):
        return self._backend().delete(name)

    def exists(self, name):
        return self._backend().exists(name)

    def size(self, name):
        return self._backend().size(name)

    def url(self, name):
        # No public address: the admin's download view serves the file.
        raise NotImplementedError("Attachments have no public URL.")

    def path(self, name):
        return self._backend().path(name)


attachment_storage = AttachmentStorage()


def get_attachment_storage():
    return attachment_storage


def attachment_upload_to(instance, filename):
    """A random name: nothing of the sender's file name reaches the disk."""
    extension = EXTENSIONS.get(instance.content_type, "bin")
    return f"sluss_wagtail/attachments/{secrets.token_hex(16)}.{extension}"


def clean_original_name(name, content_type):
    """The sender's file name, safe to show and to offer as a download name."""
    name = unicodedata.normalize("NFC", str(name or ""))
    # Only the last part of a path, whichever separator the sender's system used.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable())
    stem, _dot, _extension = name.rpartition(".")
    stem = get_valid_filename(stem or name) if (stem or name).strip(". ") else ""
    stem = stem.strip("._-")[: ORIGINAL_NAME_MAX_LENGTH - 6] or "bilaga"
    return f"{stem}.{EXTENSIONS[content_type]}"


@dataclass
class CleanFile:
    """A checked file, ready to be stored."""

    content: bytes
    content_type: str
    original_name: str

    @property
    def size(self):
        return len(self.content)

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()

    def as_content_file(self):
        return ContentFile(self.content, name=self.original_name)


def allowed_types():
    return [kind for kind in sluss_settings.ATTACHMENT_TYPES if kind in KNOWN_TYPES]


def describe_allowed_types():
    """The allowed kinds of file in words, e.g. "JPG, PNG, GIF, WEBP or PDF"."""
    names = [EXTENSIONS[kind].upper() for kind in allowed_types()]
    if len(names) < 2:
        return "".join(names)
    return _("%(list)s or %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def read_upload(upload, max_bytes):
    if upload.size is not None and upload.size > max_bytes:
        raise too_big(upload.name, max_bytes)
    upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_big(upload.name, max_bytes)
    if not content:
        raise AttachmentError(
            _("The file “%(name)s” is empty. Choose another file.")
            % {"name": clean_display_name(upload.name)}
        )
    return content


def clean_display_name(name):
    return clean_original_name(name, PDF).removesuffix(".pdf")


def too_big(name, max_bytes):
    return AttachmentError(
        _("The file “%(name)s” is larger than %(size)s MB. Choose a smaller file.")
        % {"name": clean_display_name(name), "size": f"{max_bytes / (1024 * 1024):g}"}
    )


def not_allowed(name):
    return AttachmentError(
        _("The file “%(name)s” must be a %(types)s file.")
        % {"name": clean_display_name(name), "types": describe_allowed_types()}
    )


def clean_upload(upload):
    """Check and clean one uploaded file; raises ``AttachmentError`` with a message."""
    content = read_upload(upload, int(sluss_settings.ATTACHMENT_MAX_BYTES))
    types = allowed_types()
    if content.startswith(b"%PDF-"):
        # A PDF ends with %%EOF (maybe followed by whitespace); a file that only
        # starts like one is something else.
        if PDF not in types or b"%%EOF" not in content[-1024:]:
            raise not_allowed(upload.name)
        return CleanFile(content, PDF, clean_original_name(upload.name, PDF))
    try:
        image, content_type = open_image(content, types)
    except ImageTooLarge:
        raise too_many_pixels(upload.name) from None
    if image is None:
        raise not_allowed(upload.name)
    del content  # the encoded bytes are not needed while the picture is drawn again
    return CleanFile(
        reencode(image, content_type), content_type, clean_original_name(upload.name, content_type)
    )


def too_many_pixels(name):
    # In megapixels of a colour picture (4 bytes a pixel), the way a camera counts.
    megapixels = int(sluss_settings.ATTACHMENT_MAX_DECODED_BYTES) / 4 / 1_000_000
    return AttachmentError(
        _(
            "The picture “%(name)s” has too many pixels. Make it smaller, at most about "
            "%(megapixels)s megapixels, and choose it again."
        )
        % {"name": clean_display_name(name), "megapixels": f"{max(megapixels, 1):.0f}"}
    )


def open_image(content, types):
    """The decoded image and its content type, or (None, None) for anything else.

    Raises ``ImageTooLarge`` from the header alone, before a pixel is decoded, when the
    decoded picture would pass ``SLUSS_WAGTAIL_ATTACHMENT_MAX_DECODED_BYTES``.
    """
    from PIL import Image, UnidentifiedImageError

    formats = {IMAGE_FORMATS[kind][0]: kind for kind in types if kind in IMAGE_FORMATS}
    if not formats:
        return None, None
    limit = int(sluss_settings.ATTACHMENT_MAX_DECODED_BYTES)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=list(formats)) as probe:
                if decoded_size(probe.width, probe.height, probe.mode, probe.format) > limit:
                    raise ImageTooLarge
                if probe.width * probe.height > MAX_PIXELS:
                    return None, None
                probe.verify()
            image = Image.open(io.BytesIO(content), formats=list(formats))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit, met while reading the header: too many pixels as well.
        raise ImageTooLarge from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        return None, None
    return image, formats[image.format]


def reencode(image, content_type):
    """The image drawn again, turned the right way up, without metadata.

    Never more than two copies of the pixels at once (the bound in ``open_image`` is
    per copy): the picture is turned in place, the original is closed as soon as it
    is converted, and the metadata is dropped without copying the pixels.
    """
    from PIL import ImageOps

    fmt = IMAGE_FORMATS[content_type][0]
    ImageOps.exif_transpose(image, in_place=True)
    transparency = image.info.get("transparency")
    mode = cleaned_mode(fmt, image.mode)
    if mode != image.mode:
        converted = image.convert(mode)
        image.close()
        image = converted
    # Only the pixels are saved: no EXIF, XMP, ICC, comments or text chunks (the
    # encoders read them from ``info``).
    image.info = {}
    if image.mode == "P" and transparency is not None:
        image.info["transparency"] = transparency
    output = io.BytesIO()
    options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
    image.save(output, format=fmt, **options)
    image.close()
    return output.getvalue()
