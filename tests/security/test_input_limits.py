"""Oversized, malformed and badly encoded requests get a clear 400 or 413 page, never a 500, and
nothing is half-saved."""

import pytest
from django.test import Client
from django.urls import reverse

from releases.models import Release
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = factories.user(superuser=True)
    client.force_login(user)
    return client


def test_a_body_larger_than_the_limit_is_a_413_page(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = "title_fr=" + "x" * 5000
    form = "application/x-www-form-urlencoded"
    response = editor.post(reverse("admin:releases_release_add"), data=body, content_type=form)
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not Release.objects.exists()


def test_a_multipart_body_larger_than_the_limit_is_a_413_page(editor, settings):
    settings.REQUEST_MAX_BYTES = 2048
    response = editor.post(
        reverse("admin:releases_release_add"), {"title_fr": "x" * 5000, "file": ("a" * 10)}, format="multipart"
    )
    assert response.status_code == 413
    assert not Release.objects.exists()


def test_the_limit_is_read_from_content_length_before_the_body():
    client = Client()
    response = client.generic("POST", reverse("admin:login"), b"", CONTENT_LENGTH="99999999999")
    assert response.status_code == 413
    response = client.generic("POST", reverse("admin:login"), b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_a_huge_form_is_a_400_page(editor, settings):
    fields = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    response = editor.post(reverse("admin:releases_release_add"), {"title_fr": "Titre", **fields})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()
    assert not Release.objects.exists()


def test_too_many_files_is_a_400_page(editor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"photo{number}.jpg", b"x") for number in range(5)]
    response = editor.post(reverse("admin:media_photo_add"), {"image": files})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        b'--boundary\r\nContent-Disposition: form-data; name="title_fr"\r\n\r\nx',  # never closed
        b"not multipart at all",
        b"--other\r\n\r\n--other--",
        b'--boundary\r\nContent-Disposition: form-data; name="\xff\xfe"\r\n\r\nx\r\n--boundary--',
    ],
)
def test_malformed_multipart_bodies_never_500(editor, body):
    response = editor.generic(
        "POST",
        reverse("admin:releases_release_add"),
        body,
        content_type="multipart/form-data; boundary=boundary",
    )
    assert response.status_code in (200, 400, 403)
    assert not Release.objects.exists()


def test_a_missing_boundary_never_500(editor):
    response = editor.generic("POST", reverse("admin:releases_release_add"), b"x=1", content_type="multipart/form-data")
    assert response.status_code in (200, 400, 403)
    assert not Release.objects.exists()


def test_a_very_long_title_or_slug_is_a_form_error_and_nothing_is_saved(editor):
    response = editor.post(
        reverse("admin:releases_release_add"),
        {"title_fr": "T" * 20_000, "slug_fr": "s" * 5_000, "kind": "communique", "original_language": "fr"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html or "errorlist" in html
    assert not Release.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/fr/communiques/2024/01/25/" + "s" * 10_000 + "/",
        "/fr/personnes/" + "p" * 10_000 + "/",
        "/fr/recherche/?q=" + "q" * 50_000,
        "/fr/communiques/?page=" + "9" * 500,
        "/fr/communiques/?before=" + "z" * 5_000,
        "/api/v1/releases/?page=" + "9" * 500,
        "/api/v1/releases/" + "9" * 40 + "/",
    ],
)
def test_very_long_urls_never_500(client, path):
    response = client.get(path)
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/fr/recherche/?q=%ff%fe%fd",
        "/fr/recherche/?q=%c3%28",
        "/fr/communiques/?organisation=%ff&tag=%c0%af",
        "/fr/communiques/?page=%ff",
        "/api/v1/releases/?lang=%ff",
        "/fr/communiques/flux/rss/?q=%ff",
        "/fr/%ff/",
        "/fr/personnes/%ff%fe/",
        "/fr/communiques/2024/01/25/%c3%28/",
        "/api/v1/meetings/%ff/",
        "/fr/recherche/?q=%00",
        "/fr/communiques/?tag=%00",
    ],
)
def test_non_utf8_and_nul_in_paths_and_query_strings_never_500(client, db, path):
    response = client.get(path)
    assert response.status_code in (200, 400, 404), path
