"""Public traffic and editors at once: no 5xx anywhere, and every editor's save is in the database.

The site runs under gunicorn (2 workers, production settings, persistent connections, the shared file
page cache) against the test database. wrk drives the release page, home, the list, a filtered list,
search, a feed and the API in turn for LOAD_SECONDS, while EDITORS scripted editors sign in to the
admin and, release after release, save a change and then publish, each save writing a marker of its
own. Afterwards every marker is looked for: the last one in the release, the earlier one in its
revisions. p50, p99 and requests per second are printed (``-s`` shows them); the test asserts on the
invariants only.
"""

from __future__ import annotations

import os
import time

import pytest

from newsroom.backup import connection_url
from releases.models import Release

from .conftest import shared_database_url
from .content import lost_saves, newsroom_content, public_paths
from .processes import production_env, start_gunicorn
from .traffic import Editor, Timings, run_wrk

LOAD_SECONDS = 15
EDITORS = 3
DRAFTS_PER_EDITOR = 40


@pytest.mark.django_db(transaction=True)
def test_public_traffic_and_editors_at_once_no_5xx_and_no_lost_edit(processes, static_root, tmp_path, media_root):
    ministry, public, accounts = newsroom_content(editors=EDITORS, drafts_per_editor=DRAFTS_PER_EDITOR)
    env = production_env(
        database_url=shared_database_url(), work=tmp_path, static_root=static_root, media_root=media_root
    )
    _server, base = start_gunicorn(processes, env, tmp_path, workers=2)

    deadline = time.monotonic() + LOAD_SECONDS
    editors = [Editor(base, username, drafts, deadline) for username, drafts in accounts]
    for editor in editors:
        editor.session.sign_in(editor.username)
        editor.start()
    load = run_wrk(
        base, public_paths(ministry, public[0]), seconds=LOAD_SECONDS, connections=8, threads=2, work=tmp_path
    )
    for editor in editors:
        editor.join(timeout=60)

    saves = [save for editor in editors for save in editor.saved]
    print(
        f"\npublic: {load['requests']} requests in {load['seconds']:.1f} s, {load['requests_per_second']:.1f} req/s, "
        f"p50 {load['p50_ms']:.0f} ms, p99 {load['p99_ms']:.0f} ms, max {load['max_ms']:.0f} ms"
    )
    print(f"editors: {len(saves)} saves; {Timings([s for e in editors for s in e.timings.seconds]).summary()}")
    print("machine load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))

    assert not any(editor.is_alive() for editor in editors), "every editor finishes"
    failed = [f"{a.marker}: {a.status} {a.detail}" for editor in editors for a in editor.failed]
    assert failed == [], "every editor request succeeds: " + "; ".join(failed[:5])
    assert load["server_errors"] == 0, load
    assert load["other_statuses"] == 0, load
    assert sum(load[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")) == 0, load
    assert load["requests"] > 30, "the public side was really under load"

    assert all(len(editor.saved) >= 2 for editor in editors), "each editor saved and published at least once"
    assert lost_saves(connection_url(), saves) == []
    published = Release.objects.public().filter(lead_fr__startswith="publish-").count()
    assert published == sum(1 for save in saves if save.action == "publish")
