"""The demo content: the example release as published, loaded idempotently."""

import pytest
from django.apps import apps
from django.core.management import call_command

from newsroom.demo.seed import SEED_FILE, read_seed
from releases.models import Release

pytestmark = pytest.mark.django_db

OUR_APPS = ["newsroom", "people", "sites", "releases", "meetings", "media"]


def row_counts():
    return {
        model._meta.label: model.objects.count() for app in OUR_APPS for model in apps.get_app_config(app).get_models()
    }


def test_loading_twice_gives_the_same_rows(media_root):
    call_command("load_demo")
    first = row_counts()
    files_first = sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())
    call_command("load_demo")
    assert row_counts() == first
    assert sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file()) == files_first
    assert first["releases.Release"] == 1
    assert first["media.Photo"] == 3


def test_release_text_is_the_published_one(demo):
    raw = SEED_FILE.read_text(encoding="utf-8")
    release = Release.objects.get(pk=demo.pk)
    assert release.title_fr == raw.splitlines()[0]
    for paragraph in read_seed().paragraphs:
        assert paragraph in raw
        assert f"<p>{paragraph}</p>" in release.body_fr
    assert release.title_en and release.body_en


def test_gallery_photos_carry_the_seed_captions_and_credit(demo):
    items = list(demo.gallery.items.select_related("photo").order_by("position"))
    assert [item.photo.credit for item in items] == ["©MAINT"] * 3
    assert items[0].photo.caption_fr == "Photo de groupe"
    assert items[1].photo.caption_fr.endswith("Département fédéral de justice et police")
    shown = [pp.appointment.person.family_name for pp in items[2].photo.people_shown.order_by("position")]
    assert shown == ["Verlinden", "Gloden"]


def test_the_demo_serves_the_portal_and_each_ministry_at_its_localhost_address(client):
    call_command("load_demo")
    release = Release.objects.get()
    portal = client.get(release.get_absolute_url(), HTTP_HOST="127.0.0.1:8000")
    maint = client.get(release.get_absolute_url(), HTTP_HOST="maint.localhost:8000")
    assert portal.status_code == maint.status_code == 200
    assert portal.wsgi_request.site.is_portal
    assert maint.wsgi_request.site.organisation.slug == "maint"
    assert client.get("/fr/", HTTP_HOST="localhost:8000").wsgi_request.site.is_portal
    # The closed ministry (MINT) and the foreign organisations get no site.
    assert client.get("/fr/", HTTP_HOST="mint.localhost:8000").status_code == 400
