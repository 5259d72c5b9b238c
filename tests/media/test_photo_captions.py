"""Captions generated from the people shown, in four languages, with the role held on the day taken."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.pagecache import is_page_cache_callback
from media.models import PhotoPerson
from media.services import photo_regenerate_captions, photo_set_people
from tests import factories
from tests.media.photo_files import inline_management_data

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
