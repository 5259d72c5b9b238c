"""Rule 6: every save keeps a revision, which can be compared and restored exactly."""

from __future__ import annotations

import pytest
from django.urls import reverse
from reversion.models import Version

from core.models import AuditEntry, Tag
from core.publication import Status
from releases.models import Release
from tests import factories

from .formdata import form_data, text


def state(release: Release) -> dict:
    release = Release.objects.get(pk=release.pk)
    return {
        "titles": {code: getattr(release, f"title_{code}") for code in ("fr", "de", "en", "lb")},
        "lead_de": release.lead_de,
        "body_fr": release.body_fr,
        "issuers": list(release.issuers.order_by("position").values_list("organisation__slug", flat=True)),
        "organisation_ids": release.organisation_ids,
        "appointments": set(release.appointments.values_list("pk", flat=True)),
        "tags": set(release.tags.values_list("name", flat=True)),
    }


@pytest.mark.django_db
def test_a_revision_is_restored_exactly(editor_a, org_a, org_b, client):
    """Translations, issuers in their order, people and tags come back as they were; status stays."""
    first_person, second_person, third_person = (factories.appointment() for _ in range(3))
    release = factories.release(
        status=Status.DRAFT,
        organisations=[org_a, org_b],
        title_fr="Titre d'origine",
        title_de="Ursprünglicher Titel",
        title_en="Original title",
        slug_de="ursprunglicher-titel",
        slug_en="original-title",
        lead_de="Ursprünglicher Vorspann",
        body_fr="<p>Corps d'origine.</p>",
    )
    release.appointments.set([first_person, second_person])
    release.tags.add("asile", "migration")
    url = reverse("admin:releases_release_change", args=[release.pk])
    client.force_login(editor_a)

    data = form_data(client.get(url).content.decode())
    data["_continue"] = "1"
    assert client.post(url, data).status_code == 302
    original = state(release)
    assert original["issuers"] == ["ministere-a", "ministere-b"]
    assert original["organisation_ids"] == [org_a.pk, org_b.pk]
    assert original["tags"] == {"asile", "migration"}

    budget = Tag.objects.create(name="budget", slug="budget")  # tags are picked among existing ones
    data = form_data(client.get(url).content.decode())
    data.update(
        {
            "title_fr": "Titre réécrit",
            "title_de": "Neuer Titel",
            "lead_de": "",
            "body_fr": "<p>Tout autre chose.</p>",
            "issuers-0-position": "2",
            "issuers-1-position": "1",
            "appointments": [str(first_person.pk), str(third_person.pk)],
            "tags": [str(budget.pk)],
            "_continue": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    changed = state(release)
    assert changed["issuers"] == ["ministere-b", "ministere-a"]
    assert changed["organisation_ids"] == [org_b.pk, org_a.pk]
    assert changed["tags"] == {"budget"}
    assert changed["appointments"] == {first_person.pk, third_person.pk}

    versions = list(Version.objects.get_for_object(release))
    assert len(versions) >= 2
    newest, kept = versions[0], versions[1]

    listing = client.get(reverse("admin:releases_release_revisions", args=[release.pk]))
    assert listing.status_code == 200
    comparison = client.get(
        reverse("admin:releases_release_compare", args=[release.pk]) + f"?a={kept.pk}&b={newest.pk}"
    )
    page = text(comparison)
    assert comparison.status_code == 200
    assert "Titre d'origine" in page and "Titre réécrit" in page
    assert "budget" in page and "asile, migration" in page
    assert "1. Ministère A" in page and "1. Ministère B" in page
    assert "organisation ids" not in page and "search fr" not in page  # derived data is not compared

    restore_url = reverse("admin:releases_release_restore", args=[release.pk, kept.pk])
    assert client.get(restore_url).status_code == 200
    assert client.post(restore_url).status_code == 302
    assert state(release) == original
    restored = Release.objects.get(pk=release.pk)
    assert restored.status == Status.DRAFT
    assert AuditEntry.objects.filter(action="releases.release.restored", object_id=release.pk, actor=editor_a).exists()
    assert len(Version.objects.get_for_object(release)) == len(versions) + 1


@pytest.mark.django_db
def test_restoring_keeps_the_publication_state(editor_a, org_a):
    """Restoring older text of a published release does not unpublish or re-date it."""
    import reversion

    from releases import services

    with reversion.create_revision():
        release = factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Brouillon ancien")
    old = Version.objects.get_for_object(release).first()
    release.title_fr = "Texte publié"
    services.release_publish(release=release, by=editor_a)
    published = Release.objects.get(pk=release.pk)
    services.release_restore_revision(release=published, version=old, by=editor_a)
    restored = Release.objects.get(pk=release.pk)
    assert restored.title_fr == "Brouillon ancien"
    assert restored.status == Status.PUBLISHED
    assert restored.publish_at == published.publish_at
    assert restored.first_published_at == published.first_published_at
    assert restored.is_public()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["meeting", "gallery"])
def test_meeting_and_gallery_saves_keep_revisions(superuser, client, model):
    """Saving a meeting or a gallery in the admin keeps a revision, with its participants or photos."""
    obj = factories.meeting() if model == "meeting" else factories.gallery([factories.photo()])
    app = "meetings" if model == "meeting" else "media"
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    client.force_login(superuser)
    data = form_data(client.get(url).content.decode(), form_id=f"{model}_form")
    data.update({"title_fr": "Titre révisé", "_continue": "1"})
    assert client.post(url, data).status_code == 302
    version = Version.objects.get_for_object(obj).get()
    assert version.field_dict["title_fr"] == "Titre révisé"
    if model == "gallery":
        assert version.revision.version_set.count() == 2  # the gallery and its one photo position
