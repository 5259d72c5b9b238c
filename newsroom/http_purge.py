"""Purging the HTTP caches in front of the newsroom by cache tag: Varnish and a CDN.

Every cacheable page names what it shows in its ``Cache-Tag`` header (``release:12 person:7
list:releases``). After a change has committed, the kernel sends ``core.signals.cache_tags_purged``
with the tags of what changed (or ``everything``); :func:`purge`, connected to it in
``NewsroomConfig.ready()``, passes them on:

* to each Varnish of ``VARNISH_URLS``: an HTTP ``BAN`` request with ``X-Purge-Tags: release:12
  list:releases`` (or ``X-Purge-All: 1``), which ``deploy/varnish/newsroom.vcl`` turns into a ban on
  ``obj.http.Cache-Tag``; tags are sent in batches that keep the header under
  :data:`VARNISH_HEADER_CHARS` characters (Varnish refuses request headers over 8 KB by default);
* to a CDN's tag-purge API at ``CDN_PURGE_URL``: a ``POST`` of ``{"tags": [...]}`` (at most
  ``CDN_PURGE_BATCH`` tags per call) or ``{"purge_everything": true}`` with
  ``Authorization: Bearer CDN_PURGE_TOKEN``: the shape of Cloudflare's ``purge_cache`` endpoint.

Varnish is sent the same bans again ``HTTP_PURGE_REPEAT_SECONDS`` later (2), from a timer thread: a
page finished from the old data just before the purge may reach Varnish just after the first ban.
(A page built while its tags were purged is sent with ``s-maxage=0`` by the page cache and never
kept.) The CDN's API, rate-limited, is called once.

A purge never breaks a save: each request has a short timeout (``HTTP_PURGE_TIMEOUT``), is tried a
second time once if it fails, and a failure is logged, never raised. A page that could not be purged
still leaves every cache within its ``s-maxage`` (at most ``PAGE_CACHE_CDN_SECONDS``).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator

from django.conf import settings

logger = logging.getLogger("newsroom.http_purge")

#: Longest ``X-Purge-Tags`` value sent to Varnish (its ``http_req_hdr_len`` is 8 KB by default).
VARNISH_HEADER_CHARS = 4000
#: What a tag may hold: the VCL refuses anything else (no regular-expression character gets in a ban).
TAG = re.compile(r"[A-Za-z0-9:_-]+")
RETRY_PAUSE = 0.1


def purge(sender=None, *, tags: Iterable[str] = frozenset(), everything: bool = False, **kwargs) -> None:
    """Ban ``tags`` (or everything) in every configured Varnish and at the CDN; in Varnish once more
    ``HTTP_PURGE_REPEAT_SECONDS`` later. Never raises."""
    requests = purge_requests(tags, everything)
    if not requests:
        return
    _send_all(requests)
    bans = [request for request in requests if request[0] == "BAN"]
    if bans and settings.HTTP_PURGE_REPEAT_SECONDS > 0:
        # The page cache sends a page built while its tags were purged with s-maxage=0, so Varnish does
        # not keep it; but one finished just before the purge can still reach Varnish just after the
        # ban (a millisecond's window). Bans are cheap: ban once more when such answers are over.
        # (A CDN's API is rate-limited: it is called once.) A non-daemon thread: a command that saved
        # waits for it before exiting.
        repeat = threading.Timer(settings.HTTP_PURGE_REPEAT_SECONDS, _send_all, [bans])
        repeat.name = "newsroom-purge-repeat"
        repeat.start()


def purge_requests(tags: Iterable[str], everything: bool) -> list[tuple[str, str, dict[str, str], bytes | None]]:
    """The requests that purge ``tags`` (or everything): ``(method, url, headers, body)``."""
    if not settings.VARNISH_URLS and not settings.CDN_PURGE_URL:
        return []
    tags = sorted(set(tags))
    odd = [tag for tag in tags if not TAG.fullmatch(tag)]
    if odd:
        logger.warning("Cache tags %s cannot be banned one by one: purging everything instead.", odd[:5])
        everything = True
    if not tags and not everything:
        return []
    requests = []
    for base in settings.VARNISH_URLS:
        if everything:
            requests.append(("BAN", base, {"X-Purge-All": "1"}, None))
        else:
            for batch in header_batches(tags, VARNISH_HEADER_CHARS):
                requests.append(("BAN", base, {"X-Purge-Tags": " ".join(batch)}, None))
    if settings.CDN_PURGE_URL:
        size = settings.CDN_PURGE_BATCH
        bodies = (
            [{"purge_everything": True}]
            if everything
            else [{"tags": tags[start : start + size]} for start in range(0, len(tags), size)]
        )
        headers = {"Content-Type": "application/json"}
        if settings.CDN_PURGE_TOKEN:
            headers["Authorization"] = f"Bearer {settings.CDN_PURGE_TOKEN}"
        for body in bodies:
            requests.append(("POST", settings.CDN_PURGE_URL, headers, json.dumps(body).encode()))
    return requests


def _send_all(requests) -> None:
    for method, url, headers, body in requests:
        _send(method, url, headers=headers, body=body)


def header_batches(tags: list[str], limit: int) -> Iterator[list[str]]:
    """``tags`` in consecutive batches whose space-separated length stays within ``limit``."""
    batch: list[str] = []
    length = 0
    for tag in tags:
        added = len(tag) + (1 if batch else 0)
        if batch and length + added > limit:
            yield batch
            batch, length, added = [], 0, len(tag)
        batch.append(tag)
        length += added
    if batch:
        yield batch


def _send(method: str, url: str, *, headers: dict[str, str], body: bytes | None = None) -> bool:
    """One purge request, tried twice at most; ``False`` (and a logged error) if both failed."""
    for attempt in (1, 2):
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=settings.HTTP_PURGE_TIMEOUT) as response:
                response.read()
                return True
        except urllib.error.HTTPError as error:
            problem = f"{error.code} {error.reason}"
        except Exception as error:  # noqa: BLE001 - a purge must never break the save that caused it
            problem = repr(error)
        if attempt == 1:
            time.sleep(RETRY_PAUSE)
    logger.error("Cache purge failed twice: %s %s (%s): %s", method, url, _summary(headers, body), problem)
    return False


def _summary(headers: dict[str, str], body: bytes | None) -> str:
    shown = {name: value for name, value in headers.items() if name.lower() != "authorization"}
    text = json.dumps(shown) + (f" {body[:200].decode(errors='replace')}" if body else "")
    return text[:300]
