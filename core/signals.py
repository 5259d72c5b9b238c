"""Signals the kernel sends; the apps and the project connect to them in ``AppConfig.ready()``.

``content_changed``
    Sent (``sender=None``, no arguments) by :func:`core.pagecache.content_changed` each time saved
    content may alter what the public sees, inside the writing transaction. Receivers must be quick and
    defer any work of their own with ``transaction.on_commit``. The project's read-replica router
    (``newsroom/db_router.py``) connects to it to record the primary's position after the commit.
"""

from django.dispatch import Signal

content_changed = Signal()
