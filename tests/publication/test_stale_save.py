"""Rule 6: a save based on a stale copy is refused, never silently overwritten."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.publication import Status
from releases.models import Release
from tests import factories

from .formdata import form_data, text


@pytest.mark.django_db
def test_second_of_two_concurrent_saves_is_refused_and_keeps_its_input(press_officer_a, editor_a, org_a, client):
    """Two people open the same release; the first save wins, the second is refused with a message and
    the second person's typing is still in the re-rendered form."""
    release = factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Titre initial")
    url = reverse("admin:releases_release_change", args=[release.pk])

    client.force_login(press_officer_a)
    first_copy = form_data(client.get(url).content.decode())
    client.force_login(editor_a)
    second_copy = form_data(client.get(url).content.decode())

    client.force_login(press_officer_a)
    first_copy["title_fr"] = "Titre du chargé de presse"
    first_copy["_continue"] = "1"
    assert client.post(url, first_copy).status_code == 302

    client.force_login(editor_a)
    second_copy["title_fr"] = "Titre de l'éditeur, tapé longuement"
    second_copy["lead_fr"] = "Un chapeau entièrement réécrit"
    second_copy["_continue"] = "1"
    refused = client.post(url, second_copy)
    assert refused.status_code == 200
    page = text(refused)
    assert "a été enregistrée par quelqu'un d'autre depuis que vous l'avez ouverte" in page
    assert 'value="Titre de l\'éditeur, tapé longuement"' in page
    assert "Un chapeau entièrement réécrit" in page

    release.refresh_from_db()
    assert release.title_fr == "Titre du chargé de presse"
    assert release.lead_fr == ""


@pytest.mark.django_db
def test_every_save_moves_the_lock_version(org_a):
    """The version counter goes up by one on each save of an existing release."""
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    start = Release.objects.get(pk=release.pk).lock_version
    release.save()
    release.save(update_fields=["title_fr"])
    assert Release.objects.get(pk=release.pk).lock_version == start + 2


@pytest.mark.django_db
def test_save_from_the_current_copy_is_accepted(press_officer_a, org_a, client):
    """Opening, editing and saving the latest copy works, twice in a row."""
    release = factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Avant")
    url = reverse("admin:releases_release_change", args=[release.pk])
    client.force_login(press_officer_a)
    for title in ("Première modification", "Seconde modification"):
        data = form_data(client.get(url).content.decode())
        data["title_fr"] = title
        data["_continue"] = "1"
        assert client.post(url, data).status_code == 302
        release.refresh_from_db()
        assert release.title_fr == title


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["meeting", "gallery"])
def test_meeting_and_gallery_forms_refuse_a_stale_copy_too(superuser, client, model):
    """The same lock protects meetings and galleries."""
    obj = factories.meeting(title_fr="Avant") if model == "meeting" else factories.gallery(title_fr="Avant")
    app = "meetings" if model == "meeting" else "media"
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    client.force_login(superuser)
    first = form_data(client.get(url).content.decode(), form_id=f"{model}_form")
    second = dict(first)
    first.update({"title_fr": "Premier", "_continue": "1"})
    assert client.post(url, first).status_code == 302
    second.update({"title_fr": "Second", "_continue": "1"})
    refused = client.post(url, second)
    assert refused.status_code == 200
    assert "enregistrée par quelqu'un d'autre" in text(refused)
    assert 'value="Second"' in text(refused)
    obj.refresh_from_db()
    assert obj.title_fr == "Premier"
