"""Real image files for photo tests, made with Pillow (and exiftool for metadata)."""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
import zlib
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


def png_16bit(width: int, height: int, colour_type: int, samples) -> bytes:
    """A 16-bit PNG written by hand (Pillow writes 16 bits only for grey): ``samples(x, y)`` gives the
    16-bit values of one pixel; colour type 0 grey, 2 RGB, 4 grey and alpha, 6 RGBA."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(struct.pack(f">{len(s)}H", *s) for s in (samples(x, y) for x in range(width)))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


D50 = (0.9642, 1.0, 0.8249)


def icc_profile(description: str, colorants=None, gamma: float | None = None, srgb_curve: bool = False) -> bytes:
    """A display ICC profile (version 2.1) built from its definition: an RGB profile from its D50-adapted
    colorants and tone curve, or a grey one (no colorants) from its gamma. Enough for LittleCMS, as in
    the profiles photo editors embed (Adobe RGB (1998), Display P3)."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(v) for v in values)

    if srgb_curve:  # IEC 61966-2-1, as a parametric curve of type 3
        curve = b"para\0\0\0\0" + struct.pack(">HH", 3, 0)
        curve += b"".join(s15(v) for v in (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045))
    else:
        curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    ascii_text = description.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(ascii_text)) + ascii_text + b"\0" * (4 + 4 + 2 + 1 + 67)
    tags = [(b"desc", desc), (b"wtpt", xyz(D50))]
    if colorants:
        tags += [(b"rXYZ", xyz(colorants[0])), (b"gXYZ", xyz(colorants[1])), (b"bXYZ", xyz(colorants[2]))]
        tags += [(b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    else:
        tags += [(b"kTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntr"
    header += (b"RGB " if colorants else b"GRAY") + b"XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 24
    header += struct.pack(">I", 0) + b"".join(s15(v) for v in D50) + b"\0" * 48
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


#: Adobe RGB (1998): gamma 563/256, colorants adapted to D50 (Adobe's specification, annex).
ADOBE_RGB = icc_profile(
    "Adobe RGB (1998) test",
    colorants=((0.60974, 0.31111, 0.01947), (0.20528, 0.62567, 0.06087), (0.14919, 0.06322, 0.74457)),
    gamma=563 / 256,
)
#: Display P3 (Apple): DCI-P3 primaries, D65 white adapted to D50, the sRGB tone curve.
DISPLAY_P3 = icc_profile(
    "Display P3 test",
    colorants=((0.515121, 0.241196, -0.001053), (0.291977, 0.692245, 0.041885), (0.157104, 0.066574, 0.784073)),
    srgb_curve=True,
)
#: A linear grey profile (gamma 1.0), as some scanners embed.
LINEAR_GREY = icc_profile("Linear grey test", gamma=1.0)
