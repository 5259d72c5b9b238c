"""Photo files follow publication: 404 before, at the minute they become public 200, 404 after, and
404 again once the rights expire. Time is frozen with time-machine for every case."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.publication import Status
from media.models import Rendition
from media.selectors import visible_photos
from media.services import photo_create_from_upload
from media.tasks import photo_generate_renditions
from tests import factories
from tests.media.photo_files import jpeg

LUX = ZoneInfo("Europe/Luxembourg")
PUBLISH_AT = datetime(2030, 3, 14, 10, 0, tzinfo=LUX)
UNPUBLISH_AT = datetime(2030, 6, 1, 0, 0, tzinfo=LUX)


def make_photo(**fields):
    fields.setdefault("credit", "©MAINT")
    fields.setdefault("alt_text_fr", "Une photo")
    photo = photo_create_from_upload(file=ContentFile(jpeg(700, 500), name="p.jpg"), fields=fields)
    photo_generate_renditions(photo=photo)
    return photo


def url_of(rendition: Rendition) -> str:
    return reverse("rendition-file", kwargs={"name": rendition.file.name.removeprefix("renditions/")})


def status_at(client, url: str, moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return client.get(url).status_code


@pytest.fixture
def scheduled_gallery(db):
    with time_machine.travel(datetime(2030, 1, 1, tzinfo=LUX), tick=False):
        photo = make_photo()
    gallery = factories.gallery(
        photos=[photo], status=Status.SCHEDULED, publish_at=PUBLISH_AT, unpublish_at=UNPUBLISH_AT
    )
    return gallery, photo


@pytest.mark.django_db
def test_files_of_a_scheduled_gallery_follow_its_publication(client, scheduled_gallery):
    gallery, photo = scheduled_gallery
    urls = [url_of(r) for r in photo.renditions.all()]
    assert len(urls) == 4
    for url in urls:
        assert status_at(client, url, PUBLISH_AT - timedelta(days=30)) == 404
        assert status_at(client, url, PUBLISH_AT - timedelta(seconds=1)) == 404
        assert status_at(client, url, PUBLISH_AT) == 200
        assert status_at(client, url, PUBLISH_AT + timedelta(days=1)) == 200
        assert status_at(client, url, UNPUBLISH_AT - timedelta(seconds=1)) == 200
        assert status_at(client, url, UNPUBLISH_AT) == 404


@pytest.mark.django_db
def test_a_served_file_is_the_rendition_with_its_headers(client, scheduled_gallery):
    _gallery, photo = scheduled_gallery
    rendition = photo.renditions.get(width=640, format="webp")
    with time_machine.travel(PUBLISH_AT, tick=False):
        response = client.get(url_of(rendition))
        body = b"".join(response.streaming_content)
        again = client.get(url_of(rendition), HTTP_IF_NONE_MATCH=response["ETag"])
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=" in response["Cache-Control"]
    assert body == rendition.file.open("rb").read()
    assert again.status_code == 304


@pytest.mark.django_db
def test_a_draft_gallery_attached_to_a_public_release_shows_its_photos(client, db):
    photo = make_photo()
    gallery = factories.gallery(photos=[photo], status=Status.DRAFT)
    url = url_of(photo.renditions.first())
    assert client.get(url).status_code == 404
    release = factories.release(status=Status.SCHEDULED, publish_at=PUBLISH_AT, gallery=gallery)
    assert status_at(client, url, PUBLISH_AT - timedelta(minutes=1)) == 404  # embargo holds
    assert status_at(client, url, PUBLISH_AT) == 200
    release.status = Status.DRAFT
    release.save()
    assert status_at(client, url, PUBLISH_AT) == 404


@pytest.mark.django_db
def test_a_portrait_is_public_with_the_person_page(client, db):
    portrait = make_photo()
    person = factories.person(portrait=portrait)
    appointment = factories.appointment(person)
    url = url_of(portrait.renditions.first())
    assert client.get(url).status_code == 404
    release = factories.release(status=Status.SCHEDULED, publish_at=PUBLISH_AT)
    release.appointments.add(appointment)
    assert status_at(client, url, PUBLISH_AT - timedelta(seconds=1)) == 404
    assert status_at(client, url, PUBLISH_AT) == 200


@pytest.mark.django_db
def test_rights_expiry_removes_the_files_at_midnight_in_luxembourg(client, scheduled_gallery):
    _gallery, photo = scheduled_gallery
    photo.rights_expire_on = date(2030, 4, 1)
    photo.save()
    url = url_of(photo.renditions.first())
    assert status_at(client, url, datetime(2030, 3, 31, 23, 59, 59, tzinfo=LUX)) == 200
    assert status_at(client, url, datetime(2030, 4, 1, 0, 0, tzinfo=LUX)) == 404
    assert status_at(client, url, datetime(2030, 4, 20, tzinfo=LUX)) == 404


@pytest.mark.django_db
def test_guessing_names_does_not_help(client, scheduled_gallery, settings):
    _gallery, photo = scheduled_gallery
    rendition = photo.renditions.get(width=640, format="jpeg")
    folder, _, name = rendition.file.name.removeprefix("renditions/").rpartition("/")
    with time_machine.travel(PUBLISH_AT, tick=False):
        assert client.get(url_of(rendition)).status_code == 200
        guesses = [
            f"{folder}/1920.jpeg",  # a width that was never made (photo is 700 wide)
            f"{folder}/640.png",
            f"{folder}/../{name}",
            f"{folder}/{name}/",
            "../originals/" + photo.image.name.removeprefix("originals/"),
            photo.image.name,
            f"{photo.pk}/640.jpeg",
            "00/0000000000000000/640.jpeg",
        ]
        for guess in guesses:
            assert client.get(f"/media-files/renditions/{guess}").status_code == 404, guess
        # Originals have no public address at all.
        assert client.get(f"/media-files/{photo.image.name}").status_code == 404
        assert client.get(reverse("admin-photo-original", args=[photo.pk])).status_code == 302  # to the login


@pytest.mark.django_db
def test_x_accel_redirect_mode_hands_the_file_to_nginx(client, scheduled_gallery, settings):
    settings.PHOTO_SERVE_MODE = "x-accel-redirect"
    _gallery, photo = scheduled_gallery
    rendition = photo.renditions.get(width=320, format="jpeg")
    with time_machine.travel(PUBLISH_AT, tick=False):
        response = client.get(url_of(rendition))
        hidden = status_at(client, url_of(rendition), PUBLISH_AT - timedelta(seconds=1))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{rendition.file.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    assert hidden == 404


@pytest.mark.django_db
def test_x_sendfile_mode(client, scheduled_gallery, settings):
    settings.PHOTO_SERVE_MODE = "x-sendfile"
    _gallery, photo = scheduled_gallery
    rendition = photo.renditions.first()
    with time_machine.travel(PUBLISH_AT, tick=False):
        response = client.get(url_of(rendition))
    assert response["X-Sendfile"] == rendition.file.path


@pytest.mark.django_db
def test_visible_photos_matrix(db):
    """Past/future × status for the gallery route, with rights valid or expired."""
    now = datetime(2030, 5, 1, 12, 0, tzinfo=LUX)
    cases = []
    for status in Status:
        for publish_at in (now - timedelta(days=1), now + timedelta(days=1)):
            for expired in (False, True):
                photo = make_photo(rights_expire_on=date(2030, 5, 1) if expired else None)
                factories.gallery(photos=[photo], status=status, publish_at=publish_at)
                expected = status in ("scheduled", "published", "withdrawn") and publish_at <= now and not expired
                cases.append((photo.pk, expected))
    visible = set(visible_photos(now).values_list("pk", flat=True))
    assert {pk for pk, expected in cases if expected} == visible


@pytest.mark.django_db
def test_gallery_page_skips_expired_photos_in_a_fixed_number_of_queries(client, db):
    photos = [make_photo(caption_fr=f"Légende {n}", alt_text_fr=f"Photo {n}") for n in range(5)]
    photos[1].rights_expire_on = date(2030, 4, 1)
    photos[1].save()
    gallery = factories.gallery(photos=photos, status=Status.PUBLISHED, publish_at=PUBLISH_AT)
    url = gallery.get_absolute_url()
    with time_machine.travel(datetime(2030, 3, 20, tzinfo=LUX), tick=False):
        before = client.get(url).content.decode()
    with time_machine.travel(datetime(2030, 4, 2, tzinfo=LUX), tick=False):
        with CaptureQueriesContext(connection) as five:
            after = client.get(url).content.decode()
        small = factories.gallery(photos=photos[:1], status=Status.PUBLISHED, publish_at=PUBLISH_AT)
        with CaptureQueriesContext(connection) as one:
            client.get(small.get_absolute_url())
    assert "Légende 1" in before and 'alt="Photo 1"' in before
    assert "Légende 1" not in after and 'alt="Photo 1"' not in after
    for n in (0, 2, 3, 4):
        assert f'alt="Photo {n}"' in after
    assert after.count("<picture>") == 4
    assert 'width="640" height="457"' in after  # the fallback <img> has its size
    assert len(five) == len(one), "\n".join(q["sql"] for q in five.captured_queries)


@pytest.mark.django_db
def test_picture_tag_skips_a_photo_past_its_rights_on_any_public_page(client, db):
    """The release page (not ours) passes photos without annotation: the tag still hides expired ones."""
    photos = [make_photo(alt_text_fr="Photo valable"), make_photo(alt_text_fr="Photo expirée")]
    photos[1].rights_expire_on = date(2030, 4, 1)
    photos[1].save()
    gallery = factories.gallery(photos=photos, status=Status.DRAFT)
    release = factories.release(status=Status.PUBLISHED, publish_at=PUBLISH_AT, gallery=gallery)
    with time_machine.travel(datetime(2030, 4, 2, tzinfo=LUX), tick=False):
        page = client.get(release.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'alt="Photo valable"' in html
    assert 'alt="Photo expirée"' not in html


@pytest.mark.django_db
def test_until_renditions_exist_the_page_shows_the_alt_text(client, db):
    photo = photo_create_from_upload(
        file=ContentFile(jpeg(), name="p.jpg"), fields={"credit": "©MAINT", "alt_text_fr": "En attente"}
    )
    gallery = factories.gallery(photos=[photo], status=Status.PUBLISHED, publish_at=PUBLISH_AT)
    with time_machine.travel(PUBLISH_AT, tick=False):
        html = client.get(gallery.get_absolute_url()).content.decode()
    assert '<p class="image-pending">En attente</p>' in html
    assert Rendition.objects.count() == 0  # a public request never makes one


@pytest.mark.django_db
def test_the_compiled_serving_query_answers_like_the_queryset(db):
    """The file view runs SQL compiled once per process; it must agree with the ORM at every moment."""
    from media.selectors import visible_rendition, visible_rendition_queryset

    photo = make_photo(rights_expire_on=date(2030, 4, 1))
    factories.gallery(photos=[photo], status=Status.SCHEDULED, publish_at=PUBLISH_AT, unpublish_at=UNPUBLISH_AT)
    names = list(photo.renditions.values_list("file", flat=True)) + ["renditions/none.webp"]
    moments = [
        PUBLISH_AT - timedelta(seconds=1),
        PUBLISH_AT,
        datetime(2030, 3, 31, 23, 59, 59, tzinfo=LUX),
        datetime(2030, 4, 1, 0, 0, tzinfo=LUX),
        UNPUBLISH_AT,
    ]
    for moment in moments:
        for name in names:
            expected = visible_rendition_queryset(name, moment).first()
            assert visible_rendition(name, moment) == expected, (moment, name)
    with time_machine.travel(PUBLISH_AT, tick=False):
        found = visible_rendition(names[0])
    assert found is not None and found.file.name == names[0] and found.format in ("jpeg", "webp")
