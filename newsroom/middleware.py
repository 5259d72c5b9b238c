"""Site-wide response headers that Django's SecurityMiddleware does not set, request limits, and the
site's own 404 page when ``DEBUG`` is on."""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.urls import Resolver404, resolve


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (camera, microphone, geolocation... off) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class RequestSizeLimitMiddleware:
    """Refuses too large request bodies with a readable 413 page, before anything reads them.

    Form posts without files may carry ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes; multipart posts (photo
    uploads) ``REQUEST_MAX_BYTES``. A ``Content-Length`` that is not a number is a 400. Bodies within the
    limits still meet Django's own checks (``DATA_UPLOAD_MAX_NUMBER_FIELDS``...), which answer 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from newsroom.errors import bad_request, request_too_large

        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return bad_request(request)
        if length < 0:
            return bad_request(request)
        multipart = request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")
        limit = settings.REQUEST_MAX_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return request_too_large(request, limit)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Django's ``require_GET`` and class-based views answer a wrong method with an empty 405 (OPTIONS,
    or a POST that passed the CSRF check, to a page that is only read): the site's page says so instead,
    in the address's language, with the ``Allow`` header kept. The JSON API keeps its bare answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            from newsroom.errors import method_not_allowed

            return method_not_allowed(request, response.get("Allow", ""))
        return response


class DebugNotFoundMiddleware:
    """With ``DEBUG`` on (``make run``), Django answers a 404 with its technical page: English, without
    the site's skip link, header or language. Readers of a development site meet 404s all the time (a
    mistyped address, a release not public yet), so they get the site's own page, as in production;
    Django still logs ``Not Found: <path>`` on the console. Not installed when ``DEBUG`` is off.

    Placed after ``LocaleMiddleware``: a path is resolved in the language it was asked in.
    """

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and not _resolves(request.path_info, getattr(request, "urlconf", None)):
            from newsroom.errors import page_not_found

            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            from newsroom.errors import page_not_found

            return page_not_found(request, exception)
        return None


def _resolves(path: str, urlconf=None) -> bool:
    try:
        resolve(path, urlconf)
    except Resolver404:
        return False
    return True
