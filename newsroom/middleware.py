"""Site-wide response headers that Django's SecurityMiddleware does not set."""

from django.conf import settings


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
        from django.shortcuts import render

        from newsroom.errors import bad_request

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
            context = {"limit_mb": max(1, limit // (1024 * 1024))}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
