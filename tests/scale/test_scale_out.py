"""The newsroom scaled out on one machine: a primary and a streaming replica, Redis, two app processes
and two workers (tests/scale/cluster.py). Which server answered is read from the servers themselves
(pg_stat_statements counts the statements each one ran), not from anything the application says.

The tests run in this order and share one cluster; the last one stops the replica.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.scale.cluster import request, wait_for

pytestmark = pytest.mark.scale


def reset_counts(scaled) -> None:
    for server in (scaled.primary, scaled.replica):
        server.value("SELECT pg_stat_statements_reset() IS NOT NULL")


def counts(scaled) -> tuple[int, int]:
    return scaled.primary.release_queries(), scaled.replica.release_queries()


def replica_caught_up(scaled) -> bool:
    target = scaled.primary.value("SELECT pg_current_wal_insert_lsn()::text")
    return bool(scaled.replica.value("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]))


def fresh(path: str) -> str:
    """The same page under an address never asked before, so the page cache cannot answer it."""
    return f"{path}{'&' if '?' in path else '?'}nocache={uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def content(scaled):
    made = scaled.action("setup")
    wait_for(lambda: replica_caught_up(scaled), 30, "the replica catching up")
    return made


def csrf(port: int) -> tuple[dict, str]:
    """A CSRF cookie and token, from the sign-in form."""
    form = request("GET", f"http://127.0.0.1:{port}/admin/login/")
    return form.cookies(), form.body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def sign_in(scaled, port: int, content) -> dict:
    login = f"http://127.0.0.1:{port}/admin/login/"
    cookies, token = csrf(port)
    answer = request(
        "POST",
        login,
        cookies=cookies,
        data={"csrfmiddlewaretoken": token, "username": content["username"], "password": content["password"]},
    )
    assert answer.status == 302, answer.body[:2000]
    return cookies | answer.cookies()


def test_anonymous_reads_go_to_the_replica_and_staff_reads_to_the_primary(scaled, content):
    reset_counts(scaled)
    for port in scaled.app_ports:
        assert scaled.get(port, fresh("/fr/communiques/")).status == 200
    primary, replica = counts(scaled)
    assert replica > 0, "anonymous list pages read the replica"
    assert primary == 0, "and nothing of them from the primary"

    cookies = sign_in(scaled, scaled.app_ports[0], content)
    reset_counts(scaled)
    for port in scaled.app_ports:
        answer = scaled.get(port, "/admin/releases/release/", cookies=cookies)
        assert answer.status == 200
        assert "Communiqué déjà public" in answer.body
        assert scaled.get(port, fresh("/fr/communiques/"), cookies=cookies).status == 200
    primary, replica = counts(scaled)
    assert primary > 0, "a signed-in editor reads the primary, in the admin and on public pages"
    assert replica == 0


def test_a_client_that_wrote_reads_the_primary_for_a_while(scaled, content):
    port = scaled.app_ports[1]
    # Any POST is a write as far as routing goes: here the language switch, answered with a redirect.
    cookies, token = csrf(port)
    answer = request(
        "POST",
        f"http://127.0.0.1:{port}/i18n/setlang/",
        cookies=cookies,
        data={"csrfmiddlewaretoken": token, "language": "de", "next": "/de/"},
    )
    assert answer.status == 302
    pin = answer.cookies()
    assert "newsroom_primary" in pin
    assert "Max-Age=3" in " ".join(answer.headers["set-cookie"])

    reset_counts(scaled)
    assert scaled.get(port, fresh("/fr/communiques/"), cookies=pin).status == 200
    primary, replica = counts(scaled)
    assert (primary > 0, replica) == (True, 0), "the pinned client reads the primary"

    # Once the cookie has expired (the browser drops it), the same client reads the replica again.
    reset_counts(scaled)
    assert scaled.get(port, fresh("/fr/communiques/")).status == 200
    primary, replica = counts(scaled)
    assert (primary, replica > 0) == (0, True)


def test_a_publish_is_seen_by_both_app_processes_at_the_same_second(scaled, content):
    scheduled = scaled.action("schedule", "Programme pour les deux", "10")
    wait_for(lambda: replica_caught_up(scaled), 30, "the replica catching up")
    # Both processes cache the list and the home page before the publication time...
    for port in scaled.app_ports:
        for path in ("/fr/", "/fr/communiques/"):
            answer = scaled.get(port, path)
            assert answer.status == 200 and "Programme pour les deux" not in answer.body
            assert scaled.get(port, path).status == 200  # the second answer comes from the shared cache
        assert scaled.get(port, scheduled["path"]).status == 404
    # ... and both show the release from its publication second on: asked at once, in the same second.
    time.sleep(max(0.0, scheduled["publish_at"] - time.time()))
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda port: (time.time(), scaled.get(port, "/fr/")), scaled.app_ports))
    for asked_at, answer in answers:
        assert answer.status == 200 and "Programme pour les deux" in answer.body
        assert 0 <= asked_at - scheduled["publish_at"] < 1
    for port in scaled.app_ports:
        for path in ("/fr/communiques/", scheduled["path"]):
            answer = scaled.get(port, path)
            assert answer.status == 200 and "Programme pour les deux" in answer.body, (port, path)

    # An edit saved by another process empties the cached pages of both.
    scaled.action("retitle", str(scheduled["pk"]), "Titre corrigé partout")
    for port in scaled.app_ports:
        answer = scaled.get(port, "/fr/communiques/")
        assert "Titre corrigé partout" in answer.body and "Programme pour les deux" not in answer.body


def test_a_lagging_replica_never_shows_an_embargoed_release(scaled, content):
    scheduled = scaled.action("schedule", "Embargo sous retard", "12")
    wait_for(lambda: replica_caught_up(scaled), 30, "the replica catching up")
    # The replica stops replaying: it still holds the first embargo time after the editor postpones it.
    scaled.replica.value("SELECT pg_wal_replay_pause() IS NULL")
    try:
        scaled.action("postpone", str(scheduled["pk"]), "86400")
        time.sleep(max(0.0, scheduled["publish_at"] - time.time()) + 0.5)
        stale = scaled.replica.value(
            "SELECT publish_at <= now() FROM releases_release WHERE id = %s", [scheduled["pk"]]
        )
        assert stale, "the replica's copy is past its (old) embargo: it would show the release"
        reset_counts(scaled)
        for port in scaled.app_ports:
            assert scaled.get(port, fresh(scheduled["path"])).status == 404
            listing = scaled.get(port, fresh("/fr/communiques/"))
            assert listing.status == 200 and "Embargo sous retard" not in listing.body
            feed = scaled.get(port, fresh("/fr/communiques/flux/rss/"))
            assert feed.status == 200 and "Embargo sous retard" not in feed.body
        primary, replica = counts(scaled)
        assert primary > 0 and replica == 0, "behind the last change, the replica is skipped"
    finally:
        scaled.replica.value("SELECT pg_wal_replay_resume() IS NULL")
    wait_for(lambda: replica_caught_up(scaled), 30, "the replica catching up")
    time.sleep(1.2)  # each process asks the replica again after DATABASE_REPLICA_CHECK_SECONDS (1 here)
    reset_counts(scaled)
    for port in scaled.app_ports:
        assert scaled.get(port, fresh(scheduled["path"])).status == 404
    primary, replica = counts(scaled)
    assert (primary, replica > 0) == (0, True), "caught up, the replica is used again"


def test_a_replica_lagging_more_than_the_bound_is_skipped(scaled, content):
    """No content change here (no fence): only the replica's measured lag keeps it out."""
    scaled.replica.value("SELECT pg_wal_replay_pause() IS NULL")
    try:
        with scaled.primary.connect() as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS scale_noise (at timestamptz)")
            connection.execute("INSERT INTO scale_noise VALUES (now())")
        # DATABASE_REPLICA_MAX_LAG_SECONDS is 5 here, and each process asks again every second.
        wait_for(
            lambda: scaled.replica.value(
                "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()"
                " AND clock_timestamp() - pg_last_xact_replay_timestamp() > '6 s'"
            ),
            20,
            "the replica falling 6 s behind",
            interval=0.25,
        )
        time.sleep(1.2)
        reset_counts(scaled)
        for port in scaled.app_ports:
            assert scaled.get(port, fresh("/fr/communiques/")).status == 200
        primary, replica = counts(scaled)
        assert primary > 0 and replica == 0
    finally:
        scaled.replica.value("SELECT pg_wal_replay_resume() IS NULL")
    wait_for(lambda: replica_caught_up(scaled), 30, "the replica catching up")
    time.sleep(1.2)
    reset_counts(scaled)
    for port in scaled.app_ports:
        assert scaled.get(port, fresh("/fr/communiques/")).status == 200
    assert counts(scaled)[1] > 0, "caught up, it is read again"


