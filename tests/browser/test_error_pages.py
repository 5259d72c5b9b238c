"""The error pages in Chromium, in the four languages: zero axe-core violations (WCAG 2.1 A/AA and best
practices), the skip link is the first thing the keyboard reaches, nothing breaks the CSP; and their
screenshots under docs/screenshots/ (error-<name>-desktop.png, French; the 404 in German too).

Each page is reached as a reader reaches it: an address, a form sent without its CSRF token or too
large, five wrong passwords on the sign-in page (429, in the browser's language: the admin's address
has no language prefix). The 500, 503 and 403 views come from tests/error_urls.py.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.error_pages import ERROR_URLCONF, HEADINGS, LANGUAGES, SMALL_BODY_LIMIT, gone_release, release_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROWSER_LOCALES = {"fr": "fr-FR", "de": "de-DE", "en": "en-GB", "lb": "lb-LU"}
#: Sends a form from the page, as a reader's browser does (Playwright's evaluate is not page script: the CSP holds).
SEND_FORM = """([action, value]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const field = document.createElement("textarea");
  field.name = "q";
  field.value = value;
  form.append(field);
  document.body.append(form);
  form.submit();
}"""


@pytest.fixture
def error_site(site, settings):
    settings.ROOT_URLCONF = ERROR_URLCONF
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_BODY_LIMIT
    return site


def open_error_pages(page, base: str, language: str, gone):
    """Yields (name, status) with ``page`` showing each error page in turn."""
    for name, path in (
        ("400", f"/{language}/reunions/?page=0"),
        ("403", f"/{language}/erreurs/403/"),
        ("404", f"/{language}/nulle-part/"),
        ("410", release_path(gone, language)),
        ("500", f"/{language}/erreurs/500/"),
        ("503", f"/{language}/erreurs/503/"),
    ):
        response = page.goto(base + path)
        yield name, response.status
    for name, value in (("403-csrf", "asile"), ("413", "x" * (SMALL_BODY_LIMIT + 1))):
        page.goto(f"{base}/{language}/")
        with page.expect_navigation() as navigation:
            page.evaluate(SEND_FORM, [f"/{language}/recherche/", value])
        yield name, navigation.value.status
    from tests import factories

    user = factories.user()
    for _attempt in range(5):
        response = page.goto(f"{base}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "wrong password")
        with page.expect_navigation() as navigation:
            page.click("input[type=submit]")
    yield "429", navigation.value.status


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_pass_axe_and_start_with_the_skip_link(error_site, browser, language):
    gone = gone_release()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=BROWSER_LOCALES[language])
    page = context.new_page()
    reports = []
    page.on(
        "console", lambda message: reports.append(message.text) if "Content Security Policy" in message.text else None
    )
    axe, failures, seen = Axe(), [], set()
    for name, status in open_error_pages(page, error_site.url, language, gone):
        seen.add(name)
        assert status == (403 if name == "403-csrf" else int(name)), name
        assert page.evaluate("document.documentElement.lang") == language, name
        with translation.override(language):
            assert page.locator("h1").inner_text() == gettext(HEADINGS[name]), name
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures.append(f"{name} in {language} ({page.url}):\n{results.generate_report()}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link", name
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main-content", name
        if language == "fr" or (language == "de" and name == "404"):
            page.evaluate("location.hash = ''")
            page.evaluate("document.activeElement.blur()")
            suffix = "" if language == "fr" else f"-{language}"
            page.screenshot(path=str(SCREENSHOTS / f"error-{name}{suffix}-desktop.png"), full_page=True)
    context.close()
    # A browser never navigates with a method a page refuses (a form's POST meets the CSRF check first):
    # the 405 page is checked by tests/public/test_error_pages.py and test_html_validity.py.
    assert seen == set(HEADINGS) - {"405"}
    assert not failures, "\n\n".join(failures)
    assert not reports, reports
