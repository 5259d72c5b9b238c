"""In production, static files get hashed names, compressed copies and long-lived caching (WhiteNoise)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_settings import ROOT, STRONG_KEY

SERVE = """
import django
django.setup()
from django.conf import settings
from django.templatetags.static import static
from django.test import Client
url = static("css/site.css")
response = Client().get(url, headers={"accept-encoding": "gzip"}, secure=True)
print(settings.STORAGES["staticfiles"]["BACKEND"])
print(url)
print(response.status_code)
print(response.get("Cache-Control", ""))
print(response.get("Content-Encoding", ""))
print(response.get("Set-Cookie", ""))
"""


def production(tmp_path: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
        "CACHE_URL": "locmem://",
    }


def test_collectstatic_writes_hashed_and_compressed_files_served_for_a_year(tmp_path):
    env = production(tmp_path)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.") and hashed.endswith(".css")
    assert (tmp_path / "static" / hashed).exists()
    assert (tmp_path / "static" / (hashed + ".gz")).exists()

    served = subprocess.run(
        [sys.executable, "-c", SERVE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert served.returncode == 0, served.stderr
    backend, url, status, cache_control, encoding, cookie = served.stdout.splitlines()[-6:]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert url == "/static/" + hashed
    assert status == "200"
    assert "immutable" in cache_control and "max-age=315360000" in cache_control
    assert encoding == "gzip"
    assert cookie == ""
