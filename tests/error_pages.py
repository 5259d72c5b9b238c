"""How each error page is reached with the test client, and what a page's structure is.

Shared by tests/public/test_error_pages.py and tests/public/test_html_validity.py. The failing views
(500, 503, 403) come from ``tests/error_urls.py``: set ``settings.ROOT_URLCONF = ERROR_URLCONF``.
"""

from datetime import timedelta
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories

LANGUAGES = ["fr", "de", "en", "lb"]
ERROR_URLCONF = "tests.error_urls"
#: Form bodies larger than this answer 413 in these tests (settings.DATA_UPLOAD_MAX_MEMORY_SIZE).
SMALL_BODY_LIMIT = 2048
#: Each error page and its heading's msgid (the French text; the page shows its translation).
HEADINGS = {
    "400": "Demande incorrecte",
    "403": "Accès refusé",
    "403-csrf": "Envoi refusé",
    "404": "Page introuvable",
    "405": "Méthode non autorisée",
    "410": "Ce communiqué n'est plus publié",
    "413": "Envoi trop volumineux",
    "429": "Connexion bloquée",
    "500": "Une erreur est survenue",
    "503": "Site momentanément indisponible",
}
FORM = "application/x-www-form-urlencoded"
FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


def too_large_form() -> str:
    """A form body (not multipart) over ``SMALL_BODY_LIMIT``."""
    return "q=" + "x" * SMALL_BODY_LIMIT


def gone_release():
    """A release that was public and has been taken down: its address answers 410."""
    now = timezone.now()
    return factories.release(publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1))


def release_path(release, language: str) -> str:
    with translation.override(language):
        return release.get_absolute_url()


def fetch_error_pages(language: str, gone) -> dict:
    """Every error page in ``language``, keyed like ``HEADINGS``: status and response. The admin's
    sign-in is not under a language prefix, so its 429 is asked in ``language`` by Accept-Language."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    responses = {
        "400": client.get(f"/{language}/reunions/?page=0"),
        "403": client.get(f"/{language}/erreurs/403/"),
        "403-csrf": strict.post(f"/{language}/recherche/", {"q": "asile"}),
        "404": client.get(f"/{language}/communiques/2024/01/25/nulle-part/"),
        "405": client.post(f"/{language}/communiques/", {"q": "asile"}),
        "410": client.get(release_path(gone, language)),
        "413": client.post(f"/{language}/recherche/", too_large_form(), content_type=FORM),
        "500": client.get(f"/{language}/erreurs/500/"),
        "503": client.get(f"/{language}/erreurs/503/"),
    }
    user = factories.user()
    for _attempt in range(5):
        locked = client.post(reverse("admin:login"), {"username": user.username, "password": "wrong", "next": "/"})
    responses["429"] = locked
    return responses


class PageStructure(HTMLParser):
    """What the checks need from a page: its language, first focusable element, landmarks, headings,
    forms and links."""

    def __init__(self, html: str):
        super().__init__()
        self.lang, self.first_focusable, self.landmarks = None, None, []
        self.h1, self.forms, self.links, self.robots, self.in_h1 = [], [], [], None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if self.first_focusable is None and tag in FOCUSABLE and (tag != "a" or "href" in attrs):
            self.first_focusable = (tag, attrs)
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.append((tag, attrs))
        if tag == "h1":
            self.in_h1 = True
            self.h1.append("")
        if tag == "form":
            self.forms.append(attrs)
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "meta" and attrs.get("name") == "robots":
            self.robots = attrs.get("content")

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.in_h1:
            self.h1[-1] += data
