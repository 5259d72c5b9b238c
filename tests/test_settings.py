"""Production mode refuses unsafe settings; with real ones, Django's deployment checks find nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz-_ABCDEFGH"


def manage(*args, **env):
    # A browser test sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="news.example.lu")
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = manage(
        "check", DEBUG="0", SECRET_KEY="development-only-not-secret-newsroom-key", ALLOWED_HOSTS="news.example.lu"
    )
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "set ALLOWED_HOSTS" in result.stderr


def test_deployment_checks_report_nothing_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="news.example.lu",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_is_refused():
    result = manage("check", DATABASE_URL="sqlite:///var/db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_security_headers_on_every_page(client, db):
    response = client.get("/fr/")
    policy = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_public_pages_carry_no_nonce_for_a_cached_copy_to_replay(client, demo, settings):
    """Public pages are cached (here and by a CDN): their policy holds no nonce, which every reader of
    the cached copy would know. Their only inline block is JSON-LD, data that browsers never run."""
    settings.PAGE_CACHE_ENABLED = True
    for _ in range(2):  # rendered, then from the cache
        response = client.get(demo.get_absolute_url())
        assert "nonce" not in response.headers["Content-Security-Policy"]
        assert '<script type="application/ld+json">' in response.content.decode()
    assert "nonce" not in response.content.decode()


def test_production_settings_harden_cookies_and_transport():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage("shell", "-v", "0", "-c", code, DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="news.example.lu")
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr
