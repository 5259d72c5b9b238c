"""A press officer's and an editor's day in the admin, in Chromium against the live server.

Each journey saves screenshots under docs/screenshots/admin-*.png.
"""

from __future__ import annotations

import re

import pytest

from media.models import Gallery, Photo
from newsroom.publication import Status
from releases.models import Release
from tests.browser import admin_helpers as h
from tests.browser.example_release import BODY_EN, BODY_FR, PHOTOS, TITLE_EN, TITLE_FR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom(db):
    return h.newsroom_people()


def test_press_officer_writes_translates_illustrates_and_submits(live_server, page, newsroom, tmp_path):
    """Journey 1: the example release in French and English, three photos ©MAINT with the people
    shown left to right and generated captions, submitted for review."""
    base = live_server.url
    officer = h.officer(newsroom["maint"], "chargee.maint")
    h.login(page, base, officer)
    h.shot(page, "home")

    # A gallery, then three photos at once through the gallery's upload form.
    page.goto(f"{base}/admin/media/gallery/add/")
    page.fill("#id_title_fr", "Réunion informelle JAI, janvier 2024")
    page.click("input[name=_continue]")
    gallery = Gallery.objects.get(title_fr="Réunion informelle JAI, janvier 2024")
    page.click("a:has-text('Téléverser plusieurs photos')")
    page.set_input_files("#id_files", [str(path) for path in h.stand_in_photos(tmp_path)])
    page.fill("#id_credit", "©MAINT")
    h.shot(page, "gallery-upload")
    page.click("input[type=submit][value='Téléverser']")
    page.wait_for_url(re.compile(rf"/admin/media/gallery/{gallery.pk}/change/"))
    assert "3 photos ajoutées à la galerie" in page.content()
    photos = [item.photo for item in gallery.items.order_by("position")]
    assert [photo.original_filename for photo in photos] == [name for name, _people in PHOTOS]
    assert {photo.credit for photo in photos} == {"©MAINT"}

    # Each photo: alt text, the people shown from the left, the caption generated from them.
    for photo, (_name, people) in zip(photos, PHOTOS, strict=True):
        page.goto(f"{base}/admin/media/photo/{photo.pk}/change/")
        page.fill("#id_alt_text_fr", f"Photo de la réunion JAI : {', '.join(people) or 'photo de groupe'}")
        if people:
            for number, family in enumerate(people):
                page.click(".inline-group#people_shown-group .add-row a")
                page.fill(f"#id_people_shown-{number}-position", str(number + 1))
                h.pick(page, f"id_people_shown-{number}-appointment", family)
            page.check("#id_caption_is_generated")
        else:
            page.fill("#id_caption_fr", "Photo de groupe")
        if people == ["Gloden", "Jans"]:
            h.shot(page, "photo-people-shown")
        page.click("input[name=_continue]")
        assert "errornote" not in page.content()
    captions = [Photo.objects.get(pk=photo.pk).caption_fr for photo in photos]
    assert captions == [
        "Photo de groupe",
        "(de g. à dr.) Léon Gloden, ministre des Affaires intérieures ; Beat Jans, conseiller fédéral suisse en "
        "charge du Département fédéral de justice et police",
        "(de g. à dr.) Annelies Verlinden, ministre de l'intérieur du Royaume de Belgique ; Léon Gloden, "
        "ministre des Affaires intérieures",
    ]
    assert Photo.objects.get(pk=photos[1].pk).caption_en.startswith("(from left to right) Léon Gloden")

    # The release, top to bottom.
    page.goto(f"{base}/admin/releases/release/add/")
    page.select_option("#id_kind", "communique")
    page.fill("#id_title_fr", TITLE_FR)
    page.locator("#id_slug_fr").press("End")  # filled from the title as it is typed
    assert page.input_value("#id_slug_fr").startswith("leon-gloden-a-la-reunion-informelle")
    page.fill("#id_lead_fr", "Le ministre Gloden à Bruxelles pour la réunion informelle des ministres JAI.")
    h.type_rich_text(page, "body_fr", BODY_FR)
    h.open_tab(page, "title_en")
    page.fill("#id_title_en", TITLE_EN)
    h.open_tab(page, "slug_en")
    page.locator("#id_slug_en").press("End")
    h.open_tab(page, "lead_en")
    page.fill("#id_lead_en", "Minister Gloden in Brussels for the informal meeting of JHA ministers.")
    h.open_tab(page, "body_en")
    h.type_rich_text(page, "body_en", BODY_EN)
    h.pick(page, "id_issuers-0-organisation", "MAINT", "Affaires intérieures")
    h.pick(page, "id_appointments", "Gloden")
    h.pick(page, "id_gallery", "JAI")
    page.fill("#id_event_date", "25/01/2024")
    for field in ("title_fr", "slug_fr", "lead_fr", "body_fr"):
        h.open_tab(page, field)
    h.shot(page, "release-form")
    page.click("input[name=_submit_review]")
    page.wait_for_url(re.compile(r"/admin/releases/release/"))
    assert "Le communiqué est soumis pour relecture." in page.content(), page.content()
    h.shot(page, "release-submitted")

    release = Release.objects.get(title_fr=TITLE_FR)
    assert release.status == Status.IN_REVIEW
    assert release.title_en == TITLE_EN and release.slug_en.startswith("leon-gloden-at-the-informal")
    assert release.body_fr.startswith("<p>À la suite d'une présentation") and release.body_fr.count("<p>") == 4
    assert release.body_en.count("<p>") == 3
    assert release.gallery == gallery
    assert [i.organisation for i in release.issuers.all()] == [newsroom["maint"]]
    assert list(release.appointments.all()) == [newsroom["appointments"]["Gloden"]]
