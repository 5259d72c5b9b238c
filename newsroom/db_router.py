"""Read replicas: anonymous public reads go to a streaming replica, everything else to the primary.

Active only with ``DATABASE_REPLICA_URLS`` (settings add the aliases ``replica1``, ``replica2``... and
this router and middleware); without it nothing here runs.

Who reads where:

* :class:`ReplicaRoutingMiddleware` decides per request, from the method and cookies alone: a GET or
  HEAD without a session cookie, without ``Authorization``, outside the admin, staff files and previews,
  and without the *pin cookie* may read from a replica. Which one is chosen at the request's first
  read (:class:`ReplicaChoice`), so a page served from the page cache costs nothing more. Everything
  else (writes, the admin, signed-in users, previews) reads the primary. So do the workers,
  management commands and migrations: outside a request that allowed it, :class:`ReplicaRouter`
  always answers ``default``.
* Read your own writes: any request that is not GET, HEAD or OPTIONS gets the pin cookie, so that the
  same client reads the primary for ``DATABASE_REPLICA_PIN_SECONDS``.
* Nobody reads the past: after any content change commits (:func:`record_content_fence`, called by the
  page cache's ``content_changed``), the primary's WAL position is kept in the shared cache as the
  *fence*. A replica is used only if it has replayed up to the fence, so an editor postponing an
  embargo, withdrawing or correcting a release is seen at once by every visitor on every app
  process, whatever the replica's lag. ``public()`` compares with the application's clock, never the
  database's, so a replica can only be behind in data, and the fence bounds that to nothing.
* A replica that does not answer, is not in recovery (promoted), lags more than
  ``DATABASE_REPLICA_MAX_LAG_SECONDS`` or is behind the fence is skipped; its state is checked again at
  most every ``DATABASE_REPLICA_CHECK_SECONDS``. With every replica skipped, reads go to the primary.
  A replica that fails in the middle of a request (a query error on its connection) is marked down and
  the request is answered again from the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
FENCE_KEY = "db:replica-fence"
FENCE_HOLD_KEY = "db:replica-fence-hold"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReplicaChoice:
    """The replica a request reads from, chosen at its first read (a page served from the page cache
    makes none, and so costs nothing here)."""

    def __init__(self):
        self.decided = False
        self.alias: str | None = None

    def read_alias(self) -> str:
        if not self.decided:
            self.decided = True
            self.alias = pick_replica()
        return self.alias or PRIMARY


#: The current request's choice, when it may read from a replica; None (the primary) otherwise and
#: outside requests.
_choice: contextvars.ContextVar[ReplicaChoice | None] = contextvars.ContextVar("newsroom_replica", default=None)


@dataclass
class ReplicaState:
    usable: bool
    replay_lsn: int
    lag_seconds: float
    checked_at: float
    reason: str = ""


#: Last known state of each replica, per process.
_states: dict[str, ReplicaState] = {}


def parse_lsn(text: str | None) -> int:
    """A PostgreSQL ``pg_lsn`` ("16/B374D848") as a number that compares like the position."""
    if not text:
        return 0
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


# --- the fence: no replica behind the last content change ------------------------------------------


def record_content_fence(**kwargs) -> None:
    """After the current transaction commits, remember the primary's WAL position in the shared cache."""
    if not settings.DATABASE_REPLICAS:
        return
    from django.db import transaction

    connection = connections[PRIMARY]
    if connection.in_atomic_block:
        open_savepoints = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if func is _store_fence and set(sids) <= open_savepoints:
                return  # one per transaction is enough
    transaction.on_commit(_store_fence, using=PRIMARY)


#: Redis: raise the fence atomically, never lower it (two app processes may store out of order).
RAISE_FENCE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
"""


def _store_fence() -> None:
    cache = _cache()
    try:
        with connections[PRIMARY].cursor() as cursor:
            # The insert position: past the commit record even with synchronous_commit off.
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            lsn = parse_lsn(cursor.fetchone()[0])
    except DatabaseError:
        # The change is committed but its position unknown: no replica is read for a while.
        logger.exception("Could not read the primary's WAL position; replicas are skipped for a while")
        cache.set(FENCE_HOLD_KEY, True, max(1, int(settings.DATABASE_REPLICA_MAX_LAG_SECONDS)))
        return
    raise_fence(cache, lsn)


def raise_fence(cache, lsn: int) -> None:
    client = getattr(cache, "_cache", None)
    if isinstance(cache, RedisCache) and client is not None:
        key = cache.make_and_validate_key(FENCE_KEY)
        client.get_client(key, write=True).eval(RAISE_FENCE, 1, key, lsn)
    elif (cache.get(FENCE_KEY) or 0) < lsn:  # other caches: one machine, a race of a few microseconds
        cache.set(FENCE_KEY, lsn, None)


def current_fence() -> float:
    """The WAL position every replica must have replayed before it is read (infinite while on hold)."""
    found = _cache().get_many([FENCE_KEY, FENCE_HOLD_KEY])
    if found.get(FENCE_HOLD_KEY):
        return float("inf")
    return found.get(FENCE_KEY) or 0


# --- replica health ---------------------------------------------------------------------------------

HEALTH_QUERY = """
SELECT pg_is_in_recovery(),
       pg_last_wal_replay_lsn()::text,
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)
       END
