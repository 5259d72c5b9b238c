"""The Content Security Policy breaks nothing: public pages and the admin's editors, in Chromium, with
zero violations (``securitypolicyviolation`` events and console reports both count)."""

import pytest
from django.utils import translation

from media.models import Gallery, Photo
from meetings.models import Meeting
from people.models import Person
from tests import factories
from tests.browser.test_accessibility import page_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Installed before any page script: every violation is kept on window for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
}, true);
"""


def watch(page):
    """Record CSP violations and console errors of every page the tab opens."""
    problems = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def sign_in(page, site, user, password="correct horse battery staple"):
    page.goto(f"{site.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")


def test_public_pages_have_no_csp_violation(site, demo, page):
    problems = watch(page)
    with translation.override("fr"):
        pages = page_types(demo)
    found = {}
    for name, path in pages.items():
        response = page.goto(f"{site.url}/fr{path}")
        assert "object-src 'none'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if violations(page):
            found[name] = violations(page)
    assert not found, found
    assert not [p for p in problems if "Content Security Policy" in p], problems
    # The watch works: an inline style attribute without a nonce is reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.__cspViolations.length > 0")


def test_admin_editors_have_no_csp_violation(site, demo, page):
    user = factories.user(superuser=True, password="correct horse battery staple")
    problems = watch(page)
    sign_in(page, site, user)
    objects = {
        "releases/release": demo,
        "media/photo": Photo.objects.first(),
        "media/gallery": Gallery.objects.first(),
        "meetings/meeting": Meeting.objects.first(),
        "people/person": Person.objects.first(),
    }
    found = {}
    for model, obj in objects.items():
        for url in (f"/admin/{model}/", f"/admin/{model}/add/", f"/admin/{model}/{obj.pk}/change/"):
            response = page.goto(f"{site.url}{url}")
            assert response.status == 200, url
            page.wait_for_load_state("networkidle")
            if violations(page):
                found[url] = violations(page)
    assert not found, found
    # The release editor really runs: the language tabs and the autocomplete widgets are built by scripts.
    page.goto(f"{site.url}/admin/releases/release/{demo.pk}/change/")
    page.wait_for_selector(".ui-tabs-nav", state="attached", timeout=10_000)
    page.wait_for_selector(".select2-container", state="attached", timeout=10_000)
    assert not violations(page)
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_two_factor_enrolment_in_the_browser(site, page, settings):
    """Password, then the enrolment page (QR code shown, no violation), then a code from the "app"."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.security.test_sign_in import current_code

    settings.ADMIN_REQUIRE_2FA = True
    user = factories.user(superuser=True, password="correct horse battery staple")
    problems = watch(page)
    page.goto(f"{site.url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url("**/securite/activation/**")
    assert page.evaluate("document.querySelector('#content-main img').naturalWidth") > 0
    assert "otpauth://totp/" in page.inner_text(".otpauth-uri")
    assert not violations(page), violations(page)
    page.fill("#id_token", current_code(TOTPDevice.objects.get(user=user)))
    page.click("#content-main input[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")
    assert page.locator("#content-main").count() == 1
    assert not [p for p in problems if "Content Security Policy" in p], problems
