"""Every admin-registered model, every admin URL, every profile: the permission rules hold everywhere.

- another ministry's release is never reachable (403 or 404, its title never shown), on the changelist,
  change, delete, history, revisions, compare, restore and preview URLs;
- on the other models a profile gets what its group's model permissions give (200), and 403 otherwise
  (meetings, photos, galleries, people and tags are shared by all ministries: see docs/security.md);
- nobody signed out, and no one without staff status, reaches any of it;
- no URL ever answers 500.

``URLS_TRIED`` counts the requests, for docs/security.md.
"""

from __future__ import annotations

import pytest
import reversion
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from core.models import AuditEntry
from core.publication import Status
from people.models import OrganisationMembership
from releases.models import Release, ReleaseSlugHistory
from tests import factories

from .test_admin_permissions import SECRET_TITLE, admin_urls

pytestmark = pytest.mark.django_db
URLS_TRIED = {"count": 0}


@pytest.fixture
def objects(demo, org_b, superuser):
    """One object of each registered model; the release belongs to ministry B only."""
    with reversion.create_revision():
        release_b = factories.release(status=Status.DRAFT, organisations=[org_b], title_fr=SECRET_TITLE)
    with reversion.create_revision():
        release_b.lead_fr = "Deuxième version"
        release_b.save()
    OrganisationMembership.objects.get_or_create(user=superuser, organisation=org_b)
    AuditEntry.objects.create(
        action="releases.release.published",
        actor=superuser,
        content_type=ContentType.objects.get_for_model(Release),
        object_id=release_b.pk,
    )
    ReleaseSlugHistory.objects.get_or_create(
        release=release_b, language="fr", path="/fr/communiques/2024/01/01/ancien-7f3a/"
    )
    found = {}
    for model in admin.site._registry:
        found[model] = release_b if model is Release else model.objects.order_by("pk").first()
    return found


def model_urls(model, obj) -> dict[str, str]:
    info = (model._meta.app_label, model._meta.model_name)
    urls = {
        "changelist": reverse("admin:{}_{}_changelist".format(*info)),
        "add": reverse("admin:{}_{}_add".format(*info)),
    }
    if obj is not None:
        for name in ("change", "delete", "history"):
            urls[name] = reverse(f"admin:{info[0]}_{info[1]}_{name}", args=[obj.pk])
    return urls


def expected(user, model, name) -> set[int]:
    """What the model permissions of ``user`` give on one admin URL."""
    label = model._meta.app_label
    names = model._meta.model_name

    def has(action):
        return user.has_perm(f"{label}.{action}_{names}")

    allowed = {
        "changelist": has("view") or has("change"),
        "change": has("view") or has("change"),
        "history": has("view") or has("change"),
        "add": has("add"),
        "delete": has("delete"),
    }[name]
    # Refused: 403, or Django's "does not exist" redirect to the admin index when the admin's queryset
    # hides the object from that user.
    return {200} if allowed else {302, 403}


@pytest.mark.parametrize("profile", ["press_officer_a", "editor_a"])
def test_every_admin_url_of_every_model_follows_the_rules(request, client, profile, objects):
    user = request.getfixturevalue(profile)
    client.force_login(user)
    failures = []
    for model, obj in objects.items():
        if model is Release:
            for name, url in admin_urls(obj).items():
                response = client.get(url)
                URLS_TRIED["count"] += 1
                if response.status_code not in (403, 404) or SECRET_TITLE in response.content.decode():
                    failures.append(f"release of B, {name}: {response.status_code}")
            continue
        for name, url in model_urls(model, obj).items():
            response = client.get(url)
            URLS_TRIED["count"] += 1
            if response.status_code not in expected(user, model, name):
                failures.append(f"{model._meta.label} {name}: {response.status_code}, {expected(user, model, name)}")
    assert not failures, failures
    # Posting to another ministry's release changes nothing.
    release_b = objects[Release]
    for name, data in {"change": {"title_fr": "pirate", "_save": "1"}, "delete": {"post": "yes"}}.items():
        assert client.post(admin_urls(release_b)[name], data).status_code in (403, 404)
    assert Release.objects.filter(pk=release_b.pk, title_fr=SECRET_TITLE).exists()


@pytest.mark.parametrize("who", ["anonymous", "not_staff"])
def test_no_admin_url_without_staff_sign_in(client, who, objects):
    if who == "not_staff":
        client.force_login(factories.user(staff=False))
    for model, obj in objects.items():
        urls = admin_urls(obj) if model is Release else {}
        urls |= model_urls(model, obj)
        for name, url in urls.items():
            response = client.get(url)
            URLS_TRIED["count"] += 1
            assert response.status_code in (302, 403, 404), (model._meta.label, name, response.status_code)
            assert SECRET_TITLE not in response.content.decode()


def test_extra_admin_views_follow_the_organisation_rules(client, press_officer_a, objects):
    client.force_login(press_officer_a)
    for name in ("admin:releases_calendar", "admin:releases_dashboard"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        response = client.get(url)
        assert response.status_code == 200, name
        assert SECRET_TITLE not in response.content.decode(), name


def test_public_api_never_shows_a_release_or_meeting_that_is_not_public(client, org_b):
    from datetime import timedelta

    from django.utils import timezone

    hidden = [
        factories.release(status=Status.DRAFT, organisations=[org_b], title_fr=SECRET_TITLE),
        factories.release(status=Status.IN_REVIEW, organisations=[org_b], title_fr=SECRET_TITLE),
        factories.release(
            status=Status.SCHEDULED,
            publish_at=timezone.now() + timedelta(hours=1),
            organisations=[org_b],
            title_fr=SECRET_TITLE,
        ),
        factories.release(
            status=Status.PUBLISHED,
            organisations=[org_b],
            title_fr=SECRET_TITLE,
            unpublish_at=timezone.now() - timedelta(minutes=1),
        ),
    ]
    for release in hidden:
        for language in ("fr", "de", "en", "lb"):
            response = client.get(f"/api/v1/releases/{release.pk}/?lang={language}")
            assert response.status_code == 404, (release.status, language)
            assert SECRET_TITLE not in response.content.decode()
    assert SECRET_TITLE not in client.get("/api/v1/releases/").content.decode()
    meeting = factories.meeting(slug="reunion-secrete", status=Status.DRAFT)
    assert client.get(f"/api/v1/meetings/{meeting.slug}/").status_code == 404
    assert "reunion-secrete" not in client.get("/api/v1/meetings/").content.decode()
