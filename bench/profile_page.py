"""Where the server time of one page goes, at 100,000 releases: SQL against Python, and a profile.

    NEWSROOM_DATABASE=newsroom_bench .venv/bin/python bench/profile_page.py [URL] [--runs 50] [--profile] [--host H]

Without a URL it takes the release page that ``bench/run.py`` measures (a release with 20 photos or
more). Each request goes through the whole Django stack (test client, all middleware) with the page
cache off, after one warm-up request. Prints the median server time, the median time spent in SQL
(measured around each query), the median CPU time of the Python process (what rendering costs,
less sensitive to other work on the machine than the wall-clock time) and the number of queries;
with ``--profile``, a pyinstrument profile of all the runs (the hot spots of rendering).
``--rebuild-fragments`` measures a page whose shared fragments (filter choices, release article)
must be built again, as after any saved change. ``--host bench-org-0.localhost`` asks at a ministry's
site (``generate_bench_data`` makes one for each of the first 20 ministries).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("NEWSROOM_DATABASE", "newsroom_bench")
os.environ["PAGE_CACHE"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,.localhost")


def default_url() -> str:
    from django.db.models import Count

    from releases.models import Release

    public = Release.objects.public().order_by("-publish_at", "-id")
    with_photos = public.filter(gallery__isnull=False).annotate(n=Count("gallery__items")).filter(n__gte=20)
    return (with_photos.first() or public.first()).get_absolute_url()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of the runs")
    parser.add_argument(
        "--rebuild-fragments",
        action="store_true",
        help="bump the content version before each request: the filter choices and the release article are "
        "built every time (the cost of the first request after a change)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="the site asked (default: the portal, 127.0.0.1)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    # Not setup_test_environment(): it instruments template rendering (a copy of the context per
    # template) and would measure the test tooling. A host of the default ALLOWED_HOSTS instead.
    url = args.url or default_url()
    client = Client(HTTP_HOST=args.host)
    if url.startswith("/admin/"):
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        client.force_login(user)
    assert client.get(url).status_code == 200, url
    totals, cpu_times, sql_times, counts = [], [], [], []
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
    from core.pagecache import bump_version

    for _ in range(args.runs):
        if args.rebuild_fragments:
            bump_version()
        spent = [0.0, 0]

        def timed(execute, sql, params, many, context, spent=spent):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - started
                spent[1] += 1

        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timed):
            response = client.get(url)
        totals.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        sql_times.append(spent[0] * 1000)
        counts.append(spent[1])
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{url}  ({len(response.content):,} bytes, {args.runs} runs)")
    print(f"server time median {statistics.median(totals):.1f} ms (best {min(totals):.1f} ms)")
    print(f"CPU time of this process median {statistics.median(cpu_times):.1f} ms (best {min(cpu_times):.1f} ms)")
    print(f"SQL median {statistics.median(sql_times):.1f} ms in {statistics.median(counts):.0f} queries")
    print(f"outside SQL median {statistics.median(t - s for t, s in zip(totals, sql_times, strict=True)):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
