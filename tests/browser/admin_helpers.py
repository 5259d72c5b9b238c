"""Helpers for the admin journeys: the newsroom's people and roles, logging in, picking in autocompletes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from people.models import Appointment, Organisation, Person, Role
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.publication.conftest import EDITOR, PRESS_OFFICER, member

PASSWORD = "correct horse battery staple"


def newsroom_people() -> dict:
    """MAINT and the people of the example release, each in the role held in January 2024."""
    maint = Organisation.objects.create(
        slug="maint",
        name_fr="Ministère des Affaires intérieures",
        acronym_fr="MAINT",
        byline_name_fr="le ministère des Affaires intérieures",
        byline_name_en="the Ministry of Home Affairs",
        kind="ministry",
    )
    other = factories.organisation(slug="mfin", name_fr="Ministère des Finances")
    people = {}
    for given, family, role_fr, org, started in (
        ("Léon", "Gloden", "ministre des Affaires intérieures", maint, date(2023, 11, 17)),
        (
            "Beat",
            "Jans",
            "conseiller fédéral suisse en charge du Département fédéral de justice et police",
            factories.organisation(slug="fdjp", name_fr="Département fédéral de justice et police"),
            date(2024, 1, 1),
        ),
        (
            "Annelies",
            "Verlinden",
            "ministre de l'intérieur du Royaume de Belgique",
            factories.organisation(slug="be-interieur", name_fr="SPF Intérieur"),
            date(2020, 10, 1),
        ),
    ):
        person = Person.objects.create(given_name=given, family_name=family, slug=f"{given}-{family}".lower())
        role = Role.objects.create(title_fr=role_fr, organisation=org)
        people[family] = Appointment.objects.create(person=person, role=role, started_on=started)
    return {"maint": maint, "other": other, "appointments": people}


def officer(organisation, username: str):
    user = member(PRESS_OFFICER, organisation)
    user.username = username
    user.set_password(PASSWORD)
    user.save()
    return user


def editor(organisation, username: str):
    user = member(EDITOR, organisation)
    user.username = username
    user.set_password(PASSWORD)
    user.save()
    return user


def login(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def pick(page, select_id: str, term: str, label: str | None = None) -> None:
    """Choose in one of the admin's search-as-you-type boxes (select2)."""
    page.locator(f"#{select_id}").locator("xpath=following-sibling::span[contains(@class,'select2')][1]").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    option = page.locator(".select2-results__option:not(.loading-results)", has_text=label or term).first
    option.wait_for()
    option.click()


def type_rich_text(page, field: str, paragraphs: list[str]) -> None:
    """Type paragraphs into the rich-text editor of ``field`` (a textarea's name)."""
    editor = page.locator(f".prose-editor:has(textarea[name='{field}']) .ProseMirror[contenteditable=true]")
    editor.click()
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.insert_text(paragraph)


def open_tab(page, field: str) -> None:
    """Show the language tab holding ``field`` (modeltranslation's tabs)."""
    tab_id = page.evaluate(
        """field => {
            const el = document.querySelector(`[name="${field}"]`);
            const panel = el.closest('.ui-tabs-panel');
            return panel ? panel.id : null;
        }""",
        field,
    )
    if tab_id:
        page.click(f"a[href='#{tab_id}']")


def stand_in_photos(folder: Path) -> list[Path]:
    """JPEGs drawn with Pillow in place of the ministry's photos (not available)."""
    from tests.browser.example_release import PHOTOS

    paths = []
    for number, (name, people) in enumerate(PHOTOS, start=1):
        image = Image.new("RGB", (1200, 800), (40 + 60 * number, 90, 150))
        draw = ImageDraw.Draw(image)
        draw.rectangle((100, 100, 1100, 700), outline=(255, 255, 255), width=8)
        draw.text((140, 140), f"{number}. {' / '.join(people) or 'Photo de groupe'}", fill=(255, 255, 255))
        path = folder / name
        image.save(path, "JPEG", quality=85)
        paths.append(path)
    return paths


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"), full_page=True)


def submit(page, selector: str, outcome: str = ".messagelist") -> None:
    """Click a submit button and wait for the next page to show ``outcome`` (a message, an error note)."""
    with page.expect_navigation():
        page.click(selector)
    page.locator(outcome).first.wait_for()


def close_and_reopen_with_draft(page, context, url: str, untouched_field: str, screenshot: str):
    """Close the tab with unsaved changes (the browser must ask first), reopen ``url`` in a new tab and
    return it with the draft banner shown, ``untouched_field`` still as saved (empty) and a screenshot
    taken; the caller restores the draft and checks what comes back."""
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.accept()

    page = context.new_page()
    page.goto(url)
    banner = page.locator(".draft-banner")
    banner.wait_for()
    assert "Un brouillon non enregistré existe" in banner.inner_text()
    assert page.input_value(f"#{untouched_field}") == ""
    shot(page, screenshot)
    return page, banner
