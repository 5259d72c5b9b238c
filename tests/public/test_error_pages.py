"""Every error page (400, 403, 404, 410, 413, 429, 500, 503) has the site's structure and speaks the
language of its address; the 500 and 503 pages render without the database and whatever failed."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from newsroom import errors
from tests.error_pages import (
    ERROR_URLCONF,
    FORM,
    HEADINGS,
    LANGUAGES,
    SMALL_BODY_LIMIT,
    PageStructure,
    fetch_error_pages,
    gone_release,
    too_large_form,
)

pytestmark = pytest.mark.django_db

STATUS = {"403-csrf": 403}


@pytest.fixture
def error_site(settings):
    settings.ROOT_URLCONF = ERROR_URLCONF
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_BODY_LIMIT
    return settings


def assert_site_structure(html: str, language: str, heading_msgid: str, where: str):
    page = PageStructure(html)
    assert page.lang == language, f"{where}: lang={page.lang}"
    tag, attrs = page.first_focusable
    assert (tag, attrs.get("href"), attrs.get("class")) == ("a", "#main-content", "skip-link"), (
        f"{where}: the first focusable element is {tag} {attrs}, not the skip link"
    )
    landmarks = [tag for tag, _attrs in page.landmarks]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in landmarks, f"{where}: no <{landmark}>"
    assert ("main", {"id": "main-content", "tabindex": "-1"}) in page.landmarks, where
    with translation.override(language):
        expected_heading = gettext(heading_msgid)
        home, search = f"/{language}/", f"/{language}/recherche/"
    if language != "fr":
        assert expected_heading != heading_msgid, f"{heading_msgid!r} has no {language} translation"
    assert [h.strip() for h in page.h1] == [expected_heading], f"{where}: <h1> {page.h1}"
    assert home in page.links, f"{where}: no link to {home}"
    assert sum(form.get("action") == search and form.get("method") == "get" for form in page.forms) >= 2, (
        f"{where}: the header's search and the page's own search form, in {language}"
    )
    assert page.robots == "noindex", where


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_page_has_the_site_structure_in_the_language_of_its_address(error_site, language):
    responses = fetch_error_pages(language, gone_release())
    assert set(responses) == set(HEADINGS)
    for name, response in responses.items():
        assert response.status_code == (STATUS.get(name) or int(name)), name
        assert response["Content-Language"] == language, name
        assert_site_structure(response.content.decode(), language, HEADINGS[name], f"{name} in {language}")


def test_a_method_a_page_does_not_take_gets_the_405_page_with_allow(client):
    """OPTIONS, or a POST that passed the CSRF check, to a page that is only read."""
    assert Client(HTTP_ACCEPT_LANGUAGE="de").options("/de/communiques/").status_code == 405
    response = client.post("/de/communiques/", {"q": "asile"})
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET"}
    with translation.override("de"):
        assert gettext("Méthode non autorisée") in response.content.decode()
    api = client.post("/api/v1/releases/")
    assert api.status_code == 405 and api.content == b"", "the JSON API keeps its bare answer"


def test_retry_after_on_429_and_503(error_site):
    responses = fetch_error_pages("fr", gone_release())
    assert int(responses["429"]["Retry-After"]) == int(error_site.AXES_COOLOFF_TIME.total_seconds())
    assert responses["503"]["Retry-After"] == str(errors.DATABASE_UNAVAILABLE_RETRY_SECONDS)


@pytest.mark.parametrize(
    ("accept_language", "cookie", "expected"),
    [(None, None, "fr"), ("de-DE,de;q=0.9", None, "de"), ("en", None, "en"), ("en", "lb", "lb")],
)
def test_an_address_without_prefix_answers_in_the_negotiated_language(
    client, settings, accept_language, cookie, expected
):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get("/nulle-part/", **headers)
    assert response.status_code == 404
    assert_site_structure(response.content.decode(), expected, "Page introuvable", f"/nulle-part/ ({expected})")


def test_a_page_made_before_the_language_middleware_still_speaks_the_address_language(client, settings):
    """The 413 page is made by the request-size middleware, before LocaleMiddleware: it must not take
    the language left active by the previous request in this thread."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_BODY_LIMIT
    translation.activate("en")
    response = client.post("/de/recherche/", too_large_form(), content_type=FORM)
    assert response.status_code == 413
    assert_site_structure(response.content.decode(), "de", "Envoi trop volumineux", "413 after an English request")


