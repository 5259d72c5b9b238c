"""The photo and gallery admin: what is missing, what expires, many photos at once, order afterwards."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.pagecache import is_page_cache_callback
from media.models import GalleryItem, Photo
from media.services import gallery_add_photos, gallery_reorder
from tests import factories
from tests.media.photo_files import exiftool, files_under, inline_management_data, jpeg

LUX = ZoneInfo("Europe/Luxembourg")


def changelist(client, **params):
    response = client.get(reverse("admin:media_photo_changelist"), params)
    assert response.status_code == 200
    return {photo.pk for photo in response.context["cl"].result_list}


@pytest.mark.django_db
def test_filters_for_missing_alt_text_or_credit(staff_client):
    complete = factories.photo(alt_text_fr="Une photo")
    no_alt = factories.photo()
    no_credit = factories.photo(alt_text_fr="Une photo", credit="")
    assert changelist(staff_client, missing="alt_text") == {no_alt.pk}
    assert changelist(staff_client, missing="credit") == {no_credit.pk}
    assert changelist(staff_client, missing="any") == {no_alt.pk, no_credit.pk}
    assert changelist(staff_client) == {complete.pk, no_alt.pk, no_credit.pk}
    html = staff_client.get(reverse("admin:media_photo_changelist")).content.decode()
    assert "icon-no.svg" in html and "icon-yes.svg" in html  # the columns show what is missing


@pytest.mark.django_db
def test_filter_for_rights_expiring_in_the_next_30_days(client, superuser):
    with time_machine.travel(datetime(2030, 3, 1, 9, 0, tzinfo=LUX), tick=False):
        client.force_login(superuser)  # a session opened on that day
        staff_client = client
        soon = factories.photo(rights_expire_on=date(2030, 3, 31))
        tomorrow = factories.photo(rights_expire_on=date(2030, 3, 2))
        later = factories.photo(rights_expire_on=date(2030, 4, 1))
        expired = factories.photo(rights_expire_on=date(2030, 3, 1))
        factories.photo()
        assert changelist(staff_client, rights="expiring") == {soon.pk, tomorrow.pk}
        assert changelist(staff_client, rights="expired") == {expired.pk}
        assert later.pk in changelist(staff_client, rights="limited")


@pytest.mark.django_db
def test_gallery_change_page_links_to_the_multi_upload(staff_client):
    gallery = factories.gallery()
    html = staff_client.get(reverse("admin:media_gallery_change", args=[gallery.pk])).content.decode()
    assert reverse("admin:media_gallery_upload", args=[gallery.pk]) in html


@pytest.mark.django_db
def test_many_photos_at_once_in_the_order_chosen(staff_client, media_root, django_capture_on_commit_callbacks):
    existing = factories.photo()
    gallery = factories.gallery(photos=[existing])
    files = [
        SimpleUploadedFile(name, jpeg(400, 300), content_type="image/jpeg") for name in ("c.jpg", "a.jpg", "b.jpg")
    ]
    url = reverse("admin:media_gallery_upload", args=[gallery.pk])
    assert staff_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(url, {"files": files, "order": "selection", "credit": "©MAINT"})
    assert response.status_code == 302
    items = list(gallery.items.order_by("position").select_related("photo"))
    assert [i.photo.original_filename for i in items[1:]] == ["c.jpg", "a.jpg", "b.jpg"]
    assert [i.position for i in items] == [1, 2, 3, 4]
    assert items[0].photo == existing
    assert len([c for c in callbacks if not is_page_cache_callback(c)]) == 3  # one rendition job per photo
    assert all(item.photo.credit == "©MAINT" for item in items[1:])


@pytest.mark.django_db
def test_many_photos_by_file_name_or_date_taken(staff_client, tmp_path):
    gallery = factories.gallery()
    dated = {
        "1.jpg": "2024:01:25 12:00:00",
        "2.jpg": "2024:01:25 09:00:00",
        "3.jpg": "2024:01:25 10:30:00",
    }
    files = [
        SimpleUploadedFile(name, exiftool(jpeg(), f"-DateTimeOriginal={taken}", tmp_path=tmp_path))
        for name, taken in dated.items()
    ]
    url = reverse("admin:media_gallery_upload", args=[gallery.pk])
    assert staff_client.post(url, {"files": files, "order": "taken_at", "credit": "©MAINT"}).status_code == 302
    names = list(gallery.items.order_by("position").values_list("photo__original_filename", flat=True))
    assert names == ["2.jpg", "3.jpg", "1.jpg"]

    other = factories.gallery()
    files = [SimpleUploadedFile(n, jpeg()) for n in ("zèbre.jpg", "Avion.jpg", "moto.jpg")]
    url = reverse("admin:media_gallery_upload", args=[other.pk])
    assert staff_client.post(url, {"files": files, "order": "name", "credit": "©MAINT"}).status_code == 302
    names = list(other.items.order_by("position").values_list("photo__original_filename", flat=True))
    assert names == ["Avion.jpg", "moto.jpg", "zèbre.jpg"]


@pytest.mark.django_db
def test_one_bad_file_in_a_batch_saves_nothing(staff_client, media_root):
    gallery = factories.gallery()
    files = [
        SimpleUploadedFile("bonne.jpg", jpeg()),
        SimpleUploadedFile("mauvaise.jpg", b"<html><script>alert(1)</script></html>"),
    ]
    url = reverse("admin:media_gallery_upload", args=[gallery.pk])
    response = staff_client.post(url, {"files": files, "order": "selection", "credit": "©MAINT"})
    assert response.status_code == 200
    assert "mauvaise.jpg" in " ".join(response.context["form"].errors["files"])
    assert Photo.objects.count() == 0
    assert files_under(media_root) == []


@pytest.mark.django_db
def test_positions_can_be_changed_afterwards_in_the_gallery_page(staff_client):
    photos = [factories.photo(alt_text_fr=f"Photo {n}") for n in range(3)]
    gallery = factories.gallery(photos=photos, publish_at=datetime(2030, 1, 1, tzinfo=LUX))
    url = reverse("admin:media_gallery_change", args=[gallery.pk])
    page = staff_client.get(url)
    payload = inline_management_data(page)
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None and name not in ("tags",):
            payload[name] = value
    payload["publish_at_0"], payload["publish_at_1"] = "01/01/2030", "00:00:00"
    payload["unpublish_at_0"] = payload["unpublish_at_1"] = ""
    payload.pop("publish_at", None)
    payload.pop("unpublish_at", None)
    items = list(gallery.items.order_by("position"))
    payload["items-INITIAL_FORMS"] = payload["items-TOTAL_FORMS"] = 3
    for index, (item, new_position) in enumerate(zip(items, (3, 1, 2), strict=True)):
        payload[f"items-{index}-id"] = item.pk
        payload[f"items-{index}-gallery"] = gallery.pk
        payload[f"items-{index}-photo"] = item.photo_id
        payload[f"items-{index}-position"] = new_position
    response = staff_client.post(url, payload)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    order = list(GalleryItem.objects.filter(gallery=gallery).order_by("position").values_list("photo_id", flat=True))
    assert order == [photos[1].pk, photos[2].pk, photos[0].pk]


@pytest.mark.django_db
def test_gallery_services_append_and_reorder(db):
    photos = [factories.photo() for _ in range(4)]
    gallery = factories.gallery(photos=photos[:1])
    gallery_add_photos(gallery=gallery, photos=[photos[2], photos[1], photos[0]])  # the first is already in
    assert list(gallery.items.order_by("position").values_list("photo_id", flat=True)) == [
        photos[0].pk,
        photos[2].pk,
        photos[1].pk,
    ]
    gallery_reorder(gallery=gallery, photo_ids=[photos[1].pk])
    assert list(gallery.items.order_by("position").values_list("photo_id", "position")) == [
        (photos[1].pk, 1),
        (photos[0].pk, 2),
        (photos[2].pk, 3),
    ]


@pytest.mark.django_db
def test_photo_change_page_and_list_render(staff_client):
    photo = factories.photo(alt_text_fr="Une photo", rights_expire_on=date.today() + timedelta(days=3))
    assert staff_client.get(reverse("admin:media_photo_change", args=[photo.pk])).status_code == 200
    assert staff_client.get(reverse("admin:media_photo_add")).status_code == 200
    assert staff_client.get(reverse("admin:media_photo_changelist"), {"rights": "expiring"}).status_code == 200


@pytest.mark.django_db
def test_after_an_upload_the_officer_lands_on_the_photo_page(post_photo):
    response = post_photo(jpeg())
    photo = Photo.objects.get()
    assert response["Location"] == reverse("admin:media_photo_change", args=[photo.pk])
