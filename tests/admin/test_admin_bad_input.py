"""Bad input through the admin gets a form error that keeps what was typed, never a 500 or a half-saved row."""

import pytest
from django.urls import reverse

from people.models import Appointment
from releases.models import Release
from tests import factories

pytestmark = pytest.mark.django_db


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def admin_client(client):
    client.force_login(factories.user(superuser=True))
    return client


def release_post(organisation, **fields):
    data = {
        "kind": "communique",
        "original_language": "fr",
        "title_fr": "Un titre",
        "slug_fr": "un-titre",
        "status": "draft",
        **management_form("issuers", total=1),
        "issuers-0-position": "1",
        "issuers-0-organisation": str(organisation.pk),
        **management_form("updates"),
        **management_form("preview_links"),
    }
    data.update(fields)
    return data


def test_a_valid_release_is_saved(admin_client):
    organisation = factories.organisation()
    response = admin_client.post(reverse("admin:releases_release_add"), release_post(organisation))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Release.objects.filter(slug_fr="un-titre").exists()


def test_a_slug_already_used_is_a_form_error(admin_client):
    factories.release(slug_fr="deja-pris")
    organisation = factories.organisation()
    data = release_post(organisation, slug_fr="deja-pris", title_fr="Mon nouveau titre tapé")
    response = admin_client.post(reverse("admin:releases_release_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "déjà utilisé" in html
    assert "Mon nouveau titre tapé" in html  # what the officer typed is still there
    assert Release.objects.filter(slug_fr="deja-pris").count() == 1


def test_a_missing_french_title_is_a_form_error(admin_client):
    organisation = factories.organisation()
    data = release_post(organisation, title_fr="", title_en="Only an English title", slug_fr="sans-titre")
    response = admin_client.post(reverse("admin:releases_release_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert "Only an English title" in html
    assert not Release.objects.filter(slug_fr="sans-titre").exists()


def test_an_end_date_before_the_start_is_a_form_error(admin_client):
    person, role = factories.person(), factories.role()
    data = {"person": person.pk, "role": role.pk, "started_on": "2024-05-01", "ended_on": "2024-04-30"}
    response = admin_client.post(reverse("admin:people_appointment_add"), data)
    assert response.status_code == 200
    assert "ne peut pas précéder son début" in response.content.decode()
    assert not Appointment.objects.exists()


def test_an_end_date_before_the_start_in_the_person_inline_is_a_form_error(admin_client):
    person, role = factories.person(), factories.role()
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "slug": person.slug,
        **management_form("appointments", total=1),
        "appointments-0-role": role.pk,
        "appointments-0-started_on": "2024-05-01",
        "appointments-0-ended_on": "2024-04-30",
    }
    response = admin_client.post(reverse("admin:people_person_change", args=[person.pk]), data)
    assert response.status_code == 200
    assert "ne peut pas précéder son début" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_release_without_an_issuing_organisation_is_refused(admin_client):
    data = release_post(factories.organisation(), **management_form("issuers", total=0))
    del data["issuers-0-position"], data["issuers-0-organisation"]
    response = admin_client.post(reverse("admin:releases_release_add"), data)
    assert response.status_code == 200
    assert not Release.objects.exists()


def test_tags_are_chosen_with_autocomplete_and_saved(admin_client):
    from core.models import Tag

    asile = Tag.objects.create(name="asile", name_fr="asile", slug="asile")
    organisation = factories.organisation()
    add_page = admin_client.get(reverse("admin:releases_release_add")).content.decode()
    assert "admin-autocomplete" in add_page
    data = release_post(organisation, tags=[str(asile.pk)])
    assert admin_client.post(reverse("admin:releases_release_add"), data).status_code == 302
    assert list(Release.objects.get(slug_fr="un-titre").tags.all()) == [asile]
    search = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "asi", "app_label": "releases", "model_name": "release", "field_name": "tags"},
    )
    assert search.status_code == 200
    assert search.json()["results"][0]["text"] == "asile"
