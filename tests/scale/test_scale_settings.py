"""The scale-out settings: what each variable selects, and what is refused with a clear message."""

from __future__ import annotations

import json

from tests.test_settings import manage

SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'databases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS, 'middleware': s.MIDDLEWARE[:2],"
    "'replica': {k: s.DATABASES['replica1'][k] for k in ('HOST', 'PORT', 'NAME')}"
    " if 'replica1' in s.DATABASES else None,"
    "'cache': s.CACHES['default']['BACKEND'], 'prefix': s.CACHES['default']['KEY_PREFIX'],"
    "'storage': s.STORAGES['default']['BACKEND'], 'serve': s.PHOTO_SERVE_MODE}))"
)


def show(**env) -> dict:
    result = manage("shell", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_the_new_variables_nothing_changes():
    found = show(DATABASE_REPLICA_URLS="", CACHE_URL="", AWS_STORAGE_BUCKET_NAME="", NEWSROOM_RELEASE="r1")
    assert found["databases"] == ["default"]
    assert found["routers"] == []
    assert found["middleware"][0] == "core.pagecache.PageCacheMiddleware"
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"
    assert found["serve"] == "django"
    assert found["prefix"] == "newsroom:r1"


def test_replicas_redis_and_a_bucket_are_selected_by_their_variables():
    found = show(
        DATABASE_REPLICA_URLS="postgres://reader@10.0.0.2:5433/newsroom, postgres://reader@10.0.0.3/newsroom",
        CACHE_URL="redis://127.0.0.1:6379/1",
        CACHE_KEY_PREFIX="ministere",
        NEWSROOM_RELEASE="2026.11.28",
        AWS_STORAGE_BUCKET_NAME="newsroom-photos",
        AWS_S3_ENDPOINT_URL="https://s3.example.lu",
    )
    assert found["databases"] == ["default", "replica1", "replica2"]
    assert found["replica"] == {"HOST": "10.0.0.2", "PORT": 5433, "NAME": "newsroom"}
    assert found["routers"] == ["newsroom.db_router.ReplicaRouter"]
    assert found["middleware"] == [
        "newsroom.db_router.ReplicaRoutingMiddleware",
        "core.pagecache.PageCacheMiddleware",
    ]
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["prefix"] == "ministere:2026.11.28", "a new deployment starts with fresh cache keys"
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["serve"] == "redirect"


def test_a_replica_that_is_not_postgresql_is_refused():
    result = manage("check", DATABASE_REPLICA_URLS="mysql://reader@10.0.0.2/newsroom")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS must list postgres://" in result.stderr


def test_serving_modes_that_need_local_files_are_refused_with_object_storage():
    result = manage("check", AWS_STORAGE_BUCKET_NAME="newsroom-photos", PHOTO_SERVE_MODE="x-accel-redirect")
    assert result.returncode != 0
    assert "needs files on the local disk" in result.stderr
    result = manage("check", AWS_STORAGE_BUCKET_NAME="", PHOTO_SERVE_MODE="redirect")
    assert result.returncode != 0
    assert "needs object storage" in result.stderr
    result = manage("check", PHOTO_SERVE_MODE="ftp")
    assert result.returncode != 0
    assert "PHOTO_SERVE_MODE must be" in result.stderr
