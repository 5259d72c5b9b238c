"""The demo content goes through the photo services and stays idempotent."""

import pytest

from media.models import GalleryItem, Photo, PhotoPerson, Rendition
from newsroom.demo.loader import load_demo
from tests.media.photo_files import files_under


@pytest.mark.django_db
def test_demo_photos_have_renditions_and_a_second_run_creates_nothing(media_root):
    load_demo()
    counts = [model.objects.count() for model in (Photo, PhotoPerson, GalleryItem, Rendition)]
    files = files_under(media_root)
    assert counts[0] == 3 and counts[3] == 3 * 2 * 4  # 1600 pixels wide: 1280, 960, 640, 320
    assert all(photo.credit == "©MAINT" and photo.file_hash for photo in Photo.objects.all())
    load_demo()
    assert [model.objects.count() for model in (Photo, PhotoPerson, GalleryItem, Rendition)] == counts
    assert files_under(media_root) == files
