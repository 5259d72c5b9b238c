"""The release form as a press officer fills it: rich text, translation status, copying the original,
slugs frozen after publication, the editing aids' settings, the people-mentioned labels."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from core.html import ALLOWED_TAGS
from core.publication import Status
from core.rich_text import EDITOR_EXTENSIONS, SANITISER_ONLY_TAGS
from people.models import Person
from releases.models import Release
from tests import factories

from .formdata import form_data, text

PASTED_FROM_WORD = (
    '<p class="MsoNormal" style="margin:0;font-family:Calibri"><b>Gras</b> et <i>italique</i>'
    '<span style="color:red" onclick="steal()">rouge</span></p>'
    "<style>p{color:red}</style><script>alert(1)</script>"
    '<h2 style="font-size:20pt">Intertitre</h2><ul><li>un</li></ul>'
    '<a href="javascript:alert(1)">piège</a> <a href="https://gouvernement.lu/" target="_blank">lien</a>'
)


def test_the_editor_offers_what_the_sanitiser_keeps():
    """The editor's extensions write only tags of the allow-list; the allow-list's extra tags are listed."""
    editor_tags = allowlist_from_extensions(EDITOR_EXTENSIONS)["tags"]
    assert editor_tags <= ALLOWED_TAGS
    assert ALLOWED_TAGS - editor_tags == SANITISER_ONLY_TAGS
    assert {"p", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "a", "blockquote"} <= editor_tags
    assert not {"h1", "h5", "img", "span", "table", "pre"} & editor_tags


@pytest.mark.django_db
def test_release_form_uses_the_rich_text_editor_from_static_files(press_officer_a, client):
    client.force_login(press_officer_a)
    page = client.get(reverse("admin:releases_release_add")).content.decode()
    for code in settings.LANGUAGE_CODES:
        assert re.search(rf'<textarea[^>]+name="body_{code}"[^>]+data-django-prose-editor-configurable', page) or (
            re.search(rf'data-django-prose-editor-configurable[^>]+name="body_{code}"', page)
        )
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert any("django_prose_editor/configurable.js" in src for src in scripts)
    assert any("admin-extras/draft-autosave.js" in src for src in scripts)
    assert all(src.startswith(("/static/", "/admin/jsi18n/")) for src in scripts), scripts
    stylesheets = re.findall(r'<link[^>]+href="([^"]+\.css)"', page)
    assert all(href.startswith("/static/") for href in stylesheets), stylesheets
    # Our own scripts and styles are files; the only inline script is the editor's import map.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert all('type="importmap"' in attrs or 'type="application/json"' in attrs for attrs in inline), inline
    assert "<style" not in page
    assert 'id="editing-config"' in page and f'data-user="{press_officer_a.pk}"' in page


@pytest.mark.django_db
def test_body_pasted_from_word_is_sanitised_whatever_the_browser_sent(press_officer_a, org_a, client):
    release = factories.release(status=Status.DRAFT, organisations=[org_a])
    url = reverse("admin:releases_release_change", args=[release.pk])
    client.force_login(press_officer_a)
    data = form_data(client.get(url).content.decode())
    data["body_fr"] = PASTED_FROM_WORD
    data["body_en"] = "<p>Hello <script>x()</script></p>"
    data["_continue"] = "1"
    assert client.post(url, data).status_code == 302
    release.refresh_from_db()
    body = release.body_fr
    assert "<strong>" in body or "<b>" in body
    assert "<h2>Intertitre</h2>" in body and "<li>un</li>" in body
    for gone in ("style", "script", "onclick", "class=", "javascript:", "alert", "target="):
        assert gone not in body, gone
    assert 'href="https://gouvernement.lu/"' in body
    assert release.body_en == "<p>Hello </p>"


@pytest.mark.django_db
def test_biography_is_sanitised_on_save():
    person = Person.objects.create(
        given_name="Léon",
        family_name="Gloden",
        slug="leon-gloden-bio",
        biography_fr='<p style="x">Né en 1972.</p><script>alert(1)</script><h3>Carrière</h3>',
        biography_de="Geboren 1972.\n\nMinister.",
    )
    person.refresh_from_db()
    assert person.biography_fr == "<p>Né en 1972.</p><h3>Carrière</h3>"
    assert person.biography_de == "<p>Geboren 1972.</p>\n\n<p>Minister.</p>"


@pytest.mark.django_db
def test_person_form_uses_the_rich_text_editor(superuser, client):
    client.force_login(superuser)
    page = client.get(reverse("admin:people_person_add")).content.decode()
    assert 'name="biography_fr"' in page and "data-django-prose-editor-configurable" in page


@pytest.mark.django_db
def test_translation_status_and_missing_language_filter(press_officer_a, org_a, client):
    complete = factories.release(
        status=Status.DRAFT,
        organisations=[org_a],
        title_fr="Complet",
        lead_fr="Chapeau",
        body_fr="<p>Texte</p>",
        title_de="Vollständig",
        slug_de="vollstaendig",
        lead_de="Vorspann",
        body_de="<p>Text</p>",
    )
    partial = factories.release(
        status=Status.DRAFT,
        organisations=[org_a],
        title_fr="Partiel",
        lead_fr="Chapeau",
        body_fr="<p>Texte</p>",
        title_de="Teilweise",
    )
    client.force_login(press_officer_a)
    page = text(client.get(reverse("admin:releases_release_change", args=[partial.pk])))
    status = page[page.index('class="translation-status"') :]
    status = status[: status.index("</table>")]
    assert re.search(r'data-language="fr".*?complète', status, re.S)
    assert re.search(r'data-language="de".*?manque : identifiant d\'URL, chapeau, texte', status, re.S)
    changelist = reverse("admin:releases_release_changelist")
    missing_de = text(client.get(changelist + "?missing_language=de"))
    assert "Partiel" in missing_de and "Complet" not in missing_de
    assert "Manque en allemand" in text(client.get(changelist))
    missing_en = text(client.get(changelist + "?missing_language=en"))
    assert "Partiel" in missing_en and "Complet" in missing_en
    assert complete.pk != partial.pk


@pytest.mark.django_db
def test_copy_original_button_saves_then_copies_into_an_empty_language(press_officer_a, org_a, client):
    release = factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Titre", lead_fr="Chapeau")
    url = reverse("admin:releases_release_change", args=[release.pk])
    client.force_login(press_officer_a)
    data = form_data(client.get(url).content.decode())
    data["body_fr"] = "<p>Texte tapé juste avant</p>"
    data["_copy_original"] = "en"
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith(url)
    release.refresh_from_db()
    assert release.title_en == "Titre" and release.lead_en == "Chapeau"
    assert release.body_en == "<p>Texte tapé juste avant</p>"
    assert release.slug_en == release.slug_fr
    assert not release.title_de


@pytest.mark.django_db
def test_copy_action_fills_only_empty_languages_and_spares_public_releases(editor_a, org_a, client):
    draft = factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Brouillon", title_de="Entwurf")
    public = factories.release(status=Status.PUBLISHED, organisations=[org_a], title_fr="Public")
    client.force_login(editor_a)
    response = client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "copy_original_to_empty_languages", "_selected_action": [draft.pk, public.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    public.refresh_from_db()
    assert draft.title_de == "Entwurf"  # not empty: left as it is
    assert draft.title_en == "Brouillon" and draft.title_lb == "Brouillon"
    assert not public.title_en
    assert "ont pas été modifiés" in text(response)


@pytest.mark.django_db
def test_slug_is_read_only_for_a_press_officer_after_first_publication(press_officer_a, editor_a, org_a, client):
    release = factories.release(status=Status.PUBLISHED, organisations=[org_a], slug_fr="adresse-publiee")
    Release.objects.filter(pk=release.pk).update(status=Status.DRAFT, publish_at=None)  # unpublished again
    url = reverse("admin:releases_release_change", args=[release.pk])
    client.force_login(press_officer_a)
    page = client.get(url).content.decode()
    assert 'name="slug_fr"' not in page and "adresse-publiee" in page
    client.force_login(editor_a)
    assert 'name="slug_fr"' in client.get(url).content.decode()
    new = client.get(reverse("admin:releases_release_add")).content.decode()
    assert 'name="slug_fr"' in new and "prepopulated" in new


@pytest.mark.django_db
def test_release_form_links_to_the_gallery_upload(press_officer_a, org_a, client):
    gallery = factories.gallery()
    release = factories.release(status=Status.DRAFT, organisations=[org_a], gallery=gallery)
    client.force_login(press_officer_a)
    page = client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    assert reverse("admin:media_gallery_upload", args=[gallery.pk]) in page
    assert reverse("admin:media_gallery_add") in page


@pytest.mark.django_db
def test_admin_home_links_to_calendar_and_dashboard(press_officer_a, client):
    client.force_login(press_officer_a)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:releases_calendar") in page and reverse("admin:releases_dashboard") in page


@pytest.mark.django_db
def test_people_mentioned_are_offered_in_the_role_held_on_the_release_day(press_officer_a, org_a, client):
    """Gérald Darmanin on a January 2024 release: ministre de l'Intérieur, not garde des Sceaux."""
    darmanin = factories.person(given_name="Gérald", family_name="Darmanin", slug="gerald-darmanin")
    interieur = factories.appointment(
        darmanin,
        factories.role(title_fr="ministre de l'Intérieur", organisation_=factories.organisation(acronym_fr="MI")),
        started_on=date(2020, 7, 6),
        ended_on=date(2024, 9, 21),
    )
    justice = factories.appointment(
        darmanin, factories.role(title_fr="garde des Sceaux, ministre de la Justice"), started_on=date(2024, 12, 23)
    )
    release = factories.release(status=Status.DRAFT, organisations=[org_a], event_date=date(2024, 1, 25))
    client.force_login(press_officer_a)
    page = client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    url = reverse("admin:people_appointment_autocomplete")
    assert f'data-ajax--url="{url}"' in page
    assert 'data-day="2024-01-25"' in page and 'data-day-fields="event_date schedule_at_0"' in page
    params = {"term": "Darm", "app_label": "releases", "model_name": "release", "field_name": "appointments"}
    on_the_day = client.get(url, {**params, "on": "2024-01-25"}).json()["results"]
    assert on_the_day == [
        {"id": str(interieur.pk), "text": "Gérald Darmanin — ministre de l'Intérieur (MI), du 06/07/2020 au 21/09/2024"}
    ]
    every_role = {result["id"] for result in client.get(url, params).json()["results"]}
    assert every_role == {str(interieur.pk), str(justice.pk)}


