"""Checks on an uploaded photo before anything is written: the one gate every upload goes through.

The format is sniffed from the content with Pillow, never taken from the file name, and must be
one of JPEG, PNG, WebP, AVIF or HEIC (through pillow-heif); the name's extension must be one that
format uses (a PNG named .jpg is refused, saying so). Refused, with a message a press
officer can act on: empty, oversized, truncated or undecodable files, text or HTML under an image
name, SVG, polyglots (an image with a script, a page or an archive in its metadata segments, or
anything glued after its end; compressed pixels are never searched), animated
images (refused rather than cut to their first frame: a moving image is not a press photo), colour
modes the renditions cannot turn into sRGB (``ACCEPTED_MODES``; 16-bit grey is accepted and scaled), and
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
#: Pillow modes the renditions can turn into 8-bit sRGB (media.renditions); 16-bit grey is scaled, not clipped.
#: (Pillow opens a 16-bit grey PNG as I;16.)
SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})
ACCEPTED_MODES = SIXTEEN_BIT_MODES | {"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "YCbCr", "CMYK"}
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


def _jpeg_structure(data: bytes) -> tuple[list[bytes], int]:
    """APPn and COM segments of a JPEG, and the offset just after its end-of-image marker."""
    segments, pos, size = [], 2, len(data)
    while pos + 2 <= size:
        if data[pos] != 0xFF:
            return segments, pos  # not a marker where one must be: the image ends here
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image
            return segments, pos + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        if pos + 4 > size:
            return segments, size
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            segments.append(data[pos + 4 : pos + 2 + length])
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos == -1 or pos + 1 >= size:
                    return segments, size
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    pos += 1 if following == 0xFF else 2
                    continue
                break
    return segments, min(pos, size)


def _png_structure(data: bytes) -> tuple[list[bytes], int]:
    """Ancillary chunks of a PNG (text, EXIF, XMP...), not the pixel data, and where IEND ends."""
    segments, pos = [], 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind not in (b"IDAT", b"fdAT"):
            segments.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
        if kind == b"IEND":
            break
    return segments, min(pos, len(data))


def _riff_structure(data: bytes) -> tuple[list[bytes], int]:
    """Chunks of a WebP other than the compressed image, and the end the RIFF header declares."""
    end = 8 + int.from_bytes(data[4:8], "little")
    segments, pos = [], 12
    while pos + 8 <= min(end, len(data)):
        kind = data[pos : pos + 4]
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if kind not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            segments.append(data[pos + 8 : pos + 8 + length])
        pos += 8 + length + (length & 1)
    return segments, end


def _isobmff_structure(data: bytes) -> tuple[list[bytes], int]:
    """Top-level boxes of an AVIF or HEIC file except the media data, and where the last box ends."""
    segments, pos, size = [], 0, len(data)
    while pos + 8 <= size:
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        header = 8
        if length == 1 and pos + 16 <= size:
            length, header = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        elif length == 0:
            length = size - pos
        if length < header:
            return segments, pos
        if kind != b"mdat":
            segments.append(data[pos + header : pos + length])
        pos += length
    return segments, min(pos, size)


_STRUCTURES = {"JPEG": _jpeg_structure, "PNG": _png_structure, "WEBP": _riff_structure}


def _smuggled(file, fmt: str) -> bool:
    """True when the file carries something else than an image: markup, script or an archive in its
    metadata segments, or bytes glued after its end.

    Only the metadata parts are searched, never the compressed pixels: in random-looking entropy-coded
    data a four-byte pattern such as ``<svg`` turns up by chance in about one photo of ten megabytes
    in a hundred, which would refuse real photos.
    """
    file.seek(0)
    data = file.read()
    file.seek(0)
    segments, end = _STRUCTURES.get(fmt, _isobmff_structure)(data)
    metadata = _XMP_PACKET.sub(b"", b"\n".join(segments))
    if _POLYGLOT.search(metadata):
        return True
    return bool(data[end:].strip(b"\x00\r\n\t "))


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
            if image.mode not in ACCEPTED_MODES:
                raise ValidationError(
                    _(
                        "Le codage des couleurs de cette image (%(mode)s) n'est pas pris en charge : "
                        "enregistrez-la en RVB."
                    )
                    % {"mode": image.mode},
                    code="colour_mode",
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
    if _smuggled(file, fmt):
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
