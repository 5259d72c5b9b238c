"""Captions generated from the people shown, in four languages, with the role held on the day taken."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.pagecache import is_page_cache_callback
from core.publication import Status
from media.models import Photo, PhotoPerson
from media.services import photo_regenerate_captions, photo_set_people
from tests import factories
from tests.media.photo_files import inline_management_data, jpeg

LUX = ZoneInfo("Europe/Luxembourg")


@pytest.fixture
def cast(db):
    """Léon Gloden, Beat Jans, and Gérald Darmanin before and after his move to Justice."""
    gloden = factories.person(given_name="Léon", family_name="Gloden")
    jans = factories.person(given_name="Beat", family_name="Jans")
    darmanin = factories.person(given_name="Gérald", family_name="Darmanin")
    home = factories.role(
        title_fr="ministre des Affaires intérieures",
        title_de="Minister für innere Angelegenheiten",
        title_en="Minister for Home Affairs",
        title_lb="Minister fir bannenzeg Affären",
    )
    councillor = factories.role(
        title_fr="conseiller fédéral",
        title_de="Bundesrat",
        title_en="Federal Councillor",
    )
    interior = factories.role(
        title_fr="ministre de l'Intérieur", title_de="Innenminister", title_en="Minister of the Interior"
    )
    justice = factories.role(
        title_fr="garde des Sceaux, ministre de la Justice",
        title_de="Justizminister",
        title_en="Keeper of the Seals, Minister of Justice",
    )
    return {
        "gloden": factories.appointment(gloden, home, started_on=date(2023, 11, 17)),
        "jans": factories.appointment(jans, councillor, started_on=date(2024, 1, 1)),
        "darmanin_interior": factories.appointment(
            darmanin, interior, started_on=date(2020, 7, 6), ended_on=date(2024, 9, 21)
        ),
        "darmanin_justice": factories.appointment(darmanin, justice, started_on=date(2024, 12, 23)),
    }


def january_photo(**fields):
    return factories.photo(taken_at=datetime(2024, 1, 25, 11, 0, tzinfo=LUX), caption_is_generated=True, **fields)


@pytest.mark.django_db
def test_captions_in_four_languages(cast):
    photo = january_photo()
    photo_set_people(photo=photo, appointments=[cast["gloden"], cast["jans"], cast["darmanin_interior"]])
    photo.refresh_from_db()
    assert photo.caption_fr == (
        "(de g. à dr.) Léon Gloden, ministre des Affaires intérieures ; Beat Jans, conseiller fédéral ; "
        "Gérald Darmanin, ministre de l'Intérieur"
    )
    assert photo.caption_de == (
        "(v. l. n. r.) Léon Gloden, Minister für innere Angelegenheiten; Beat Jans, Bundesrat; "
        "Gérald Darmanin, Innenminister"
    )
    assert photo.caption_en == (
        "(from left to right) Léon Gloden, Minister for Home Affairs; Beat Jans, Federal Councillor; "
        "Gérald Darmanin, Minister of the Interior"
    )
    # No Luxembourgish title for two roles: the French one stands in.
    assert photo.caption_lb == (
        "(vu lénks no riets) Léon Gloden, Minister fir bannenzeg Affären; Beat Jans, conseiller fédéral; "
        "Gérald Darmanin, ministre de l'Intérieur"
    )


@pytest.mark.django_db
def test_reshuffle_does_not_rewrite_an_old_photo(cast):
    """Taken in January 2024: Darmanin stays at the Interior, even chosen through his Justice appointment."""
    photo = january_photo()
    photo_set_people(photo=photo, appointments=[cast["darmanin_justice"], cast["gloden"]])
    photo.refresh_from_db()
    assert photo.caption_fr == (
        "(de g. à dr.) Gérald Darmanin, ministre de l'Intérieur ; Léon Gloden, ministre des Affaires intérieures"
    )
    assert photo.people_shown.get(position=1).appointment == cast["darmanin_interior"]

    # A photo of 2025 names him as minister of Justice.
    later = factories.photo(taken_at=datetime(2025, 3, 1, 10, 0, tzinfo=LUX), caption_is_generated=True)
    photo_set_people(photo=later, appointments=[cast["darmanin_interior"]])
    later.refresh_from_db()
    assert later.caption_fr == "Gérald Darmanin, garde des Sceaux, ministre de la Justice"
    assert later.caption_en == "Gérald Darmanin, Keeper of the Seals, Minister of Justice"


@pytest.mark.django_db
def test_changing_the_date_taken_changes_the_roles(cast):
    photo = january_photo()
    photo_set_people(photo=photo, appointments=[cast["darmanin_interior"]])
    photo.taken_at = datetime(2025, 1, 10, 9, 0, tzinfo=LUX)
    photo.save()
    photo_regenerate_captions(photo=photo)
    photo.refresh_from_db()
    assert photo.caption_de == "Gérald Darmanin, Justizminister"


@pytest.mark.django_db
def test_hand_written_captions_are_left_alone(cast):
    photo = january_photo(caption_fr="Photo de famille")
    photo.caption_is_generated = False
    photo.save()
    photo_set_people(photo=photo, appointments=[cast["gloden"]])
    photo.refresh_from_db()
    assert photo.caption_fr == "Photo de famille"


@pytest.mark.django_db
def test_admin_inline_order_and_save_related_regenerate(cast, staff_client):
    """People added in the admin inline (saved after the photo) are in the caption, left to right."""
    photo = january_photo(alt_text_fr="Trois ministres")
    url = reverse("admin:media_photo_change", args=[photo.pk])
    page = staff_client.get(url)
    payload = inline_management_data(page)
    payload.update(
        {
            "alt_text_fr": "Trois ministres",
            "credit": "©MAINT",
            "caption_is_generated": "on",
            "taken_at_0": "25/01/2024",
            "taken_at_1": "11:00:00",
            "people_shown-TOTAL_FORMS": 2,
            "people_shown-0-position": 2,
            "people_shown-0-appointment": cast["gloden"].pk,
            "people_shown-0-photo": photo.pk,
            "people_shown-1-position": 1,
            "people_shown-1-appointment": cast["jans"].pk,
            "people_shown-1-photo": photo.pk,
        }
    )
    response = staff_client.post(url, payload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert photo.caption_en == (
        "(from left to right) Beat Jans, Federal Councillor; Léon Gloden, Minister for Home Affairs"
    )
    assert PhotoPerson.objects.filter(photo=photo).count() == 2


@pytest.mark.django_db
def test_a_person_shown_changed_anywhere_rewrites_the_caption_after_commit(cast, django_capture_on_commit_callbacks):
    """Outside the services (a shell, a data fix): the signal regenerates once the change commits."""
    photo = january_photo()
    with django_capture_on_commit_callbacks(execute=True):
        PhotoPerson.objects.create(photo=photo, appointment=cast["jans"], position=1)
    photo.refresh_from_db()
    assert photo.caption_fr == "Beat Jans, conseiller fédéral"
    with django_capture_on_commit_callbacks(execute=True):
        PhotoPerson.objects.create(photo=photo, appointment=cast["gloden"], position=2)
    photo.refresh_from_db()
    assert photo.caption_fr == (
        "(de g. à dr.) Beat Jans, conseiller fédéral ; Léon Gloden, ministre des Affaires intérieures"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        PhotoPerson.objects.filter(photo=photo, position=1).delete()
    assert len([c for c in callbacks if not is_page_cache_callback(c)]) == 1
    photo.refresh_from_db()
    assert photo.caption_fr == "Léon Gloden, ministre des Affaires intérieures"


# --- people shown, caption left empty (issue 15, item 6) -------------------------------------------

GLODEN_JANS = {
    "caption_fr": "(de g. à dr.) Léon Gloden, ministre des Affaires intérieures ; Beat Jans, conseiller fédéral",
    "caption_de": "(v. l. n. r.) Léon Gloden, Minister für innere Angelegenheiten; Beat Jans, Bundesrat",
    "caption_en": "(from left to right) Léon Gloden, Minister for Home Affairs; Beat Jans, Federal Councillor",
    # No Luxembourgish title for Beat Jans' role: the French one.
    "caption_lb": "(vu lénks no riets) Léon Gloden, Minister fir bannenzeg Affären; Beat Jans, conseiller fédéral",
}


def people_rows(cast, photo=None) -> dict:
    """The people inline as the officer fills it: Léon Gloden then Beat Jans, from the left."""
    rows = {"people_shown-TOTAL_FORMS": 2, "taken_at_0": "25/01/2024", "taken_at_1": "11:00:00"}
    for index, key in enumerate(["gloden", "jans"]):
        rows[f"people_shown-{index}-position"] = index + 1
        rows[f"people_shown-{index}-appointment"] = cast[key].pk
        if photo is not None:
            rows[f"people_shown-{index}-photo"] = photo.pk
    return rows


def post_change(client, photo, **fields):
    url = reverse("admin:media_photo_change", args=[photo.pk])
    payload = inline_management_data(client.get(url))
    payload.update({"alt_text_fr": "Deux ministres", "credit": "©MAINT", "taken_at_0": "25/01/2024"})
    payload.update({"taken_at_1": "11:00:00"})
    payload.update(fields)
    response = client.post(url, payload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    return photo


@pytest.mark.django_db
def test_an_upload_with_people_and_no_caption_is_captioned_in_every_language(cast, post_photo, client):
    """The officer uploads, sets the people left to right, leaves the caption empty and the box unticked:
    the generated caption is published in every language."""
    response = post_photo(jpeg(), **people_rows(cast))
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert {name: getattr(photo, name) for name in GLODEN_JANS} == GLODEN_JANS
    assert photo.caption_is_generated  # it follows the people shown from now on

    factories.gallery(photos=[photo], slug="jai", status=Status.PUBLISHED, publish_at=datetime(2024, 1, 25, tzinfo=LUX))
    for language in ("fr", "de", "en", "lb"):
        with translation.override(language):
            page = client.get(reverse("gallery-detail", kwargs={"slug": "jai"}))
        assert page.status_code == 200
        assert escape(GLODEN_JANS[f"caption_{language}"]) in page.content.decode(), language


@pytest.mark.django_db
def test_people_added_later_caption_an_uncaptioned_photo_and_follow_changes(cast, staff_client):
    photo = factories.photo(alt_text_fr="Deux ministres")
    photo = post_change(staff_client, photo, **people_rows(cast, photo))
    assert photo.caption_en == GLODEN_JANS["caption_en"]
    rows = people_rows(cast, photo) | {"people_shown-0-position": 2, "people_shown-1-position": 1}
    rows |= {f"people_shown-{i}-id": pp.pk for i, pp in enumerate(photo.people_shown.order_by("position"))}
    rows |= {"people_shown-INITIAL_FORMS": 2}
    rows |= {name: getattr(photo, name) for name in GLODEN_JANS} | {"caption_is_generated": "on"}
    photo = post_change(staff_client, photo, **rows)
    assert (
        photo.caption_en == "(from left to right) Beat Jans, Federal Councillor; Léon Gloden, Minister for Home Affairs"
    )


@pytest.mark.django_db
def test_a_written_caption_is_never_overwritten(cast, staff_client):
    photo = factories.photo(alt_text_fr="Deux ministres", caption_fr="Photo de famille")
    photo = post_change(staff_client, photo, caption_fr="Photo de famille", **people_rows(cast, photo))
    assert (photo.caption_fr, photo.caption_de or "", photo.caption_is_generated) == ("Photo de famille", "", False)


@pytest.mark.django_db
def test_a_generated_caption_edited_by_hand_is_kept(cast, staff_client, django_capture_on_commit_callbacks):
    photo = factories.photo(alt_text_fr="Deux ministres")
    photo = post_change(staff_client, photo, **people_rows(cast, photo))
    assert photo.caption_is_generated
    rows = {name: getattr(photo, name) for name in GLODEN_JANS} | {"caption_is_generated": "on"}
    rows["caption_fr"] = "Léon Gloden accueille Beat Jans à Bruxelles"
    rows |= {"people_shown-TOTAL_FORMS": 2, "people_shown-INITIAL_FORMS": 2}
    for index, row in enumerate(photo.people_shown.order_by("position")):
        rows |= {f"people_shown-{index}-{name}": value for name, value in (("id", row.pk), ("photo", photo.pk))}
        rows |= {
            f"people_shown-{index}-position": row.position,
            f"people_shown-{index}-appointment": row.appointment_id,
        }
    photo = post_change(staff_client, photo, **rows)
    assert photo.caption_fr == "Léon Gloden accueille Beat Jans à Bruxelles"
    assert not photo.caption_is_generated
    with django_capture_on_commit_callbacks(execute=True):
        PhotoPerson.objects.filter(photo=photo, position=2).delete()
    photo.refresh_from_db()
    assert photo.caption_fr == "Léon Gloden accueille Beat Jans à Bruxelles"


@pytest.mark.django_db
def test_the_photo_form_shows_the_caption_to_be_published(cast, staff_client):
    """Without JavaScript: the saved state. The script asks caption-preview/ for the form's current state."""
    assert staff_client.get(reverse("admin:media_photo_add")).status_code == 200
    photo = factories.photo(alt_text_fr="Deux ministres", taken_at=datetime(2024, 1, 25, 11, 0, tzinfo=LUX))
    PhotoPerson.objects.create(photo=photo, appointment=cast["gloden"], position=1)
    PhotoPerson.objects.create(photo=photo, appointment=cast["jans"], position=2)  # not yet captioned (no commit)
    html = staff_client.get(reverse("admin:media_photo_change", args=[photo.pk])).content.decode()
    for language in ("fr", "de", "en", "lb"):
        assert f'data-language="{language}" lang="{language}">{escape(GLODEN_JANS[f"caption_{language}"])}<' in html
    assert "admin-extras/caption-preview.js" in html

    url = reverse("admin:media_photo_caption_preview")
    ids = [cast["jans"].pk, cast["gloden"].pk]
    preview = staff_client.get(url, {"appointment": ids, "taken_at": "25/01/2024"})
    assert preview.status_code == 200
    assert preview.json()["captions"]["caption_de"] == (
        "(v. l. n. r.) Beat Jans, Bundesrat; Léon Gloden, Minister für innere Angelegenheiten"
    )
    written = staff_client.get(url, {"appointment": ids, "caption_fr": "Photo de famille"}).json()["captions"]
    assert written["caption_fr"] == written["caption_de"] == "Photo de famille"  # the pages fall back to French
    edited = staff_client.get(
        url, {"appointment": ids, "caption_fr": "Autre", "caption_is_generated": "1", "caption_edited": "1"}
    )
    assert edited.json()["captions"]["caption_fr"] == "Autre"
    refused = staff_client.get(url, {"appointment": ["1; DROP", str(ids[0])]})
    assert refused.status_code == 400 and refused.json()["error"]
    assert staff_client.get(url, {"appointment": ["999999"]}).status_code == 400
