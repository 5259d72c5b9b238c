"""The request's host picks its site (``request.site``); a host no site lists is refused with a 400 page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import get_resolver

from core.pagecache import fragment_scope
from sites.directory import portal, site_for_host


class UnknownSite(SuspiciousOperation):
    """The host is allowed by ``ALLOWED_HOSTS`` but no site lists it: the project's 400 handler gets it
    and says so (``newsroom.errors.bad_request``)."""

    def __init__(self, host: str):
        super().__init__(f"No site is served at {host!r}")
        self.host = host


class SiteMiddleware:
    """Sets ``request.site`` and keeps cached fragments per site while the request is answered.

    The admin and staff pages answer on any allowed host (e.g. a dedicated ``admin.`` host) and see the
    portal there.

    Placed after the page cache (a page served from it costs nothing here; its key holds the host) and
    before everything that shows content. ``request.get_host()`` has already checked ``ALLOWED_HOSTS``
    (a host outside it is Django's ``DisallowedHost``, a 400 too)."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Staff pages answer on every allowed host (a dedicated admin host needs no site), as the portal.
        self.staff_prefixes = ("/" + settings.ADMIN_PATH, "/staff/", "/i18n/")

    def __call__(self, request):
        host = request.get_host()
        site = site_for_host(host)
        if site is None:
            if not request.path.startswith(self.staff_prefixes):
                # Answered here, not raised: with DEBUG on, Django would show its technical page instead.
                return get_resolver().resolve_error_handler(400)(request, UnknownSite(host))
            site = portal()
        request.site = site
        with fragment_scope(site.key):
            return self.get_response(request)
