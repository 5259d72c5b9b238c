"""Every query of the main public pages and the admin change list uses an index at 100,000 releases.

    NEWSROOM_DATABASE=newsroom_bench .venv/bin/python bench/explain.py [--analyze] [--runs 9] [--site bench-org-0]

Runs against a database filled by ``manage.py generate_bench_data --releases 100000`` (by default
the ``newsroom_bench`` database of the embedded server, as ``bench/run.py`` leaves it). Each page is
requested through the whole Django stack with the page cache off; every SELECT it sent is then
EXPLAINed. The script fails (exit status 1) if any plan reads ``releases_release`` with a
sequential scan, and prints the server time of each page (median of ``--runs``).

``--site bench-org-0`` asks the same questions of a ministry's site instead (the list, every filter,
search in the four languages, the home, person, organisation and tag pages, the feed and the API, at
``bench-org-0.localhost``, with a tag, person and co-issuer taken from that site's own releases):
``generate_bench_data`` gives the first 20 ministries a site each.

``--cold`` moves the content version before each request, so that every fragment a page keeps
(list entries, a search's ranked ids and snippets, a person's profile, the home page's ministries) is
built again, as on the first request after a change or for a search nobody made yet; only the filter
choices the page validates against are built again first, untimed (a request with an invalid filter
builds them: their cost, that of the first request after a publication, is measured apart).

``--alerts`` prints instead the plan of the query that finds the subscriptions a release matches (one
indexed query on ``alerts_subscription.keys``), on the database ``bench/alerts.py`` fills.

``tests/bench/test_plans.py`` runs the same check on a small data set, with sequential scans
disabled (a tiny table is best read whole): it proves that an index can serve every query.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RELEASES_TABLE = "releases_release"


def seq_scans(plan: dict, table: str = RELEASES_TABLE) -> list[dict]:
    """The sequential scans of ``table`` anywhere in an EXPLAIN (FORMAT JSON) plan tree."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") == table:
        found.append(plan)
    for child in plan.get("Plans", []):
        found += seq_scans(child, table)
    return found


def main_urls() -> list[tuple[str, str]]:
    from people.models import Organisation
    from releases.filters import encode_cursor
    from releases.models import Release

    person = busiest_person()
    organisation = Organisation.objects.filter(slug__startswith="bench-").order_by("slug").first()
    tag = busiest_tag()
    public = Release.objects.public().order_by("-publish_at", "-id")
    total = public.count()
    deep = public[max(0, total - 40)]
    first = public[19]
    return [
        ("list", "/fr/communiques/"),
        ("next page", f"/fr/communiques/?before={encode_cursor(first)}"),
        ("deep page (cursor)", f"/fr/communiques/?before={encode_cursor(deep)}"),
        ("deep page (?page=500)", "/fr/communiques/?page=500"),
        ("filter: organisation", f"/fr/communiques/?organisation={organisation.slug}"),
        ("filter: kind", "/fr/communiques/?kind=communique"),
        ("filter: tag", f"/fr/communiques/?tag={tag}"),
        ("filter: person", f"/fr/communiques/?person={person.slug}"),
        ("filter: dates", "/fr/communiques/?date_from=2024-01-01&date_to=2024-03-31"),
        ("filter: organisation + tag", f"/fr/communiques/?organisation={organisation.slug}&tag={tag}"),
        ("search fr", "/fr/recherche/?q=coopération+européenne"),
        ("search fr + organisation", f"/fr/communiques/?q=sécurité&organisation={organisation.slug}"),
        ("search de", "/de/recherche/?q=Zusammenarbeit"),
        ("search en", "/en/recherche/?q=cooperation"),
        ("search lb", "/lb/recherche/?q=Regierung"),
        ("person page", f"/fr/personnes/{person.slug}/"),
        ("organisation page", f"/fr/organisations/{organisation.slug}/"),
        ("tag page", f"/fr/themes/{tag}/"),
        ("home", "/fr/"),
        ("feed", "/fr/communiques/flux/rss/"),
        ("admin change list", "/admin/releases/release/"),
        ("admin change list, search", "/admin/releases/release/?q=coopération"),
    ]


