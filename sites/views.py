"""The site's colours, and the sites' logos (uploaded through the admin, served from the storage of
uploaded files)."""

from __future__ import annotations

import hashlib
import mimetypes

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

from sites.directory import directory
from sites.models import LOGO_FOLDER

#: Logos change rarely and a new upload gets a new file name: a day in every cache.
LOGO_CACHE_SECONDS = 86400


#: The colours stylesheet's address carries the colour (``?v=``): a change is a new address.
COLOURS_CACHE_SECONDS = 86400


@require_GET
def colours(request):
    """The request's site's accent colours as CSS custom properties, which ``static/css/site.css`` uses.

    A stylesheet of its own rather than an inline ``<style>``: pages keep no inline style (the policy
    needs no nonce for it, and pages stay free of every ``<style>`` element), and one file per site
    is cached by browsers and proxies (keyed by host)."""
    site = request.site
    body = f":root {{ --accent: {site.accent}; --accent-dark: {site.accent_dark}; }}\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={COLOURS_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def logo(request, name: str):
    """A site's logo. Only a file that a site names as its logo is served (read from the sites
    directory, no query): anything else under the folder, or a name no site uses any more, is a 404."""
    stored = f"{LOGO_FOLDER}/{name}"
    site = next((s for s in directory().sites.values() if s.logo and s.logo.name == stored), None)
    if site is None:
        raise Http404("No such logo")
    etag = f'"logo-{hashlib.sha256(stored.encode()).hexdigest()[:16]}"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={LOGO_CACHE_SECONDS}",
        "X-Content-Type-Options": "nosniff",
    }
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            handle = site.logo.storage.open(stored, "rb")
        except FileNotFoundError as error:
            raise Http404("No such logo") from error
        content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
        if not content_type.startswith("image/") or content_type == "image/svg+xml":
            content_type = "application/octet-stream"
        response = FileResponse(handle, content_type=content_type)
    for header, value in headers.items():
        response[header] = value
    return response
