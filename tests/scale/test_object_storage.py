"""Uploaded photos and renditions on S3-compatible object storage (django-storages, boto3).

The S3 endpoint is moto's standalone server on loopback: a third-party server speaking the S3 protocol
over HTTP. The newsroom's own code, database and views are all real.
"""

from __future__ import annotations

import io
import urllib.request
from urllib.parse import urlsplit

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.publication import Status
from media.models import Photo
from media.services import photo_create_from_upload
from media.tasks import photo_generate_renditions
from newsroom.settings import s3_storage
from tests import factories
from tests.scale.cluster import free_port

BUCKET = "newsroom-photos"
CREDENTIALS = {"aws_access_key_id": "newsroom-test", "aws_secret_access_key": "newsroom-test-secret"}


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            BUCKET,
            endpoint_url=s3_server,
            region_name="us-east-1",
            access_key=CREDENTIALS["aws_access_key_id"],
            secret_key=CREDENTIALS["aws_secret_access_key"],
        ),
    }
    settings.PHOTO_SERVE_MODE = "redirect"
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def upload(editor) -> Photo:
    image = SimpleUploadedFile("gloden-jans.jpg", factories.jpeg_bytes(1600, 1200), content_type="image/jpeg")
    return photo_create_from_upload(file=image, uploaded_by=editor, fields={"credit": "©MAINT"})


@pytest.mark.django_db(transaction=True)
def test_uploads_and_renditions_live_in_the_private_bucket_only(bucket, media_root, django_user_model):
    editor = factories.user(superuser=True)
    photo = upload(editor)
    photo_generate_renditions(photo=photo)

    stored = keys(bucket)
    assert photo.image.name in stored
    renditions = list(photo.renditions.all())
    assert renditions and {rendition.file.name for rendition in renditions} <= stored
    assert not any(media_root.iterdir()), "nothing is written to MEDIA_ROOT"
    # Private: no object and not the bucket grants anything to everyone.
    for key in stored:
        grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert not [g for g in grants if g["Grantee"].get("URI", "").endswith(("AllUsers", "AuthenticatedUsers"))]
    grants = bucket.get_bucket_acl(Bucket=BUCKET)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith(("AllUsers", "AuthenticatedUsers"))]


@pytest.mark.django_db(transaction=True)
def test_a_public_rendition_redirects_to_a_short_lived_signed_url_and_an_embargoed_one_is_404(bucket, client):
    editor = factories.user(superuser=True)
    photo = upload(editor)
    photo_generate_renditions(photo=photo)
    gallery = factories.gallery(photos=[photo])
    release = factories.release(status=Status.DRAFT, gallery=gallery)
    rendition = photo.renditions.filter(format="webp").order_by("width").first()
    url = reverse("rendition-file", kwargs={"name": rendition.file.name.removeprefix("renditions/")})

    assert client.get(url).status_code == 404, "not used by anything public: no file, no redirect"

    release.status = Status.PUBLISHED
    release.publish_at = release.first_published_at = factories.timezone.now()
    release.save()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    query = urlsplit(signed).query
    assert "X-Amz-Signature=" in query and "X-Amz-Expires=60" in query
    with urllib.request.urlopen(signed, timeout=10) as answer:
        data = answer.read()
    assert data == bucket.get_object(Bucket=BUCKET, Key=rendition.file.name)["Body"].read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP" and image.width == rendition.width

    # The staff's original comes from the bucket too.
    client.force_login(editor)
    original = client.get(reverse("admin-photo-original", kwargs={"pk": photo.pk}))
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == bucket.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()


@pytest.mark.django_db(transaction=True)
def test_streaming_mode_proxies_the_file_from_the_bucket(bucket, client, settings):
    settings.PHOTO_SERVE_MODE = "django"
    photo = upload(factories.user(superuser=True))
    photo_generate_renditions(photo=photo)
    factories.release(gallery=factories.gallery(photos=[photo]))
    rendition = photo.renditions.filter(format="jpeg").first()
    response = client.get(reverse("rendition-file", kwargs={"name": rendition.file.name.removeprefix("renditions/")}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    stored = bucket.get_object(Bucket=BUCKET, Key=rendition.file.name)["Body"].read()
    assert b"".join(response.streaming_content) == stored
