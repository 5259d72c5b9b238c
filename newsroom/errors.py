"""Site-wide error pages: 400, 403 (refused, and CSRF failures), 404, 405, 410, 413, 429 (sign-in
locked), 500, and 503 while the database is out of reach.

Django calls these through ``handler400``/``handler403``/``handler404``/``handler500`` in
``newsroom/urls.py``, ``CSRF_FAILURE_VIEW`` and ``AXES_LOCKOUT_CALLABLE`` in the settings; the
request-size middleware answers with ``bad_request`` and ``request_too_large``;
``newsroom.middleware.MethodNotAllowedPageMiddleware`` gives Django's empty 405 answers this page;
``newsroom.middleware.DebugNotFoundMiddleware`` uses ``page_not_found`` when ``DEBUG`` is on.

Every page has the site's layout (skip link, header, navigation, search, main, footer), in the
language of its address: the prefix (``/de/…`` is German), else what ``LocaleMiddleware`` would
negotiate (the language cookie, ``Accept-Language``, French). The language is worked out here, from
the request, because some of these pages are made before ``LocaleMiddleware`` has run (a body too
large, a bad ``Host`` header) or after URL resolution failed.

The pages are rendered without context processors and without any database query: a broken database,
a bad ``Host`` header (``build_absolute_uri`` raises) or a failing context processor cannot turn an
error page into another error. If even the template fails, a plain page in the same language, with
the same landmarks, is sent.
"""

import logging
import sys
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: Seconds a reader, a crawler or a CDN is asked to wait when the database is out of reach.
DATABASE_UNAVAILABLE_RETRY_SECONDS = 30


def request_language(request) -> str:
    """The language of the address (``/de/…``), else the one ``LocaleMiddleware`` would negotiate."""
    try:
        return translation.get_language_from_request(request, check_path=True)
    except Exception:  # an error page must answer whatever the request holds
        return settings.LANGUAGE_CODE


def language_links(request) -> dict[str, str]:
    """The language switcher's targets: the same address under each prefix for a GET under a prefix
    (the reader reads this answer in their language), else each language's home page."""
    prefix = get_script_prefix()
    codes = [code for code, _name in settings.LANGUAGES]
    parts = request.path_info.split("/", 2)
    if request.method in ("GET", "HEAD") and len(parts) == 3 and parts[1] in codes:
        return {code: f"{prefix}{code}/{parts[2]}" for code in codes}
    return {code: f"{prefix}{code}/" for code in codes}


def render_error(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    """``template`` in the request's language, with ``status``, without context processors."""
    language = request_language(request)
    with translation.override(language):
        try:
            body = loader.render_to_string(
                template,
                {
                    **(context or {}),
                    "switcher_urls": language_links(request),
                    "status": status,
                    # The site's name, colour and footer: the middleware's site came with its hosts and
                    # links, so nothing is queried (absent before the middleware ran: the newsroom's name).
                    "site": getattr(request, "site", None),
                },
            )
        except Exception:
            logger.exception("The %s page could not be rendered; the plain page was sent instead", status)
            body = plain_page(language, status)
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    return response


def plain_page(language: str, status: int) -> str:
    """The last resort: the same landmarks and way on as every page, without the template machinery."""
    home = escape(f"{get_script_prefix()}{language}/")
    search = escape(f"{get_script_prefix()}{language}/recherche/")
    with translation.override(language):
        site, title, back = _("Newsroom du gouvernement"), _("Une erreur est survenue"), _("Retour à l'accueil")
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="robots" content="noindex">\n<title>{title} — {site}</title>\n</head>\n<body>\n'
            f'<a class="skip-link" href="#main-content">{_("Aller au contenu")}</a>\n'
            f'<header class="site-header"><a class="site-name" href="{home}">{site}</a>\n'
            f'<nav aria-label="{_("Navigation principale")}">'
            f'<ul><li><a href="{home}">{_("Accueil")}</a></li></ul></nav>\n'
            f'<form role="search" action="{search}" method="get"><label for="site-search-q">{_("Rechercher")}</label>\n'
            f'<input type="search" id="site-search-q" name="q"> <button type="submit">{_("OK")}</button></form>\n'
            f'</header>\n<main id="main-content" tabindex="-1">\n<h1>{title}</h1>\n'
            f"<p>{_('Veuillez réessayer plus tard.')} ({status})</p>\n"
            f'<p><a href="{home}">{back}</a></p>\n</main>\n'
            f"<footer><p>{site}</p></footer>\n</body>\n</html>\n"
        )


def bad_request(request, exception=None):
    """A malformed request, or a host that no site lists (``sites.middleware.UnknownSite``): the page
    names the host and links to the portal, never another site's content."""
    from sites.middleware import UnknownSite

    if isinstance(exception, UnknownSite):
        return render_error(request, "400.html", 400, {"unknown_host": exception.host})
    return render_error(request, "400.html", 400)


def permission_denied(request, exception=None):
    return render_error(request, "403.html", 403)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without its token, or from another site (Django logs the reason)."""
    return render_error(request, "403.html", 403, {"csrf": True})


def page_not_found(request, exception=None):
    return render_error(request, "404.html", 404)


def method_not_allowed(request, allowed: str):
    """A page asked with a method it does not take (a form posted to a page that is only read)."""
    response = render_error(request, "405.html", 405)
    response["Allow"] = allowed
    return response


def request_too_large(request, limit_bytes: int):
    return render_error(request, "413.html", 413, {"limit_mb": max(1, limit_bytes // (1024 * 1024))})


def sign_in_locked(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: too many failed sign-ins for this account from this address (429)."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = int(cool_off.total_seconds() // 60) if isinstance(cool_off, timedelta) else None
    response = render_error(request, "429.html", 429, {"minutes": minutes})
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def server_error(request):
    """The 500 page; or, when the error is the database being out of reach (restarted, failing over, a
    connection cut), a 503 with ``Retry-After``: the site answers again by itself once the database is
    back (``CONN_HEALTH_CHECKS`` replaces broken connections), and crawlers keep the pages they know.
    Neither page touches the database."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = render_error(request, "503.html", 503, {"retry_after": DATABASE_UNAVAILABLE_RETRY_SECONDS})
        response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_SECONDS)
        return response
    return render_error(request, "500.html", 500)