@pytest.mark.django_db
def test_people_mentioned_follow_the_date_as_typed_in_the_form(press_officer_a, client):
    """The autocomplete reads the day as the form's date field is typed (French admin: 25/01/2024); a day
    it cannot read filters nothing rather than failing."""
    darmanin = factories.person(given_name="Gérald", family_name="Darmanin", slug="gerald-darmanin")
    interieur = factories.appointment(
        darmanin,
        factories.role(title_fr="ministre de l'Intérieur"),
        started_on=date(2020, 7, 6),
        ended_on=date(2024, 9, 21),
    )
    justice = factories.appointment(
        darmanin, factories.role(title_fr="garde des Sceaux, ministre de la Justice"), started_on=date(2024, 12, 23)
    )
    client.force_login(press_officer_a)
    url = reverse("admin:people_appointment_autocomplete")
    params = {"term": "Darm", "app_label": "releases", "model_name": "release", "field_name": "appointments"}

    def offered(on):
        response = client.get(url, {**params, "on": on})
        assert response.status_code == 200
        return {result["id"] for result in response.json()["results"]}

    assert offered("25/01/2024") == {str(interieur.pk)}
    assert offered("10/01/2025") == offered("2025-01-10") == {str(justice.pk)}
    assert offered("01/11/2024") == set()  # between the two roles
    assert offered("31/02/2024") == offered("demain") == offered("") == {str(interieur.pk), str(justice.pk)}
