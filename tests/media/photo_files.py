"""Real image files for photo tests, made with Pillow (and exiftool for metadata)."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

EXIFTOOL = shutil.which("exiftool")


def noisy_image(width=640, height=480, seed=1, mode="RGB") -> Image.Image:
    """Photographic enough to resist compression (so sizes and truncation behave like a photo)."""
    random.seed(seed)
    base = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    image = Image.merge("RGB", (base, noise, Image.blend(base, noise, 0.5)))
    return image.convert(mode) if mode != "RGB" else image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(width=640, height=480, **options) -> bytes:
    return encode(noisy_image(width, height), "JPEG", quality=85, **options)


def files_under(root: Path) -> list[str]:
    """Every file below ``root``, relative, sorted."""
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _dirs, names in os.walk(root) for name in names
    )


def exiftool(data: bytes, *arguments: str, suffix: str = ".jpg", tmp_path: Path) -> bytes:
    """Write metadata into image bytes with Debian's exiftool, as a photo desk would."""
    if EXIFTOOL is None:
        pytest.fail("exiftool is needed to write test fixtures: apt-get install libimage-exiftool-perl")
    path = tmp_path / f"fixture{suffix}"
    path.write_bytes(data)
    subprocess.run(
        [EXIFTOOL, "-q", "-overwrite_original", "-charset", "iptc=UTF8", "-codedcharacterset=UTF8", *arguments, path],
        check=True,
        capture_output=True,
    )
    written = path.read_bytes()
    path.unlink()
    return written


def inline_management_data(response) -> dict:
    """The management-form fields of every inline on an admin page, as the browser would post them."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = management.initial.get(name, field.initial) or 0
    return data
