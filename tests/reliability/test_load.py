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
import threading
import time
from urllib.parse import quote

import pytest
from reversion.models import Version

from newsroom.publication import Status
from releases.models import Release
from tests import factories
from tests.publication.conftest import EDITOR, member

from .conftest import shared_database_url
from .processes import production_env, start_gunicorn
from .traffic import PASSWORD, EditorSession, Timings, form_errors, run_wrk

LOAD_SECONDS = 15
EDITORS = 3
DRAFTS_PER_EDITOR = 40


def newsroom_content():
    """A ministry with public releases to read, and editors with drafts of their own to work on."""
    ministry = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")
    public = []
    for number in range(30):
        release = factories.release(
            organisations=[ministry],
            title_fr=f"Coopération européenne en matière de sécurité, épisode {number}",
            lead_fr="Le ministre a rencontré ses homologues européens.",
            body_fr="<p>La coopération européenne progresse.</p>",
        )
        public.append(release)
    editors = []
    for number in range(EDITORS):
        user = member(EDITOR, ministry)
        user.username = f"editeur-{number}"
        user.set_password(PASSWORD)
        user.save()
        drafts = [
            factories.release(status=Status.DRAFT, organisations=[ministry], title_fr=f"Brouillon {number}-{n}")
            for n in range(DRAFTS_PER_EDITOR)
        ]
        editors.append((user, drafts))
    return ministry, public, editors


class Editor(threading.Thread):
    """Works through its drafts until the deadline: save a change (marker), then publish (another marker)."""

    def __init__(self, base_url: str, user, drafts, deadline: float):
        super().__init__(name=f"editor-{user.username}", daemon=True)
        self.session = EditorSession(base_url)
        self.user, self.drafts, self.deadline = user, drafts, deadline
        self.saves: list[tuple[int, str, str]] = []  # (release id, action, marker) answered 302
        self.failures: list[str] = []
        self.timings = Timings()

    def save(self, release_id: int, action: str, marker: str) -> None:
        path = f"/admin/releases/release/{release_id}/change/"
        page, fields = self.session.open_form(path)
        self.timings.add(page.seconds)
        if page.status != 200:
            self.failures.append(f"GET {path}: {page.status}")
            return
        fields["lead_fr"] = marker
        fields["_publish" if action == "publish" else "_continue"] = "1"
        answer = self.session.request("POST", path, fields)
        self.timings.add(answer.seconds)
        if answer.status == 302:
            self.saves.append((release_id, action, marker))
        else:
            self.failures.append(f"POST {path} ({action}): {answer.status} {form_errors(answer.body)}")

    def run(self) -> None:
        try:
            self.session.sign_in(self.user.username)
            for release in self.drafts:
                for action in ("save", "publish"):
                    if time.monotonic() >= self.deadline:
                        return
                    self.save(release.pk, action, f"{action}-{self.user.username}-{release.pk}")
        except Exception as error:  # a connection refused or reset is a failure to report, not a crash
            self.failures.append(f"{type(error).__name__}: {error}")


@pytest.mark.django_db(transaction=True)
def test_public_traffic_and_editors_at_once_no_5xx_and_no_lost_edit(processes, static_root, tmp_path, media_root):
    ministry, public, editors = newsroom_content()
    env = production_env(
        database_url=shared_database_url(), work=tmp_path, static_root=static_root, media_root=media_root
    )
    _server, base = start_gunicorn(processes, env, tmp_path, workers=2)
    paths = [
        public[0].get_absolute_url(),
        "/fr/",
        "/fr/communiques/",
        f"/fr/communiques/?organisation={ministry.slug}&kind=communique",
        "/fr/recherche/?q=" + quote("coopération européenne"),
        "/fr/communiques/flux/rss/",
        "/api/v1/releases/",
    ]

    deadline = time.monotonic() + LOAD_SECONDS
    workers = [Editor(base, user, drafts, deadline) for user, drafts in editors]
    for editor in workers:
        editor.start()
    public_load = run_wrk(base, paths, seconds=LOAD_SECONDS, connections=8, threads=2, work=tmp_path)
    for editor in workers:
        editor.join(timeout=60)

    editor_timings = [editor.timings for editor in workers]
    all_editor = sorted(s for t in editor_timings for s in t.seconds)
    print(
        f"\npublic: {public_load['requests']} requests in {public_load['seconds']:.1f} s, "
        f"{public_load['requests_per_second']:.0f} req/s, p50 {public_load['p50_ms']:.1f} ms, "
        f"p99 {public_load['p99_ms']:.1f} ms, max {public_load['max_ms']:.0f} ms"
    )
    print(f"editors: {sum(len(e.saves) for e in workers)} saves; {Timings(all_editor).summary()}")
    print("machine load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))

    assert not any(editor.is_alive() for editor in workers), "every editor finishes"
    failures = [failure for editor in workers for failure in editor.failures]
    assert failures == [], "every editor request succeeds: " + "; ".join(failures[:5])
    assert public_load["server_errors"] == 0, public_load
    assert public_load["other_statuses"] == 0, public_load
    socket_errors = sum(public_load[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    assert socket_errors == 0, public_load
    assert public_load["requests"] > 100, "the public side was really under load"

    saves = [save for editor in workers for save in editor.saves]
    assert all(len(editor.saves) >= 4 for editor in workers), "each editor saved and published several times"
    for release_id, action, marker in saves:
        release = Release.objects.get(pk=release_id)
        versions = [version.serialized_data for version in Version.objects.get_for_object(release)]
        assert any(marker in data for data in versions), f"{marker}: kept in the release's revisions"
        if action == "publish":
            assert release.lead_fr == marker, f"{marker}: the published text is the last one saved"
            assert release.status == Status.PUBLISHED and release.is_public()
    published = Release.objects.public().filter(lead_fr__startswith="publish-").count()
    assert published == sum(1 for _r, action, _m in saves if action == "publish")
