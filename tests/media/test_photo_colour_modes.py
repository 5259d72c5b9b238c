"""Every kind of image a press office sends keeps its picture in the renditions.

Bilevel, grey, palette (with and without transparency), 16-bit grey and colour, RGB, RGBA, CMYK,
and images tagged with an ICC profile (Adobe RGB, Display P3, linear grey) go through the real
upload and the rendition job; the pixels of every WebP and JPEG rendition are compared with what
the source shows, worked out here from how each test image is built: the value of a gradient at
that point, a stripe's colour, or the sRGB value of a colour converted by LittleCMS (ImageCms)
from the profile built in ``photo_files``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageCms

import media.uploads  # noqa: F401 - registers the HEIF opener and saver
from media.services import photo_create_from_upload
from media.tasks import generate_photo_renditions
from tests.media.photo_files import ADOBE_RGB, DISPLAY_P3, LINEAR_GREY, encode, png_16bit

WIDTH, HEIGHT = 640, 160  # renditions 640 and 320 wide: one kept as is, one resized
STRIPES = [(200, 60, 40), (90, 150, 80), (60, 90, 170), (128, 128, 128)]  # in sRGB gamut from both profiles
SRGB = ImageCms.createProfile("sRGB")
WHITE = (255, 255, 255)


def fraction(x: int) -> float:
    """Where pixel column ``x`` of the source lies, from 0 (first column) to 1 (last)."""
    return x / (WIDTH - 1)


def level(u: float) -> float:
    """The left-to-right ramp every gradient draws, dark to light, in 8-bit units."""
    return 255 * u


def stripe(u: float) -> int:
    return min(3, int(u * 4))


def icc_to_srgb(profile: bytes, colour, mode: str = "RGB"):
    """The sRGB value LittleCMS gives for ``colour`` in ``profile`` (the expectation, not the code under test)."""
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    transform = ImageCms.buildTransform(source, SRGB, mode, "RGB")
    return ImageCms.applyTransform(Image.new(mode, (1, 1), colour), transform).getpixel((0, 0))


@dataclass
class Case:
    data: bytes
    name: str
    #: The sRGB colour the source shows at (u, v) in 0..1, and its opacity (None: opaque).
    expected: object
    alpha: object = field(default=lambda u, v: None)
    tolerance: int = 8


def grey_ramp(mode: str = "L", top: int = 255) -> Image.Image:
    image = Image.new(mode, (WIDTH, HEIGHT))
    image.putdata([round(top * fraction(x)) for _y in range(HEIGHT) for x in range(WIDTH)])
    return image


def stripes(colours=STRIPES, mode="RGB") -> Image.Image:
    image = Image.new(mode, (WIDTH, HEIGHT))
    for index, colour in enumerate(colours):
        image.paste(colour, (index * WIDTH // 4, 0, (index + 1) * WIDTH // 4, HEIGHT))
    return image


def lower_half_transparent(image: Image.Image) -> Image.Image:
    alpha = Image.new("L", image.size, 255)
    alpha.paste(0, (0, HEIGHT // 2, WIDTH, HEIGHT))
    image.putalpha(alpha)
    return image


def transparent_below(u, v):
    return 0 if v > 0.5 else 255


def ramp(u, v):
    return (level(u),) * 3


def striped(u, v):
    return STRIPES[stripe(u)]


def cases() -> dict[str, Case]:
    bilevel = stripes([(0,), (255,), (0,), (255,)], mode="L").convert("1", dither=Image.Dither.NONE)
    palette = stripes().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    last_stripe = palette.getpixel((WIDTH - 1, 0))
    cmyk = stripes([(0, 0, 0, 0), (255, 0, 0, 0), (0, 255, 255, 0), (0, 0, 0, 255)], mode="CMYK")
    adobe = [icc_to_srgb(ADOBE_RGB, colour) for colour in STRIPES]
    p3 = [icc_to_srgb(DISPLAY_P3, colour) for colour in STRIPES]
    linear_grey = [icc_to_srgb(LINEAR_GREY, value, mode="L")[0] for value in range(256)]
    return {
        "1 (bilevel) PNG": Case(
            encode(bilevel, "PNG"), "scan.png", lambda u, v: ((0,) * 3, WHITE, (0,) * 3, WHITE)[stripe(u)]
        ),
        "L PNG": Case(encode(grey_ramp(), "PNG"), "grey.png", ramp),
        "L JPEG": Case(encode(grey_ramp(), "JPEG", quality=95), "grey.jpg", ramp),
        "LA PNG": Case(
            encode(lower_half_transparent(grey_ramp().convert("LA")), "PNG"), "grey.png", ramp, transparent_below
        ),
        "P PNG": Case(encode(palette, "PNG"), "palette.png", striped),
        "P PNG with a transparent colour": Case(
            encode(palette, "PNG", transparency=last_stripe),
            "palette.png",
            striped,
            lambda u, v: 0 if stripe(u) == 3 else 255,
        ),
        "I;16 PNG (16-bit grey)": Case(encode(grey_ramp("I;16", 65535), "PNG"), "scan-16bit.png", ramp),
        "16-bit grey and alpha PNG": Case(
            png_16bit(WIDTH, HEIGHT, 4, lambda x, y: (round(65535 * fraction(x)), 0 if y >= HEIGHT // 2 else 65535)),
            "scan-16bit.png",
            ramp,
            transparent_below,
        ),
        "16-bit RGB PNG": Case(
            png_16bit(
                WIDTH, HEIGHT, 2, lambda x, y: (round(65535 * fraction(x)), 0x8080, round(65535 * (1 - fraction(x))))
            ),
            "export-16bit.png",
            lambda u, v: (level(u), 128, level(1 - u)),
        ),
        "16-bit RGBA PNG": Case(
            png_16bit(
                WIDTH,
                HEIGHT,
                6,
                lambda x, y: (0xC8C8, 0x3C3C, round(65535 * fraction(x)), 0 if y >= HEIGHT // 2 else 65535),
            ),
            "export-16bit.png",
            lambda u, v: (200, 60, level(u)),
            transparent_below,
        ),
        "RGB PNG": Case(encode(stripes(), "PNG"), "photo.png", striped),
        "RGB JPEG": Case(encode(stripes(), "JPEG", quality=95), "photo.jpg", striped),
        "RGB WebP": Case(encode(stripes(), "WEBP", quality=95), "photo.webp", striped),
        "RGBA PNG": Case(encode(lower_half_transparent(stripes()), "PNG"), "logo.png", striped, transparent_below),
        "RGBA WebP": Case(
            encode(lower_half_transparent(stripes()), "WEBP", lossless=True), "logo.webp", striped, transparent_below
        ),
        "CMYK JPEG": Case(
            encode(cmyk, "JPEG", quality=95),
            "print.jpg",
            lambda u, v: (WHITE, (0, 255, 255), (255, 0, 0), (0, 0, 0))[stripe(u)],
        ),
        "RGB JPEG in sRGB (profile)": Case(
            encode(stripes(), "JPEG", quality=95, icc_profile=ImageCms.ImageCmsProfile(SRGB).tobytes()),
            "camera.jpg",
            striped,
        ),
        "RGB PNG in Adobe RGB": Case(
            encode(stripes(), "PNG", icc_profile=ADOBE_RGB), "adobe.png", lambda u, v: adobe[stripe(u)]
        ),
        "RGB JPEG in Adobe RGB": Case(
            encode(stripes(), "JPEG", quality=95, icc_profile=ADOBE_RGB), "adobe.jpg", lambda u, v: adobe[stripe(u)]
        ),
        "RGBA PNG in Display P3": Case(
            encode(lower_half_transparent(stripes()), "PNG", icc_profile=DISPLAY_P3),
            "p3.png",
            lambda u, v: p3[stripe(u)],
            transparent_below,
        ),
        "RGB WebP in Display P3": Case(
            encode(stripes(), "WEBP", quality=95, icc_profile=DISPLAY_P3), "p3.webp", lambda u, v: p3[stripe(u)]
        ),
        "RGB AVIF in Display P3": Case(
            encode(stripes(), "AVIF", quality=95, icc_profile=DISPLAY_P3), "p3.avif", lambda u, v: p3[stripe(u)]
        ),
        "RGB HEIC in Display P3 (iPhone)": Case(
            encode(stripes(), "HEIF", quality=95, icc_profile=DISPLAY_P3), "IMG_0001.HEIC", lambda u, v: p3[stripe(u)]
        ),
        "L PNG in linear grey": Case(
            encode(grey_ramp(), "PNG", icc_profile=LINEAR_GREY),
            "scan.png",
            lambda u, v: (linear_grey[round(level(u))],) * 3,
            tolerance=10,  # the curve is steep in the shadows: one level of rounding moves it by up to 3
        ),
    }


CASES = cases()
#: Probes: the middle of each stripe, in the upper (opaque) and lower half.
PROBES = [(u, v) for u in (0.125, 0.375, 0.625, 0.875) for v in (0.25, 0.75)]


def expected_pixel(case: Case, u: float, v: float, fmt: str):
    colour, alpha = tuple(case.expected(u, v)), case.alpha(u, v)
    if fmt == "jpeg" and alpha is not None:  # JPEG has no transparency: on white
        colour = tuple(c * alpha / 255 + 255 * (1 - alpha / 255) for c in colour)
        alpha = None
    return colour, alpha


@pytest.mark.django_db
@pytest.mark.parametrize("label", list(CASES))
def test_every_rendition_shows_the_picture_in_srgb(label):
    case = CASES[label]
    photo = photo_create_from_upload(file=ContentFile(case.data, name=case.name), fields={"credit": "©MAINT"})
    assert generate_photo_renditions.call(photo.pk) == 4
    for rendition in photo.renditions.all():
        with Image.open(rendition.file) as image:
            assert image.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition.format]
            assert "icc_profile" not in image.info  # plain sRGB, as browsers assume of an untagged image
            pixels = image.convert("RGBA")
            for u, v in PROBES:
                # The source point this rendition pixel stands for (the 320-wide one is resized).
                x, y = int(u * image.width), int(v * image.height)
                source_u = ((x + 0.5) * WIDTH / image.width - 0.5) / (WIDTH - 1)
                colour, alpha = expected_pixel(case, source_u, v, rendition.format)
                *rgb, a = pixels.getpixel((x, y))
                if alpha is not None:
                    assert abs(a - alpha) <= 2, (rendition.format, image.width, (u, v), a, alpha)
                if alpha == 0:
                    continue  # no colour to see
                assert all(abs(got - want) <= case.tolerance for got, want in zip(rgb, colour, strict=True)), (
                    rendition.format,
                    image.width,
                    (u, v),
                    tuple(rgb),
                    tuple(round(c) for c in colour),
                )


def test_the_expected_values_differ_from_the_raw_ones():
    """The profile cases would catch a rendition that ignored the profile: the raw values are far off."""
    for profile in (ADOBE_RGB, DISPLAY_P3):
        assert any(
            max(abs(a - b) for a, b in zip(icc_to_srgb(profile, colour), colour, strict=True)) > 20
            for colour in STRIPES
        )
    assert icc_to_srgb(LINEAR_GREY, 64, mode="L")[0] > 64 + 40


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I", "F"])
def test_a_tiff_scan_is_refused_with_the_formats_accepted(mode):
    """TIFF (where 32-bit integer and floating-point images live) is not among the accepted formats:
    the officer is told which are, rather than getting a broken rendition."""
    image = grey_ramp("I" if mode in ("I", "F") else "I;16", 65535)
    image = image.convert("F") if mode == "F" else image
    data = encode(image, "TIFF") if mode != "I;16B" else encode(image.convert("I;16B"), "TIFF")
    with pytest.raises(ValidationError) as refused:
        photo_create_from_upload(file=ContentFile(data, name="scan.tif"), fields={"credit": "©MAINT"})
    assert refused.value.code == "not_an_image"
    assert "JPEG" in refused.value.messages[0] and "PNG" in refused.value.messages[0]
