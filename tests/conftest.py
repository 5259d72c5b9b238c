"""Shared fixtures: uploaded files go to a temporary folder, time zone is Luxembourg's."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test uploads into its own folder, so files left behind are visible to its assertions."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(db):
    """The demo content: the example release and everything around it."""
    from newsroom.demo.loader import load_demo

    return load_demo()


@pytest.fixture(autouse=True)
def fresh_content_type_cache(request):
    """A transactional test flushes the database, and content types come back with new ids: once it is over,
    forget the ids cached before (other tests keep the warm cache, as a running site does)."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def french_outside_requests():
    """Each test starts in French (a request leaves its language active in the thread)."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty cache: a rolled-back test leaves pages that no signal forgot."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def warm_sites(db):
    """The site directory as a running process holds it: read once after a change of sites, then kept
    (sites/directory.py). Tests that count a request's queries start from it."""
    from sites.directory import directory

    directory()
