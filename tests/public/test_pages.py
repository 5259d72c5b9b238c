"""Every public page type renders from the demo content, in every language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

LANGUAGES = ["fr", "de", "en", "lb"]


def page_urls(release):
    return [
        reverse("home"),
        reverse("release-list"),
        release.get_absolute_url(),
        reverse("person-detail", kwargs={"slug": "leon-gloden"}),
        reverse("organisation-detail", kwargs={"slug": "maint"}),
        reverse("meeting-agenda"),
        reverse("meeting-detail", kwargs={"slug": "reunion-informelle-jai-2024-01"}),
        reverse("gallery-list"),
        reverse("gallery-detail", kwargs={"slug": "reunion-informelle-jai-janvier-2024"}),
        reverse("tag-detail", kwargs={"slug": "asile"}),
        reverse("search") + "?q=migration",
        reverse("accessibility"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_renders(client, demo, language):
    with translation.override(language):
        urls = page_urls(demo)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert f'<html lang="{language}">' in html, url
        assert 'href="#main-content"' in html, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/fr/reunions/?page=-1", 400),
        ("/fr/reunions/?page=abc", 400),
        ("/fr/reunions/?page=99", 404),
        ("/fr/galeries/?page=0", 400),
        ("/fr/galeries/?page=99", 404),
        ("/fr/recherche/?date_from=2024-02-30", 400),
        ("/fr/themes/asile/?page=-3", 400),
        ("/fr/themes/inconnu/", 404),
        ("/fr/personnes/personne/", 404),
        ("/fr/organisations/inconnue/", 404),
        ("/fr/reunions/inconnue/", 404),
        ("/fr/reunions/inconnue.ics", 404),
        ("/fr/galeries/inconnue/", 404),
        ("/fr/communiques/2024/02/30/slug/", 404),
        ("/fr/communiques/0000/01/01/slug/", 404),
        ("/xx/", 404),
        ("/api/v1/releases/?page=abc", 400),
        ("/api/v1/releases/?date_to=hier", 400),
        ("/api/v1/releases/99999999/", 404),
        ("/api/v1/meetings/inconnue/", 404),
    ],
)
def test_bad_input_is_a_readable_400_or_404(client, demo, url, status):
    response = client.get(url)
    assert response.status_code == status
    if "html" in response["Content-Type"]:
        html = response.content.decode()
        assert html.count("<h1") == 1 and 'href="#main-content"' in html


@pytest.mark.django_db
def test_a_person_page_and_the_person_filter_list_releases_from_every_role(client, settings):
    """After a reshuffle, the person page and ``?person=`` list the releases naming either role."""
    from datetime import date

    settings.PAGE_CACHE_ENABLED = False
    person = factories.person(slug="anne-muller", given_name="Anne", family_name="Muller")
    before = factories.appointment(person_=person, started_on=date(2020, 1, 1), ended_on=date(2023, 12, 31))
    after = factories.appointment(person_=person, started_on=date(2024, 1, 1))
    for title, appointment in (("Ancien rôle", before), ("Nouveau rôle", after)):
        factories.release(title_fr=title).appointments.add(appointment)
    factories.release(title_fr="Sans elle")
    page = client.get("/fr/personnes/anne-muller/")
    assert sorted(release.localized("title") for release in page.context["releases"]) == ["Ancien rôle", "Nouveau rôle"]
    listed = client.get("/fr/communiques/", {"person": "anne-muller"})
    assert sorted(release.localized("title") for release in listed.context["releases"]) == [
        "Ancien rôle",
        "Nouveau rôle",
    ]
