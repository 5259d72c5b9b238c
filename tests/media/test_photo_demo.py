"""The demo content goes through the photo services and stays idempotent."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from media.models import GalleryItem, Photo, PhotoPerson, Rendition
from newsroom.demo import loader
from newsroom.demo.loader import demo_font, load_demo, stand_in_lines
from newsroom.demo.seed import read_seed
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


NOT_A_CHARACTER = ("\U0010fffd", "\uffff")  # in no font: both render the font's .notdef glyph


def glyph(font, character: str):
    mask = font.getmask(character)
    return mask.size, bytes(mask)


@pytest.mark.django_db
def test_every_character_drawn_on_the_stand_ins_is_in_the_font():
    """No missing-glyph boxes: each character of each line has its own glyph, not the font's .notdef."""
    drawn = ""
    for seed_photo in read_seed().photos:
        for _position, text, size in stand_in_lines(seed_photo.number, seed_photo.caption):
            font = demo_font(size)
            notdef = glyph(font, NOT_A_CHARACTER[0])
            assert glyph(font, NOT_A_CHARACTER[1]) == notdef
            missing = {c for c in text if not c.isspace() and glyph(font, c) == notdef}
            assert not missing, (text, missing)
            drawn += text
    assert {"é", "—", "©", "à"} <= set(drawn)  # the letters Pillow's built-in font lacks are drawn


@pytest.mark.django_db
def test_a_missing_font_is_named_with_its_package(monkeypatch):
    monkeypatch.setattr(loader, "FONT_FILE", "NoSuchFont-Regular.ttf")
    with pytest.raises(CommandError, match="fonts-dejavu-core"):
        call_command("load_demo")


@pytest.mark.django_db
def test_demo_captions_are_spaced_like_the_generated_ones(demo, client):
    """ "(de g. à dr.) Léon Gloden", never "( de g. à dr.)", in every language and on the public page."""
    left_to_right = {
        "fr": "(de g. à dr.) ",
        "de": "(v. l. n. r.) ",
        "en": "(from left to right) ",
        "lb": "(vu lénks no riets) ",
    }
    photos = [item.photo for item in demo.gallery.items.select_related("photo").order_by("position")]
    for photo in photos:
        several = photo.people_shown.count() > 1
        for language, marker in left_to_right.items():
            caption = getattr(photo, f"caption_{language}") or ""
            assert not re.search(r"\(\s|\s\)", caption), (language, caption)
            if several and caption:
                assert caption.startswith(marker), (language, caption)
    assert photos[1].caption_fr.startswith("(de g. à dr.) Léon Gloden")
    page = client.get(demo.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "(de g. à dr.) Léon Gloden" in html and "( de g." not in html


@pytest.mark.django_db
def test_a_demo_drawn_by_an_earlier_version_is_replaced_in_place(media_root):
    """New stand-in drawings (another font, a corrected caption) take the old ones' places in the gallery."""
    release = load_demo()
    Photo.objects.filter(original_filename="maint-jai-2.jpg").update(file_hash="0" * 64)
    load_demo()
    items = list(release.gallery.items.select_related("photo").order_by("position"))
    assert [item.position for item in items] == [1, 2, 3]
    assert Photo.objects.count() == 3
    assert items[1].photo.original_filename == "maint-jai-2.jpg" and items[1].photo.file_hash != "0" * 64