def test_the_language_switcher_of_a_404_leads_to_the_same_address_in_each_language(client):
    page = PageStructure(client.get("/de/nulle-part/").content.decode())
    for language in LANGUAGES:
        assert f"/{language}/nulle-part/" in page.links, language


def test_the_language_switcher_of_a_refused_form_leads_to_each_home_page(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_BODY_LIMIT
    response = Client().post("/de/recherche/", too_large_form(), content_type=FORM)
    page = PageStructure(response.content.decode())
    for language in LANGUAGES:
        assert f"/{language}/" in page.links, language
    assert "/fr/recherche/" not in page.links


@pytest.mark.parametrize("debug", [False, True])
def test_a_404_is_the_site_page_whether_debug_is_on_or_off(client, settings, debug):
    """``make run`` runs with DEBUG on: a reader still gets the site's 404, in the address's language,
    for an address that resolves to nothing and for one whose view finds nothing."""
    settings.DEBUG = debug
    for path in ("/de/nulle-part/", "/de/themes/inconnu/"):
        response = client.get(path)
        assert response.status_code == 404
        assert_site_structure(response.content.decode(), "de", "Page introuvable", f"{path}, DEBUG={debug}")


def test_with_debug_on_a_view_answering_404_itself_keeps_its_answer(client, settings):
    settings.DEBUG = True
    response = client.get("/api/v1/meetings/inconnue/")
    assert response.status_code == 404
    assert "<html" not in response.content.decode()


def test_a_bad_host_header_gets_the_400_page_not_an_uncaught_error(client):
    """Rendering the 400 page used to call the context processors, which read the (refused) host
    again: the error handler failed, and so did the 500 handler."""
    response = client.get("/de/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert_site_structure(response.content.decode(), "de", "Demande incorrecte", "bad Host")


def failing_context_processor(request):
    raise RuntimeError("a context processor failed")


@pytest.mark.parametrize(("name", "path"), [("500", "/lb/erreurs/500/"), ("503", "/lb/erreurs/503/")])
def test_500_and_503_render_when_the_context_processors_fail(client, error_site, name, path):
    engine = {**error_site.TEMPLATES[0]}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "context_processors": [
            *engine["OPTIONS"]["context_processors"],
            "tests.public.test_error_pages.failing_context_processor",
        ],
    }
    error_site.TEMPLATES = [engine]
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == int(name)
    assert_site_structure(response.content.decode(), "lb", HEADINGS[name], path)


@pytest.mark.parametrize("error", [ZeroDivisionError("a bug"), errors.OperationalError("server closed")])
def test_500_and_503_pages_make_no_database_query(django_assert_num_queries, error):
    request = RequestFactory().get("/de/communiques/")
    with django_assert_num_queries(0):
        try:
            raise error
        except Exception:
            response = errors.server_error(request)
    expected = 503 if isinstance(error, errors.OperationalError) else 500
    assert response.status_code == expected
    assert_site_structure(response.content.decode(), "de", HEADINGS[str(expected)], str(expected))


def test_when_the_error_template_itself_fails_a_plain_page_keeps_the_structure(client, settings):
    """With a broken URL configuration the templates cannot reverse their links: the plain page is sent,
    in the address's language, with the skip link, landmarks and a way home."""
    settings.ROOT_URLCONF = "tests.error_urls_without_site"
    client.raise_request_exception = False
    response = client.get("/de/erreurs/500/")
    assert response.status_code == 500
    page = PageStructure(response.content.decode())
    assert page.lang == "de"
    assert page.first_focusable[1].get("href") == "#main-content"
    assert {"header", "nav", "main", "footer"} <= {tag for tag, _attrs in page.landmarks}
    with translation.override("de"):
        assert page.h1 == [gettext("Une erreur est survenue")]
    assert "/de/" in page.links
