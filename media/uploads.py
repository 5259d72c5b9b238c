"""Checks on an uploaded photo before anything is written: the one gate every upload goes through.

The format is sniffed from the content with Pillow, never taken from the file name, and must be
one of JPEG, PNG, WebP, AVIF or HEIC (through pillow-heif). Refused, with a message a press
officer can act on: empty, oversized, truncated or undecodable files, text or HTML under an image
name, SVG, polyglots (an image with a script, a page or an archive inside or appended), animated
images (refused rather than cut to their first frame: a moving image is not a press photo), and
decompression bombs (more than ``settings.PHOTO_MAX_PIXELS`` pixels; Pillow's
``DecompressionBombWarning`` is turned into a refusal too).

Nothing here touches the database or the storage; :func:`media.services.photo_create_from_upload`
saves only what passed.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

try:  # HEIC, as iPhones write it; pillow-heif installs cleanly from its wheel
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_AVAILABLE = True
except ImportError:  # pragma: no cover - the dependency is declared
    HEIF_AVAILABLE = False

#: Pillow format name → (canonical extension, accepted extensions, MIME type)
ACCEPTED = {
    "JPEG": ("jpg", {"jpg", "jpeg", "jpe"}, "image/jpeg"),
    "PNG": ("png", {"png"}, "image/png"),
    "WEBP": ("webp", {"webp"}, "image/webp"),
    "AVIF": ("avif", {"avif"}, "image/avif"),
}
if HEIF_AVAILABLE:
    ACCEPTED["HEIF"] = ("heic", {"heic", "heif"}, "image/heic")

# Markers of another file type hidden in an image: markup or script (shown by a browser that
# sniffs), PHP, or an archive (a JAR or ZIP appended to the image).
_POLYGLOT = re.compile(
    rb"<\s*(?:script|html|svg|iframe|object|embed|body|head|meta|!doctype|\?php|\?xml-stylesheet)\b"
    rb"|javascript:|PK\x03\x04",
    re.IGNORECASE,
)
_XMP_PACKET = re.compile(rb"<\?xpacket begin=.*?<\?xpacket end=[^>]*>", re.DOTALL)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedImage:
    """What the checks learnt about a file that passed them."""

    format: str  # Pillow's name: JPEG, PNG, WEBP, AVIF, HEIF
    extension: str  # the canonical one, from the content
    mime_type: str
    width: int  # after EXIF orientation
    height: int
    sha256: str
    size: int


@contextlib.contextmanager
def open_image(source):
    """Open an image for decoding with the pixel limit as a hard error, only in an accepted format."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source, formats=list(ACCEPTED)) as image:
            if image.width * image.height > settings.PHOTO_MAX_PIXELS:
                raise Image.DecompressionBombError(f"{image.width}×{image.height} pixels")
            yield image


def _read_all(file) -> tuple[str, int]:
    """The SHA-256 and size of an uploaded file, reading it in chunks."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _hidden_content(file) -> bool:
    """True when markup, script or an archive signature sits inside the file (outside its XMP packet)."""
    file.seek(0)
    tail = b""
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        window = _XMP_PACKET.sub(b"", tail + chunk)
        if _POLYGLOT.search(window):
            file.seek(0)
            return True
        tail = chunk[-64:]
    file.seek(0)
    return False


def _trailing_data(file, fmt: str) -> bool:
    """True when bytes follow the end of the image (a ZIP or page glued after a JPEG or PNG)."""
    file.seek(0, 2)
    end = file.tell()
    file.seek(max(0, end - 4096))
    tail = file.read().rstrip(b"\x00\r\n ")
    file.seek(0)
    if fmt == "JPEG":
        return not tail.endswith(b"\xff\xd9")
    if fmt == "PNG":
        return not tail.endswith(b"IEND\xaeB`\x82")
    return False


def check_upload(file, filename: str | None = None) -> CheckedImage:
    """Check an uploaded file (any file-like object with a name); raise ValidationError to refuse it."""
    filename = filename or getattr(file, "name", "") or ""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if size > settings.PHOTO_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.PHOTO_MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    accepted_names = ", ".join(sorted({"JPEG", "PNG", "WebP", "AVIF"} | ({"HEIC"} if HEIF_AVAILABLE else set())))
    not_an_image = ValidationError(
        _("Ce fichier n'est pas une photo dans un format accepté (%(formats)s).") % {"formats": accepted_names},
        code="not_an_image",
    )
    file.seek(0)
    try:
        with open_image(file) as image:
            fmt = image.format
            if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
                raise ValidationError(
                    _("Les images animées ne sont pas acceptées : enregistrez une image fixe."), code="animated"
                )
            orientation = image.getexif().get(0x0112, 1)
            width, height = image.size
            if fmt == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # checks every byte, small memory
            image.load()  # a truncated or corrupt file fails here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _(
                "L'image compte trop de pixels : la limite est de %(limit)s mégapixels. "
                "Réduisez-la avant de la téléverser."
            )
            % {"limit": f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}"},
            code="too_many_pixels",
        ) from error
    except UnidentifiedImageError as error:
        raise not_an_image from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError) as error:
        # Pillow reports broken data with any of these, depending on the format and the damage.
        raise ValidationError(
            _("Le fichier est tronqué ou endommagé : l'image ne peut pas être lue entièrement."), code="corrupt"
        ) from error
    finally:
        file.seek(0)

    if fmt not in ACCEPTED:
        raise not_an_image
    extension, extensions, mime_type = ACCEPTED[fmt]
    given = PurePath(filename).suffix.lower().lstrip(".")
    if given not in extensions:
        raise ValidationError(
            _("Le nom du fichier (« .%(given)s ») ne correspond pas à son contenu, une image %(format)s.")
            % {"given": given or "?", "format": fmt},
            code="extension_mismatch",
        )
    if _hidden_content(file) or _trailing_data(file, fmt):
        raise ValidationError(
            _("Le fichier contient autre chose qu'une image (du code, une page ou une archive) : il est refusé."),
            code="polyglot",
        )
    sha256, size = _read_all(file)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return CheckedImage(
        format=fmt, extension=extension, mime_type=mime_type, width=width, height=height, sha256=sha256, size=size
    )


# Pillow may stop on a truncated file only when asked to load it all; never paper over it.
ImageFile.LOAD_TRUNCATED_IMAGES = False
