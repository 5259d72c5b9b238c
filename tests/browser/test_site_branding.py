"""The portal and a ministry's site in Chromium: each with its own name, colour, logo and footer, no axe
violation, and screenshots under docs/screenshots/ (``maint.localhost`` resolves to loopback)."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from newsroom.demo.loader import load_demo_sites
from sites.models import Site
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import AXE_OPTIONS, LOAD_IMAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def emblem() -> bytes:
    """A small stand-in logo: the national colours in a white frame."""
    image = Image.new("RGB", (72, 96), "white")
    draw = ImageDraw.Draw(image)
    for index, colour in enumerate(["#ed2939", "#ffffff", "#00a1de"]):
        draw.rectangle([8, 8 + index * 27, 63, 8 + (index + 1) * 27], fill=colour, outline="#1b1b1b")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def sites(site, demo, settings):
    settings.ALLOWED_HOSTS = [".localhost", "localhost", "127.0.0.1"]
    load_demo_sites()
    maint = Site.objects.get(organisation__slug="maint")
    maint.contact_fr = "5, rue Plaetis\nL-2338 Luxembourg\nTél. (+352) 247-84600"
    maint.contact_de = "5, rue Plaetis\nL-2338 Luxemburg\nTel. (+352) 247-84600"
    maint.logo.save("maint.png", ContentFile(emblem()), save=False)
    maint.save()
    port = re.search(r":(\d+)$", site.url).group(1)
    return {"portal": f"http://localhost:{port}", "maint": f"http://maint.localhost:{port}"}


@pytest.mark.parametrize("language", ["fr", "de"])
def test_portal_and_ministry_site_screenshots(sites, browser, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locale = {"fr": "fr-FR", "de": "de-DE"}[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1, locale=locale)
    page = context.new_page()
    axe = Axe()
    expected = {
        "fr": {"portal": "Le gouvernement luxembourgeois", "maint": "Ministère des Affaires intérieures"},
        "de": {"portal": "Die Luxemburger Regierung", "maint": "Ministerium für innere Angelegenheiten"},
    }[language]
    failures = []
    for name, base in sites.items():
        response = page.goto(f"{base}/{language}/")
        assert response.status == 200, base
        assert page.evaluate(LOAD_IMAGES) == 0, f"{name}: an image did not load"
        page.wait_for_load_state("networkidle")
        assert page.locator(".site-name").inner_text().strip() == expected[name]
        accent = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        if name == "maint":
            assert accent == "rgb(122, 31, 92)"  # #7A1F5C, the demo's colour for MAINT
            assert page.locator("img.site-logo").evaluate("img => img.naturalWidth") > 0
            assert page.locator(".portal-link").count() == 1
            assert "247-84600" in page.locator(".site-contact").inner_text()
        else:
            assert accent == "rgb(0, 83, 138)"
            assert page.locator(".portal-link").count() == 0
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures.append(f"{name}:\n{results.generate_report()}")
        page.screenshot(path=str(SCREENSHOTS / f"site-{name}-{language}.png"), full_page=True)
    context.close()
    assert not failures, "\n\n".join(failures)


def test_ministry_site_on_a_phone(sites, browser):
    """The header's name, logo, portal link and languages wrap without overflowing a phone's width."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{sites['maint']}/fr/")
    assert page.evaluate(LOAD_IMAGES) == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "site-maint-fr-phone.png"), full_page=False)
    context.close()
