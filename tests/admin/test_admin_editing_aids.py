"""The admin forms' shared aids, as the server renders them: the release form's order, the draft and
leave warning on the forms that opt in, and the JavaScript catalogue of the rich-text editor."""

import json
import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

EDITING_AIDS = {
    "releases.release": "admin:releases_release_add",
    "media.gallery": "admin:media_gallery_add",
    "media.photo": "admin:media_photo_add",
    "meetings.meeting": "admin:meetings_meeting_add",
    "people.person": "admin:people_person_add",
}


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.user("chief", superuser=True))
    return client


def test_release_form_puts_the_issuers_right_after_the_kind(superuser_client):
    page = superuser_client.get(reverse("admin:releases_release_add")).content.decode()
    markers = (
        'id="id_kind"',
        'id="issuers-group"',
        'id="id_original_language"',
        'id="id_title_fr"',
        'id="id_event_date"',
    )
    positions = [page.index(marker) for marker in markers]
    assert positions == sorted(positions), dict(zip(markers, positions, strict=True))
    assert page.count('id="issuers-group"') == 1  # drawn once, not also at the bottom
    assert 'name="issuers-TOTAL_FORMS"' in page


@pytest.mark.parametrize("model, url_name", EDITING_AIDS.items())
def test_forms_that_opt_in_carry_the_draft_and_leave_warning(superuser_client, model, url_name):
    page = superuser_client.get(reverse(url_name)).content.decode()
    config = re.search(r'<div id="editing-config"[^>]*>', page, re.S)
    assert config, model
    app_label, model_name = model.split(".")
    assert f'data-form="{model_name}_form"' in config.group(0) and f'data-model="{model}"' in config.group(0)
    assert f'id="{model_name}_form"' in page
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    names = [src.rsplit("/", 1)[-1] for src in scripts]
    assert names.index("form-state.js") < names.index("unsaved-changes.js")
    assert names.index("form-state.js") < names.index("draft-autosave.js")


def test_forms_that_do_not_opt_in_have_no_draft(superuser_client):
    page = superuser_client.get(reverse("admin:people_role_add")).content.decode()
    assert 'id="editing-config"' not in page and "draft-autosave.js" not in page


def catalogue(client, language: str) -> dict:
    client.cookies["django_language"] = language
    response = client.get(reverse("admin-jsi18n"))
    assert response.status_code == 200
    source = response.content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", source, re.S).group(1))


@pytest.mark.parametrize(
    "language, ours, the_package",
    [
        ("de", {"gras": "fett", "intertitre de niveau %s": "Zwischenüberschrift Ebene %s"}, "Listen-Einstellungen"),
        ("en", {"gras": "bold", "annuler la dernière modification": "undo"}, None),
        ("lb", {"gras": "fett", "citation": "Zitat"}, "Eegeschafte vun der Lëscht"),
        ("fr", {}, "Propriétés de la liste"),
    ],
)
def test_admin_javascript_catalogue_has_the_editor_labels(superuser_client, language, ours, the_package):
    """Our toolbar labels (French msgids) and the package's dialog strings, in the admin's language."""
    strings = catalogue(superuser_client, language)
    for msgid, translation in ours.items():
        assert strings.get(msgid) == translation, (language, msgid)
    if the_package:
        assert strings.get("List properties") == the_package
    else:
        assert "List properties" not in strings  # English: the package's own words


@pytest.mark.parametrize(
    "url_name, inline_select, day_field",
    [
        ("admin:meetings_meeting_add", "participations-__prefix__-appointment", "starts_at_0"),
        ("admin:media_photo_add", "people_shown-__prefix__-appointment", "taken_at_0"),
    ],
)
def test_people_in_inlines_are_offered_in_the_role_held_on_the_form_day(
    superuser_client, url_name, inline_select, day_field
):
    """A meeting's participants and a photo's people shown: the roles held on the day typed in the form."""
    page = superuser_client.get(reverse(url_name)).content.decode()
    select = re.search(rf'<select[^>]+name="{re.escape(inline_select)}"[^>]*>', page)
    assert select, inline_select
    assert "dated-autocomplete" in select.group(0) and f'data-day-fields="{day_field}"' in select.group(0)
    assert reverse("admin:people_appointment_autocomplete") in select.group(0)
    assert f'name="{day_field}"' in page
