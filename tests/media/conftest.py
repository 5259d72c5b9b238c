"""Fixtures for photo tests: an editor posting files through the real admin upload form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.media.photo_files import inline_management_data


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "correct horse battery staple")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def post_photo(staff_client):
    """Post one file through the admin's add-photo form, like an officer; returns the response."""

    def post(data: bytes, name: str = "photo.jpg", **fields):
        url = reverse("admin:media_photo_add")
        page = staff_client.get(url)
        assert page.status_code == 200
        payload = inline_management_data(page)
        payload.update({"alt_text_fr": "Deux ministres se serrent la main", "credit": "©MAINT"})
        payload.update(fields)
        payload["image"] = SimpleUploadedFile(name, data, content_type="application/octet-stream")
        return staff_client.post(url, payload)

    return post