def ministry_site_urls(site) -> list[tuple[str, str]]:
    """The list, filters and search of a ministry's site, with values its own releases hold."""
    from django.db.models import Count

    from core.models import Tag, TaggedItem
    from people.models import Organisation, Person
    from releases.filters import encode_cursor
    from releases.models import Release, ReleaseOrganisation

    public = Release.objects.public().on_site(site).order_by("-publish_at", "-id")
    total = public.count()
    deep, first = public[max(0, total - 40)], public[19]
    own = site.organisation
    carried = Release.objects.on_site(site)
    co_issuer = Organisation.objects.get(
        pk=ReleaseOrganisation.objects.filter(release__in=carried)
        .exclude(organisation=own)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["organisation"]
    )
    tag = Tag.objects.get(
        pk=TaggedItem.objects.filter(content_type__model="release", object_id__in=carried.values("pk"))
        .values("tag")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["tag"]
    )
    mentions = Release.appointments.through.objects.filter(release__in=carried)
    person = Person.objects.get(
        pk=mentions.values("appointment__person").annotate(n=Count("id")).order_by("-n")[0]["appointment__person"]
    )
    print(f"site {site.name} ({own.slug}): {total} of {Release.objects.public().count()} public releases")
    return [
        ("site: list", "/fr/communiques/"),
        ("site: next page", f"/fr/communiques/?before={encode_cursor(first)}"),
        ("site: deep page (cursor)", f"/fr/communiques/?before={encode_cursor(deep)}"),
        ("site: deep page (?page=200)", "/fr/communiques/?page=200"),
        ("site: filter: own organisation", f"/fr/communiques/?organisation={own.slug}"),
        ("site: filter: co-issuer", f"/fr/communiques/?organisation={co_issuer.slug}"),
        ("site: filter: kind", "/fr/communiques/?kind=communique"),
        ("site: filter: tag", f"/fr/communiques/?tag={tag.slug}"),
        ("site: filter: person", f"/fr/communiques/?person={person.slug}"),
        ("site: filter: dates", "/fr/communiques/?date_from=2024-01-01&date_to=2024-03-31"),
        ("site: filter: co-issuer + tag", f"/fr/communiques/?organisation={co_issuer.slug}&tag={tag.slug}"),
        ("site: search fr", "/fr/recherche/?q=coopération+européenne"),
        ("site: search fr + co-issuer", f"/fr/communiques/?q=sécurité&organisation={co_issuer.slug}"),
        ("site: search de", "/de/recherche/?q=Zusammenarbeit"),
        ("site: search en", "/en/recherche/?q=cooperation"),
        ("site: search lb", "/lb/recherche/?q=Regierung"),
        ("site: person page", f"/fr/personnes/{person.slug}/"),
        ("site: organisation page", f"/fr/organisations/{own.slug}/"),
        ("site: tag page", f"/fr/themes/{tag.slug}/"),
        ("site: home", "/fr/"),
        ("site: feed", "/fr/communiques/flux/rss/"),
        ("site: API releases", "/api/v1/releases/"),
        ("site: API search", "/api/v1/releases/?q=cooperation&lang=en"),
    ]


def forget_fragments(client, url: str) -> None:
    """Move the content version (as a change no tag describes does: every kept page and fragment is
    built again, the purge times of tags stay), then have the filter choices of the page's language
    built again (a list with an invalid filter answers 400 once they are built, and builds nothing else)."""
    from django.conf import settings

    from core import pagecache

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 400 is asked for
    pagecache.bump_version()
    first = url.strip("/").split("/")[0]
    language = first if first in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE
    answer = client.get(f"/{language}/communiques/", {"kind": "no-such-kind"})
    assert answer.status_code == 400, answer.status_code


def busiest_person():
    """The person named in the most releases (thousands of them in the generated data)."""
    from django.db.models import Count

    from people.models import Person
    from releases.models import Release

    mentions = Release.appointments.through.objects.values("appointment__person").annotate(n=Count("id"))
    return Person.objects.get(pk=mentions.order_by("-n")[0]["appointment__person"])


def busiest_tag() -> str:
    from django.db.models import Count

    from core.models import Tag

    return Tag.objects.filter(slug__startswith="bench-").annotate(n=Count("tagged_items")).order_by("-n").first().slug


def explain(sql: str, params, analyze: bool) -> dict:
    from django.db import connection

    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        value = cursor.fetchone()[0]
    return (json.loads(value) if isinstance(value, str) else value)[0]


