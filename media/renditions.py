"""Resized, metadata-free copies of photos for the public site.

One decode per photo: a JPEG is opened in draft mode at the largest size needed (the decoder scales
by 1/2, 1/4 or 1/8 while decoding), and each smaller width is derived from the previous, larger one.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from media.models import Photo, Rendition

WIDTHS = (1920, 1280, 960, 640, 320)
FORMATS = {
    Rendition.Format.WEBP: {"format": "WEBP", "quality": 80, "method": 4},
    Rendition.Format.JPEG: {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}


def target_widths(original_width: int) -> list[int]:
    """Widths to produce, largest first, never upscaled; a photo narrower than 320 keeps its own width."""
    widths = [width for width in WIDTHS if width <= original_width]
    return widths or [original_width]


def _encode(image: Image.Image, fmt: str, credit: str) -> bytes:
    options = dict(FORMATS[fmt])
    exif = Image.Exif()
    if credit:
        exif[0x8298] = credit  # Copyright: the credit travels with the file
    buffer = io.BytesIO()
    image.save(buffer, exif=exif.tobytes(), **options)
    return buffer.getvalue()


def render_sizes(source, credit: str = "") -> list[tuple[int, int, str, bytes]]:
    """Return (width, height, format, bytes) for every rendition of an image file."""
    with Image.open(source) as opened:
        rotated = opened.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF orientation swaps the sides
        upright_width = opened.height if rotated else opened.width
        widths = target_widths(upright_width)
        if opened.format == "JPEG":
            scale = widths[0] / upright_width
            opened.draft("RGB", (round(opened.width * scale), round(opened.height * scale)))
        image = ImageOps.exif_transpose(opened).convert("RGB")
    results = []
    current = image
    for width in widths:
        if current.width != width:
            height = max(1, round(current.height * width / current.width))
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for fmt in FORMATS:
            results.append((width, current.height, fmt, _encode(current, fmt, credit)))
    return results


def generate_renditions(photo: Photo) -> int:
    """Create the missing renditions of ``photo``; return how many were made. Safe to run twice."""
    existing = set(photo.renditions.values_list("width", "format"))
    made = 0
    with photo.image.open("rb") as source:
        for width, height, fmt, data in render_sizes(source, photo.credit):
            if (width, fmt) in existing:
                continue
            with transaction.atomic():
                rendition = Rendition(photo=photo, width=width, height=height, format=fmt, size_bytes=len(data))
                rendition.file.save(f"{width}.{fmt}", ContentFile(data), save=False)
                _, created = Rendition.objects.get_or_create(
                    photo=photo,
                    width=width,
                    format=fmt,
                    defaults={"height": height, "file": rendition.file.name, "size_bytes": len(data)},
                )
                if created:
                    made += 1
                else:
                    rendition.file.delete(save=False)
    return made
