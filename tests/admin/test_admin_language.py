"""The admin speaks French, German, English and Luxembourgish, chosen by each staff member.

Django's own Luxembourgish catalogue is nearly empty: an admin string it lacks falls back to French
(the project's ``LANGUAGE_CODE``), never to English.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories


@pytest.mark.parametrize(
    ("language", "save", "logout"),
    [("fr", "Enregistrer", "Déconnexion"), ("de", "Sichern", "Abmelden"), ("en", "Save", "Log out")],
)
def test_admin_strings_in_each_language(language, save, logout):
    with translation.override(language):
        assert translation.gettext("Save") == save
        assert translation.gettext("Log out") == logout


def test_luxembourgish_falls_back_to_french_where_django_has_no_translation():
    with translation.override("lb"):
        assert translation.gettext("Save") == "Enregistrer"
        assert translation.gettext("Site administration") == "Site d’administration"


@pytest.mark.django_db
def test_staff_chooses_the_admin_language(client):
    client.force_login(factories.user(superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="admin-language"' in page and 'action="/i18n/setlang/"' in page
    for language, expected in (("de", "Abmelden"), ("lb", "Déconnexion"), ("en", "Log out")):
        response = client.post(reverse("set_language"), {"language": language, "next": reverse("admin:index")})
        assert response.status_code == 302
        page = client.get(reverse("admin:index")).content.decode()
        assert f'<html lang="{language}"' in page
        assert expected in page
    client.post(reverse("set_language"), {"language": "lb", "next": reverse("admin:index")})
    jsi18n = client.get(reverse("admin:jsi18n")).content.decode()
    assert "Aujourd" in jsi18n or "Maintenant" in jsi18n  # the calendar's words, in French for lb
