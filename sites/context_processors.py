"""The site every public template shows: its name, colour, logo, footer, and the way to the portal."""

from django.utils.translation import get_language

from sites.addresses import site_url
from sites.directory import portal, primary_host


def site(request):
    current = getattr(request, "site", None)
    if current is None:
        return {}
    the_portal = None if current.is_portal else portal()
    # A ministry's site links to the portal's home page in the reader's language (when the portal has
    # an address of its own).
    portal_url = site_url(the_portal, f"/{get_language()}/", request) if the_portal and primary_host(the_portal) else ""
    return {"site": current, "portal": the_portal, "portal_url": portal_url}
