"""Resized, metadata-free copies of photos for the public site.

One decode per photo. A JPEG is opened in draft mode at the largest size needed: libjpeg scales
by 1/2, 1/4 or 1/8 while decoding, so a 20-megapixel original is decoded at 5 megapixels when the
largest rendition is 1920 pixels wide. The EXIF orientation is applied once, on that first
resized image. Each smaller width is then derived from a larger one at least twice its width
(``reducing_gap`` lets Pillow box-reduce first and finish with Lanczos), and the encodings run on
two threads (Pillow releases the GIL while it encodes).

Colours are made 8-bit sRGB once: every mode a press office sends (bilevel,
grey, palette, 16-bit grey, CMYK, with or without transparency) becomes 8-bit RGB or RGBA, 16-bit
samples scaled to 8 bits rather than clipped, and an embedded ICC profile (Adobe RGB, Display P3, a
grey or CMYK profile) converted to sRGB, which is what browsers assume of an untagged image.

What leaves this module carries no metadata of the original (no GPS, no camera serial, no
EXIF at all but ours): only the credit, creator and copyright notice, written into fresh EXIF and
XMP so the file keeps its credit wherever it is copied.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import Image, ImageCms, ImageOps

from media.uploads import SIXTEEN_BIT_MODES, open_image

WIDTHS = (1920, 1280, 960, 640, 320)
#: Encoder settings per format. WebP at quality 80 / method 4 and JPEG at 82 progressive with
#: optimised Huffman tables: visibly the same as the source at these sizes (docs/performance.md).
#: AVIF is left out: measured at 6-10× the WebP encoding time for 10-20 % fewer bytes.
FORMATS = {
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
#: Each width is resized from the smallest already-made width at least this many times larger.
DERIVE_FACTOR = 2.0
#: Box-reduce by integer factors first, then Lanczos over the last ×2 at most (quality ≈ plain Lanczos).
REDUCING_GAP = 2.0

#: 8-bit modes kept through resizing; an ICC profile is applied to them afterwards.
_WORKING = {"1": "L", "La": "LA", "PA": "RGBA", "RGBa": "RGBA", "RGBX": "RGB", "YCbCr": "RGB"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298
EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Rendered:
    width: int
    height: int
    format: str
    data: bytes


@dataclass(frozen=True)
class Credits:
    """What every public file says about itself."""

    credit: str = ""
    creator: str = ""
    copyright_notice: str = ""

    @property
    def copyright_line(self) -> str:
        parts = [self.credit, self.copyright_notice]
        return " — ".join(dict.fromkeys(part for part in parts if part))


def target_widths(original_width: int, widths: Iterable[int] = WIDTHS) -> list[int]:
    """Widths to produce, largest first, never upscaled; a photo narrower than all keeps its own width."""
    chosen = sorted((width for width in widths if width <= original_width), reverse=True)
    return chosen or [original_width]


def _exif(credits: Credits) -> bytes:
    """Fresh EXIF with only Artist and Copyright, in UTF-8 (as cameras and exiftool write them)."""
    exif = Image.Exif()
    if credits.creator:
        exif[EXIF_ARTIST] = credits.creator.encode("utf-8")
    if credits.copyright_line:
        exif[EXIF_COPYRIGHT] = credits.copyright_line.encode("utf-8")
    return exif.tobytes()


def _xmp(credits: Credits) -> bytes:
    """A minimal XMP packet: IPTC Credit Line, creator and rights, readable by exiftool and photo desks."""
    fields = []
    if credits.credit:
        fields.append(f"<photoshop:Credit>{escape(credits.credit)}</photoshop:Credit>")
    if credits.creator:
        fields.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(credits.creator)}</rdf:li></rdf:Seq></dc:creator>")
    if credits.copyright_line:
        fields.append(
            '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{escape(credits.copyright_line)}</rdf:li></rdf:Alt></dc:rights>"
        )
    if not fields:
        return b""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"{''.join(fields)}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")


def _encode(image: Image.Image, fmt: str, exif: bytes, xmp: bytes, icc: bytes | None = None) -> bytes:
    options = dict(FORMATS[fmt])
    if fmt == "jpeg" and image.mode != "RGB":
        image = _flatten(image)
    if exif:
        options["exif"] = exif
    if xmp:
        options["xmp"] = xmp
    if icc:
        options["icc_profile"] = icc
    buffer = io.BytesIO()
    image.save(buffer, **options)
    return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent areas on white, for JPEG."""
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _eight_bit(image: Image.Image) -> Image.Image:
    """The decoded pixels as 8-bit L, LA, RGB, RGBA or CMYK, transparency kept.

    16-bit samples are scaled to 0-255: Pillow's own conversion clips them, which turns everything
    above 255 out of 65535 (almost the whole picture) white.
    """
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode in SIXTEEN_BIT_MODES:
        return image.convert("I").point(lambda value: value * (255 / 65535) + 0.5).convert("L")
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode in _WORKING:
        return image.convert(_WORKING[mode])
    raise ValueError(f"unsupported image mode {mode}")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA in sRGB: the embedded profile, if any, converted; a profile that cannot be read
    or does not fit the pixels (an RGB profile on a grey image) is ignored, as browsers do."""
    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    colour = image.convert(image.mode[:-1]) if alpha is not None else image
    converted = None
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(colour, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None
    if converted is None:
        converted = colour if colour.mode == "RGB" else colour.convert("RGB")
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _resize(image: Image.Image, width: int, aspect: float | None = None) -> Image.Image:
    """Resize to ``width``; the height follows the original's ``aspect`` (height / width), not the
    rounded size of an intermediate, so every rendition has the height a direct resize would give."""
    height = max(1, round(width * (aspect if aspect else image.height / image.width)))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def render_sizes(
    source, credits: Credits = Credits(), widths: Iterable[int] = WIDTHS, formats: Iterable[str] = tuple(FORMATS)
) -> list[Rendered]:
    """Every (width, format) rendition of an image file, largest first. Decodes the source once."""
    formats = list(formats)
    with open_image(source) as opened:
        orientation = opened.getexif().get(EXIF_ORIENTATION, 1)
        swapped = orientation in (5, 6, 7, 8)
        upright_width = opened.height if swapped else opened.width
        aspect = (opened.width / opened.height) if swapped else (opened.height / opened.width)
        chosen = target_widths(upright_width, widths)
        # The largest rendition, in the stored (not yet rotated) orientation.
        stored_width = chosen[0] if not swapped else round(chosen[0] * opened.width / opened.height)
        if opened.format == "JPEG" and stored_width < opened.width:
            # libjpeg decodes at the smallest 1/2, 1/4 or 1/8 scale still at least this large.
            scale = stored_width / opened.width
            opened.draft("RGB", (math.ceil(opened.width * scale), math.ceil(opened.height * scale)))
        icc = opened.info.get("icc_profile")
        decoded = _eight_bit(opened)
        # Resize before rotating: a quarter turn of the 1920-pixel image is cheaper than of the decoded one.
        stored_aspect = 1 / aspect if swapped else aspect
        largest = _resize(decoded, stored_width, stored_aspect) if decoded.width != stored_width else decoded.copy()
        del decoded

    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)
    if method is not None:
        largest = largest.transpose(method)
    if largest.width != chosen[0]:  # rounding after a quarter turn
        largest = _resize(largest, chosen[0], aspect)
    largest = _to_srgb(largest, icc)  # once, on the largest: smaller ones are derived from it

    images = [largest]
    for width in chosen[1:]:
        parent = min((im for im in images if im.width >= width * DERIVE_FACTOR), key=lambda im: im.width, default=None)
        images.append(_resize(parent or images[0], width, aspect))

    exif, xmp = _exif(credits), _xmp(credits)
    jobs = [(image, fmt) for image in images for fmt in formats]
    with ThreadPoolExecutor(max_workers=2) as pool:
        encoded = list(pool.map(lambda job: _encode(job[0], job[1], exif, xmp), jobs))
    return [
        Rendered(width=image.width, height=image.height, format=fmt, data=data)
        for (image, fmt), data in zip(jobs, encoded, strict=True)
    ]


def plain_render_sizes(source_path, credits: Credits = Credits()) -> list[Rendered]:
    """The naive pipeline, for comparison in bench/renditions.py: open, orient and resize per size."""
    results = []
    exif, xmp = _exif(credits), _xmp(credits)
    with Image.open(source_path) as probe:
        upright = ImageOps.exif_transpose(probe)
        widths = target_widths(upright.width)
    for width in widths:
        for fmt in FORMATS:
            with Image.open(source_path) as opened:
                image = ImageOps.exif_transpose(opened).convert("RGB")
                height = max(1, round(image.height * width / image.width))
                image = image.resize((width, height), Image.Resampling.LANCZOS)
                results.append(Rendered(width, height, fmt, _encode(image, fmt, exif, xmp, None)))
    return results
