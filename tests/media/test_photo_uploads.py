"""Uploads through the real admin form: bad files refused with their message, leaving nothing behind."""

from __future__ import annotations

import struct
import zlib

import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image

from media.models import Photo
from tests.media.photo_files import encode, files_under, jpeg, noisy_image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` in a few hundred bytes: the shape of a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = zlib.compress(b"\x00" * 64)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def animated_webp() -> bytes:
    frames = [noisy_image(64, 48, seed=i) for i in range(3)]
    return encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0)


def animated_png() -> bytes:
    frames = [noisy_image(64, 48, seed=i) for i in range(2)]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100)


def gif() -> bytes:
    return encode(noisy_image(64, 48).convert("P"), "GIF")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
ZIP = b"PK\x03\x04" + b"\x14\x00" * 20 + b"payload.jsp" + b"\x00" * 40

BAD_FILES = {
    # name: (file name, bytes or a callable, expected words of the message)
    "zero-byte": ("vide.jpg", b"", "vide"),
    "text renamed .jpg": ("notes.jpg", "Compte rendu de la réunion.\n".encode() * 40, "pas une photo"),
    "html renamed .jpg": ("page.jpg", HTML, "pas une photo"),
    "svg": ("logo.svg", SVG, "pas une photo"),
    "svg renamed .jpg": ("logo.jpg", SVG, "pas une photo"),
    "pdf renamed .jpg": ("scan.jpg", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "pas une photo"),
    "gif": ("anim.gif", gif, "pas une photo"),
    "truncated jpeg": ("coupe.jpg", lambda: jpeg()[: len(jpeg()) // 2], "tronqué"),
    "jpeg cut after its header": ("entete.jpg", lambda: jpeg()[:600], "tronqué"),
    "truncated png": ("coupe.png", lambda: encode(noisy_image(), "PNG")[:5000], "tronqué"),
    "decompression bomb (png header)": ("bombe.png", lambda: png_header_only(20_000, 20_000), "mégapixels"),
    "animated webp": ("anime.webp", animated_webp, "animées"),
    "animated png": ("anime.png", animated_png, "animées"),
    "jpeg + zip appended": ("polyglotte.jpg", lambda: jpeg() + ZIP, "autre chose qu'une image"),
    "jpeg + html appended": ("polyglotte2.jpg", lambda: jpeg() + HTML, "autre chose qu'une image"),
    "jpeg with a script in its comment": (
        "commentaire.jpg",
        lambda: jpeg(comment=b"<script>alert(1)</script>"),
        "autre chose qu'une image",
    ),
    "png content named .jpg": ("vraiment-png.jpg", lambda: encode(noisy_image(), "PNG"), "ne correspond pas"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_with_its_message_and_nothing_is_left(case, post_photo, media_root):
    name, data, message = BAD_FILES[case]
    data = data() if callable(data) else data
    response = post_photo(data, name=name)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "image" in errors, errors
    assert message in " ".join(errors["image"])
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused(post_photo, media_root, settings):
    data = jpeg(800, 600)
    settings.PHOTO_MAX_UPLOAD_BYTES = len(data) - 1
    response = post_photo(data)
    assert response.status_code == 200
    assert "la limite est de" in " ".join(response.context["adminform"].form.errors["image"])
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []


@pytest.mark.django_db
def test_pillow_decompression_bomb_warning_is_a_refusal(post_photo, media_root, settings):
    """Even with our own limit raised, Pillow's warning (its limit is set to ours at start-up) refuses."""
    settings.PHOTO_MAX_PIXELS = 10**12
    response = post_photo(png_header_only(12_000, 12_000), name="bombe.png")  # 144 MP > 100 MP
    assert "mégapixels" in " ".join(response.context["adminform"].form.errors["image"])
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []


@pytest.mark.django_db
def test_a_lower_pixel_limit_applies(post_photo, media_root, settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    response = post_photo(jpeg(200, 200))
    assert "0.01 mégapixels" in " ".join(response.context["adminform"].form.errors["image"])
    assert files_under(media_root) == []


def heic() -> bytes:
    return encode(noisy_image(320, 240), "HEIF")


GOOD_FILES = {
    "jpeg": ("photo.jpg", lambda: jpeg(), "JPEG", ".jpg"),
    "jpeg, upper-case .JPEG": ("PHOTO.JPEG", lambda: jpeg(), "JPEG", ".jpg"),
    "png": ("photo.png", lambda: encode(noisy_image(320, 240), "PNG"), "PNG", ".png"),
    "png with transparency": ("logo.png", lambda: encode(noisy_image(320, 240, mode="RGBA"), "PNG"), "PNG", ".png"),
    "webp": ("photo.webp", lambda: encode(noisy_image(320, 240), "WEBP"), "WEBP", ".webp"),
    "avif": ("photo.avif", lambda: encode(noisy_image(320, 240), "AVIF"), "AVIF", ".avif"),
    "heic": ("IMG_0001.HEIC", heic, "HEIF", ".heic"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(GOOD_FILES))
def test_accepted_formats_are_stored_privately_and_renditions_queued(
    case, post_photo, media_root, django_capture_on_commit_callbacks
):
    name, data, fmt, suffix = GOOD_FILES[case]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photo(data(), name=name)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert photo.original_filename == name
    assert photo.image.name.startswith("originals/") and photo.image.name.endswith(suffix)
    assert name.split(".")[0] not in photo.image.name  # the stored name tells nothing
    assert len(photo.file_hash) == 64
    with Image.open(photo.image.path) as stored:
        assert stored.format == fmt
        assert (photo.width, photo.height) == stored.size
    assert files_under(media_root) == [photo.image.name]
    job = DBTaskResult.objects.get()
    assert job.task_path == "media.tasks.generate_photo_renditions"
    assert job.args_kwargs["args"] == [photo.pk]


@pytest.mark.django_db
def test_orientation_swaps_the_recorded_size(post_photo, tmp_path):
    from tests.media.photo_files import exiftool

    data = exiftool(jpeg(600, 400), "-Orientation#=6", tmp_path=tmp_path)
    assert post_photo(data).status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (400, 600)


@pytest.mark.django_db
def test_french_alt_text_is_required_in_the_admin(post_photo, media_root):
    response = post_photo(jpeg(), alt_text_fr="")
    assert response.status_code == 200
    assert "alt_text_fr" in response.context["adminform"].form.errors
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []


@pytest.mark.django_db
def test_credit_is_required_when_the_file_has_none(post_photo, media_root):
    response = post_photo(jpeg(), credit="")
    assert "credit" in response.context["adminform"].form.errors
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []


def test_markup_in_compressed_pixels_is_chance_not_smuggling():
    """Entropy-coded data may contain '<svg' by chance; only metadata segments and trailing bytes count."""
    import io

    from media.uploads import _smuggled

    def jpeg_with(scan: bytes, comment: bytes = b"") -> bytes:
        com = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment if comment else b""
        sos = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
        return b"\xff\xd8" + com + sos + scan + b"\xff\xd9"

    chance = b"\x12\x34<svg \x00<html>PK\x03\x04\xff\x00\x56"
    assert not _smuggled(io.BytesIO(jpeg_with(chance)), "JPEG")
    assert _smuggled(io.BytesIO(jpeg_with(b"\x12", comment=b"<svg onload=alert(1)>")), "JPEG")
    assert _smuggled(io.BytesIO(jpeg_with(b"\x12") + b"PK\x03\x04zip"), "JPEG")


SMUGGLED = {
    "png with a script in a text chunk": (
        "texte.png",
        lambda: encode(noisy_image(64, 48), "PNG", pnginfo=_pnginfo("<script>alert(1)</script>")),
    ),
    "webp + zip appended": ("ajout.webp", lambda: encode(noisy_image(64, 48), "WEBP") + ZIP),
    "avif + html appended": ("ajout.avif", lambda: encode(noisy_image(64, 48), "AVIF") + b"\n" + HTML),
}


def _pnginfo(text: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text)
    return info


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(SMUGGLED))
def test_smuggled_content_in_other_formats_is_refused(case, post_photo, media_root):
    name, data = SMUGGLED[case]
    response = post_photo(data(), name=name)
    assert "autre chose qu'une image" in " ".join(response.context["adminform"].form.errors["image"])
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []


@pytest.mark.django_db
def test_a_twenty_megapixel_camera_file_is_accepted(post_photo):
    from bench.photos import photographic_jpeg

    assert post_photo(photographic_jpeg(), name="DSC_2024.JPG").status_code == 302
    assert (Photo.objects.get().width, Photo.objects.get().height) == (5472, 3648)


@pytest.mark.django_db
def test_a_file_over_the_real_40_mb_limit_is_refused(post_photo, media_root, settings):
    """At the default limit, through Django's temporary-file upload path (anything over 2.5 MB)."""
    assert settings.PHOTO_MAX_UPLOAD_BYTES == 40 * 1024 * 1024
    data = jpeg()
    data = data[:-2] + b"\x00" * (settings.PHOTO_MAX_UPLOAD_BYTES - len(data) + 1) + b"\xff\xd9"
    response = post_photo(data, name="enorme.jpg")
    assert response.status_code == 200
    assert "la limite est de 40,0\xa0Mio" in " ".join(response.context["adminform"].form.errors["image"])
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []
