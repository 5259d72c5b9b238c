"""A press officer's and an editor's day in the admin, in Chromium against the live server.

Each journey saves screenshots under docs/screenshots/admin-*.png.
"""

from __future__ import annotations

import re

import pytest

from core.publication import Status
from media.models import Gallery, Photo
from releases.models import Release
from tests.browser import admin_helpers as h
from tests.browser.example_release import BODY_EN, BODY_FR, PHOTOS, TITLE_EN, TITLE_FR
from tests.browser.test_accessibility import LOAD_IMAGES

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
    h.submit(page, "input[name=_continue]")
    gallery = Gallery.objects.get(title_fr="Réunion informelle JAI, janvier 2024")
    page.click("a:has-text('Téléverser plusieurs photos')")
    page.set_input_files("#id_files", [str(path) for path in h.stand_in_photos(tmp_path)])
    page.fill("#id_credit", "©MAINT")
    h.shot(page, "gallery-upload")
    h.submit(page, "input[type=submit][value='Téléverser']")
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
        h.submit(page, "input[name=_continue]")
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
    h.submit(page, "input[name=_submit_review]")
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


def draft_release(newsroom, **fields) -> Release:
    from tests import factories

    fields.setdefault("title_fr", TITLE_FR)
    fields.setdefault("slug_fr", "leon-gloden-reunion-informelle-jai")
    fields.setdefault("status", Status.DRAFT)
    return factories.release(organisations=[newsroom["maint"]], **fields)


def test_second_of_two_officers_is_refused_and_loses_nothing(live_server, browser, newsroom):
    """Journey 4: two officers open the same release; the first saves; the second's save is refused
    with a message, and what the second typed is still in the form and in the browser's draft."""
    base = live_server.url
    release = draft_release(newsroom)
    url = f"{base}/admin/releases/release/{release.pk}/change/"
    pages = []
    for username in ("premiere.chargee", "second.charge"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page = context.new_page()
        h.login(page, base, h.officer(newsroom["maint"], username))
        page.goto(url)
        pages.append(page)
    first, second = pages

    first.fill("#id_title_fr", "Léon Gloden au Conseil JAI informel")
    h.submit(first, "input[name=_continue]")
    assert "a été modifié avec succès" in first.content()

    second.fill("#id_lead_fr", "Un chapeau écrit pendant que l'autre enregistrait.")
    h.type_rich_text(second, "body_fr", ["Un paragraphe tapé longuement."])
    second.wait_for_timeout(2500)  # the draft is kept every two seconds
    h.submit(second, "input[name=_continue]", outcome=".errornote")
    content = second.content()
    assert "a été enregistrée par quelqu'un d'autre depuis que vous l'avez ouverte" in content
    assert second.input_value("#id_lead_fr") == "Un chapeau écrit pendant que l'autre enregistrait."
    assert "Un paragraphe tapé longuement." in second.input_value("textarea[name=body_fr]")
    assert second.input_value("#id_title_fr") == TITLE_FR  # the second officer's copy, not overwritten
    draft = second.evaluate("localStorage.getItem(window.newsroomDraft.key)")
    assert draft and "Un chapeau écrit pendant" in draft
    h.shot(second, "stale-save-refused")

    release.refresh_from_db()
    assert release.title_fr == "Léon Gloden au Conseil JAI informel"
    assert not release.lead_fr
    for page in pages:
        page.context.close()


def test_unsaved_changes_warning_and_draft_recovered_after_a_closed_tab(live_server, browser, newsroom):
    """Leaving with unsaved changes asks first; after the tab is closed anyway, reopening the release
    offers the draft kept in the browser, which restores every field (rich text included)."""
    base = live_server.url
    release = draft_release(newsroom)
    url = f"{base}/admin/releases/release/{release.pk}/change/"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    h.login(page, base, h.officer(newsroom["maint"], "chargee.maint"))
    page.goto(url)
    page.fill("#id_lead_fr", "Chapeau tapé avant la panne.")
    h.type_rich_text(page, "body_fr", ["Premier paragraphe.", "Second paragraphe."])
    page.wait_for_timeout(2500)

    page, banner = h.close_and_reopen_with_draft(page, context, url, "id_lead_fr", "draft-banner")
    banner.locator("button.draft-restore").click()
    assert page.input_value("#id_lead_fr") == "Chapeau tapé avant la panne."
    body = page.locator(".prose-editor:has(textarea[name='body_fr']) .ProseMirror[contenteditable=true]")
    assert body.inner_text().split("\n")[:1] == ["Premier paragraphe."] and "Second paragraphe." in body.inner_text()
    h.submit(page, "input[name=_continue]")
    release.refresh_from_db()
    assert release.lead_fr == "Chapeau tapé avant la panne."
    assert release.body_fr == "<p>Premier paragraphe.</p><p>Second paragraphe.</p>"
    # Saved: the draft is forgotten, no banner any more.
    page.goto(url)
    page.wait_for_timeout(600)
    assert page.locator(".draft-banner").count() == 0
    assert not [key for key in page.evaluate("Object.keys(localStorage)") if key.startswith("newsroom:draft:")]
    context.close()


def test_officer_of_another_ministry_cannot_find_or_open_the_release(live_server, page, newsroom):
    """Journey 5: not in the list, not in the search, 403 on its address."""
    base = live_server.url
    release = draft_release(newsroom)
    h.login(page, base, h.officer(newsroom["other"], "charge.finances"))
    change_path = f"/admin/releases/release/{release.pk}/change/"
    for query in ("", "?q=Gloden"):
        page.goto(f"{base}/admin/releases/release/{query}")
        assert page.locator("#result_list a", has_text="Gloden").count() == 0
        assert change_path not in page.content()
    h.shot(page, "other-ministry-search")
    response = page.goto(f"{base}{change_path}")
    assert response.status == 403
    assert "Gloden" not in page.content()
    assert page.goto(f"{base}/fr/communiques/apercu/{release.pk}/").status == 404


def illustrated_release_in_review(newsroom, tmp_path) -> Release:
    """The release as journey 1 leaves it: in review, in French and English, with its three photos."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from media import services as media_services
    from media import tasks as media_tasks
    from tests import factories

    release = draft_release(
        newsroom,
        title_en=TITLE_EN,
        slug_en="leon-gloden-informal-jha-council",
        lead_fr="Le ministre Gloden à Bruxelles.",
        lead_en="Minister Gloden in Brussels.",
        body_fr="".join(f"<p>{paragraph}</p>" for paragraph in BODY_FR),
        body_en="".join(f"<p>{paragraph}</p>" for paragraph in BODY_EN),
        status=Status.IN_REVIEW,
    )
    gallery = factories.gallery(title_fr="Réunion informelle JAI, janvier 2024")
    files = [SimpleUploadedFile(path.name, path.read_bytes(), "image/jpeg") for path in h.stand_in_photos(tmp_path)]
    photos = media_services.gallery_upload_photos(gallery=gallery, files=files, fields={"credit": "©MAINT"})
    appointments = newsroom["appointments"]
    for photo, (_name, people) in zip(photos, PHOTOS, strict=True):
        photo.alt_text_fr = "Photo de la réunion JAI"
        if people:
            photo.caption_is_generated = True
            photo.save()
            media_services.photo_set_people(photo=photo, appointments=[appointments[p] for p in people])
        else:
            photo.caption_fr = "Photo de groupe"
            photo.save()
        # The worker's job (manage.py db_worker), run here: public pages show only existing renditions.
        media_tasks.photo_generate_renditions(photo=photo)
    release.gallery = gallery
    release.save()
    return release


def public_page(page, release: Release):
    from django.utils import translation

    release.refresh_from_db()
    with translation.override("fr"):
        path = release.get_absolute_url()
    return page.goto(path)


def test_editor_schedules_then_the_release_appears_with_its_gallery(live_server, browser, newsroom, tmp_path):
    """Journey 2: scheduled two minutes ahead, absent from the public site, then there at the time,
    with its gallery, captions, closing line and stamp.

    Waiting two minutes would only slow the suite: once the embargo is checked, the release's
    ``publish_at`` (and first public moment) are moved back by the time left plus one second, in the
    database, which is what the passing of time does to a schedule. Visibility is decided at query
    time (``public()``), so nothing else has to happen for the page to appear.
    """
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from core.forms import LUXEMBOURG

    base = live_server.url
    release = illustrated_release_in_review(newsroom, tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", base_url=base)
    page = context.new_page()
    h.login(page, base, h.editor(newsroom["maint"], "editrice.maint"))
    page.goto(f"/admin/releases/release/{release.pk}/change/")
    page.click("summary:has-text('Programmer')")
    when = (timezone.now() + timedelta(minutes=2)).astimezone(LUXEMBOURG).replace(second=0, microsecond=0)
    when += timedelta(minutes=1)  # whole minutes: at least two minutes ahead
    page.fill("#id_schedule_at_0", when.strftime("%d/%m/%Y"))
    page.fill("#id_schedule_at_1", when.strftime("%H:%M"))
    h.shot(page, "schedule")
    h.submit(page, "input[name=_schedule]")
    assert "Le communiqué est programmé." in page.content(), page.content()[:3000]
    release.refresh_from_db()
    assert release.status == Status.SCHEDULED
    assert release.publish_at == when

    anonymous = browser.new_context(base_url=base, locale="fr-FR")
    reader = anonymous.new_page()
    assert public_page(reader, release).status == 404
    assert "Gloden" not in reader.goto("/fr/communiques/").text()

    left = release.publish_at - timezone.now() + timedelta(seconds=1)
    Release.objects.filter(pk=release.pk).update(
        publish_at=F("publish_at") - left, first_published_at=F("first_published_at") - left
    )
    response = public_page(reader, release)
    assert response.status == 200
    figures = reader.locator("figure.photo")
    assert figures.count() == 3
    assert "Photo de groupe" in figures.nth(0).inner_text()
    assert "(de g. à dr.) Léon Gloden, ministre des Affaires intérieures ; Beat Jans" in figures.nth(1).inner_text()
    assert all("©MAINT" in figures.nth(i).inner_text() for i in range(3))
    content = reader.content()
    assert "Communiqué par le ministère des Affaires intérieures" in content
    assert "Dernière mise à jour" in content
    assert reader.evaluate(LOAD_IMAGES) == 0
    h.shot(reader, "scheduled-release-public")
    anonymous.close()
    context.close()


def test_editor_publishes_a_minor_then_a_major_correction(live_server, browser, newsroom, tmp_path):
    """Journey 3: a minor correction keeps the "last updated" stamp; a major one, with its note in each
    language of the release, moves it and appears in the public history."""
    from releases import services

    base = live_server.url
    release = illustrated_release_in_review(newsroom, tmp_path)
    editor = h.editor(newsroom["maint"], "editrice.maint")
    services.release_publish(release=release, by=editor)
    release.refresh_from_db()
    stamp = release.last_public_update

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", base_url=base)
    page = context.new_page()
    h.login(page, base, editor)
    url = f"/admin/releases/release/{release.pk}/change/"

    page.goto(url)
    editor_box = page.locator(".prose-editor:has(textarea[name='body_fr']) .ProseMirror[contenteditable=true]")
    editor_box.click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(" (coquille corrigée)")
    page.click("summary:has-text('Corriger un communiqué publié')")
    page.check("input[name=correction_major][value='0']")
    page.fill("#id_internal_note", "Coquille dans le dernier paragraphe.")
    h.shot(page, "minor-correction")
    h.submit(page, "input[name=_correct]")
    assert "La correction est publiée." in page.content()
    release.refresh_from_db()
    assert "(coquille corrigée)" in release.body_fr
    assert release.last_public_update == stamp and release.public_updated_at is None
    minor = release.updates.get()
    assert not minor.major and minor.internal_note == "Coquille dans le dernier paragraphe."

    page.goto(url)
    page.fill("#id_lead_fr", "Le ministre Gloden à Bruxelles, le 25 janvier 2024.")
    page.click("summary:has-text('Corriger un communiqué publié')")
    page.check("input[name=correction_major][value='1']")
    page.fill("#id_correction_note_fr", "La date de la réunion a été ajoutée.")
    page.fill("#id_correction_note_en", "The date of the meeting was added.")
    h.submit(page, "input[name=_correct]")
    assert "La correction est publiée." in page.content()
    release.refresh_from_db()
    assert release.public_updated_at is not None and release.last_public_update > stamp
    assert release.updates.filter(major=True).get().note_en == "The date of the meeting was added."

    reader = browser.new_context(base_url=base).new_page()
    public_page(reader, release)
    content = reader.content()
    assert "Dernière mise à jour le" in content
    assert "La date de la réunion a été ajoutée." in content
    assert "Coquille" not in content
    h.shot(reader, "major-correction-public")
    reader.context.close()
    context.close()
