"""A realistic test photograph, drawn with Pillow alone (no NumPy).

A flat colour compresses to nothing and resizes in no time, which flatters any pipeline. This
image has what press photos have: smooth sky-like gradients, mid-frequency shapes (people, a
lectern, flags), fine texture and sensor noise at full resolution, so a JPEG of it weighs what a
camera file weighs (several megabytes for 20 megapixels) and every resampling step does real work.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter


def photographic_image(width: int = 5472, height: int = 3648, seed: int = 2024) -> Image.Image:
    """An RGB image of ``width`` × ``height`` that looks and compresses like a photograph."""
    rng = random.Random(seed)
    # Low frequencies: a vertical sky gradient blended with a radial light fall-off.
    sky = Image.linear_gradient("L").resize((width, height))
    vignette = Image.radial_gradient("L").resize((width, height))
    red = Image.blend(sky, vignette, 0.35).point(lambda v: 40 + v * 0.55)
    green = Image.blend(sky, vignette, 0.5).point(lambda v: 60 + v * 0.5)
    blue = sky.point(lambda v: 200 - v * 0.45)
    image = Image.merge("RGB", (red, green, blue))

    # Mid frequencies: soft-edged figures, a lectern, flags and windows.
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x = rng.randrange(0, width)
        w = rng.randrange(width // 20, width // 8)
        top = rng.randrange(height // 3, height // 2)
        colour = tuple(rng.randrange(20, 200) for _ in range(3))
        draw.ellipse([x, top, x + w // 2, top + w // 2], fill=(224, 172, 140))  # a face
        draw.rectangle([x - w // 4, top + w // 2, x + w * 3 // 4, height], fill=colour)  # a suit
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height // 3)
        draw.rectangle([x, y, x + rng.randrange(40, 300), y + rng.randrange(40, 300)], outline=(240, 240, 230), width=6)
    for i in range(6):
        x = width // 10 + i * width // 7
        draw.rectangle([x, height // 10, x + 180, height // 10 + 120], fill=(0, 51, 153))
        for star in range(12):
            draw.ellipse([x + 20 + star * 12, height // 10 + 50, x + 28 + star * 12, height // 10 + 58], fill="gold")
    image = image.filter(ImageFilter.GaussianBlur(3))

    # High frequencies: fine texture (fabric, hair, carpet) and sensor noise, blended in.
    texture = Image.effect_noise((width // 4, height // 4), 60).resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 18)
    detail = Image.merge("RGB", (texture, Image.blend(texture, grain, 0.5), grain))
    return Image.blend(image, detail, 0.18)


def photographic_jpeg(width: int = 5472, height: int = 3648, quality: int = 92, exif: bytes | None = None) -> bytes:
    """The image above as camera-like JPEG bytes (4:2:0, quality 92)."""
    buffer = io.BytesIO()
    options = {"quality": quality}
    if exif:
        options["exif"] = exif
    photographic_image(width, height).save(buffer, "JPEG", **options)
    return buffer.getvalue()
