"""The staff preview of a draft shows its photos: their rendition files answer staff who may see the
release, never cached by a shared cache, while anonymous visitors (shared preview links included) and
staff of another ministry still get 404 until the photo is public."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.publication import Status
from media.services import photo_create_from_upload
from media.tasks import photo_generate_renditions
from releases import services
from tests import factories
from tests.media.photo_files import jpeg

from .conftest import PRESS_OFFICER, member


def rendition_urls(photo) -> list[str]:
    return [
        reverse("rendition-file", kwargs={"name": r.file.name.removeprefix("renditions/")})
        for r in photo.renditions.all()
    ]


@pytest.fixture
def draft_with_photo(org_a):
    photo = photo_create_from_upload(
        file=ContentFile(jpeg(700, 500), name="jai.jpg"), fields={"credit": "©MAINT", "alt_text_fr": "Le ministre"}
    )
    photo_generate_renditions(photo=photo)
    gallery = factories.gallery(photos=[photo], status=Status.DRAFT)
    release = factories.release(status=Status.DRAFT, organisations=[org_a], gallery=gallery, title_fr="Brouillon A")
    return release, photo


@pytest.mark.django_db
def test_staff_preview_shows_the_draft_photos_and_their_files_answer_staff_privately(
    press_officer_a, draft_with_photo, client
):
    release, photo = draft_with_photo
    urls = rendition_urls(photo)
    assert len(urls) == 4
    client.force_login(press_officer_a)
    page = client.get(reverse("release-preview", kwargs={"pk": release.pk})).content.decode()
    assert 'alt="Le ministre"' in page and "©MAINT" in page
    assert all(url in page for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] in {"image/jpeg", "image/webp"}
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control and "public" not in cache_control
        assert not any(part.startswith("max-age=") and part != "max-age=0" for part in cache_control)
        b"".join(response.streaming_content)


@pytest.mark.django_db
def test_draft_photo_files_stay_404_for_anonymous_visitors_and_other_ministries(
    draft_with_photo, org_b, editor_a, client
):
    release, photo = draft_with_photo
    urls = rendition_urls(photo)
    for url in urls:
        assert client.get(url).status_code == 404  # anonymous
    # A shared preview link shows the page to someone without an account: the files stay private.
    link = services.preview_link_create(release=release, by=editor_a)
    shared = client.get(link.get_absolute_url()).content.decode()
    assert "Brouillon A" in shared and not any(url in shared for url in urls)
    for url in urls:
        assert client.get(url).status_code == 404
    # Staff of another ministry neither see the release nor its photos.
    client.force_login(member(PRESS_OFFICER, org_b))
    for url in urls:
        assert client.get(url).status_code == 404
    # A logged-in account that is not staff gets nothing either.
    client.force_login(factories.user(staff=False))
    for url in urls:
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_public_photo_files_keep_their_public_caching_for_everyone(draft_with_photo, press_officer_a, client):
    release, photo = draft_with_photo
    release.gallery.status = Status.PUBLISHED
    release.gallery.publish_at = timezone.now() - timedelta(minutes=1)
    release.gallery.save()
    url = rendition_urls(photo)[0]
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and anonymous["Cache-Control"].startswith("public, max-age=")
    client.force_login(press_officer_a)
    assert client.get(url)["Cache-Control"] == anonymous["Cache-Control"]


@pytest.mark.django_db
def test_anonymous_requests_for_a_draft_photo_still_cost_one_query(
    draft_with_photo, client, django_assert_num_queries, warm_sites
):
    """The staff path is only tried for a logged-in user: anonymous 404s stay a single indexed query."""
    _release, photo = draft_with_photo
    url = rendition_urls(photo)[0]
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 404
