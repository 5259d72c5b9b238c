"""Rule 3: stamps. First publication is the scheduled moment; only a major correction moves
"Dernière mise à jour"; Last-Modified and ETag follow every change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.http import http_date

from core.models import AuditEntry
from core.publication import Status
from releases import services
from releases.models import Release, ReleaseUpdate
from tests import factories

SCHEDULED_AT = datetime(2025, 1, 25, 9, 0, tzinfo=UTC)  # 10:00 in Luxembourg


@pytest.fixture
def published(org_a, editor_a):
    """A French and German release, scheduled by an editor and public since SCHEDULED_AT."""
    with time_machine.travel(SCHEDULED_AT - timedelta(days=1), tick=False):
        release = factories.release(
            status=Status.DRAFT,
            organisations=[org_a],
            title_fr="Conseil informel JAI",
            title_de="Informeller Rat JI",
            slug_fr="conseil-informel-jai",
            slug_de="informeller-rat-ji",
            body_fr="<p>Texte original.</p>",
            body_de="<p>Originaltext.</p>",
        )
        services.release_schedule(release=release, by=editor_a, publish_at=SCHEDULED_AT)
    return release


def page(client, release, language="fr", **headers):
    with translation.override(language):
        url = Release.objects.get(pk=release.pk).get_absolute_url()
    return client.get(url, **headers)


@pytest.mark.django_db
def test_first_published_at_is_the_scheduled_moment_not_when_someone_looked(published, client):
    """A release scheduled for 10:00 was first public at 10:00, even if nothing ran then."""
    with time_machine.travel(SCHEDULED_AT + timedelta(hours=5), tick=False):
        response = page(client, published)
        published.refresh_from_db()
    assert response.status_code == 200
    assert published.first_published_at == SCHEDULED_AT
    assert published.public_updated_at is None
    assert "Publié le" in response.content.decode()
    assert "Dernière mise à jour le" not in response.content.decode()
    assert AuditEntry.objects.filter(action="releases.release.scheduled", object_id=published.pk).exists()


@pytest.mark.django_db
def test_minor_correction_keeps_the_public_stamp_but_is_recorded_and_moves_last_modified(published, editor_a, client):
    """A typo fix: no "Dernière mise à jour", an internal history entry, and a new Last-Modified."""
    with time_machine.travel(SCHEDULED_AT + timedelta(minutes=5), tick=False):
        before = page(client, published)
    fixed_at = SCHEDULED_AT + timedelta(hours=1)
    with time_machine.travel(fixed_at, tick=False):
        published.body_fr = "<p>Texte original, coquille corrigée.</p>"
        update = services.release_publish_correction(
            release=published, by=editor_a, major=False, internal_note="coquille au deuxième paragraphe"
        )
        after = page(client, published)
    published.refresh_from_db()
    assert published.public_updated_at is None
    assert published.first_published_at == SCHEDULED_AT
    assert update.major is False and update.internal_note == "coquille au deuxième paragraphe"
    assert ReleaseUpdate.objects.filter(release=published).count() == 1
    html = after.content.decode()
    assert "coquille corrigée" in html
    assert "Dernière mise à jour le" not in html
    assert "coquille au deuxième paragraphe" not in html
    assert after["Last-Modified"] == http_date(fixed_at.timestamp())
    assert after["Last-Modified"] != before["Last-Modified"]
    assert after["ETag"] != before["ETag"]
    entry = AuditEntry.objects.get(action="releases.release.corrected", object_id=published.pk)
    assert entry.actor == editor_a and entry.data["major"] is False


@pytest.mark.django_db
def test_major_correction_moves_the_public_stamp_and_lists_its_note_in_the_readers_language(
    published, editor_a, client
):
    """A major change: "Dernière mise à jour le", its note in French for French readers, German for German."""
    corrected_at = SCHEDULED_AT + timedelta(hours=2)
    with time_machine.travel(corrected_at, tick=False):
        published.body_fr = "<p>Le nombre de participants était de 27, et non de 25.</p>"
        services.release_publish_correction(
            release=published,
            by=editor_a,
            major=True,
            notes={"fr": "Nombre de participants corrigé.", "de": "Teilnehmerzahl korrigiert."},
        )
        french = page(client, published, "fr")
        german = page(client, published, "de")
    published.refresh_from_db()
    assert published.public_updated_at == corrected_at
    assert published.first_published_at == SCHEDULED_AT
    assert "Dernière mise à jour le" in french.content.decode()
    assert "Nombre de participants corrigé." in french.content.decode()
    assert "Teilnehmerzahl korrigiert." in german.content.decode()
    assert "Nombre de participants corrigé." not in german.content.decode()
    assert french["Last-Modified"] == http_date(corrected_at.timestamp())


@pytest.mark.django_db
def test_major_correction_needs_a_note_in_every_language_of_the_release(published, editor_a):
    """French and German content: a French note alone is refused, nothing is recorded."""
    with time_machine.travel(SCHEDULED_AT + timedelta(hours=2), tick=False), pytest.raises(ValidationError):
        services.release_publish_correction(
            release=published, by=editor_a, major=True, notes={"fr": "Nombre de participants corrigé."}
        )
    assert not ReleaseUpdate.objects.filter(release=published).exists()
    published.refresh_from_db()
    assert published.public_updated_at is None


@pytest.mark.django_db
def test_conditional_get_answers_304_until_the_release_changes(published, editor_a, client):
    """If-None-Match / If-Modified-Since give 304 while nothing changed, 200 after any saved change."""
    with time_machine.travel(SCHEDULED_AT + timedelta(minutes=10), tick=False):
        first = page(client, published)
        not_modified = page(client, published, HTTP_IF_NONE_MATCH=first["ETag"])
        assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]
        assert page(client, published, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with time_machine.travel(SCHEDULED_AT + timedelta(minutes=20), tick=False):
        services.release_publish_correction(release=published, by=editor_a, major=False, internal_note="virgule")
        assert page(client, published, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
        assert page(client, published, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


@pytest.mark.django_db
def test_correction_in_the_admin_that_changes_the_slug_keeps_the_old_address_as_a_redirect(published, editor_a, client):
    """An editor renames the French slug with a minor correction: the old address answers 301."""
    from django.urls import reverse

    from .formdata import form_data, text

    with time_machine.travel(SCHEDULED_AT + timedelta(hours=3), tick=False):
        old_url = page(client, published).wsgi_request.path
        client.force_login(editor_a)
        url = reverse("admin:releases_release_change", args=[published.pk])
        change = client.get(url)
        assert "heure de Luxembourg" in text(change)
        data = form_data(change.content.decode())
        data.update(
            {
                "slug_fr": "conseil-informel-jai-luxembourg",
                "correction_major": "0",
                "internal_note": "identifiant d'URL précisé",
                "_correct": "1",
            }
        )
        assert client.post(url, data).status_code == 302, text(client.post(url, data))
        client.logout()
        moved = client.get(old_url)
        assert moved.status_code == 301
        assert moved["Location"].endswith("/conseil-informel-jai-luxembourg/")
        assert client.get(moved["Location"]).status_code == 200
    assert ReleaseUpdate.objects.get(release=published).internal_note == "identifiant d'URL précisé"


@pytest.mark.django_db
def test_plain_save_of_a_public_release_is_refused(published, editor_a, client):
    """Changing public text without saying whether it is a major or minor correction is refused."""
    from django.urls import reverse

    from .formdata import form_data, text

    with time_machine.travel(SCHEDULED_AT + timedelta(hours=3), tick=False):
        client.force_login(editor_a)
        url = reverse("admin:releases_release_change", args=[published.pk])
        data = form_data(client.get(url).content.decode())
        data.update({"title_fr": "Titre changé en douce", "_save": "1"})
        response = client.post(url, data)
    assert response.status_code == 200
    assert "Publier la correction" in text(response)
    published.refresh_from_db()
    assert published.title_fr == "Conseil informel JAI"
