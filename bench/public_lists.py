"""Server time of the public list, filter and search pages with 100,000 releases in four languages.

    .venv/bin/python bench/public_lists.py [--releases 100000] [--runs 25]

Builds a throw-away database (``bench_newsroom``, dropped at the end), fills it with releases whose
text is drawn from the demo release, then times each page through Django's test client (server
time: URL resolution, SQL, template rendering) and prints the median and the 90th percentile.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_newsroom")
os.environ["PAGE_CACHE"] = "0"  # server time of rendering, not of the page cache

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

WORDS = [
    "migration",
    "asile",
    "protection",
    "temporaire",
    "Ukraine",
    "intelligence",
    "artificielle",
    "deepfakes",
    "criminalité",
    "organisée",
    "stupéfiants",
    "ports",
    "coopération",
    "policière",
    "ministres",
    "réunion",
    "informelle",
    "Conseil",
    "justice",
    "affaires",
    "intérieures",
    "éléments",
    "Schengen",
    "patrouilles",
    "communes",
    "trains",
    "frontaliers",
    "agence",
    "européenne",
    "données",
    "numériques",
]
GERMAN = [
    "Migration",
    "Asyl",
    "Schutz",
    "Häfen",
    "Kriminalität",
    "Zusammenarbeit",
    "Polizei",
    "Minister",
    "Treffen",
    "Daten",
]


FILLER = [f"mot{n}" for n in range(20_000)]


def text(rng, n):
    """Mostly filler words (a large vocabulary, as in real prose), with a theme word now and then."""
    return " ".join(rng.choice(WORDS) if rng.random() < 0.02 else rng.choice(FILLER) for _ in range(n))


def german(rng, n):
    return " ".join(rng.choice(GERMAN) if rng.random() < 0.02 else rng.choice(FILLER) for _ in range(n))


def populate(count: int) -> None:
    from core.models import Tag, TaggedItem
    from newsroom.demo.loader import load_demo
    from people.models import Organisation
    from releases.models import Release, ReleaseOrganisation, refresh_organisation_ids
    from releases.search import update_search_vectors

    demo = load_demo()
    rng = random.Random(42)
    orgs = list(Organisation.objects.all())
    tags = list(Tag.objects.all())
    now = timezone.now()
    batch = 5000
    from django.contrib.contenttypes.models import ContentType

    release_type = ContentType.objects.get_for_model(Release)
    appointments = list(demo.appointments.all())
    for start in range(0, count, batch):
        rows = []
        for n in range(start, min(count, start + batch)):
            fields = {
                "title_fr": f"{text(rng, 8)} {n}",
                "slug_fr": f"bench-{n}",
                "lead_fr": text(rng, 25),
                "body_fr": f"<p>{text(rng, 200)}</p>",
                "status": "published",
                "publish_at": now - timedelta(minutes=7 * n + 1),
                "first_published_at": now - timedelta(minutes=7 * n + 1),
                "kind": rng.choice(["communique", "communique", "speech", "article"]),
            }
            if n % 2:
                fields |= {"title_de": f"{german(rng, 8)} {n}", "slug_de": f"bench-de-{n}"}
                fields |= {"body_de": f"<p>{german(rng, 150)}</p>"}
            if n % 3 == 0:
                fields |= {"title_en": f"English title {n}", "slug_en": f"bench-en-{n}", "body_en": "<p>ports</p>"}
            if n % 5 == 0:
                fields |= {"title_lb": f"Lëtzebuergesch {n}", "slug_lb": f"bench-lb-{n}", "body_lb": "<p>Hafen</p>"}
            rows.append(Release(**fields))
        created = Release.objects.bulk_create(rows)
        ReleaseOrganisation.objects.bulk_create(
            ReleaseOrganisation(release=r, organisation=rng.choice(orgs), position=1) for r in created
        )
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=release_type, object_id=r.pk, tag=rng.choice(tags)) for r in created
        )
        Release.appointments.through.objects.bulk_create(
            Release.appointments.through(release=r, appointment=rng.choice(appointments)) for r in created
        )
        print(f"  {start + len(created)} releases", file=sys.stderr)
    update_search_vectors(Release.objects.all())
    refresh_organisation_ids(Release.objects.all())  # bulk_create sends no signal
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    args = parser.parse_args()
    setup_test_environment()  # allows the test client's host and records response.context
    config = setup_databases(verbosity=0, interactive=False, keepdb=args.keep)
    try:
        from releases.models import Release

        if Release.objects.count() < args.releases:
            started = time.perf_counter()
            populate(args.releases)
            print(f"populated {args.releases} releases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        client = Client()
        first = client.get("/fr/communiques/")
        deep = {"page": 500}
        from releases.filters import encode_cursor

        middle = Release.objects.public().order_by("-publish_at", "-id")[args.releases - 40]
        urls = [
            "/fr/communiques/",
            "/fr/communiques/?" + "&".join(f"{k}={v}" for k, v in first.context["page"].next_params.items()),
            f"/fr/communiques/?before={encode_cursor(middle)}",
            f"/fr/communiques/?page={deep['page']}",
            "/fr/communiques/?organisation=maint&kind=communique",
            "/fr/communiques/?tag=asile&date_from=2024-01-01",
            "/fr/communiques/?person=leon-gloden",
            "/fr/recherche/?q=protection+temporaire",
            "/fr/recherche/?q=elements+-ports",
            '/de/recherche/?q="organisierte+Kriminalität"+or+Häfen',
            "/fr/communiques/?q=deepfakes&organisation=maint",
        ]
        print(f"{'page':75} {'median ms':>10} {'p90 ms':>8}  status")
        for url in urls:
            median, p90, status = measure(client, url, args.runs)
            print(f"{url[:75]:75} {median:10.1f} {p90:8.1f}  {status}")
    finally:
        if not args.keep:
            teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