def test_the_fence_in_redis_only_ever_rises(scaled):
    """Two app processes may store their WAL positions out of order: the later, lower one is ignored."""
    from django.core.cache.backends.redis import RedisCache

    from newsroom.db_router import FENCE_KEY, raise_fence

    cache = RedisCache(f"redis://127.0.0.1:{scaled.redis_port}/3", {"KEY_PREFIX": "fence-test"})
    raise_fence(cache, 200)
    raise_fence(cache, 150)
    assert cache.get(FENCE_KEY) == 200
    raise_fence(cache, 250)
    assert cache.get(FENCE_KEY) == 250


def test_two_workers_never_run_one_job_twice(scaled, content):
    jobs = 60
    scaled.action("enqueue", str(jobs))

    def finished():
        with scaled.primary.connect() as connection:
            return (
                connection.execute(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path = 'tests.scale.jobs.record_run' AND status IN ('SUCCESSFUL', 'FAILED')"
                ).fetchone()[0]
                == jobs
            )

    wait_for(finished, 90, "the workers finishing every job", interval=0.5)
    with scaled.primary.connect() as connection:
        runs = connection.execute("SELECT job, COUNT(*) FROM scale_job_runs GROUP BY job").fetchall()
        workers = connection.execute("SELECT COUNT(DISTINCT worker_pid) FROM scale_job_runs").fetchone()[0]
        failed = connection.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
        ).fetchone()[0]
    assert failed == 0
    assert sorted(job for job, _count in runs) == list(range(jobs)), "every job ran"
    assert all(count == 1 for _job, count in runs), "and none twice"
    assert workers == 2, "both workers took jobs"


def test_the_site_keeps_answering_when_the_replica_stops(scaled, content):
    reset_counts(scaled)
    for port in scaled.app_ports:
        assert scaled.get(port, fresh("/fr/communiques/")).status == 200
    assert counts(scaled)[1] > 0

    scaled.replica.stop("immediate")
    started = time.monotonic()
    answers = []
    while time.monotonic() - started < 4:  # across the moment each process notices
        for port in scaled.app_ports:
            answer = scaled.get(port, fresh("/fr/communiques/"))
            answers.append(answer.status)
            assert answer.status == 200 and "Communiqué déjà public" in answer.body, answer.body[:500]
    assert len(answers) >= 4
    before = scaled.primary.release_queries()
    for port in scaled.app_ports:
        assert scaled.get(port, fresh("/fr/communiques/")).status == 200
    assert scaled.primary.release_queries() > before, "the primary answers in its place"
