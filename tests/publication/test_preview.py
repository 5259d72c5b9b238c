"""Rule 7: staff preview (their organisations only) and shareable preview links (expire, revocable)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from core.publication import Status
from releases import services
from tests import factories

from .formdata import text


@pytest.fixture
def draft_a(org_a):
    return factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Brouillon secret A")


@pytest.fixture
def draft_b(org_b):
    return factories.release(status=Status.DRAFT, organisations=[org_b], title_fr="Brouillon secret B")


def assert_private_page(response):
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "preview-banner" in html


@pytest.mark.django_db
def test_staff_preview_shows_own_draft_with_banner_noindex_and_no_cache(press_officer_a, draft_a, client):
    client.force_login(press_officer_a)
    response = client.get(reverse("release-preview", kwargs={"pk": draft_a.pk}))
    assert_private_page(response)
    assert "Brouillon secret A" in response.content.decode()


@pytest.mark.django_db
def test_staff_preview_of_another_ministrys_draft_is_404(press_officer_a, draft_b, client):
    client.force_login(press_officer_a)
    response = client.get(reverse("release-preview", kwargs={"pk": draft_b.pk}))
    assert response.status_code == 404
    assert "Brouillon secret B" not in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_get_no_staff_preview(draft_a, client):
    response = client.get(reverse("release-preview", kwargs={"pk": draft_a.pk}))
    assert response.status_code == 302
    assert "Brouillon secret A" not in response.content.decode()


@pytest.mark.django_db
def test_shared_link_shows_only_its_release_until_it_expires(editor_a, draft_a, draft_b, client):
    """A link made by an editor opens that one draft for 7 days, for anyone, never cached nor indexed."""
    link = services.preview_link_create(release=draft_a, by=editor_a)
    url = link.get_absolute_url()
    response = client.get(url)
    assert_private_page(response)
    assert "Brouillon secret A" in response.content.decode()
    assert "Brouillon secret B" not in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert AuditEntry.objects.filter(action="releases.release.preview_link_created", actor=editor_a).exists()
    assert link.expires_at - link.created_at >= timedelta(days=7) - timedelta(seconds=1)
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert client.get(url).status_code == 404
    assert client.get(url.replace(link.token, link.token[:-2] + "xx")).status_code == 404


@pytest.mark.django_db
def test_revoked_link_no_longer_opens(editor_a, draft_a, client):
    link = services.preview_link_create(release=draft_a, by=editor_a)
    services.preview_link_revoke(link=link, by=editor_a)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 404
    assert "Brouillon secret A" not in response.content.decode()
    assert AuditEntry.objects.filter(action="releases.release.preview_link_revoked").exists()


@pytest.mark.django_db
def test_links_are_made_and_revoked_from_the_admin_by_editors_only(editor_a, press_officer_a, draft_a, client):
    """The editor's buttons create and revoke a link; a press officer's POST is refused."""
    create = reverse("admin:releases_release_preview_link", args=[draft_a.pk])
    client.force_login(press_officer_a)
    assert client.post(create).status_code == 403
    assert not draft_a.preview_links.exists()

    client.force_login(editor_a)
    change = reverse("admin:releases_release_change", args=[draft_a.pk])
    assert "Créer un lien d'aperçu" in text(client.get(change))
    assert client.post(create).status_code == 302
    link = draft_a.preview_links.get()
    assert link.token in text(client.get(change))
    revoke = reverse("admin:releases_release_preview_link_revoke", args=[draft_a.pk, link.pk])
    assert client.post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
