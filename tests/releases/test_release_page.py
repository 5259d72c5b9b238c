"""The first public page: the example release as a reader sees it."""

from datetime import date

import pytest

from people.models import Appointment, Person, Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/fr/communiques/2024/01/25/leon-gloden-a-la-reunion-informelle-du-conseil-jai/"


def test_release_page_shows_the_release_with_its_gallery_people_and_closing_line(client, demo):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Léon Gloden à la réunion informelle du Conseil" in html
    assert "<p>À la suite d'une présentation de la Présidence belge" in html
    assert html.count("<figure") == 3
    assert html.count("©MAINT") >= 3
    assert "Communiqué par le ministère des Affaires intérieures" in html
    assert "Dernière mise à jour" in html


def test_darmanin_keeps_the_role_he_held_in_january_2024(client, demo):
    """After his move to Justice in December 2024 the release still calls him ministre de l'Intérieur."""
    darmanin = Person.objects.get(slug="gerald-darmanin")
    assert darmanin.role_on(date(2025, 1, 1)).role.title_fr == "garde des Sceaux, ministre de la Justice"
    html = client.get(URL).content.decode()
    assert "Gérald Darmanin</a>, ministre de l&#x27;Intérieur" in html
    assert "garde des Sceaux" not in html


def test_english_page_uses_the_english_translation(client, demo):
    html = client.get("/en/communiques/2024/01/25/leon-gloden-informal-jha-council/").content.decode()
    assert "Léon Gloden at the informal meeting" in html
    assert "Press release by" in html or "Communiqué par" in html


def test_untranslated_language_falls_back_to_the_original_with_lang_and_notice(client, demo):
    response = client.get("/de" + URL[3:])
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr"' in html
    assert "Léon Gloden à la réunion informelle" in html


def test_a_joint_release_names_each_ministry(client):
    first = factories.organisation(byline_name_fr="le ministère des Affaires intérieures")
    second = factories.organisation(byline_name_fr="le ministère de la Justice")
    release = factories.release(organisations=[first, second])
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Communiqué par le ministère des Affaires intérieures et le ministère de la Justice" in html


def test_a_renamed_ministry_keeps_the_name_it_had(client):
    old = factories.organisation(byline_name_fr="le ministère de l'Intérieur")
    new = factories.organisation(byline_name_fr="le ministère des Affaires intérieures")
    old.successor = new
    old.save()
    release = factories.release(organisations=[old])
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Communiqué par le ministère de l&#x27;Intérieur" in html


@pytest.mark.parametrize(
    "path",
    [
        "/fr/communiques/2024/13/25/leon-gloden-a-la-reunion-informelle-du-conseil-jai/",
        "/fr/communiques/2024/02/30/leon-gloden-a-la-reunion-informelle-du-conseil-jai/",
        "/fr/communiques/2024/01/26/leon-gloden-a-la-reunion-informelle-du-conseil-jai/",
        "/fr/communiques/2024/01/25/no-such-release/",
    ],
)
def test_nonsense_release_urls_answer_404(client, demo, path):
    assert client.get(path).status_code == 404


def test_a_draft_is_not_public_but_staff_can_preview_it(client):
    draft = factories.release(status="draft", title_fr="Projet confidentiel")
    assert client.get(f"/fr/communiques/apercu/{draft.pk}/").status_code == 302  # to the login page
    client.force_login(factories.user(superuser=True))
    response = client.get(f"/fr/communiques/apercu/{draft.pk}/")
    assert response.status_code == 200
    assert "Projet confidentiel" in response.content.decode()
    assert "noindex" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_people_pages_exist_only_for_people_named_publicly(client, demo):
    assert client.get("/fr/personnes/leon-gloden/").status_code == 200
    unnamed = factories.person(slug="inconnu")
    Appointment.objects.create(person=unnamed, role=Role.objects.first(), started_on=date(2020, 1, 1))
    assert client.get("/fr/personnes/inconnu/").status_code == 404
