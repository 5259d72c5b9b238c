"""Values every public template uses."""


def site(request):
    """The page's canonical address (without query string; list pages add their filters)."""
    return {"canonical_url": request.build_absolute_uri(request.path)}
