"""PostgreSQL restarted while readers and an editor work: errors only while it is down, recovery by itself,
nothing committed before the restart lost.

The site runs under gunicorn (2 workers, production settings, ``CONN_MAX_AGE=600`` so that workers
hold connections that the restart breaks, ``CONN_HEALTH_CHECKS`` on as always) against a PostgreSQL
cluster of its own, filled from the test database with pg_dump / pg_restore. The page cache is off so
that every request needs the database: while it is down the site answers 503 with ``Retry-After``
(``newsroom.errors.server_error``). Readers record the moment and outcome of every request; an
editor saves and publishes releases. The server is stopped (``pg_ctl stop -m fast``, a clean shutdown,
or ``-m immediate``, as after a crash, with WAL replay at start), left down for DOWN_SECONDS, and
started again.
"""

from __future__ import annotations

import time

import psutil
import psycopg
import pytest

from newsroom.backup import connection_url

from .content import lost_saves, newsroom_content, public_paths
from .processes import copy_test_database, production_env, start_gunicorn
from .traffic import Editor, RecordingReader

READERS = 4
BEFORE_SECONDS = 4
DOWN_SECONDS = 2
AFTER_SECONDS = 8
#: After ``pg_ctl start`` returns (the server accepts connections), requests must succeed within this.
RECOVERY_SECONDS = 2.0


def row_counts(url: str, tables: list[str]) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stop_mode", ["fast", "immediate"])
def test_the_site_answers_errors_only_while_postgresql_is_down_and_loses_nothing(
    stop_mode, processes, throwaway_postgres, static_root, tmp_path, media_root
):
    ministry, public, accounts = newsroom_content(editors=1, drafts_per_editor=40, public_releases=10)
    url = copy_test_database(throwaway_postgres)
    env = production_env(
        database_url=url, work=tmp_path, static_root=static_root, media_root=media_root, PAGE_CACHE="0"
    )
    server, base = start_gunicorn(processes, env, tmp_path, workers=2)
    gunicorn_workers = {child.pid for child in psutil.Process(server.pid).children()}

    paths = public_paths(ministry, public[0])
    readers = [RecordingReader(base, paths, offset=number) for number in range(READERS)]
    [(username, drafts)] = accounts
    editor = Editor(base, username, drafts, deadline=time.monotonic() + 600)
    editor.session.sign_in(username)
    for thread in (*readers, editor):
        thread.start()
    try:
        time.sleep(BEFORE_SECONDS)
        stopping = time.monotonic()
        throwaway_postgres.stop(stop_mode)
        time.sleep(DOWN_SECONDS)
        throwaway_postgres.start()
        started = time.monotonic()
        time.sleep(AFTER_SECONDS)
    finally:
        for thread in (*readers, editor):
            thread.stopping.set()
        for thread in (*readers, editor):
            thread.join(timeout=30)

    samples = sorted((s for reader in readers for s in reader.samples), key=lambda s: s.started)
    failures = [s for s in samples if s.failed]
    after = [s for s in samples if s.started >= started]
    first_success = min((s.finished for s in after if s.status == 200), default=None)
    print(
        f"\nPostgreSQL stopped (-m {stop_mode}) for {started - stopping:.1f} s: {len(samples)} requests, "
        f"{len(failures)} failed ({sorted({s.status or s.error.split(':')[0] for s in failures}, key=str)}), "
        f"first 200 {((first_success or started) - started) * 1000:.0f} ms after the server was back; "
        f"editor: {len(editor.saved)} saves, {len(editor.failed)} failed"
    )

    assert not any(thread.is_alive() for thread in (*readers, editor)), "no request hangs"
    assert {child.pid for child in psutil.Process(server.pid).children()} == gunicorn_workers, (
        "the same gunicorn workers serve before and after: none crashed or was restarted"
    )
    before = [s for s in samples if s.finished < stopping]
    assert before and all(s.status == 200 for s in before), "all is well before the restart"
    assert failures, "requests need the database (page cache off): some fail while it is down"
    assert all(s.status == 503 and s.retry_after == "30" for s in failures), "a 503 that says when to come back"
    assert all("Site momentanément indisponible" in s.body for s in failures)
    assert all(stopping <= s.finished and s.started <= started + RECOVERY_SECONDS for s in failures), (
        "errors only while the database is down: "
        + "; ".join(f"{s.path} {s.status or s.error} at {s.started - stopping:+.2f} s" for s in failures[-5:])
    )
    recovered = [s for s in samples if s.started > started + RECOVERY_SECONDS]
    assert len(recovered) >= 2 * READERS and all(s.status == 200 for s in recovered), "the site recovers by itself"
    editor_failures = [
        a for a in editor.failed if not (stopping <= a.finished and a.started <= started + RECOVERY_SECONDS)
    ]
    assert editor_failures == [], [f"{a.marker}: {a.status} {a.detail}" for a in editor_failures]
    assert any(a.started > started + RECOVERY_SECONDS for a in editor.saved), "the editor saves again afterwards"

    assert lost_saves(url, editor.saved) == [], "every save answered before or after the restart is kept"
    tables = ["releases_release", "reversion_version", "reversion_revision", "newsroom_auditentry"]
    assert row_counts(url, ["releases_release"]) == row_counts(connection_url(), ["releases_release"])
    assert all(count > 0 for count in row_counts(url, tables).values())
