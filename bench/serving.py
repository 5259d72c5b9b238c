"""Requests per second for a public rendition file through Django, and through the X-Accel mode.

    .venv/bin/python bench/serving.py [--requests 2000]

Runs against a throw-away database (``bench_newsroom`` on the same PostgreSQL: embedded or
``DATABASE_URL``) and a temporary MEDIA_ROOT: a published gallery with one photo and its renditions.
Each request goes through the whole Django stack with the test client (middleware, URL routing,
the one visibility query, the file response), in one process, as one gunicorn worker would.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["TEST_DATABASE_NAME"] = "bench_newsroom"
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="newsroom-bench-")
os.environ.setdefault("LOG_LEVEL", "ERROR")
# Production settings: no debug 404 pages, no query log kept in memory.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ.setdefault("CONN_MAX_AGE", "600")  # persistent connections, as in production


def measure(client, url: str, count: int, *, stream: bool) -> tuple[float, float, int]:
    """(requests per second, median milliseconds, status) over ``count`` sequential requests."""
    durations = []
    status = 0
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url)
        if stream and response.status_code == 200:
            for _chunk in response.streaming_content:
                pass
            response.close()
        durations.append(time.perf_counter() - start)
        status = response.status_code
    return count / sum(durations), statistics.median(durations) * 1000, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from bench.photos import photographic_jpeg
    from core.publication import Status
    from media.models import GalleryItem
    from media.services import photo_create_from_upload
    from media.tasks import photo_generate_renditions

    setup_test_environment()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s are the point of one case
    from django.test.utils import override_settings

    # No collectstatic here: the 404 page links plain static names.
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}).enable()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from media.models import Gallery

        photo = photo_create_from_upload(
            file=ContentFile(photographic_jpeg(2400, 1600), name="bench.jpg"), fields={"credit": "©MAINT"}
        )
        photo_generate_renditions(photo=photo)
        gallery = Gallery.objects.create(
            title_fr="Banc d'essai", slug="banc", status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(1)
        )
        GalleryItem.objects.create(gallery=gallery, photo=photo, position=1)
        hidden = photo_create_from_upload(
            file=ContentFile(photographic_jpeg(800, 600), name="hidden.jpg"), fields={"credit": "©MAINT"}
        )
        photo_generate_renditions(photo=hidden)

        def url(p, width=640, fmt="webp"):
            rendition = p.renditions.get(width=width, format=fmt)
            return reverse("rendition-file", kwargs={"name": rendition.file.name.removeprefix("renditions/")}), (
                rendition.size_bytes
            )

        client = Client()
        public_url, size = url(photo)
        hidden_url, _ = url(hidden)
        measure(client, public_url, 50, stream=True)  # warm-up: connections, templates, URL resolver
        print(f"Machine: {os.cpu_count()} CPUs; {args.requests} sequential requests per case, one process")
        cases = [
            ("django (FileResponse)", "django", public_url, True),
            ("x-accel-redirect (headers only)", "x-accel-redirect", public_url, False),
            ("not public: 404", "django", hidden_url, False),
        ]
        # Interleaved rounds, so a burst of load from elsewhere on the machine hits every case alike.
        totals = {label: [] for label, *_rest in cases}
        rounds = 10
        for _round in range(rounds):
            for label, mode, target, stream in cases:
                settings.PHOTO_SERVE_MODE = mode
                totals[label].append(measure(client, target, max(1, args.requests // rounds), stream=stream))
        for label, *_rest in cases:
            rates = [rate for rate, _median, _status in totals[label]]
            medians = [median for _rate, median, _status in totals[label]]
            status = totals[label][-1][2]
            print(
                f"{label:34} {statistics.median(rates):6.0f} req/s (best round {max(rates):4.0f}), "
                f"median {statistics.median(medians):5.2f} ms, status {status}, {size // 1024} KiB file"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
