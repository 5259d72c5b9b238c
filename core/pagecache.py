"""The anonymous page cache: whole responses per address and language, correct across publish times.

:class:`PageCacheMiddleware` is the first middleware. For an anonymous GET it looks the page up
before anything else runs, so a hit costs two cache reads (the entry, then its tags) and no query. An
entry is served only if

* none of its *cache tags* was purged since it was built. While a page is built, the views and
  template tags record what it shows (:func:`add_tags`: ``release:12``, ``organisation:3``,
  ``photo:40``, and the lists it is a page of, ``list:releases``, ``list:organisation:3``...). A
  saved change purges the tags its app's tagger names (:func:`register_tagger`: saving a release
  purges its page and the lists it is or was on, not another ministry's pages), once at once and once
  more after the commit; a page whose tags were purged while it was built (it may show the old
  data) is served but not kept. A model without a tagger, and :func:`content_changed`, forget every
  page (the *content version*), and pages that record no tags carry ``content``, which every change
  purges;
* the time is before the entry's *boundary*: the next moment at which a ``publish_at`` or
  ``unpublish_at`` of any publishable model (every concrete subclass of
  ``core.publication.Publishable``: releases, meetings, galleries), or an expiry day an app registered
  with :func:`add_expiry_date` (a photo's rights), changes what the public sees (:func:`next_boundary`,
  one indexed query per table, itself cached until it passes or the content changes). The boundary is
  taken before the page is rendered, so a page cached at 09:59 is not served at or after 10:00:00 when
  a release is scheduled for 10:00:00;
* the time is before the moment what it shows changes by itself, when a view says so
  (:func:`changes_at`: the home page's meetings change when one of the upcoming ones ends);
* the time is not before the moment it was stored (a clock set back never sees a later page).

The same tags, content version and boundary also key the *fragments* that pages share and that are
costly to build, such as the release list's filter choices and a release's rendered article
(:func:`cached_fragment`); a page showing a fragment carries the fragment's tags.

Never cached: requests carrying a session or messages cookie (staff, anyone logged in) or the read
replicas' pin cookie (a client that has just posted, newsroom/db_router.py), anything but GET and
HEAD, the admin, previews, staff files, language switching, responses other than 200,
streamed responses, responses that set a cookie or used a CSRF token, and responses that say
``no-cache``, ``no-store`` or ``private`` (previews use ``never_cache``).

Responses carry an ``ETag`` (the view's, or a digest of the body) and ``Last-Modified``; a
conditional request is answered 304 from the cache. ``Cache-Control: public, max-age=0,
s-maxage=N`` lets a CDN keep a page for N seconds, N at most ``PAGE_CACHE_CDN_SECONDS`` (60) and
never past the boundary; browsers revalidate every time. ``Cache-Tag`` and ``Surrogate-Key`` carry
the page's tags, for an HTTP cache in front to purge by tag (``core.signals.cache_tags_purged``);
``X-Page-Cache`` says ``hit`` or ``miss``.

The cache is Django's (``CACHES["default"]``): a shared one in every set-up that runs more than one
process (files under ``var/cache`` by default, in development too; Redis with ``CACHE_URL``), so a
change made by any process (a web worker, the background worker, a ``manage.py`` command) is seen by
all of them at their next request. Local memory (``CACHE_URL=locmem://``) suits one process only: the
tests.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language_from_request

from core import signals
from core.publication import VISIBLE_STATUSES, Publishable

VERSION_KEY = "pagecache:version"
BOUNDARY_KEY = "pagecache:boundary"
#: Headers recomputed on each answer from the cache.
_REPLACED = {"cache-control", "etag", "last-modified", "age", "expires"}


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _now() -> float:
    return timezone.now().timestamp()


# --- what a page shows: cache tags ------------------------------------------------------------
#
# A cached page or fragment records the *tags* of what it shows (``release:12``, ``person:7``, the
# lists it is a page of: ``list:organisation:3``...). Saving something purges its tags: a page is
# served from the cache only while none of its tags was purged after it was built. Each app says which
# tags a change of its models purges (:func:`register_tagger`); a model without a tagger purges
# :data:`ANY_CONTENT`, which every page that declares no tags of its own carries, so a page nobody
# tagged is still forgotten on any change, as all pages were before tags.

#: The tag of pages that say nothing of what they show: purged by every content change.
ANY_CONTENT = "content"
#: Tags of a page whose content no saved change alters (the accessibility statement, robots.txt).
STATIC = "static"
TAG_KEY_PREFIX = "pagecache:tag:"

_collector: contextvars.ContextVar[Collected | None] = contextvars.ContextVar("page_cache_tags", default=None)


class Collected(set):
    """The tags recorded while a page or fragment is built, and the first moment what it shows changes
    by itself (:func:`changes_at`), if any."""

    changes_at: float | None = None

    def change_at(self, moment: float | None) -> None:
        if moment is not None and (self.changes_at is None or moment < self.changes_at):
            self.changes_at = moment


def add_tags(*tags: str) -> None:
    """Record that the page being built shows these items (a no-op outside a page being built)."""
    collected = _collector.get()
    if collected is not None:
        collected.update(tags)


def changes_at(moment: float) -> None:
    """Record that what the page or fragment being built shows changes by itself at ``moment`` (a POSIX
    timestamp), with no save and no publication boundary: a meeting leaving the upcoming ones when it
    ends. Neither the fragment nor the page showing it is kept past that moment, nor kept by a CDN."""
    collected = _collector.get()
    if collected is not None:
        collected.change_at(moment)


@contextlib.contextmanager
def collecting_tags():
    """Collect the tags (and :func:`changes_at` moments) added while the block runs (nested: the outer
    block gets them too)."""
    outer = _collector.get()
    collected = Collected()
    token = _collector.set(collected)
    try:
        yield collected
    finally:
        _collector.reset(token)
        if outer is not None:
            outer.update(collected)
            outer.change_at(collected.changes_at)


def _tag_key(tag: str) -> str:
    return TAG_KEY_PREFIX + tag


def tag_versions(tags: Iterable[str]) -> dict[str, int | None]:
    """When each tag was last purged (:func:`clock`, or when the cache started knowing it; None if unknown)."""
    tags = list(tags)
    found = page_cache().get_many([_tag_key(tag) for tag in tags])
    return {tag: found.get(_tag_key(tag)) for tag in tags}


@dataclass(frozen=True)
class Stamp:
    """What a kept page or fragment was built from: its tags' purge times, and the last purge of
    anything (:data:`ANY_CONTENT`'s) when it was stored."""

    versions: dict[str, int]
    last_purge: int
    #: When what it shows changes by itself (:func:`changes_at`); None: only by a change or a boundary.
    changes_at: float | None = None


def _shown(stamp: Stamp) -> None:
    """A kept fragment is shown: the page showing it carries its tags and its moment of change."""
    add_tags(*stamp.versions)
    if stamp.changes_at is not None:
        changes_at(stamp.changes_at)


def _until_change(stamp: Stamp, collected: Collected, expires: float) -> tuple[Stamp, float]:
    """The stamp and expiry of a value just built, shortened to its moment of change, if any."""
    if collected.changes_at is None:
        return stamp, expires
    return replace(stamp, changes_at=collected.changes_at), min(expires, collected.changes_at)


def versions_to_keep(tags: Iterable[str], started_ns: int) -> Stamp | None:
    """The stamp to store with a page built from ``started_ns`` on, or None if one of its tags was
    purged since: the page may show data older than that purge, so it is not kept. Purge times come
    from the clock of the process that purged: with several machines, ``PAGE_CACHE_CLOCK_SKEW_MS``
    widens "since" by how far their clocks may differ."""
    return stamps_to_keep([(tags, started_ns)])[0]


def stamps_to_keep(built: Sequence[tuple[Iterable[str], int]]) -> list[Stamp | None]:
    """:func:`versions_to_keep` for several values built one after the other (the entries of a list),
    each with its tags and the moment it started being built: one read of all their tags."""
    cache = page_cache()
    built = [(set(tags), started_ns) for tags, started_ns in built]
    versions = tag_versions(set().union(*(tags for tags, _started in built)) | {ANY_CONTENT})
    for tag, version in versions.items():
        if version is None:
            # Never purged, or forgotten by the cache (a file cache culls at random): a new value, which
            # no page kept before can hold, so a forgotten purge is never taken for no purge. It is
            # negative (:func:`unpurged_mark`), not a purge: a page whose fragment saw the tag first while
            # the page was being built is kept.
            cache.add(_tag_key(tag), unpurged_mark(), None)
            versions[tag] = cache.get(_tag_key(tag))
    last_purge = versions[ANY_CONTENT]
    skew = settings.PAGE_CACHE_CLOCK_SKEW_MS * 1_000_000
    stamps: list[Stamp | None] = []
    for tags, started_ns in built:
        kept = last_purge is not None and all(
            versions[tag] is not None and versions[tag] <= started_ns - skew for tag in tags
        )
        stamps.append(Stamp(versions={tag: versions[tag] for tag in tags}, last_purge=last_purge) if kept else None)
    return stamps


#: Kept entries this process found valid, with the last purge of anything it checked them against:
#: while nothing at all is purged, a hit reads no tag.
_verified: dict[str, int] = {}
_VERIFIED_MAX = 20_000


def still_valid(key: str, stamp: Stamp, last_purge: int | None) -> bool:
    """Whether no tag of a kept page or fragment was purged since it was stored (a tag the cache
    forgot counts as purged). ``last_purge`` is :data:`ANY_CONTENT`'s purge time, read with the
    entry: unchanged since the entry was stored (or last checked here), nothing was purged at all."""
    if last_purge is not None and last_purge in (stamp.last_purge, _verified.get(key)):
        return True
    if tag_versions(stamp.versions) != stamp.versions:
        return False
    if last_purge is not None:
        if len(_verified) >= _VERIFIED_MAX:
            _verified.clear()
        _verified[key] = last_purge
    return True


_clock_lock = threading.Lock()
_clock_last = 0


def clock() -> int:
    """``time.time_ns()``, but strictly increasing in this process, so that two purges, or a purge and
    the start of a page, are ordered even by a frozen clock (tests) or within one nanosecond."""
    global _clock_last
    with _clock_lock:
        _clock_last = max(time.time_ns(), _clock_last + 1)
        return _clock_last


def unpurged_mark() -> int:
    """The value of a tag the cache does not know (never purged, or forgotten): unique like a purge
    time, but negative, so that it never counts as a purge made while a page was being built."""
    return -clock()


def _mark_purged(tags: frozenset[str]) -> None:
    version = clock()
    # The pages' tags first, the last purge of anything last: a hit that still sees the old last purge
    # (and so reads no tag) was answered before this purge.
    marks = {_tag_key(tag): version for tag in tags if tag != ANY_CONTENT}
    marks[_tag_key(ANY_CONTENT)] = version
    page_cache().set_many(marks, None)


def _after_commit(connection) -> None:
    tags = frozenset(getattr(connection, "page_cache_pending", ()))
    connection.page_cache_pending = set()
    if tags:
        _mark_purged(tags)
        signals.cache_tags_purged.send(sender=None, tags=tags, everything=False)


def purge(tags: Iterable[str]) -> None:
    """Forget the cached pages and fragments carrying any of ``tags``: now, and again once the current
    transaction commits (a page built from the old data meanwhile is not kept either); HTTP caches in
    front are told after the commit (``core.signals.cache_tags_purged``)."""
    tags = frozenset(tags) | {ANY_CONTENT}
    signals.content_changed.send(sender=None)  # with read replicas: none is read until it has this change
    _mark_purged(tags)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        signals.cache_tags_purged.send(sender=None, tags=tags, everything=False)
        return
    # The tags of this transaction, on its connection (each thread has its own).
    if not hasattr(connection, "page_cache_pending"):
        connection.page_cache_pending = set()
    connection.page_cache_pending.update(tags)
    # One callback per transaction, if one is queued that no savepoint rollback can drop alone.
    open_savepoints = set(connection.savepoint_ids)
    for sids, func, _robust in connection.run_on_commit:
        if getattr(func, "page_cache_purge", False) and set(sids) <= open_savepoints:
            return
    callback = functools.partial(_after_commit, connection)
    callback.page_cache_purge = True
    transaction.on_commit(callback, using=connection.alias)


# --- invalidation of everything -----------------------------------------------------------------


def _new_version(suffix: str = "") -> str:
    """A version never given before, even twice in the same (frozen) nanosecond: processes keep
    fragments under it (``cached_fragment(keep_in_process=True)``)."""
    return f"{time.time_ns()}-{secrets.token_hex(6)}{suffix}"


def bump_version() -> str:
    version = _new_version()
    page_cache().set(VERSION_KEY, version, None)
    return version


def _bump_after_commit() -> None:
    bump_version()
    signals.cache_tags_purged.send(sender=None, tags=frozenset(), everything=True)


def content_version() -> str:
    """The current content version (one cache read); a new one if the cache has none."""
    cache = page_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version("-start"), None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed(**kwargs) -> None:
    """Forget every cached page and fragment: now, and again once the current transaction commits.

    For changes no tagger describes; the version moves even with the page cache off, since fragments
    (:func:`cached_fragment`) use it.
    """
    signals.content_changed.send(sender=None)  # with read replicas: none is read until it has this change
    bump_version()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # One bump after the commit is enough, if one is queued that no savepoint rollback can drop alone.
        open_savepoints = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if func is _bump_after_commit and set(sids) <= open_savepoints:
                return
    transaction.on_commit(_bump_after_commit)


def is_page_cache_callback(func) -> bool:
    """Whether an ``on_commit`` callback is the page cache's (tests counting other jobs skip it)."""
    return func is _bump_after_commit or getattr(func, "page_cache_purge", False)


# --- which changes purge what -------------------------------------------------------------------

#: App labels whose saved changes can alter a public page, and models of theirs that never do
#: (saving them must not empty the cache); set by :func:`connect_signals`.
_content_apps: frozenset[str] = frozenset()
_ignored_models: frozenset[str] = frozenset()
#: Model → function of (instance, signal's keyword arguments) returning the tags a change purges, or
#: None for "everything". Registered by the apps that own the models (``AppConfig.ready``).
_taggers: dict[type[Model], Callable[..., Iterable[str] | None]] = {}


def register_tagger(model: type[Model], tagger: Callable[..., Iterable[str] | None]) -> None:
    """Say which tags a save, delete or many-to-many change of ``model`` purges.

    ``tagger(instance, **kwargs)`` gets the signal's arguments (``signal``, and for ``m2m_changed``
    ``action``, ``pk_set``, ``model``; ``sender`` is then the through model, which is the one to
    register). For a change it cannot describe it returns None: every page is forgotten.
    """
    _taggers[model] = tagger


def on_model_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _content_apps or meta.label_lower in _ignored_models:
        return
    action = kwargs.get("action")
    if action is not None and action.startswith("pre_"):
        return  # m2m_changed: act once, after the change
    tagger = _taggers.get(sender)
    tags = tagger(**kwargs) if tagger is not None else None
    if tags is None:
        content_changed()
    else:
        purge(tags)


def connect_signals(*, content_apps: Iterable[str], ignored_models: Iterable[str] = ()) -> None:
    """Forget cached pages whenever a model of ``content_apps`` (app labels) is saved, deleted or has
    its many-to-many links changed, except the ``ignored_models`` (``"app_label.model"``): the pages
    tagged by the model's tagger, else every page."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    global _content_apps, _ignored_models
    _content_apps = frozenset(content_apps)
    _ignored_models = frozenset(ignored_models)
    post_save.connect(on_model_change, dispatch_uid="pagecache-post-save")
    post_delete.connect(on_model_change, dispatch_uid="pagecache-post-delete")
    m2m_changed.connect(on_model_change, dispatch_uid="pagecache-m2m")


# --- publication boundaries ---------------------------------------------------------------------


#: ``(model, date field)``: an item stops being shown on that day (Luxembourg time), e.g. a photo
#: whose rights expire. Added by the apps that own them (:func:`add_expiry_date`).
_expiry_dates: list[tuple[type[Model], str]] = []


def add_expiry_date(model: type[Model], field: str) -> None:
    """Make the first day given by ``model.field`` after now a boundary of every cached page."""
    if (model, field) not in _expiry_dates:
        _expiry_dates.append((model, field))


def publishable_models() -> list[type[Model]]:
    """Every installed concrete model with the publication fields (releases, meetings, galleries)."""
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def compute_next_boundary(at: datetime) -> datetime | None:
    """The first moment after ``at`` when some scheduled publication, unpublication or expiry changes
    what the public sees. One query: each part walks an index from ``at`` and stops at the first row."""
    from django.db import connections, router

    models = publishable_models()
    connection = connections[router.db_for_read(models[0])]  # a replica for an anonymous request, if any
    moments, params = [], []
    for model in models:
        table = connection.ops.quote_name(model._meta.db_table)
        for column in ("publish_at", "unpublish_at"):
            moments.append(
                f"(SELECT {column} FROM {table} WHERE {column} > %s AND status = ANY(%s) ORDER BY {column} LIMIT 1)"
            )
            params += [at, list(VISIBLE_STATUSES)]
    # An item with an expiry day may be shown until the day before it (Luxembourg days).
    days = []
    for model, field in _expiry_dates:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.get_field(field).column)
        days.append(f"(SELECT {column} FROM {table} WHERE {column} > %s ORDER BY {column} LIMIT 1)")
        params.append(timezone.localdate(at))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT LEAST({', '.join(moments)}), LEAST({', '.join(days) or 'NULL::date'})", params)
        moment, expiry = cursor.fetchone()
    if expiry is not None:
        midnight = timezone.make_aware(datetime.combine(expiry, datetime.min.time()))
        moment = midnight if moment is None else min(moment, midnight)
    return moment


def next_boundary(at: float, version: str) -> float | None:
    """:func:`compute_next_boundary` for ``at``, cached until it passes, the content version moves or
    any content changes (any purge marks :data:`ANY_CONTENT`: a release just scheduled may be the next
    boundary). Returns a POSIX timestamp, or ``None`` when nothing is scheduled."""
    cache = page_cache()
    mark_key = _tag_key(ANY_CONTENT)
    found = cache.get_many([BOUNDARY_KEY, mark_key])
    mark = found.get(mark_key)
    if mark is None:  # never purged, or forgotten by the cache: a new value (see versions_to_keep)
        cache.add(mark_key, unpurged_mark(), None)
        mark = cache.get(mark_key)
    cached = found.get(BOUNDARY_KEY)
    if cached is not None:
        cached_version, cached_mark, computed_at, boundary = cached
        fresh = cached_version == version and cached_mark == mark and mark is not None
        if fresh and computed_at <= at and (boundary is None or at < boundary):
            return boundary
    # The mark is read before the query: a change committed meanwhile leaves a stale mark stored.
    moment = compute_next_boundary(datetime.fromtimestamp(at, tz=UTC))
    boundary = moment.timestamp() if moment is not None else None
    cache.set(BOUNDARY_KEY, (version, mark, at, boundary), settings.PAGE_CACHE_SECONDS)
    return boundary


#: What every fragment's key is scoped by besides its name: the site the request is for (set by the site
#: middleware, ``sites.middleware``). Fragments are kept per site without each caller naming it, so a
#: value built for one site is never read on another.
_fragment_scope: contextvars.ContextVar[str] = contextvars.ContextVar("fragment_scope", default="")


@contextlib.contextmanager
def fragment_scope(scope: str):
    """Fragments built and read inside the block are kept under ``scope`` (a site's key)."""
    token = _fragment_scope.set(scope)
    try:
        yield
    finally:
        _fragment_scope.reset(token)


def scoped_name(name: str) -> str:
    """``name`` within the current fragment scope: the name a fragment is kept under."""
    scope = _fragment_scope.get()
    return f"{scope}|{name}" if scope else name


#: Fragments asked for with ``keep_in_process`` (a few names, each needed by most pages), the last one
#: of each name with its key: reused while the content version and the time window hold, so a busy
#: process does not unpickle the same value on every request (the filter choices of 100,000
#: releases: 4 ms). Callers treat fragments as read-only.
_process_fragments: dict[str, tuple[str, tuple]] = {}


def cached_fragment(name: str, compute, *, at: float | None = None, keep_in_process: bool = False):
    """``compute()``, kept under the current content version and its cache tags (those added while it
    was computed) until the next publication boundary.

    For data that many pages share and that is costly to build (the filter choices of every list):
    it is built once per content version, then read from the shared cache (one read for the version,
    one for the value; with ``keep_in_process``, the process keeps it while the version holds).
    ``name`` must hold everything else the value depends on (the language).
    Like a page, the value is never served past the next ``publish_at``/``unpublish_at``/rights expiry
    that could change it.
    """
    cache = page_cache()
    now = _now() if at is None else at
    version = content_version()
    name = scoped_name(name)
    key = f"pagecache:fragment:{name}:{version}"
    local_key, entry = _process_fragments.get(name, (None, None))
    last_purge_key = _tag_key(ANY_CONTENT)
    if local_key != key:
        found = cache.get_many([key, last_purge_key])
        entry = found.get(key)
    else:
        found = {last_purge_key: cache.get(last_purge_key)}
    if entry is not None:
        stored_at, expires, stamp, value = entry
        if stored_at <= now < expires and still_valid(key, stamp, found.get(last_purge_key)):
            if keep_in_process:
                _process_fragments[name] = (key, entry)
            _shown(stamp)  # the page showing the fragment shows what it shows
            return value
    boundary = next_boundary(now, version)
    started = clock()
    with collecting_tags() as collected:
        value = compute()
    stamp = versions_to_keep(collected or {ANY_CONTENT}, started)
    if stamp is None:  # purged while it was built: used once, not kept
        return value
    expires = now + settings.PAGE_CACHE_SECONDS
    if boundary is not None:
        expires = min(expires, boundary)
    stamp, expires = _until_change(stamp, collected, expires)
    entry = (now, expires, stamp, value)
    cache.set(key, entry, max(1, int(expires - now) + 1))
    if keep_in_process:
        _process_fragments[name] = (key, entry)
    return value


def cached_fragments(
    names: Sequence[str],
    compute: Callable[[int], object],
    *,
    prepare: Callable[[list[int]], None] | None = None,
    at: float | None = None,
) -> list:
    """:func:`cached_fragment` for many values at once, such as the 20 entries of a list: one read of
    the content version, one of the values and the last purge (``get_many``) and, only when something
    was purged since they were checked, one of all their cache tags, whatever their number.

    ``compute(i)`` builds the value of ``names[i]`` when it is not kept (or no longer valid: one of its
    tags was purged, the next publication boundary passed); each value is kept with the tags added while
    it was built (a value None is not kept), and every value shown adds its tags to the page.
    ``prepare(indexes)``, if given, is
    called first with the indexes of all the values to build (to fetch what they need in one query).
    Each name is scoped like :func:`cached_fragment`'s (:func:`scoped_name`: a value built for one
    site is never read on another) and must hold everything else its value depends on (the language).
    """
    if not names:
        return []
    cache = page_cache()
    now = _now() if at is None else at
    version = content_version()
    keys = [f"pagecache:fragment:{scoped_name(name)}:{version}" for name in names]
    last_purge_key = _tag_key(ANY_CONTENT)
    # Entries this process read or built are checked like those read from the shared store (same key,
    # same stamp): only the others are read.
    found = {key: _process_entries[key] for key in keys if key in _process_entries}
    found.update(cache.get_many([*(key for key in keys if key not in found), last_purge_key]))
    last_purge = found.pop(last_purge_key, None)
    values: list = [None] * len(names)
    missing: list[int] = []
    unsure: list[int] = []  # kept, but something was purged since they were stored or checked here
    for index, key in enumerate(keys):
        entry = found.get(key)
        if entry is None or not entry[0] <= now < entry[1]:
            missing.append(index)
        elif last_purge is not None and last_purge in (entry[2].last_purge, _verified.get(key)):
            values[index] = entry[3]
            _shown(entry[2])
            _keep_in_process(key, entry)
        else:
            unsure.append(index)
    if unsure:
        current = tag_versions(set().union(*(found[keys[index]][2].versions for index in unsure)))
        for index in unsure:
            stamp, value = found[keys[index]][2], found[keys[index]][3]
            if any(current.get(tag) != purged for tag, purged in stamp.versions.items()):
                _process_entries.pop(keys[index], None)
                missing.append(index)
                continue
            _keep_in_process(keys[index], found[keys[index]])
            if last_purge is not None:
                if len(_verified) >= _VERIFIED_MAX:
                    _verified.clear()
                _verified[keys[index]] = last_purge
            values[index] = value
            _shown(stamp)
    if not missing:
        return values
    missing.sort()
    boundary = next_boundary(now, version)
    expires = now + settings.PAGE_CACHE_SECONDS
    if boundary is not None:
        expires = min(expires, boundary)
    if prepare is not None:
        prepare(missing)
    built, collections = [], []
    for index in missing:
        started = clock()
        with collecting_tags() as collected:
            values[index] = compute(index)
        built.append((collected or {ANY_CONTENT}, started))
        collections.append(collected)
    # A value one of whose tags was purged since it started being built may show older data: used once,
    # not kept; nor is None (nothing to show, such as a release unpublished since the page selected it).
    kept = {}
    for index, stamp, collected in zip(missing, stamps_to_keep(built), collections, strict=True):
        if stamp is not None and values[index] is not None:
            stamp, until = _until_change(stamp, collected, expires)
            kept[keys[index]] = (now, until, stamp, values[index])
    if kept:
        cache.set_many(kept, max(1, int(expires - now) + 1))
        for key, entry in kept.items():
            _keep_in_process(key, entry)
    return values


#: Entries of :func:`cached_fragments` this process read or built (the list entries of the pages it
#: serves), so that a list page does not read and unpickle its 20 entries from the shared store on every
#: request: each is still checked against the last purge (and, after one, its tags) before it is shown.
_process_entries: dict[str, tuple] = {}
_PROCESS_ENTRIES_MAX = 10_000


def _keep_in_process(key: str, entry: tuple) -> None:
    if key not in _process_entries and len(_process_entries) >= _PROCESS_ENTRIES_MAX:
        _process_entries.clear()
    _process_entries[key] = entry


# --- the middleware -----------------------------------------------------------------------------


def _excluded_prefixes() -> tuple[str, ...]:
    return (
        "/" + settings.ADMIN_PATH,
        "/staff/",
        "/i18n/",
        settings.STATIC_URL,
        settings.MEDIA_URL,
        *settings.PAGE_CACHE_EXCLUDED_PATHS,
    )


def _cdn_seconds(now: float, expires: float) -> int:
    return max(0, min(settings.PAGE_CACHE_CDN_SECONDS, int(expires - now)))


def cache_control(seconds: int) -> str:
    return f"public, max-age=0, s-maxage={seconds}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE_ENABLED
        self.excluded = _excluded_prefixes()
        # The pin cookie: a client that has just written reads the primary, never a cached page.
        self.bypass_cookies = (settings.SESSION_COOKIE_NAME, "messages", settings.DATABASE_REPLICA_PIN_COOKIE)

    def key(self, request) -> str | None:
        if request.method not in ("GET", "HEAD"):
            return None
        path = request.path
        if path.startswith(self.excluded) or "/apercu/" in path:
            return None
        cookies = request.COOKIES
        if any(name in cookies for name in self.bypass_cookies) or "HTTP_AUTHORIZATION" in request.META:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # let SecurityMiddleware redirect
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        language = get_language_from_request(request, check_path=True)
        raw = f"{request.scheme}://{host}{request.get_full_path()}|{language}"
        return "pagecache:page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        cache = page_cache()
        now = _now()
        last_purge_key = _tag_key(ANY_CONTENT)
        found = cache.get_many([VERSION_KEY, key, last_purge_key])
        version = found.get(VERSION_KEY)
        entry = found.get(key)
        if version is not None and entry is not None:
            stored_version, stored_at, expires, status, headers, content, stamp = entry
            fresh = stored_version == version and stored_at <= now < expires
            if fresh and still_valid(key, stamp, found.get(last_purge_key)):
                return self.from_cache(request, now, expires, status, headers, content)
        if version is None:
            version = content_version()
        # The boundary is taken before rendering: the page shows the state at some time >= now,
        # which stays right until the first boundary after now.
        boundary = next_boundary(now, version)
        started = clock()
        with collecting_tags() as collected:
            response = self.get_response(request)
        if self.storable(request, response):
            tags = collected or {ANY_CONTENT}
            response["Cache-Tag"] = response["Surrogate-Key"] = " ".join(sorted(tags))
            expires = now + settings.PAGE_CACHE_SECONDS
            if boundary is not None:
                expires = min(expires, boundary)
            if collected.changes_at is not None:
                expires = min(expires, collected.changes_at)
            stamp = versions_to_keep(tags, started)
            if stamp is None:
                # One of its tags was purged while it was built: it may show older data. Not kept,
                # here or by a CDN.
                expires = now
            else:
                self.store(cache, key, version, now, expires, response, stamp)
            response["X-Page-Cache"] = "miss"
            response = self.prepared(request, response, _now(), expires)
        return response

    def storable(self, request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("no-cache", "no-store", "private", "max-age=0")):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    def store(self, cache, key, version, now, expires, response, stamp) -> None:
        if "ETag" not in response:
            response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=12).hexdigest() + '"'
        if "Last-Modified" not in response:
            response["Last-Modified"] = http_date(now)
        headers = [(name, value) for name, value in response.items() if name.lower() not in ("cache-control", "age")]
        entry = (version, now, expires, response.status_code, headers, response.content, stamp)
        cache.set(key, entry, max(1, int(expires - now) + 1))

    def prepared(self, request, response, now, expires):
        response["Cache-Control"] = cache_control(_cdn_seconds(now, expires))
        return response

    def from_cache(self, request, now, expires, status, headers, content):
        etag = last_modified = None
        for name, value in headers:
            lower = name.lower()
            if lower == "etag":
                etag = value
            elif lower == "last-modified":
                last_modified = value
        conditional = get_conditional_response(
            request, etag=etag, last_modified=parse_http_date_safe(last_modified) if last_modified else None
        )
        response = conditional if conditional is not None else HttpResponse(content, status=status)
        for name, value in headers:
            if conditional is None or name.lower() in ("etag", "last-modified", "vary", "cache-tag", "surrogate-key"):
                response[name] = value
        response["Cache-Control"] = cache_control(_cdn_seconds(now, expires))
        response["X-Page-Cache"] = "hit"
        return response
