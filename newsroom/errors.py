"""Site-wide error pages: 400, 404, 500, and 503 while the database is out of reach.

Django calls these through ``handler400``/``handler404``/``handler500`` in ``newsroom/urls.py``; the
request-size middleware answers a malformed ``Content-Length`` with ``bad_request``.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


#: Seconds a reader, a crawler or a CDN is asked to wait when the database is out of reach.
DATABASE_UNAVAILABLE_RETRY_SECONDS = 30


def server_error(request):
    """The 500 page; or, when the error is the database being out of reach (restarted, failing over, a
    connection cut), a 503 with ``Retry-After``: the site answers again by itself once the database is
    back (``CONN_HEALTH_CHECKS`` replaces broken connections), and crawlers keep the pages they know.
    Neither page touches the database."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        body = render_to_string("503.html", {"retry_after": DATABASE_UNAVAILABLE_RETRY_SECONDS})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_SECONDS)
        return response
    return render(request, "500.html", status=500)
