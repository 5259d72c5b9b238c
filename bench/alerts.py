"""A release matching 100,000 subscriptions, sent to a local SMTP sink by two workers: time and memory.

    .venv/bin/python bench/alerts.py [--subscriptions 100000] [--others 50000] [--workers 2]

Runs on its own database of the embedded server (``newsroom_bench_alerts``, migrated first; set
``DATABASE_URL`` to use another server). It writes ``--subscriptions`` confirmed subscriptions that
match the release (a quarter follow its ministry, a quarter its kind, a quarter its ministry and kind,
a quarter everything; in the four languages) and ``--others`` that do not (one of 200 other
ministries each), then
starts an SMTP sink in this process (aiosmtpd, counting messages, keeping none) and ``--workers``
``manage.py worker`` processes, enqueues the release's alerts job and waits until every delivery is
recorded as sent and the sink has every message. It prints the wall time, the messages per second,
each worker's resident memory (sampled every second: first, peak, last) and the EXPLAIN ANALYZE of
the matching query (``bench/explain.py --alerts`` prints it alone).

Figures: ``docs/performance.md`` ("E-mail alerts").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "newsroom_bench_alerts"
#: The subscriptions that do not match follow one of this many other ministries (a few hundred each).
OTHER_ORGANISATIONS = 200


class CountingHandler:
    def __init__(self):
        self.count = 0
        self.bytes = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.bytes += len(envelope.original_content)
        return "250 OK"


def fill(subscriptions: int, others: int) -> int:
    """The subscriptions and the release; returns the release's id."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from alerts.models import Delivery, Subscription
    from core.publication import Status
    from people.models import Organisation
    from releases.models import Release, ReleaseOrganisation, refresh_organisation_ids

    Delivery.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE alerts_subscription CASCADE")
    ministry, _ = Organisation.objects.get_or_create(slug="bench-alerts-maint", defaults={"name_fr": "Ministère"})
    others_organisations = [
        Organisation.objects.get_or_create(slug=f"bench-alerts-autre-{n}", defaults={"name_fr": f"Autre {n}"})[0]
        for n in range(OTHER_ORGANISATIONS)
    ]
    languages = ["fr", "de", "en", "lb"]
    now = timezone.now()
    rows = []
    for n in range(subscriptions):
        shape = n % 4
        rows.append(
            Subscription(
                address=f"lecteur{n}@example.org",
                language=languages[n % 4],
                organisation=ministry if shape in (0, 2) else None,
                kind="communique" if shape in (1, 2) else "",
                confirmed_at=now,
            )
        )
    for n in range(others):
        other = others_organisations[n % OTHER_ORGANISATIONS]
        rows.append(Subscription(address=f"autre{n}@example.org", organisation=other, confirmed_at=now))
    for row in rows:
        row.address = row.address.lower()
        row.keys = row.filter_keys()
    Subscription.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE alerts_subscription")
    release = Release.objects.create(
        slug_fr=f"bench-alerte-{int(time.time())}",
        title_fr="Conseil JAI informel",
        lead_fr="Les ministres se sont réunis.",
        status=Status.PUBLISHED,
        publish_at=now - timedelta(seconds=1),
        first_published_at=now - timedelta(seconds=1),
    )
    ReleaseOrganisation.objects.create(release=release, organisation=ministry, position=1)
    refresh_organisation_ids(Release.objects.filter(pk=release.pk))
    return release.pk


def other_organisation_id() -> int:
    from people.models import Organisation

    return Organisation.objects.get(slug="bench-alerts-autre-7").pk


def rss_mb(pid: int) -> float:
    import psutil

    try:
        return psutil.Process(pid).memory_info().rss / 1e6
    except psutil.NoSuchProcess:
        return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plans-only", action="store_true", help="write the data and print the plans, send nothing")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("NEWSROOM_DATABASE", DATABASE)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    import django

    django.setup()
    import logging

    from aiosmtpd.controller import Controller
    from django.db import connection

    from alerts.models import Delivery
    from alerts.sending import send_release_alerts
    from bench.explain import alerts_matching_plan

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    started = time.perf_counter()
    release_id = fill(args.subscriptions, args.others)
    print(
        f"{args.subscriptions:,} matching and {args.others:,} other subscriptions written in "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(alerts_matching_plan(release_id))
    print(alerts_matching_plan(keys=["kind:communique", f"organisation:{other_organisation_id()}"]))
    if args.plans_only:
        return 0

    handler = CountingHandler()
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Controller(handler, hostname="127.0.0.1", port=port)
    sink.start()
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "LOG_LEVEL": "WARNING"}
    workers = []
    try:
        for n in range(args.workers):
            workers.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "worker", "--queue-name", "*", "--interval", "0.2"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=open(ROOT / "var" / f"bench-alerts-worker-{n}.log", "w"),  # noqa: SIM115
                    start_new_session=True,
                )
            )
        time.sleep(3)  # the workers start (Django, the liveness lock)
        memory = {worker.pid: [] for worker in workers}
        started = time.perf_counter()
        send_release_alerts.enqueue(release_id)
        connection.close()
        sent = 0
        while handler.count < args.subscriptions or sent < args.subscriptions:
            time.sleep(1)
            for worker in workers:
                memory[worker.pid].append(rss_mb(worker.pid))
            sent = Delivery.objects.filter(release_id=release_id, state=Delivery.State.SENT).count()
            elapsed = time.perf_counter() - started
            if int(elapsed) % 15 == 0:
                print(f"  {elapsed:5.0f} s: {handler.count:,} received, {sent:,} recorded as sent", flush=True)
            if elapsed > 1800:
                print("gave up after 30 minutes", file=sys.stderr)
                return 1
        elapsed = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        sink.stop()
    print(
        f"{handler.count:,} messages ({handler.bytes / handler.count / 1000:.1f} kB each) sent by {args.workers} "
        f"workers in {elapsed:.0f} s: {handler.count / elapsed:.0f} messages/s"
    )
    for pid, samples in memory.items():
        print(f"  worker {pid}: RSS first {samples[0]:.0f} MB, peak {max(samples):.0f} MB, last {samples[-1]:.0f} MB")
    duplicates = handler.count - args.subscriptions
    print(f"messages beyond one per subscription: {duplicates}")
    return 0 if duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
