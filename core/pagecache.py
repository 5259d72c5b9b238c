"""The anonymous page cache: whole responses per address and language, correct across publish times.

:class:`PageCacheMiddleware` is the first middleware. For an anonymous GET it looks the page up
before anything else runs, so a hit costs one cache read and no query. An entry is served only if

* it was stored under the current *content version*: any saved change to a release, photo, person,
  organisation, meeting, tag or what links them bumps the version (:func:`content_changed`, connected
  to ``post_save``, ``post_delete`` and ``m2m_changed`` for the content apps by :func:`connect_signals`,
  which the public website calls in ``WebsiteConfig.ready``), once at once and once more after the
  commit, so a page rendered from the old data during the transaction is not kept either;
* the time is before the entry's *boundary*: the next moment at which a ``publish_at`` or
  ``unpublish_at`` of any publishable model (every concrete subclass of
  ``core.publication.Publishable``: releases, meetings, galleries), or an expiry day an app registered
  with :func:`add_expiry_date` (a photo's rights), changes what the public sees (:func:`next_boundary`,
  one indexed query per table, itself cached until it passes or the content changes). The boundary is
  taken before the page is rendered, so a page cached at 09:59 is not served at or after 10:00:00 when
  a release is scheduled for 10:00:00;
* the time is not before the moment it was stored (a clock set back never sees a later page).

The same content version and boundary also key the *fragments* that pages share and that are
costly to build, such as the release list's filter choices (:func:`cached_fragment`): they are
rebuilt once per content version (and language) rather than on every uncached page.

Never cached: requests carrying a session or messages cookie (staff, anyone logged in) or the read
replicas' pin cookie (a client that has just posted, newsroom/db_router.py), anything but GET and
HEAD, the admin, previews, staff files, language switching, responses other than 200,
streamed responses, responses that set a cookie or used a CSRF token, and responses that say
``no-cache``, ``no-store`` or ``private`` (previews use ``never_cache``).

Responses carry an ``ETag`` (the view's, or a digest of the body) and ``Last-Modified``; a
conditional request is answered 304 from the cache. ``Cache-Control: public, max-age=0,
s-maxage=N`` lets a CDN keep a page for N seconds, N at most ``PAGE_CACHE_CDN_SECONDS`` (60) and
never past the boundary; browsers revalidate every time.

The cache is Django's (``CACHES["pages"]``): local memory in development and tests, a shared
cache in production (files under ``var/cache`` by default, Redis with ``CACHE_URL``), so that a
change made through one worker is seen by all of them.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable
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


# --- invalidation -------------------------------------------------------------------------------


def _new_version(suffix: str = "") -> str:
    """A version never given before, even twice in the same (frozen) nanosecond: processes keep
    fragments under it (``cached_fragment(keep_in_process=True)``)."""
    return f"{time.time_ns()}-{secrets.token_hex(6)}{suffix}"


def bump_version() -> str:
    version = _new_version()
    page_cache().set(VERSION_KEY, version, None)
    return version


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

    The version moves even with the page cache off, since fragments (:func:`cached_fragment`) use it.
    """
    signals.content_changed.send(sender=None)  # with read replicas: none is read until it has this change
    bump_version()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # One bump after the commit is enough, if one is queued that no savepoint rollback can drop alone.
        open_savepoints = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if func is bump_version and set(sids) <= open_savepoints:
                return
    transaction.on_commit(bump_version)


def is_page_cache_callback(func) -> bool:
    """Whether an ``on_commit`` callback is the page cache's (tests counting other jobs skip it)."""
    return func is bump_version


#: App labels whose saved changes can alter a public page, and models of theirs that never do
#: (saving them must not empty the cache); set by :func:`connect_signals`.
_content_apps: frozenset[str] = frozenset()
_ignored_models: frozenset[str] = frozenset()


def on_model_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _content_apps or meta.label_lower in _ignored_models:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: act once, after the change
    content_changed()


def connect_signals(*, content_apps: Iterable[str], ignored_models: Iterable[str] = ()) -> None:
    """Forget cached pages whenever a model of ``content_apps`` (app labels) is saved, deleted or has
    its many-to-many links changed, except the ``ignored_models`` (``"app_label.model"``)."""
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
    """:func:`compute_next_boundary` for ``at``, cached while the content version holds and until it
    passes. Returns a POSIX timestamp, or ``None`` when nothing is scheduled."""
    cache = page_cache()
    cached = cache.get(BOUNDARY_KEY)
    if cached is not None:
        cached_version, computed_at, boundary = cached
        if cached_version == version and computed_at <= at and (boundary is None or at < boundary):
            return boundary
    moment = compute_next_boundary(datetime.fromtimestamp(at, tz=UTC))
    boundary = moment.timestamp() if moment is not None else None
    cache.set(BOUNDARY_KEY, (version, at, boundary), settings.PAGE_CACHE_SECONDS)
    return boundary


#: Fragments asked for with ``keep_in_process`` (a few names, each needed by most pages), the last one
#: of each name with its key: reused while the content version and the time window hold, so a busy
#: process does not unpickle the same value on every request (the filter choices of 100,000
#: releases: 4 ms). Callers treat fragments as read-only.
_process_fragments: dict[str, tuple[str, tuple]] = {}


def cached_fragment(name: str, compute, *, at: float | None = None, keep_in_process: bool = False):
    """``compute()``, kept under the current content version until the next publication boundary.

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
    key = f"pagecache:fragment:{name}:{version}"
    local_key, entry = _process_fragments.get(name, (None, None))
    if local_key != key:
        entry = cache.get(key)
    if entry is not None:
        stored_at, expires, value = entry
        if stored_at <= now < expires:
            if keep_in_process:
                _process_fragments[name] = (key, entry)
            return value
    boundary = next_boundary(now, version)
    value = compute()
    expires = now + settings.PAGE_CACHE_SECONDS
    if boundary is not None:
        expires = min(expires, boundary)
    entry = (now, expires, value)
    cache.set(key, entry, max(1, int(expires - now) + 1))
    if keep_in_process:
        _process_fragments[name] = (key, entry)
    return value


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
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        entry = found.get(key)
        if version is not None and entry is not None:
            stored_version, stored_at, expires, status, headers, content = entry
            if stored_version == version and stored_at <= now < expires:
                return self.from_cache(request, now, expires, status, headers, content)
        if version is None:
            version = content_version()
        # The boundary is taken before rendering: the page shows the state at some time >= now,
        # which stays right until the first boundary after now.
        boundary = next_boundary(now, version)
        response = self.get_response(request)
        if self.storable(request, response):
            expires = now + settings.PAGE_CACHE_SECONDS
            if boundary is not None:
                expires = min(expires, boundary)
            self.store(cache, key, version, now, expires, response)
            response = self.prepared(request, response, _now(), expires)
        response["X-Page-Cache"] = "miss"
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

    def store(self, cache, key, version, now, expires, response) -> None:
        if "ETag" not in response:
            response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=12).hexdigest() + '"'
        if "Last-Modified" not in response:
            response["Last-Modified"] = http_date(now)
        headers = [(name, value) for name, value in response.items() if name.lower() not in ("cache-control", "age")]
        entry = (version, now, expires, response.status_code, headers, response.content)
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
            if conditional is None or name.lower() in ("etag", "last-modified", "vary"):
                response[name] = value
        response["Cache-Control"] = cache_control(_cdn_seconds(now, expires))
        response["X-Page-Cache"] = "hit"
        return response
