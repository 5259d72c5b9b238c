"""The file cache of one machine (``CACHE_URL`` unset or ``file://``): Django's, counting its files less often."""

from __future__ import annotations

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    """``FileBasedCache`` that counts its files, to cull them past ``MAX_ENTRIES``, once every
    ``CULL_EVERY`` writes (an option, default 100) of each process rather than before every write.

    Django's lists the whole cache folder before each ``set``: with a few thousand entries that is about
    a millisecond a write, and a page built from scratch writes one entry per fragment it keeps (a list
    page: its 20 entries). Between two counts a process may add up to ``CULL_EVERY`` entries past the
    limit; the next count culls them as before (a third of the entries, at random).
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._cull_every = max(1, int(params.get("OPTIONS", {}).get("CULL_EVERY", 100)))
        self._writes_since_count = 0

    def _cull(self):
        self._writes_since_count += 1
        if self._writes_since_count >= self._cull_every:
            self._writes_since_count = 0
            super()._cull()