"""


def check_replica(alias: str) -> ReplicaState:
    """Ask the replica where it is. A failure to connect or to answer marks it unusable."""
    now = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(HEALTH_QUERY)
            in_recovery, replay_lsn, lag = cursor.fetchone()
    except DatabaseError as error:
        _close_quietly(alias)
        state = ReplicaState(False, 0, float("inf"), now, f"unreachable: {error}".strip())
    else:
        lag = float(lag or 0)
        if not in_recovery:
            state = ReplicaState(False, 0, lag, now, "not in recovery (promoted?)")
        elif lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
            state = ReplicaState(False, parse_lsn(replay_lsn), lag, now, f"lagging {lag:.1f} s")
        else:
            state = ReplicaState(True, parse_lsn(replay_lsn), lag, now)
    previous = _states.get(alias)
    if previous is None or previous.usable != state.usable:
        log = logger.info if state.usable else logger.warning
        log("Replica %s is %s", alias, "in use" if state.usable else f"skipped: {state.reason}")
    _states[alias] = state
    return state


def _close_quietly(alias: str) -> None:
    with contextlib.suppress(DatabaseError):
        connections[alias].close()


def mark_down(alias: str, reason: str) -> None:
    _states[alias] = ReplicaState(False, 0, float("inf"), time.monotonic(), reason)
    _close_quietly(alias)
    logger.warning("Replica %s is skipped: %s", alias, reason)


def pick_replica() -> str | None:
    """A replica fit to read from now, or None when every one is down, lagging or behind the fence."""
    fence = current_fence()
    aliases = list(settings.DATABASE_REPLICAS)
    random.shuffle(aliases)
    now = time.monotonic()
    for alias in aliases:
        state = _states.get(alias)
        stale = state is None or now - state.checked_at >= settings.DATABASE_REPLICA_CHECK_SECONDS
        # Behind the fence a moment ago: it may have caught up since; asking costs one tiny query.
        if stale or (state.usable and state.replay_lsn < fence):
            state = check_replica(alias)
        if state.usable and state.replay_lsn >= fence:
            try:
                connections[alias].ensure_connection()
            except DatabaseError as error:
                mark_down(alias, f"unreachable: {error}")
                continue
            return alias
    return None


# --- the router and the middleware ------------------------------------------------------------------


class ReplicaRouter:
    """Reads go where the current request allows (a replica or the primary); everything else to the primary."""

    def db_for_read(self, model, **hints):
        choice = _choice.get()
        return PRIMARY if choice is None else choice.read_alias()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas are copies of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def may_read_replica(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or settings.DATABASE_REPLICA_PIN_COOKIE in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path
    return not (path.startswith(("/" + settings.ADMIN_PATH, "/staff/")) or "/apercu/" in path)


class ReplicaRoutingMiddleware:
    """Lets anonymous public reads use a replica; pins a client that writes to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.answer_from_replica(request) if may_read_replica(request) else self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                settings.DATABASE_REPLICA_PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def answer_from_replica(self, request):
        failures: list[BaseException] = []

        def watch(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except (OperationalError, InterfaceError) as error:
                failures.append(error)
                raise

        choice = ReplicaChoice()
        token = _choice.set(choice)
        try:
            with contextlib.ExitStack() as watching:
                for alias in settings.DATABASE_REPLICAS:
                    watching.enter_context(connections[alias].execute_wrapper(watch))
                response = self.get_response(request)
        finally:
            _choice.reset(token)
        if failures and choice.alias is not None:
            # The replica went away under this request: answer again from the primary (a GET or HEAD).
            mark_down(choice.alias, f"failed during a request: {failures[0]}")
            response = self.get_response(request)
        return response
