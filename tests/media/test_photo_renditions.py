"""Renditions: sizes, orientation, no personal metadata, credit carried, made once and safely retried."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

import media.renditions
from media.metadata import text
from media.models import Photo, Rendition
from media.services import photo_create_from_upload
from media.tasks import generate_photo_renditions
from tests.media.photo_files import encode, exiftool, files_under, jpeg

RED, BLUE = (220, 20, 20), (20, 20, 220)


def two_halves(width: int, height: int) -> Image.Image:
    """Left half red, right half blue: after a quarter turn the halves say which way it went."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def close(pixel, colour) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel[:3], colour, strict=False))


@pytest.fixture
def camera_photo(db, tmp_path):
    """A 2000×1400 JPEG shot with the camera on its side (EXIF orientation 6), with GPS and a serial."""
    data = exiftool(
        encode(two_halves(2000, 1400), "JPEG", quality=90),
        "-Orientation#=6",
        "-GPSLatitude=49.6116",
        "-GPSLatitudeRef=N",
        "-GPSLongitude=6.1319",
        "-GPSLongitudeRef=E",
        "-EXIF:SerialNumber=CAM-123456",
        "-EXIF:Artist=Claude Piscitelli",
        "-XMP-photoshop:Credit=©SIP",
        tmp_path=tmp_path,
    )
    return photo_create_from_upload(
        file=ContentFile(data, name="DSC_0001.JPG"), fields={"copyright_notice": "© Ministère d'État"}
    )


