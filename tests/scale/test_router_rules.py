"""The replica router's rules, in one process (tests/scale/test_scale_out.py checks them on real servers)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from newsroom.db_router import ReplicaRouter, may_read_replica, parse_lsn, record_content_fence
from releases.models import Release

factory = RequestFactory()


def test_wal_positions_compare_like_postgresql_does():
    assert parse_lsn("0/3000148") == 0x3000148
    assert parse_lsn("16/B374D848") > parse_lsn("15/FFFFFFFF")
    assert parse_lsn(None) == 0


@pytest.mark.parametrize(
    ("method", "path", "cookies", "headers", "replica"),
    [
        ("GET", "/fr/communiques/", {}, {}, True),
        ("HEAD", "/fr/", {}, {}, True),
        ("GET", "/media-files/renditions/ab/abc/640.webp", {}, {}, True),
        ("POST", "/fr/communiques/", {}, {}, False),
        ("GET", "/fr/communiques/", {"sessionid": "x"}, {}, False),
        ("GET", "/fr/communiques/", {"newsroom_primary": "1"}, {}, False),
        ("GET", "/fr/communiques/", {}, {"HTTP_AUTHORIZATION": "Bearer x"}, False),
        ("GET", "/admin/releases/release/", {}, {}, False),
        ("GET", "/staff/photos/1/original", {}, {}, False),
        ("GET", "/fr/communiques/apercu/4/", {}, {}, False),
    ],
)
def test_only_anonymous_public_reads_may_use_a_replica(method, path, cookies, headers, replica):
    request = factory.generic(method, path, **headers)
    request.COOKIES.update(cookies)
    assert may_read_replica(request) is replica


def test_outside_a_request_everything_goes_to_the_primary():
    """Workers, management commands and migrations never read a replica."""
    router = ReplicaRouter()
    assert router.db_for_read(Release) == "default"
    assert router.db_for_write(Release) == "default"
    assert router.allow_migrate("default", "releases") is True
    assert router.allow_migrate("replica1", "releases") is False


@pytest.mark.django_db
def test_a_content_change_fences_the_replicas_once_per_transaction_and_only_if_there_are_some(
    settings, django_capture_on_commit_callbacks
):
    from newsroom.db_router import _store_fence

    with django_capture_on_commit_callbacks() as callbacks:
        record_content_fence()
    assert _store_fence not in callbacks, "without replicas, nothing is queued"

    settings.DATABASE_REPLICAS = ["replica1"]
    with django_capture_on_commit_callbacks() as callbacks:
        record_content_fence()
        record_content_fence()
    assert callbacks.count(_store_fence) == 1


def test_a_fence_on_hold_keeps_every_replica_out_and_the_fence_never_falls_back():
    from django.core.cache import cache

    from newsroom.db_router import FENCE_HOLD_KEY, current_fence, raise_fence

    raise_fence(cache, 500)
    raise_fence(cache, 300)
    assert current_fence() == 500
    cache.set(FENCE_HOLD_KEY, True, 5)  # what a failure to read the primary's position leaves
    assert current_fence() == float("inf")
