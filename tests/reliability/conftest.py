"""Fixtures of the reliability tests: the test database's URL for other processes, static files,
gunicorn and workers that are always stopped, a throw-away PostgreSQL cluster."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from .processes import ThrowawayPostgres, collect_static, start_group, stop_group


def shared_database_url() -> str:
    """A ``DATABASE_URL`` for the database this test uses (the test database), for another process."""
    params = connection.get_connection_params()
    user = quote(params.get("user") or "", safe="")
    password = quote(params.get("password") or "", safe="")
    name = quote(params["dbname"], safe="")
    host = params.get("host") or "127.0.0.1"
    if host.startswith("/"):  # a Unix socket folder (the embedded server)
        return f"postgresql://{user}:{password}@/{name}?host={quote(host, safe='/')}"
    return f"postgresql://{user}:{password}@{host}:{params.get('port') or 5432}/{name}"


@pytest.fixture(scope="session")
def static_root(django_db_setup, django_db_blocker):
    """collectstatic once per run: production settings serve hashed files through WhiteNoise."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-static-"))
    with django_db_blocker.unblock():
        url = shared_database_url()
    collect_static(folder, url)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def processes():
    """Start processes in their own groups; every one still running is stopped at the end of the test."""
    started = []

    def start(command, env, log):
        process = start_group(command, env, log)
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        stop_group(process)


@pytest.fixture
def throwaway_postgres():
    server = ThrowawayPostgres()
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        server.remove()
