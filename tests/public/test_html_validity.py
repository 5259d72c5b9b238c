"""Every public page type and every error page, in the four languages, is valid HTML for the W3C Nu
HTML checker (vnu.jar): zero errors.

The pages are the ones tests/public/test_site_walk.py reaches from the four home pages (with the demo
content), plus the pages no link leads to: a search with and without results, a filtered list, a list
refused with 400, and the error pages (tests/error_pages.py). The checker starts a JVM, so it runs
once, over all the pages written to a folder.

vnu.jar comes from the ``vnu-jar`` npm package, pinned in scripts/ensure-vnu.sh, which installs it
into var/vnu/ (``make test`` runs it) and Debian's Java when it is missing.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.error_pages import ERROR_URLCONF, LANGUAGES, SMALL_BODY_LIMIT, fetch_error_pages, gone_release
from tests.public.test_site_walk import walk

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "var" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: Pages no link leads to (a reader types a query, or a filter comes from another site).
UNLINKED = {
    "search with results": "/recherche/?q=protection+temporaire",
    "search without results": "/recherche/?q=zzzyxw",
    "filtered list": "/communiques/?organisation=maint&tag=asile",
    "list refused (400)": "/communiques/?organisation=nope",
}


def nu_html_checker(folder: Path) -> list[dict]:
    """The checker's error messages for every ``.html`` file in ``folder`` (one JVM)."""
    java = shutil.which("java")
    assert java, "Java is missing: run scripts/ensure-vnu.sh as root, or apt-get install default-jre-headless"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run scripts/ensure-vnu.sh (make test runs it)"
    files = sorted(str(path) for path in folder.glob("*.html"))
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stderr)  # vnu writes its JSON report to stderr
    assert result.returncode == (1 if report["messages"] else 0), result.stderr[-2000:]
    return [message for message in report["messages"] if message.get("type") in ("error", "non-document-error")]


def test_every_public_page_and_error_page_is_valid_html(client, demo, settings, tmp_path):
    walked, _reached, problems, _seen = walk(client)
    assert not problems, "\n".join(problems)
    by_language = {
        language: {name for url, (name, _text) in walked.items() if urlsplit(url).path.startswith(f"/{language}/")}
        for language in LANGUAGES
    }
    pages = {url: text for url, (_name, text) in walked.items()}
    for language in LANGUAGES:
        for label, path in UNLINKED.items():
            response = client.get(f"/{language}{path}")
            assert response.status_code in (200, 400), (label, response.status_code)
            pages[f"/{language}{path}"] = response.content.decode()
    settings.ROOT_URLCONF = ERROR_URLCONF
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_BODY_LIMIT
    gone = gone_release()
    for language in LANGUAGES:
        for name, response in fetch_error_pages(language, gone).items():
            assert response.status_code >= 400, name
            pages[f"error {name} ({language})"] = response.content.decode()

    files = {}
    for number, (url, text) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page-{number:04}.html"
        path.write_text(text)
        files[path.name] = url
    errors = nu_html_checker(tmp_path)
    report = {}
    for message in errors:
        key = f"{message['message']}\n    {message.get('extract', '').strip()}"
        report.setdefault(key, []).append(
            files.get(Path(urlsplit(message.get("url", "")).path).name, message.get("url"))
        )
    assert not report, f"{len(errors)} HTML errors:\n" + "\n".join(
        f"{key}\n    on {len(urls)} page(s): {', '.join(urls[:4])}" for key, urls in report.items()
    )
    # Every page type was checked in every language.
    assert by_language["fr"] and all(names == by_language["fr"] for names in by_language.values()), by_language
    assert len(pages) > 100
