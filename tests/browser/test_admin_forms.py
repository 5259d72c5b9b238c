"""The admin's forms as a press officer and an editor use them, in Chromium against the live server:
the release form in the order it is filled, people offered in the role held on the day being typed,
and the unsaved-changes warning and autosaved draft on forms other than the release's."""

from __future__ import annotations

from datetime import date

import pytest

from core.publication import Status
from meetings.models import Meeting
from tests import factories
from tests.browser import admin_helpers as h
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Where each part of the release form is, top to bottom, as the officer fills it.
RELEASE_FORM_ORDER = [
    ("kind", "#id_kind"),
    ("issuing organisations", "#issuers-group"),
    ("original language", "#id_original_language"),
    ("translations", ".translation-status"),
    ("title", "#id_title_fr"),
    ("slug", "#id_slug_fr"),
    ("lead", "#id_lead_fr"),
    ("body", "textarea[name=body_fr]"),
    ("event date", "#id_event_date"),
    ("people mentioned", "#id_appointments"),
    ("meeting", "#id_meeting"),
    ("gallery", "#id_gallery"),
    ("tags", "#id_tags"),
    ("publication", ".field-status"),
    ("scheduling", "#id_schedule_at_0"),
    ("updates", "#updates-group"),
    ("preview links", "#preview_links-group"),
    ("buttons", ".publication-buttons"),
]


@pytest.fixture
def newsroom(db):
    return h.newsroom_people()


def document_order(page, selectors: list[str]) -> list[int]:
    """Each selector's first element's index in document order (-1 when it is missing)."""
    return page.evaluate(
        """selectors => {
            const all = Array.from(document.querySelectorAll('*'));
            return selectors.map(s => all.indexOf(document.querySelector(s)));
        }""",
        selectors,
    )


def test_release_form_reads_top_to_bottom_in_the_order_it_is_filled(live_server, page, newsroom):
    """Kind, then the issuing organisations, then the text (its original language and the state of its
    translations first), the context, the publication box, the history of updates and the preview
    links; the issuers are no longer at the bottom."""
    release = factories.release(status=Status.DRAFT, organisations=[newsroom["maint"]], title_fr="Un communiqué")
    h.login(page, live_server.url, h.editor(newsroom["maint"], "editeur.maint"))
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    positions = document_order(page, [selector for _name, selector in RELEASE_FORM_ORDER])
    found = dict(zip([name for name, _selector in RELEASE_FORM_ORDER], positions, strict=True))
    assert -1 not in positions, found
    assert positions == sorted(positions), found
    # On the screen too: the issuers' table sits right below the kind, above the text.
    kind, issuers, title = (
        page.locator(s).first.bounding_box()["y"] for s in ("#id_kind", "#issuers-group", "#id_title_fr")
    )
    assert kind < issuers < title
    h.shot(page, "release-form-top")


def test_people_mentioned_are_offered_in_the_role_held_on_the_day_being_typed(live_server, page, newsroom):
    """Gérald Darmanin: ministre de l'Intérieur for a January 2024 event, garde des Sceaux once the
    date typed in the form (not yet saved) moves to January 2025."""
    darmanin = factories.person(given_name="Gérald", family_name="Darmanin", slug="gerald-darmanin")
    factories.appointment(
        darmanin,
        factories.role(title_fr="ministre de l'Intérieur"),
        started_on=date(2020, 7, 6),
        ended_on=date(2024, 9, 21),
    )
    factories.appointment(
        darmanin, factories.role(title_fr="garde des Sceaux, ministre de la Justice"), started_on=date(2024, 12, 23)
    )
    release = factories.release(
        status=Status.DRAFT, organisations=[newsroom["maint"]], event_date=date(2024, 1, 25), title_fr="JAI"
    )
    h.login(page, live_server.url, h.officer(newsroom["maint"], "chargee.maint"))
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")

    def suggestions(term: str) -> list[str]:
        page.locator("#id_appointments").locator("xpath=following-sibling::span[contains(@class,'select2')][1]").click()
        search = page.locator(".select2-container--open .select2-search__field")
        search.fill("")
        search.press_sequentially(term, delay=30)  # typed, as an officer does
        # The answer for the whole term (select2 first lists everyone, then narrows as it is typed).
        page.wait_for_function(
            """term => {
                const options = Array.from(document.querySelectorAll('.select2-results__option'));
                return options.length > 0 && options.every(o => o.textContent.includes(term));
            }""",
            arg=term,
        )
        texts = page.locator(".select2-results__option").all_inner_texts()
        page.keyboard.press("Escape")
        return texts

    on_saved_day = suggestions("Darmanin")
    assert len(on_saved_day) == 1 and "ministre de l'Intérieur" in on_saved_day[0], on_saved_day

    page.fill("#id_event_date", "10/01/2025")  # typed, not saved
    after_typing = suggestions("Gérald")
    assert len(after_typing) == 1 and "garde des Sceaux" in after_typing[0], after_typing
    h.shot(page, "people-mentioned-role-on-the-day")

    h.pick(page, "id_appointments", "Darmanin", "garde des Sceaux")
    h.submit(page, "input[name=_continue]")
    release.refresh_from_db()
    assert release.event_date == date(2025, 1, 10)
    assert [a.role.title_fr for a in release.appointments.all()] == ["garde des Sceaux, ministre de la Justice"]


