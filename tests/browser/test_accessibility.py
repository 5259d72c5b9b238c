"""axe-core on every page type in every language, in Chromium: zero WCAG 2.1 A/AA violations.

Also takes the screenshots under docs/screenshots/ (French, desktop and phone widths).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "de", "en", "lb"]
#: Load lazy images now (for full-page screenshots) and count those that fail.
LOAD_IMAGES = """
Promise.all([...document.images].map(img => {
  img.loading = "eager";
  return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
})).then(() => Promise.all([...document.images].map(img => img.decode().catch(() => null))))
  .then(() => [...document.images].filter(img => !img.naturalWidth).length)
"""
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def page_types(release):
    return {
        "home": "/",
        "release-list": "/communiques/",
        "release-list-filtered": "/communiques/?organisation=maint&tag=asile",
        "release": release.get_absolute_url()[3:],
        "person": "/personnes/leon-gloden/",
        "organisation": "/organisations/maint/",
        "agenda": "/reunions/",
        "meeting": "/reunions/reunion-informelle-jai-2024-01/",
        "galleries": "/galeries/",
        "gallery": "/galeries/reunion-informelle-jai-janvier-2024/",
        "tag": "/themes/asile/",
        "search": "/recherche/?q=protection+temporaire",
        "accessibility": "/accessibilite/",
        "not-found": "/communiques/2024/01/25/nothing-here/",
        "bad-request": "/communiques/?organisation=nope",
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations(site, demo, page, language):
    axe = Axe()
    with translation.override("fr"):
        pages = page_types(demo)
    failures = []
    for name, path in pages.items():
        url = f"{site.url}/{language}{path}"
        response = page.goto(url)
        assert response.status in (200, 400, 404), url
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures.append(f"{name} ({url}):\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)


def test_keyboard_skip_link_and_visible_focus(site, demo, page):
    page.goto(f"{site.url}/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"


def test_pages_read_without_javascript(site, demo, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}{demo.get_absolute_url()}")
    assert "Communiqué par le ministère des Affaires intérieures" in page.content()
    assert page.locator("figure img").count() == 3
    context.close()


def test_screenshots(site, demo, browser):
    """Saved for review under docs/screenshots/ (desktop and phone)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with translation.override("fr"):
        pages = page_types(demo)
    for label, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="fr-FR")
        page = context.new_page()
        for name, path in pages.items():
            if label == "phone" and name not in {"home", "release", "release-list"}:
                continue
            page.goto(f"{site.url}/fr{path}")
            broken = page.evaluate(LOAD_IMAGES)
            assert broken == 0, f"{name}: {broken} image(s) did not load"
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        context.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site.url}/lb{pages['release']}")
    page.screenshot(path=str(SCREENSHOTS / "release-lb-fallback-desktop.png"), full_page=False)
    page.close()
    assert (SCREENSHOTS / "release-desktop.png").stat().st_size > 10_000
