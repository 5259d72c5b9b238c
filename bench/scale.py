"""The scaled-out newsroom measured on one machine: replication lag, routing cost, fail-over, the
shared cache under load and two workers.

    .venv/bin/python bench/scale.py [--releases 2000] [--duration 6] [--jobs 200] [--json out.json]

Starts the same cluster as the scale tests (tests/scale/cluster.py: a PostgreSQL primary and a
streaming replica, Redis, two gunicorn processes of one worker and four threads each, two
``worker`` processes), fills it with ``generate_bench_data``, then measures:

1. replication lag: a write on the primary until the replica has replayed it (psycopg, 50 samples);
2. the uncached home page read from the replica against the same page read from the primary (the
   pin cookie), interleaved requests with unique addresses so the page cache never answers;
3. a cached page under wrk on each app process (Redis page cache);
4. the replica stopped: every answer for five seconds, and the slowest;
5. ``--jobs`` jobs of 50 ms each through the two workers.

Everything runs on 127.0.0.1 and is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import wrk  # noqa: E402
from tests.scale.cluster import ScaledNewsroom, new_base, request, wait_for  # noqa: E402


def replication_lag(newsroom: ScaledNewsroom, samples: int = 50) -> dict:
    with newsroom.primary.connect() as primary, newsroom.replica.connect() as replica:
        primary.execute("CREATE TABLE IF NOT EXISTS bench_lag (id serial PRIMARY KEY, at timestamptz)")
        wait_for(lambda: replica.execute("SELECT to_regclass('bench_lag')").fetchone()[0], 10, "table on the replica")
        lags = []
        for _ in range(samples):
            started = time.perf_counter()
            primary.execute("INSERT INTO bench_lag (at) VALUES (now())")
            target = primary.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()[0]
            while not replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:
                time.sleep(0.0005)
            lags.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(lags), 2), "max_ms": round(max(lags), 2), "samples": samples}


def timed_gets(port: int, path: str, count: int, cookies: dict | None = None) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        answer = request("GET", f"http://127.0.0.1:{port}{path}?b={uuid.uuid4().hex}", cookies=cookies)
        assert answer.status == 200, answer.status
        times.append((time.perf_counter() - started) * 1000)
    return times


def routing_cost(newsroom: ScaledNewsroom, count: int = 40) -> dict:
    """The same uncached page from the replica and from the primary (pin cookie), interleaved so that
    the machine's load weighs on both alike."""
    port = newsroom.app_ports[0]
    pinned = {"newsroom_primary": "1"}
    timed_gets(port, "/fr/", 3)
    timed_gets(port, "/fr/", 3, cookies=pinned)
    replica, primary = [], []
    for _ in range(count):
        replica += timed_gets(port, "/fr/", 1)
        primary += timed_gets(port, "/fr/", 1, cookies=pinned)
    return {
        "home_from_replica_p50_ms": round(statistics.median(replica), 1),
        "home_from_primary_p50_ms": round(statistics.median(primary), 1),
        "requests_each": count,
    }


def cached_load(newsroom: ScaledNewsroom, duration: int) -> dict:
    results = {}
    for number, port in enumerate(newsroom.app_ports, start=1):
        url = f"http://127.0.0.1:{port}/fr/"
        request("GET", url)
        results[f"app{number}"] = wrk(url, duration, connections=8, threads=2)
    return results


def replica_stopped(newsroom: ScaledNewsroom) -> dict:
    """Every answer for five seconds after the replica stops, against pinned (primary) requests interleaved."""
    newsroom.replica.stop("immediate")
    statuses, times, pinned = [], [], []
    started = time.monotonic()
    while time.monotonic() - started < 5:
        for port in newsroom.app_ports:
            begun = time.perf_counter()
            answer = request("GET", f"http://127.0.0.1:{port}/fr/?b={uuid.uuid4().hex}")
            statuses.append(answer.status)
            times.append((time.perf_counter() - begun) * 1000)
            pinned += timed_gets(port, "/fr/", 1, cookies={"newsroom_primary": "1"})
    return {
        "requests": len(statuses),
        "errors": sum(1 for status in statuses if status != 200),
        "slowest_ms": round(max(times), 1),
        "p50_ms": round(statistics.median(times), 1),
        "pinned_to_primary_p50_ms": round(statistics.median(pinned), 1),
    }


def workers(newsroom: ScaledNewsroom, jobs: int) -> dict:
    started = time.perf_counter()
    newsroom.action("enqueue", str(jobs))

    def finished():
        with newsroom.primary.connect() as connection:
            return connection.execute("SELECT COUNT(*) FROM scale_job_runs").fetchone()[0] >= jobs

    wait_for(finished, 600, "every job", interval=0.2)
    elapsed = time.perf_counter() - started
    with newsroom.primary.connect() as connection:
        twice = connection.execute(
            "SELECT COUNT(*) FROM (SELECT job FROM scale_job_runs GROUP BY job HAVING COUNT(*) > 1) AS t"
        ).fetchone()[0]
        per_worker = [row[0] for row in connection.execute("SELECT COUNT(*) FROM scale_job_runs GROUP BY worker_pid")]
    return {"jobs": jobs, "seconds": round(elapsed, 1), "jobs_per_s": round(jobs / elapsed, 1), "run_twice": twice,
            "per_worker": sorted(per_worker)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    newsroom = ScaledNewsroom(new_base())
    results: dict = {}
    try:
        started = time.perf_counter()
        newsroom.start()
        results["start_seconds"] = round(time.perf_counter() - started, 1)
        newsroom.action("setup")
        newsroom.manage("generate_bench_data", "--releases", str(args.releases), timeout=3600)
        with newsroom.primary.connect() as connection:
            connection.execute("VACUUM ANALYZE")  # as autovacuum would have, on a site in service
        target = newsroom.primary.value("SELECT pg_current_wal_insert_lsn()::text")
        wait_for(
            lambda: newsroom.replica.value("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]), 60, "replica"
        )
        results["replication_lag"] = replication_lag(newsroom)
        results["routing"] = routing_cost(newsroom)
        results["cached_page_wrk"] = cached_load(newsroom, args.duration)
        results["workers"] = workers(newsroom, args.jobs)
        results["replica_stopped"] = replica_stopped(newsroom)
    finally:
        newsroom.stop()
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
