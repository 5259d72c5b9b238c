"""The page cache is shared by every process that can change content: a change made from a
``manage.py shell`` in another terminal is on the next page a running server sends (issue: the
content version used to live in each process's memory in development)."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request

import pytest

from tests import factories

from .conftest import shared_database_url
from .processes import PYTHON, ROOT, production_env, start_gunicorn

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode(), response.headers.get("X-Page-Cache", "")


def test_a_change_made_in_manage_py_shell_is_on_the_next_page_of_a_running_server(
    processes, static_root, media_root, tmp_path
):
    release = factories.release(title_fr="Avant la correction", organisations=[factories.organisation(slug="maint")])
    env = production_env(
        database_url=shared_database_url(),
        work=tmp_path,
        static_root=static_root,
        media_root=media_root,
        DEBUG="1",  # the development settings, as `make run` has them
        NEWSROOM_VAR_DIR=str(tmp_path / "var"),
    )
    del env["CACHE_URL"]  # the default cache, not one chosen for the test
    server, base = start_gunicorn(processes, env, tmp_path, workers=2)
    pages = [base + release.get_absolute_url(), base + "/fr/communiques/", base + "/fr/organisations/maint/"]
    seen = [fetch(url) for url in pages for _ in range(6)]  # both workers, each page cached
    assert all("Avant la correction" in body for body, _ in seen)
    assert {state for _, state in seen} == {"hit", "miss"}

    code = (
        "from releases.models import Release; "
        f"release = Release.objects.get(pk={release.pk}); "
        "release.title_fr = 'Après la correction'; release.save()"
    )
    subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=60)

    for url in pages:
        for _ in range(4):  # whichever worker answers
            body, _state = fetch(url)
            assert "Après la correction" in body and "Avant la correction" not in body, url


def test_a_site_added_in_manage_py_shell_is_served_by_every_worker_at_the_next_request(
    processes, static_root, media_root, tmp_path
):
    """The host → site directory each worker keeps is read again after a change made by another process."""
    maint = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")
    factories.release(title_fr="Communiqué du ministère", organisations=[maint])
    factories.site(None, hosts=["127.0.0.1"], name_fr="Le gouvernement luxembourgeois")
    env = production_env(
        database_url=shared_database_url(),
        work=tmp_path,
        static_root=static_root,
        media_root=media_root,
        DEBUG="1",
        NEWSROOM_VAR_DIR=str(tmp_path / "var"),
    )
    del env["CACHE_URL"]
    env["ALLOWED_HOSTS"] = "127.0.0.1,.localhost"
    server, base = start_gunicorn(processes, env, tmp_path, workers=2)
    ministry_base = base.replace("127.0.0.1", "maint.localhost")

    def status(url: str) -> str:
        host = urllib.request.urlparse(url).netloc
        request = urllib.request.Request(base + urllib.request.urlparse(url).path, headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return f"{response.status} {'Site inconnu' in response.read().decode()}"
        except urllib.error.HTTPError as error:
            return f"{error.code} {'Site inconnu' in error.read().decode()}"

    # Both workers know no such site (and have read the sites: the portal answers).
    assert [status(base + "/fr/") for _ in range(4)] == ["200 False"] * 4
    assert [status(ministry_base + "/fr/") for _ in range(4)] == ["400 True"] * 4
    code = (
        "from people.models import Organisation; from sites.models import Site; "
        "site = Site.objects.create(organisation=Organisation.objects.get(slug='maint'), name_fr='MAINT'); "
        "site.hosts.create(host='maint.localhost')"
    )
    subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=60)
    assert [status(ministry_base + "/fr/") for _ in range(4)] == ["200 False"] * 4