@pytest.mark.django_db
def test_every_rendition_is_upright_without_gps_and_carries_the_credit(camera_photo):
    assert (camera_photo.width, camera_photo.height) == (1400, 2000)
    assert generate_photo_renditions.call(camera_photo.pk) == 8
    renditions = list(camera_photo.renditions.all())
    assert sorted({r.width for r in renditions}) == [320, 640, 960, 1280]  # 1920 would be an upscale
    assert sorted({r.format for r in renditions}) == ["jpeg", "webp"]
    for rendition in renditions:
        data = rendition.file.read()
        rendition.file.close()
        assert b"CAM-123456" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition.format]
            assert image.size == (rendition.width, rendition.height)
            assert rendition.height == round(rendition.width * 2000 / 1400)
            exif = image.getexif()
            assert 0x8825 not in exif  # no GPS block
            assert exif.get(0x0112, 1) == 1  # no orientation left to apply
            assert text(exif[0x8298], utf8_in_latin1=True) == "©SIP — © Ministère d'État"
            assert text(exif[0x013B], utf8_in_latin1=True) == "Claude Piscitelli"
            xmp = image.info.get("xmp", b"")
            assert b"<photoshop:Credit>\xc2\xa9SIP</photoshop:Credit>" in xmp
            rgb = image.convert("RGB")
            # Upright: what was the left (red) is now on top, the right (blue) below.
            assert close(rgb.getpixel((image.width // 2, image.height // 5)), RED)
            assert close(rgb.getpixel((image.width // 2, image.height * 4 // 5)), BLUE)


@pytest.mark.django_db
def test_small_photo_keeps_its_own_width(db):
    photo = photo_create_from_upload(file=ContentFile(jpeg(300, 200), name="petite.jpg"), fields={"credit": "©MAINT"})
    generate_photo_renditions.call(photo.pk)
    assert set(photo.renditions.values_list("width", "height", "format")) == {(300, 200, "jpeg"), (300, 200, "webp")}


@pytest.mark.django_db
def test_transparent_png_gets_a_white_background_in_jpeg(db):
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    image.paste((20, 20, 220, 255), (0, 0, 200, 300))
    photo = photo_create_from_upload(
        file=ContentFile(encode(image, "PNG"), name="logo.png"), fields={"credit": "©MAINT"}
    )
    generate_photo_renditions.call(photo.pk)
    jpeg_file = photo.renditions.get(format="jpeg", width=320).file
    with Image.open(jpeg_file) as rendered:
        assert close(rendered.getpixel((300, 100)), (255, 255, 255))
    with Image.open(photo.renditions.get(format="webp", width=320).file) as rendered:
        assert rendered.mode == "RGBA"


@pytest.mark.django_db
def test_running_the_job_twice_makes_nothing_twice(camera_photo, media_root):
    assert generate_photo_renditions.call(camera_photo.pk) == 8
    files = files_under(media_root)
    assert generate_photo_renditions.call(camera_photo.pk) == 0
    assert Rendition.objects.count() == 8
    assert files_under(media_root) == files
    assert len(files) == 9  # the original and eight renditions


@pytest.mark.django_db
def test_a_job_failing_half_way_is_retried_without_duplicates(camera_photo, media_root, monkeypatch):
    """The encoder fails on the fifth file (a full disk, a killed worker): the retry completes the set."""
    real_encode = media.renditions._encode
    calls = {"n": 0}

    def failing_encode(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("No space left on device")
        return real_encode(*args, **kwargs)

    monkeypatch.setattr(media.renditions, "_encode", failing_encode)
    with pytest.raises(OSError):
        generate_photo_renditions.call(camera_photo.pk)
    monkeypatch.setattr(media.renditions, "_encode", real_encode)

    # Simulate a worker killed between writing a file and its row: a file with no row.
    from media.tasks import rendition_name

    orphan = rendition_name(camera_photo, 640, "webp")
    Rendition.file.field.storage.save(orphan, ContentFile(b"half-written"))

    assert generate_photo_renditions.call(camera_photo.pk) == 8
    renditions = Rendition.objects.filter(photo=camera_photo)
    assert renditions.count() == 8
    on_disk = [name for name in files_under(media_root) if name.startswith("renditions/")]
    assert sorted(on_disk) == sorted(r.file.name for r in renditions)
    assert renditions.get(width=640, format="webp").file.size > len(b"half-written")


@pytest.mark.django_db
def test_a_lost_file_is_made_again_and_a_row_never_duplicated(camera_photo, media_root):
    generate_photo_renditions.call(camera_photo.pk)
    lost = Rendition.objects.get(photo=camera_photo, width=320, format="jpeg")
    lost.file.storage.delete(lost.file.name)
    assert generate_photo_renditions.call(camera_photo.pk) == 1
    assert Rendition.objects.filter(photo=camera_photo).count() == 8
    assert lost.file.storage.exists(lost.file.name)


@pytest.mark.django_db
def test_task_for_a_deleted_photo_does_nothing(db):
    assert generate_photo_renditions.call(987654) == 0


@pytest.mark.django_db
def test_renditions_command_makes_missing_then_all(camera_photo, media_root):
    second = photo_create_from_upload(file=ContentFile(jpeg(700, 500), name="b.jpg"), fields={"credit": "©MAINT"})
    out = StringIO()
    call_command("renditions", stdout=out)
    assert "12 renditions written for 2 photos; 0 failed." in out.getvalue()
    assert "2/2 photos" in out.getvalue()
    assert Rendition.objects.count() == 8 + 2 * 2  # 700 pixels wide: 640 and 320
    out = StringIO()
    call_command("renditions", stdout=out)
    assert "0 renditions written" in out.getvalue()
    first_names = sorted(Rendition.objects.values_list("file", flat=True))
    out = StringIO()
    call_command("renditions", "--all", stdout=out)
    assert "12 renditions written" in out.getvalue()
    assert sorted(Rendition.objects.values_list("file", flat=True)) == first_names
    assert len([n for n in files_under(media_root) if n.startswith("renditions/")]) == 12
    assert Photo.objects.filter(pk=second.pk).exists()


@pytest.mark.django_db
def test_deleting_a_photo_deletes_its_files(camera_photo, media_root, django_capture_on_commit_callbacks):
    generate_photo_renditions.call(camera_photo.pk)
    assert len(files_under(media_root)) == 9
    with django_capture_on_commit_callbacks(execute=True):
        camera_photo.delete()
    assert files_under(media_root) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_makes_the_renditions_of_an_upload(post_photo):
    """End to end, with real commits: the admin upload enqueues the job once its transaction commits,
    and `manage.py db_worker` (which manages its own connections) runs it."""
    from django_tasks_db.models import DBTaskResult

    assert post_photo(jpeg(1000, 700)).status_code == 302
    photo = Photo.objects.get()
    assert photo.renditions.count() == 0  # nothing made during the request
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", stdout=StringIO())
    assert set(photo.renditions.values_list("width", "format")) == {
        (width, fmt) for width in (960, 640, 320) for fmt in ("jpeg", "webp")
    }
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