def test_meeting_form_warns_before_leaving_and_recovers_its_draft(live_server, browser, newsroom):
    """The release form's aids on a meeting: leaving with unsaved changes asks first; after the tab is
    closed anyway, reopening the meeting offers the draft, which restores what was typed."""
    meeting = factories.meeting(title_fr="Conseil JAI informel", status=Status.DRAFT)
    url = f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    h.login(page, live_server.url, h.editor(newsroom["maint"], "editeur.maint"))
    page.goto(url)
    page.fill("#id_configuration_fr", "Justice et affaires intérieures")
    page.fill("#id_city_fr", "Bruxelles")
    page.wait_for_timeout(2500)  # the draft is kept every two seconds

    page, banner = h.close_and_reopen_with_draft(page, context, url, "id_city_fr", "meeting-draft-banner")
    banner.locator("button.draft-restore").click()
    assert page.input_value("#id_configuration_fr") == "Justice et affaires intérieures"
    assert page.input_value("#id_city_fr") == "Bruxelles"
    h.submit(page, "input[name=_continue]")
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.configuration_fr, meeting.city_fr) == ("Justice et affaires intérieures", "Bruxelles")
    page.goto(url)
    page.wait_for_timeout(600)
    assert page.locator(".draft-banner").count() == 0
    assert not [key for key in page.evaluate("Object.keys(localStorage)") if key.startswith("newsroom:draft:")]
    context.close()


#: The rich-text toolbar in each admin language: the bold button's title, the block menu's first heading,
#: the undo button's title (our translations) and the ordered list's properties (the package's own).
TOOLBAR = {
    "fr": ("gras", "Intertitre de niveau 2", "annuler la dernière modification", "Propriétés de la liste"),
    "de": ("fett", "Zwischenüberschrift Ebene 2", "letzte Änderung rückgängig machen", "Listen-Einstellungen"),
    "en": ("bold", "Heading level 2", "undo", "List properties"),
    "lb": ("fett", "Zwëschentitel Niveau 2", "lescht Ännerung réckgängeg maachen", "Eegeschafte vun der Lëscht"),
}


def test_rich_text_toolbar_speaks_the_admin_language(live_server, browser, newsroom):
    """The editor's buttons are labelled in the language chosen for the admin, for the eye (title)
    and for screen readers (aria-label)."""
    release = factories.release(status=Status.DRAFT, organisations=[newsroom["maint"]], title_fr="JAI")
    user = h.officer(newsroom["maint"], "chargee.maint")
    for language, (bold, heading, undo, list_properties) in TOOLBAR.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page = context.new_page()
        h.login(page, live_server.url, user)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
        assert page.locator("html").get_attribute("lang") == language
        # The language tab shown first is the admin's language.
        toolbar = page.locator(f".prose-editor:has(textarea[name=body_{language}]) .prose-menubar")
        toolbar.locator("[data-name=bold]").wait_for()
        page.wait_for_function(
            "([bold]) => document.querySelector('.prose-menubar [data-name=bold]').title === bold", arg=[bold]
        )
        labels = toolbar.locator("[data-name=bold]")
        assert (labels.get_attribute("title"), labels.get_attribute("aria-label")) == (bold, bold), language
        assert toolbar.locator("[data-name='history:undo']").get_attribute("title") == undo
        assert toolbar.locator(".prose-menubar__option[data-name=heading2]").text_content() == heading
        assert toolbar.locator("[data-name=orderedListProperties]").get_attribute("title") == list_properties
        english = [
            title
            for title in toolbar.locator("[title]").evaluate_all("buttons => buttons.map(b => b.title)")
            if title in {"bold", "italic", "paragraph", "undo", "redo", "blockquote"} and language != "en"
        ]
        assert not english, (language, english)
        if language == "de":
            # The block menu open below the toolbar: the headings' names in German.
            toolbar.locator(".prose-menubar__selected").click()
            toolbar.locator(".prose-menubar__option[data-name=heading2]").wait_for()
            box = toolbar.bounding_box()
            clip = {"x": box["x"] - 130, "y": box["y"] - 60, "width": box["width"] + 160, "height": 330}
            page.screenshot(path=str(SCREENSHOTS / "admin-rich-text-toolbar-de.png"), clip=clip)
        context.close()
