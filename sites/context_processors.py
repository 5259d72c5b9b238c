"""The site every public template shows: its name, colour, logo, footer, and the way to the portal."""

from sites.directory import portal


def site(request):
    current = getattr(request, "site", None)
    if current is None:
        return {}
    return {"site": current, "portal": None if current.is_portal else portal()}
