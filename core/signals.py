"""Signals the kernel sends; the apps and the project connect to them in ``AppConfig.ready()``.

``content_changed``
    Sent (``sender=None``, no arguments) by :func:`core.pagecache.content_changed` each time saved
    content may alter what the public sees, inside the writing transaction. Receivers must be quick and
    defer any work of their own with ``transaction.on_commit``. The project's read-replica router
    (``newsroom/db_router.py``) connects to it to record the primary's position after the commit.

``cache_tags_purged``
    Sent (``sender=None``) once the transaction that changed content has committed, with ``tags`` (a
    frozenset of cache tags: ``release:12``, ``list:organisation:3``...) and ``everything`` (True when
    every cached page must go). The page cache has already forgotten those pages; receivers tell the
    HTTP caches in front (Varnish, a CDN) to do the same. They must not raise. The project's HTTP
    purge (``newsroom/http_purge.py``) connects to it to ban those tags in Varnish and at a CDN.
"""

from django.dispatch import Signal

content_changed = Signal()
cache_tags_purged = Signal()
