"""The publication services: each change is a named verb with an audit entry and a revision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from core.models import AuditEntry
from core.publication import Status
from releases import services
from releases.models import Release
from tests import factories

NOW = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)


def actions(release) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=release.pk).order_by("id").values_list("action", flat=True))


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_life_of_a_release_leaves_named_audit_entries_and_revisions(press_officer_a, editor_a, org_a):
    """submitted → scheduled → (public at its time) → corrected → withdrawn → unpublished."""
    release = factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Cycle de vie")
    services.release_submit(release=release, by=press_officer_a)
    assert release.status == Status.IN_REVIEW
    services.release_schedule(release=release, by=editor_a, publish_at=NOW + timedelta(hours=1))
    assert release.status == Status.SCHEDULED and not release.is_public()
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert release.is_public()
        services.release_publish_correction(release=release, by=editor_a, major=False, internal_note="typo")
        assert release.status == Status.PUBLISHED
        services.release_withdraw(release=release, by=editor_a, notes={"fr": "Chiffres erronés."})
        services.release_unpublish(release=release, by=editor_a, reason="demande juridique")
    assert actions(release) == [
        "releases.release.submitted",
        "releases.release.scheduled",
        "releases.release.corrected",
        "releases.release.withdrawn",
        "releases.release.unpublished",
    ]
    entries = AuditEntry.objects.filter(object_id=release.pk)
    assert {entry.actor for entry in entries} == {press_officer_a, editor_a}
    assert Version.objects.get_for_object(release).count() == 5


@pytest.mark.django_db
def test_press_officer_may_not_schedule_publish_or_withdraw(press_officer_a, org_a):
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    with pytest.raises(PermissionDenied):
        services.release_schedule(release=release, by=press_officer_a, publish_at=datetime(2099, 1, 1, tzinfo=UTC))
    with pytest.raises(PermissionDenied):
        services.release_publish(release=release, by=press_officer_a)
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert not AuditEntry.objects.filter(object_id=release.pk).exists()


@pytest.mark.django_db
def test_editor_may_not_publish_another_ministrys_release(editor_a, org_b):
    release = factories.release(status=Status.DRAFT, organisations=[org_b])
    with pytest.raises(PermissionDenied):
        services.release_publish(release=release, by=editor_a)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_scheduling_in_the_past_is_refused_by_the_service(editor_a, org_a):
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    with pytest.raises(ValidationError):
        services.release_schedule(release=release, by=editor_a, publish_at=NOW - timedelta(seconds=1))
    release.refresh_from_db()
    assert release.status == Status.DRAFT


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_withdrawal_needs_a_public_note_and_leaves_the_page_up_with_it(editor_a, org_a, client):
    release = factories.release(status=Status.PUBLISHED, organisations=[org_a], title_fr="Retiré mais visible")
    with pytest.raises(ValidationError):
        services.release_withdraw(release=release, by=editor_a, notes={"fr": "  "})
    services.release_withdraw(release=release, by=editor_a, notes={"fr": "Ce communiqué contenait une erreur."})
    response = client.get(Release.objects.get(pk=release.pk).get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Retiré mais visible" in html
    assert "Ce communiqué contenait une erreur." in html
    assert "notice-withdrawn" in html


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_unpublished_release_answers_410_gone_with_an_explanation_and_nothing_of_it(editor_a, org_a, client):
    release = factories.release(
        status=Status.PUBLISHED, organisations=[org_a], title_fr="Dépublié pour raison juridique", slug_de="weg"
    )
    release.title_de = "Entfernt"
    release.save()
    urls = {}
    for code in ("fr", "de"):
        with translation.override(code):
            urls[code] = Release.objects.get(pk=release.pk).get_absolute_url()
    services.release_unpublish(release=release, by=editor_a, reason="décision de justice")
    explanation = {"fr": "n'est plus publié", "de": "nicht mehr veröffentlicht"}
    for code, url in urls.items():
        response = client.get(url)
        assert response.status_code == 410
        html = response.content.decode()
        assert explanation[code] in html.replace("&#x27;", "'")
        assert "Dépublié pour raison juridique" not in html and "Entfernt" not in html
    assert not Release.objects.public().filter(pk=release.pk).exists()
    with translation.override("fr"):
        assert "Dépublié pour raison juridique" not in client.get(reverse("release-list")).content.decode()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_unpublishing_a_release_not_yet_public_cancels_its_schedule(editor_a, org_a):
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    services.release_schedule(release=release, by=editor_a, publish_at=NOW + timedelta(days=1))
    services.release_unpublish(release=release, by=editor_a)
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.first_published_at is None
    assert "releases.release.unscheduled" in actions(release)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_publishing_again_after_unpublishing_keeps_the_address_and_first_publication(editor_a, org_a, client):
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    services.release_publish(release=release, by=editor_a)
    first = release.first_published_at
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        services.release_unpublish(release=release, by=editor_a)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert client.get(release.get_absolute_url()).status_code == 410
        services.release_publish(release=release, by=editor_a)
        assert client.get(release.get_absolute_url()).status_code == 200
    release.refresh_from_db()
    assert release.first_published_at == first == NOW