def captured_selects(client, url: str) -> list[tuple[str, object]]:
    """The SELECTs one request of ``url`` sends (the page must answer 200)."""
    from django.db import connection

    captured = []

    def collect(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(collect):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [(sql, params) for sql, params in captured if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def scanning_queries(client, url: str, *, analyze: bool = False, verbose: bool = False) -> tuple[int, list[str]]:
    """How many queries ``url`` sends, and those whose plan reads the releases table sequentially."""
    selects = captured_selects(client, url)
    bad = []
    for sql, params in selects:
        plan = explain(sql, params, analyze)
        scans = seq_scans(plan["Plan"])
        if scans or verbose:
            print(json.dumps(plan, indent=1)[:4000])
        if scans:
            bad.append(sql)
    return len(selects), bad


def alerts_matching_plan(release_id: int | None = None, keys: list[str] | None = None) -> str:
    """EXPLAIN ANALYZE of the query that finds the subscriptions one release matches (alerts/sending.py:
    ``Subscription.objects.matching(release_keys(release))``, the SELECT inside the deliveries' INSERT),
    for a release or for the keys a release would have."""
    from django.db import connection

    from alerts.matching import release_keys
    from alerts.models import Frequency, Subscription
    from releases.models import Release

    if keys is None:
        release = Release.objects.get(pk=release_id) if release_id else Release.objects.public().order_by("-id").first()
        keys = release_keys(release)
    matching = Subscription.objects.matching(keys).filter(frequency=Frequency.IMMEDIATE)
    sql, params = matching.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"keys {keys}:\n{plan}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE (prints each query's time)")
    parser.add_argument("--verbose", action="store_true", help="print every plan")
    parser.add_argument(
        "--site",
        metavar="ORGANISATION_SLUG",
        help="a ministry's site (e.g. bench-org-0): its list, filters and search, at <slug>.localhost",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="build every kept fragment again on each request (but the filter choices, built before, untimed)",
    )
    parser.add_argument(
        "--alerts",
        action="store_true",
        help="only the plan of the alerts' matching query (on the database bench/alerts.py fills)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    if args.alerts:
        from people.models import Organisation

        print(alerts_matching_plan())
        other = Organisation.objects.filter(slug="bench-alerts-autre-7").first()
        if other is not None:
            print(alerts_matching_plan(keys=["kind:communique", f"organisation:{other.pk}"]))
        return 0
    from django.contrib.auth import get_user_model
    from django.test import Client

    from releases.models import Release

    if Release.objects.count() < 50_000:
        print("Fill the database first: manage.py generate_bench_data --releases 100000", file=sys.stderr)
        return 2
    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    # Not setup_test_environment(): it instruments template rendering and would measure the test
    # tooling (bench/profile_page.py does the same). A host of the default ALLOWED_HOSTS instead.
    anonymous, staff = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    staff.force_login(admin)
    urls = None
    if args.site:
        from sites.models import Site

        site = Site.objects.filter(organisation__slug=args.site).first()
        if site is None:
            print(f"No site for {args.site}: manage.py generate_bench_data --sites 20", file=sys.stderr)
            return 2
        anonymous = Client(HTTP_HOST=f"{args.site}.localhost")
        urls = ministry_site_urls(site)
    failures = 0
    print(f"{'page':30} {'queries':>7} {'median ms':>9} {'p90 ms':>7}  plans")
    for label, url in urls or main_urls():
        client = staff if url.startswith("/admin/") else anonymous
        client.get(url)
        if args.cold:
            forget_fragments(client, url)
        count, bad = scanning_queries(client, url, analyze=args.analyze, verbose=args.verbose)
        times = []
        for _ in range(args.runs):
            if args.cold:
                forget_fragments(client, url)
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        status = "ok" if not bad else f"SEQ SCAN of {RELEASES_TABLE} in {len(bad)} queries"
        p90 = times[max(0, int(len(times) * 0.9) - 1)]
        print(f"{label:30} {count:7} {statistics.median(times):9.1f} {p90:7.1f}  {status}")
        for sql in bad:
            print("   ", sql[:600])
        failures += len(bad)
    if failures:
        print(f"{failures} queries scan {RELEASES_TABLE} sequentially", file=sys.stderr)
        return 1
    print(f"no sequential scan of {RELEASES_TABLE}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("NEWSROOM_DATABASE", "newsroom_bench_alerts" if "--alerts" in sys.argv else "newsroom_bench")
    os.environ["PAGE_CACHE"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,.localhost")
    sys.exit(main())
